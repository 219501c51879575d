// The backfill's progress arithmetic and its end condition, by hand-computed cases.
import { describe, expect, it } from 'vitest';
import { isCaughtUp, progressOf } from '../src/backfill-progress.js';

const start = { firstSeq: 101, lastSeq: 1100, atMs: 1_000_000 }; // 1 000 messages
const snap = (atMs: number, ackFloorSeq: number, over = {}) => ({
  atMs,
  ackFloorSeq,
  pending: 10,
  ackPending: 5,
  lagMs: 3_600_000,
  ...over,
});

describe('backfill progress', () => {
  it('counts from the stream start as of the backfill start, rate over the last interval', () => {
    const first = snap(1_010_000, 300); // 200 done in 10 s
    expect(progressOf(start, first, null)).toEqual({
      done: 200,
      total: 1000,
      eventsPerS: 20,
      etaS: 40,
      lagS: 3600,
    });
    const second = snap(1_015_000, 800); // 500 more in 5 s
    expect(progressOf(start, second, first)).toMatchObject({ done: 700, eventsPerS: 100, etaS: 3 });
  });

  it('stays within [0, total] before the first ack and past the start’s last message', () => {
    expect(progressOf(start, snap(1_001_000, 0, { lagMs: null }), null)).toEqual({
      done: 0,
      total: 1000,
      eventsPerS: 0,
      etaS: null,
      lagS: null,
    });
    expect(progressOf(start, snap(1_020_000, 1500), null)).toMatchObject({ done: 1000, etaS: 0 });
  });

  it('is caught up when nothing is pending, or within the end lag when one is set', () => {
    expect(isCaughtUp(snap(0, 1, { pending: 0, ackPending: 0 }), 0)).toBe(true);
    expect(isCaughtUp(snap(0, 1, { pending: 0, ackPending: 1 }), 0)).toBe(false);
    expect(isCaughtUp(snap(0, 1, { lagMs: 299_999 }), 300_000)).toBe(true);
    expect(isCaughtUp(snap(0, 1, { lagMs: 300_000 }), 300_000)).toBe(true);
    expect(isCaughtUp(snap(0, 1, { lagMs: 300_001 }), 300_000)).toBe(false);
    expect(isCaughtUp(snap(0, 1, { lagMs: 1 }), 0)).toBe(false);
    expect(isCaughtUp(snap(0, 1, { lagMs: null }), 300_000)).toBe(false);
  });
});
