// parseDateTime must accept exactly what ajv-formats' "date-time" (full mode) accepts, since
// that is what validates the contract's JSON Schemas, and must agree with Date.parse on the
// instant wherever Date.parse understands the string.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isDateTime, parseDateTime } from '../src/index.js';

const ajvDateTime = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;

const digits = (n: number, max: number) =>
  fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));

// Strings assembled from near-valid parts, so that most of the edge cases (calendar days,
// hour 24, minute 60, leap seconds with offsets, odd offsets and separators) come up.
const candidate = fc
  .tuple(
    fc.oneof(digits(4, 9999), fc.constantFrom('2024', '2100', '2000', '0000', '202')),
    digits(2, 13),
    digits(2, 32),
    fc.constantFrom('T', 't', ' ', '\t', '\u00a0', 'x', 'TT', ''),
    digits(2, 26),
    digits(2, 61),
    fc.oneof(digits(2, 61), fc.constant('60')),
    fc.constantFrom('', '.', '.5', '.123', '.123456789'),
    fc.oneof(
      fc.constantFrom('Z', 'z', '', 'UTC', '+', 'Zz'),
      fc
        .tuple(
          fc.constantFrom('+', '-'),
          digits(2, 25),
          fc.constantFrom(':', '', ':-'),
          digits(2, 61),
        )
        .map(([s, h, c, m]) => `${s}${h}${c}${m}`),
      fc.tuple(fc.constantFrom('+', '-'), digits(2, 25)).map(([s, h]) => `${s}${h}`),
    ),
  )
  .map(([y, mo, d, sep, h, mi, s, f, tz]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${f}${tz}`);

describe('date-time format', () => {
  it('accepts exactly what ajv-formats accepts', () => {
    fc.assert(
      fc.property(fc.oneof(candidate, fc.string({ maxLength: 40 })), (s) => {
        expect(isDateTime(s)).toBe(ajvDateTime(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it('yields the instant Date.parse yields, whenever Date.parse understands the string', () => {
    fc.assert(
      fc.property(candidate, (s) => {
        const ms = parseDateTime(s);
        const reference = Date.parse(s);
        // Off the ISO path (a separator other than `T`), V8 reads years 0–99 as 19xx/20xx.
        const trusted = s[10] === 'T' || Number(s.slice(0, 4)) >= 100;
        if (ms !== undefined && !Number.isNaN(reference) && trusted) expect(ms).toBe(reference);
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['2026-11-28T09:15:02.481Z', Date.UTC(2026, 10, 28, 9, 15, 2, 481)],
    ['2026-11-28T12:15:02.481+03:00', Date.UTC(2026, 10, 28, 9, 15, 2, 481)],
    ['2026-11-28T12:15:02.481+03', Date.UTC(2026, 10, 28, 9, 15, 2, 481)], // Date.parse: NaN
    ['2026-11-28T09:15:02.4819Z', Date.UTC(2026, 10, 28, 9, 15, 2, 481)], // truncated
    // A leap second stays in its UTC second's minute, hour and day.
    ['2026-12-31T23:59:60.5Z', Date.UTC(2026, 11, 31, 23, 59, 59, 999)],
    ['0050-03-01T00:00:00Z', Date.parse('0050-03-01T00:00:00Z')], // not 1950
  ])('%s → %d', (s, expected) => {
    expect(parseDateTime(s)).toBe(expected);
  });

  it.each(['2026-02-29T00:00:00Z', '2026-11-28T09:15:02', '2026-11-28T09:15:02+24:00', ''])(
    'rejects %j',
    (s) => {
      expect(parseDateTime(s)).toBeUndefined();
    },
  );
});
