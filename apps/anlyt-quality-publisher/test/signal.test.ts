// The feed's pure rules against independent computations: the window from calendar fields,
// the event id from RFC 4122's v5 construction done here with node:crypto, the rates by hand.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { qualityEvent, qualityEventId, qualityWindow } from '../src/signal.js';

const SPAN = { min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) };

/** RFC 4122 §4.3: SHA-1 of namespace bytes + name, version 5, variant 10. */
function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1')
    .update(Buffer.concat([ns, Buffer.from(name, 'utf8')]))
    .digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

describe('qualityWindow', () => {
  it('ends at the minute fired in and starts at the previous UTC hour', () => {
    fc.assert(
      fc.property(fc.integer(SPAN), (fired) => {
        const d = new Date(fired);
        const end = Date.UTC(
          d.getUTCFullYear(),
          d.getUTCMonth(),
          d.getUTCDate(),
          d.getUTCHours(),
          d.getUTCMinutes(),
        );
        const start = Date.UTC(
          d.getUTCFullYear(),
          d.getUTCMonth(),
          d.getUTCDate(),
          d.getUTCHours() - 1,
        );
        expect(qualityWindow(fired)).toEqual({ startMs: start, endMs: end });
        expect(end - start).toBeGreaterThanOrEqual(3_600_000);
        expect(end - start).toBeLessThan(7_200_000);
      }),
    );
  });

  it('gives every tick of one minute the same window', () => {
    const base = Date.UTC(2026, 10, 27, 0, 0);
    expect(qualityWindow(base)).toEqual(qualityWindow(base + 59_999));
    expect(qualityWindow(base)).toEqual({ startMs: base - 3_600_000, endMs: base });
    expect(qualityWindow(base + 60_000).endMs).toBe(base + 60_000);
  });
});

describe('qualityEventId', () => {
  it('is the RFC 4122 v5 UUID of (mno, direction, windowEnd)', () => {
    const ns = 'f1d7f0a4-3b0e-4c35-9a43-2a7c0f5d7e61';
    const end = Date.UTC(2026, 10, 27, 14, 37);
    expect(qualityEventId('mno-ke-01', 'MT', end)).toBe(
      uuidV5('mno-ke-01|MT|2026-11-27T14:37:00.000Z', ns),
    );
  });

  it('differs whenever mno, direction or windowEnd differ', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.stringMatching(/^[a-z0-9-]{1,12}$/),
          fc.constantFrom('MT', 'MO'),
          fc.integer(SPAN),
        ),
        fc.tuple(
          fc.stringMatching(/^[a-z0-9-]{1,12}$/),
          fc.constantFrom('MT', 'MO'),
          fc.integer(SPAN),
        ),
        ([m1, d1, t1], [m2, d2, t2]) => {
          const same = m1 === m2 && d1 === d2 && t1 === t2;
          expect(qualityEventId(m1, d1, t1) === qualityEventId(m2, d2, t2)).toBe(same);
        },
      ),
    );
  });
});

describe('qualityEvent', () => {
  const w = { startMs: Date.UTC(2026, 10, 27, 13), endMs: Date.UTC(2026, 10, 27, 14, 37) };
  const opts = { minSample: 50, cdrsFresh: true, nowMs: w.endMs + 10_000, dataAsOfMs: w.endMs - 1 };
  const row = {
    mno: 'm',
    direction: 'MT' as const,
    dlrs: 60,
    delivered: 41,
    final: 50,
    p95LatencyMs: 1234.6,
    cdrs: 70,
    esmeErrors: 3,
  };

  it('rounds rates to 4 decimals and the P95 to the millisecond', () => {
    expect(qualityEvent(row, w, opts)).toMatchObject({
      deliveryRate: 0.82,
      esmeErrorRate: 0.0429, // 3 / 70 = 0.042857…
      dlrLatencyP95: 1235,
      sampleSize: 50,
      windowStart: '2026-11-27T13:00:00.000Z',
      windowEnd: '2026-11-27T14:37:00.000Z',
      occurredAt: '2026-11-27T14:37:10.000Z',
    });
  });

  it('nulls each rate whose own denominator is below the minimum sample', () => {
    expect(qualityEvent({ ...row, final: 49, delivered: 40 }, w, opts)).toMatchObject({
      deliveryRate: null,
      sampleSize: 49,
      dlrLatencyP95: 1235, // 60 DLRs of any status
      esmeErrorRate: 0.0429,
    });
    expect(qualityEvent({ ...row, dlrs: 49, final: 49 }, w, opts).dlrLatencyP95).toBeNull();
    expect(qualityEvent({ ...row, cdrs: 49 }, w, opts).esmeErrorRate).toBeNull();
    const none = qualityEvent({ ...row, dlrs: 0, final: 0, delivered: 0, p95LatencyMs: null }, w, {
      ...opts,
      minSample: 1,
    });
    expect(none).toMatchObject({ deliveryRate: null, dlrLatencyP95: null, sampleSize: 0 });
  });

  it('nulls esmeErrorRate when the CDR cube lags, whatever the counts', () => {
    expect(qualityEvent(row, w, { ...opts, cdrsFresh: false }).esmeErrorRate).toBeNull();
  });
});
