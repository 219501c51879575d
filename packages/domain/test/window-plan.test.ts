import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planWindow, utcDay } from '../src/index.js';
import { DAY, HOUR } from './arbitraries.js';
import {
  oracleHoursOfPlan,
  oracleIsHourStart,
  oracleHoursTouched,
  oracleUtcDay,
} from './window-oracle.js';

const at = (iso: string) => Date.parse(iso);
const range = (from: string, to: string) => ({ fromMs: at(from), toMs: at(to) });
const plan = (from: string, to: string) => planWindow(range(from, to));

/** 2026-11-28T00:00:00.000Z */
const MIDNIGHT = Date.UTC(2026, 10, 28);

// Bounds biased to what makes plans interesting: exact hours, exact midnights, any ms,
// and the epoch (negative times must split the same way).
const instantArb = fc.oneof(
  fc.integer({ min: -2_400, max: 2_400 }).map((h) => MIDNIGHT + h * HOUR),
  fc.integer({ min: -100, max: 100 }).map((d) => MIDNIGHT + d * DAY),
  fc.integer({ min: MIDNIGHT - 100 * DAY, max: MIDNIGHT + 100 * DAY }),
  fc.integer({ min: -3 * DAY, max: 3 * DAY }),
);
const lengthArb = fc.oneof(
  fc.integer({ min: -2, max: 100 }).map((d) => d * DAY),
  fc.integer({ min: -3, max: 2_400 }).map((h) => h * HOUR),
  fc.integer({ min: -DAY, max: 95 * DAY }),
);
const windowArb = fc
  .tuple(instantArb, lengthArb)
  .map(([fromMs, len]) => ({ fromMs, toMs: fromMs + len }));

describe('planWindow examples', () => {
  it('splits 27th 22:00 → 30th 05:00 into an hour range, two days and an hour range', () => {
    expect(plan('2026-11-27T22:00:00Z', '2026-11-30T05:00:00Z')).toEqual({
      days: ['2026-11-28', '2026-11-29'],
      hourRanges: [
        range('2026-11-27T22:00:00Z', '2026-11-28T00:00:00Z'),
        range('2026-11-30T00:00:00Z', '2026-11-30T05:00:00Z'),
      ],
    });
  });

  it('serves a window inside one day from one hour range', () => {
    expect(plan('2026-11-28T10:00:00Z', '2026-11-28T15:00:00Z')).toEqual({
      days: [],
      hourRanges: [range('2026-11-28T10:00:00Z', '2026-11-28T15:00:00Z')],
    });
  });

  it('merges the two partial days of a window crossing one midnight into one range', () => {
    expect(plan('2026-11-27T22:00:00Z', '2026-11-28T05:00:00Z')).toEqual({
      days: [],
      hourRanges: [range('2026-11-27T22:00:00Z', '2026-11-28T05:00:00Z')],
    });
  });

  it.each([
    [
      '2026-11-27T00:00:00Z',
      '2026-11-30T00:00:00Z',
      ['2026-11-27', '2026-11-28', '2026-11-29'],
      [],
    ],
    ['2026-11-28T00:00:00Z', '2026-11-29T00:00:00Z', ['2026-11-28'], []],
    [
      '2026-11-27T00:00:00Z',
      '2026-11-29T05:00:00Z',
      ['2026-11-27', '2026-11-28'],
      [range('2026-11-29T00:00:00Z', '2026-11-29T05:00:00Z')],
    ],
    [
      '2026-11-27T22:00:00Z',
      '2026-11-29T00:00:00Z',
      ['2026-11-28'],
      [range('2026-11-27T22:00:00Z', '2026-11-28T00:00:00Z')],
    ],
    ['2028-02-28T00:00:00Z', '2028-03-01T00:00:00Z', ['2028-02-28', '2028-02-29'], []],
  ])('%s → %s gives days %j and ranges %j', (from, to, days, hourRanges) => {
    expect(plan(from, to)).toEqual({ days, hourRanges });
  });

  it('gives an empty plan for an empty or inverted window', () => {
    expect(plan('2026-11-28T10:00:00Z', '2026-11-28T10:00:00Z')).toEqual({
      days: [],
      hourRanges: [],
    });
    expect(plan('2026-11-29T00:00:00Z', '2026-11-28T00:00:00Z')).toEqual({
      days: [],
      hourRanges: [],
    });
  });

  it('widens unaligned bounds to the hours they touch', () => {
    expect(plan('2026-11-27T23:59:59.999Z', '2026-11-29T00:00:00.001Z')).toEqual({
      days: ['2026-11-28'],
      hourRanges: [
        range('2026-11-27T23:00:00Z', '2026-11-28T00:00:00Z'),
        range('2026-11-29T00:00:00Z', '2026-11-29T01:00:00Z'),
      ],
    });
  });

  it('rejects infinite bounds instead of looping forever', () => {
    expect(() => planWindow({ fromMs: 0, toMs: Infinity })).toThrow(RangeError);
    expect(() => planWindow({ fromMs: NaN, toMs: 0 })).toThrow(RangeError);
  });
});

describe('planWindow against the hour-by-hour oracle', () => {
  it('covers exactly the hours of the window, each once, nothing outside', () => {
    fc.assert(
      fc.property(windowArb, (w) => {
        const p = planWindow(w);
        const got = oracleHoursOfPlan(p).sort((a, b) => a - b);
        expect(got).toEqual(oracleHoursTouched(w.fromMs, w.toMs));
      }),
      { numRuns: 2000 },
    );
  });

  it('lists whole days ascending and consecutive, and minimal, merged hour ranges', () => {
    fc.assert(
      fc.property(windowArb, (w) => {
        const { days, hourRanges } = planWindow(w);
        const midnights = days.map((d) => at(`${d}T00:00:00Z`));
        midnights.forEach((m, i) => {
          expect(oracleUtcDay(m)).toBe(days[i]);
          if (i > 0) expect(m - midnights[i - 1]!).toBe(DAY);
        });
        expect(hourRanges.length).toBeLessThanOrEqual(days.length === 0 ? 1 : 2);
        hourRanges.forEach((r, i) => {
          expect(oracleIsHourStart(r.fromMs) && oracleIsHourStart(r.toMs)).toBe(true);
          expect(r.fromMs).toBeLessThan(r.toMs);
          // Merged: two ranges never touch (else they would be one read).
          if (i > 0) expect(r.fromMs).toBeGreaterThan(hourRanges[i - 1]!.toMs);
          // Minimal: no whole UTC day is left to the hourly buckets.
          for (let h = r.fromMs; h < r.toMs; h += HOUR) {
            if (new Date(h).getUTCHours() === 0) expect(h + DAY).toBeGreaterThan(r.toMs);
          }
          // Before the first day or after the last, never between them.
          if (midnights.length > 0) {
            const before = r.toMs <= midnights[0]!;
            const after = r.fromMs >= midnights[midnights.length - 1]! + DAY;
            expect(before || after).toBe(true);
          }
        });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('utcDay', () => {
  it.each([
    ['2026-11-28T00:00:00.000Z', '2026-11-28'],
    ['2026-11-28T23:59:59.999Z', '2026-11-28'],
    ['2028-02-29T12:00:00.000Z', '2028-02-29'],
    ['1969-12-31T23:59:59.999Z', '1969-12-31'],
  ])('utcDay(%s) = %s', (t, d) => {
    expect(utcDay(at(t))).toBe(d);
  });

  it('agrees with the Date-getter oracle for any time 1960..2200', () => {
    const ms = fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2200, 0, 1) });
    fc.assert(fc.property(ms, (t) => utcDay(t) === oracleUtcDay(t)));
  });
});
