// Property tests for parseWindow. Bounds are generated as instants and then written in one
// of the accepted styles; the generator knows which instant each text means (a date-only
// `to` is the end of its day), so the expected outcome is decided without parsing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_WINDOW_DAYS, parseWindow, type WindowResult } from '../src/index.js';
import { MAX_BOUND_MS, MIN_BOUND_MS } from '../src/window.js';
import { DAY, HOUR } from './arbitraries.js';
import { oracleDay } from './oracle.js';
import {
  oracleIsCalendarDate,
  oracleIsHourStart,
  oracleUtcDay,
  withOffset,
} from './window-oracle.js';

const NOW = Date.UTC(2026, 10, 28, 10, 17, 5, 123);
const MAX_MS = MAX_WINDOW_DAYS * DAY;

type Role = 'from' | 'to';
type Style =
  { kind: 'Z' } | { kind: 'seconds' } | { kind: 'offset'; minutes: number } | { kind: 'date' };
/** A query-parameter text and the instant the caller means by it. */
interface Bound {
  text: string;
  ms: number;
}

const styleArb: fc.Arbitrary<Style> = fc.oneof(
  fc.constant({ kind: 'Z' as const }),
  fc.constant({ kind: 'seconds' as const }),
  fc
    .integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 })
    .map((minutes) => ({ kind: 'offset' as const, minutes })),
  fc.constant({ kind: 'date' as const }),
);

function write(ms: number, style: Style, role: Role): Bound {
  switch (style.kind) {
    case 'Z':
      return { text: new Date(ms).toISOString(), ms };
    case 'seconds': {
      const s = Math.floor(ms / 1000) * 1000;
      return { text: new Date(s).toISOString().replace(/\.\d{3}Z$/, 'Z'), ms: s };
    }
    case 'offset':
      return { text: withOffset(ms, style.minutes), ms };
    case 'date': {
      // Floored by arithmetic: oracleDay goes through Date.UTC, which reads years 0–99 as 19xx.
      const midnight = ms - (((ms % DAY) + DAY) % DAY);
      return { text: oracleUtcDay(ms), ms: midnight + (role === 'to' ? DAY : 0) };
    }
  }
}

// Lengths cluster around the interesting edges: empty, inverted, just under/over 90 days.
const deltaArb = fc.oneof(
  fc.integer({ min: -2 * DAY, max: 92 * DAY }),
  fc.integer({ min: -48, max: 92 * 24 }).map((h) => h * HOUR),
  fc.constantFrom(0, -1, 1, MAX_MS - 1, MAX_MS, MAX_MS + 1, MAX_MS - DAY, MAX_MS + DAY),
);
const pairArb = fc
  .tuple(
    fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }),
    deltaArb,
    styleArb,
    styleArb,
  )
  .map(([fromMs, delta, fs, ts]) => ({
    from: write(fromMs, fs, 'from'),
    to: write(fromMs + delta, ts, 'to'),
  }));

const validPairArb = pairArb.filter(({ from, to }) => from.ms < to.ms && to.ms - from.ms <= MAX_MS);

function detailOf(r: WindowResult): string {
  if (r.ok) throw new Error(`expected INVALID_WINDOW, got ${JSON.stringify(r.window)}`);
  expect(r.code).toBe('INVALID_WINDOW');
  return r.detail;
}

describe('parseWindow properties', () => {
  it('accepts any pair within 90 days, widening it to the hours it touches', () => {
    fc.assert(
      fc.property(validPairArb, ({ from, to }) => {
        const r = parseWindow(from.text, to.text, NOW);
        if (!r.ok) throw new Error(r.detail);
        const w = r.window;
        expect(w.requestedFrom).toBe(new Date(from.ms).toISOString());
        expect(w.requestedTo).toBe(new Date(to.ms).toISOString());
        expect(oracleIsHourStart(w.fromMs) && oracleIsHourStart(w.toMs)).toBe(true);
        expect(w.fromMs).toBeLessThanOrEqual(from.ms);
        expect(w.toMs).toBeGreaterThanOrEqual(to.ms);
        // Widened by less than an hour at each end: the hours touched, nothing more.
        expect(w.fromMs).toBeGreaterThan(from.ms - HOUR);
        expect(w.toMs).toBeLessThan(to.ms + HOUR);
        expect(w.toMs - w.fromMs).toBeLessThan(to.ms - from.ms + 2 * HOUR);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects any window longer than 90 days, with its length rounded up', () => {
    const tooLong = pairArb.filter(({ from, to }) => to.ms - from.ms > MAX_MS);
    fc.assert(
      fc.property(tooLong, ({ from, to }) => {
        const m = /^window is (\d+) days; the maximum is 90$/.exec(
          detailOf(parseWindow(from.text, to.text, NOW)),
        );
        const days = Number(m?.[1]);
        expect((days - 1) * DAY).toBeLessThan(to.ms - from.ms);
        expect(to.ms - from.ms).toBeLessThanOrEqual(days * DAY);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects from >= to', () => {
    const inverted = pairArb.filter(({ from, to }) => from.ms >= to.ms);
    fc.assert(
      fc.property(inverted, ({ from, to }) => {
        expect(detailOf(parseWindow(from.text, to.text, NOW))).toBe(
          `from (${new Date(from.ms).toISOString()}) must be before to (${new Date(to.ms).toISOString()})`,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('includes every instant of a date-only to day', () => {
    const arb = fc.tuple(
      fc.integer({ min: -20_000, max: 20_000 }).map((d) => Date.UTC(2026, 0, 1) + d * DAY),
      fc.integer({ min: 0, max: DAY - 1 }),
      fc.integer({ min: 0, max: MAX_WINDOW_DAYS - 1 }),
    );
    fc.assert(
      fc.property(arb, ([midnight, offset, back]) => {
        const from = oracleUtcDay(midnight - back * DAY);
        const r = parseWindow(from, oracleUtcDay(midnight), NOW);
        if (!r.ok) throw new Error(r.detail);
        expect(r.window.fromMs).toBeLessThanOrEqual(midnight + offset);
        expect(midnight + offset).toBeLessThan(r.window.toMs);
        expect(r.window.toMs).toBe(midnight + DAY);
      }),
    );
  });

  it('accepts a YYYY-MM-DD exactly when it is a real calendar date from 1970-01-01 to 9999-12-30', () => {
    const d2 = (n: number) => String(n).padStart(2, '0');
    const arb = fc.tuple(
      fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1969, 1970, 9999)),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    );
    fc.assert(
      fc.property(arb, ([y, m, d]) => {
        const date = `${String(y).padStart(4, '0')}-${d2(m)}-${d2(d)}`;
        // As `to`, 9999-12-31 means 10000-01-01T00:00Z: past the last bound.
        const inRange = y >= 1970 && `${y}-${d2(m)}-${d2(d)}` <= '9999-12-30';
        expect(parseWindow(date, date, NOW).ok).toBe(oracleIsCalendarDate(y, m, d) && inRange);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses exactly the bounds outside 1970-01-01T00:00Z to 9999-12-31T23:00Z, in any style', () => {
    // Instants over all 4-digit years, crowded around both ends of the range.
    const YEAR_0000 = -62_167_219_200_000;
    const YEAR_10000 = 253_402_300_800_000;
    const near = (edge: number) => fc.integer({ min: -2 * DAY, max: 2 * DAY }).map((d) => edge + d);
    const msArb = fc.oneof(
      fc.integer({ min: YEAR_0000, max: YEAR_10000 - 1 }),
      near(MIN_BOUND_MS),
      near(MAX_BOUND_MS),
      fc.constantFrom(MIN_BOUND_MS - 1, MIN_BOUND_MS, MAX_BOUND_MS, MAX_BOUND_MS + 1),
    );
    const arb = fc
      .tuple(msArb, styleArb, fc.constantFrom<Role>('from', 'to'))
      .map(([ms, style, role]) => ({ role, bound: write(ms, style, role) }))
      // Offsets can carry a text into year −1 or 10000, which has no RFC 3339 form at all.
      .filter(({ bound }) => /^\d{4}-/.test(bound.text) && bound.ms < YEAR_10000);
    fc.assert(
      fc.property(arb, ({ role, bound }) => {
        const r =
          role === 'from'
            ? parseWindow(bound.text, undefined, NOW)
            : parseWindow('1970-01-01', bound.text, NOW);
        const outside = bound.ms < MIN_BOUND_MS || bound.ms > MAX_BOUND_MS;
        const refusedAsOutside = !r.ok && r.detail.startsWith(`${role} is outside `);
        expect(refusedAsOutside).toBe(outside);
        // Whatever is accepted has a widened window that stays inside too.
        if (r.ok) {
          expect(r.window.fromMs).toBeGreaterThanOrEqual(MIN_BOUND_MS);
          expect(r.window.toMs).toBeLessThanOrEqual(MAX_BOUND_MS);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('defaults to [UTC midnight, now) for any now', () => {
    const nowArb = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(nowArb, (now) => {
        const r = parseWindow(undefined, undefined, now);
        if (!r.ok) throw new Error(r.detail);
        expect(r.window.requestedFrom).toBe(`${oracleUtcDay(now)}T00:00:00.000Z`);
        expect(r.window.requestedTo).toBe(new Date(now).toISOString());
        expect(r.window.fromMs).toBe(oracleDay(now));
        expect(oracleIsHourStart(r.window.toMs)).toBe(true);
        expect(r.window.toMs - now).toBeGreaterThanOrEqual(0);
        expect(r.window.toMs - now).toBeLessThan(HOUR);
      }),
    );
  });

  it('never throws on arbitrary input, and echoes at most 40 characters of it', () => {
    const junk = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme' }));
    fc.assert(
      fc.property(junk, fc.boolean(), (s, asTo) => {
        const r = asTo ? parseWindow('2026-11-01', s, NOW) : parseWindow(s, undefined, NOW);
        if (r.ok) return;
        expect(r.detail.startsWith(asTo ? 'to ' : 'from ')).toBe(true);
      }),
      { numRuns: 2000 },
    );
    const long = fc.string({ unit: fc.constantFrom(...'abcXYZ0189-:'), minLength: 41 });
    fc.assert(
      fc.property(long, (s) => {
        const d = detailOf(parseWindow(`x${s}`, undefined, NOW));
        expect(d).toContain(`x${s}`.slice(0, 40));
        expect(d).not.toContain(`x${s}`.slice(0, 41));
      }),
    );
  });
});
