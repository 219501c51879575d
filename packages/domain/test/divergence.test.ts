import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DIVERGENCE_THRESHOLD,
  DecimalError,
  divergence,
  exceedsThreshold,
  formatDivergence,
  formatMicros,
  parseCount,
  parseMicros,
  parseThreshold,
  parseTotalMicros,
} from '../src/index.js';
import { amountArb } from './arbitraries.js';
import { oracleExceeds, oracleFormatUp } from './oracle-divergence.js';

const T = parseThreshold(DEFAULT_DIVERGENCE_THRESHOLD);
/** Analytics vs. billing money totals given as decimal strings, at the default threshold. */
const verdict = (analytics: string, billing: string) =>
  exceedsThreshold(divergence(parseTotalMicros(analytics), parseTotalMicros(billing)), T);

describe('the 0.01 % verdict (worked out by hand)', () => {
  it.each([
    // billing 1000: 0.01 % of it is 0.1
    ['1000.200000', '1000', true], // +0.02 %
    ['1000.050000', '1000', false], // +0.005 %
    ['1000.100000', '1000', false], // exactly +0.01 %: not a divergence
    ['999.900000', '1000', false], // exactly −0.01 %
    ['1000.100001', '1000', true], // 0.01 % + 0.000001
    ['999.899999', '1000', true], // −0.01 % − 0.000001
    ['1000', '1000', false],
    // 10^14 units: one micro above the boundary is 1e-20 relative, invisible to a double
    ['100010000000000.000000', '100000000000000', false],
    ['100010000000000.000001', '100000000000000', true],
    // negative billing day (refunds of earlier days' messages): divided by its magnitude
    ['-1000.100000', '-1000', false],
    ['-1000.100001', '-1000', true],
  ])('analytics %s vs billing %s → diverged %s', (a, b, expected) => {
    expect(verdict(a, b)).toBe(expected);
  });

  it('counts like money: 100 011 vs 100 000 messages diverge, 100 010 does not', () => {
    expect(exceedsThreshold(divergence(100_011n, 100_000n), T)).toBe(true);
    expect(exceedsThreshold(divergence(100_010n, 100_000n), T)).toBe(false);
    expect(exceedsThreshold(divergence(99_990n, 100_000n), T)).toBe(false);
  });

  it('billing 0: 0 when analytics is 0 too, else undefined and diverged', () => {
    expect(divergence(0n, 0n)).toEqual({ num: 0n, den: 1n });
    expect(exceedsThreshold(divergence(0n, 0n), T)).toBe(false);
    expect(divergence(1n, 0n)).toBeNull();
    expect(divergence(-1n, 0n)).toBeNull();
    expect(exceedsThreshold(null, T)).toBe(true);
  });

  it('a zero threshold flags any difference at all', () => {
    const zero = parseThreshold('0');
    expect(exceedsThreshold(divergence(1n, 1n), zero)).toBe(false);
    expect(exceedsThreshold(divergence(2n, 1n), zero)).toBe(true);
  });
});

describe('formatDivergence (12 decimals, rounded up)', () => {
  it.each([
    [0n, 1n, '0.000000000000'],
    [200_000n, 1_000_000_000n, '0.000200000000'], // 0.2 / 1000
    [100_001n, 1_000_000_000n, '0.000100001000'],
    [1n, 3_000_000n, '0.000000333334'], // 0.000000333333… rounded up, not to nearest
    [1n, 10n ** 20n, '0.000000000001'], // 1e-20 is stored as the smallest step, never as 0
    [3n, 2n, '1.500000000000'],
    [25n, 1n, '25.000000000000'],
  ])('%s/%s → %s', (num, den, s) => {
    expect(formatDivergence({ num, den })).toBe(s);
  });

  it('takes other precisions', () => {
    expect(formatDivergence({ num: 2n, den: 3n }, 4)).toBe('0.6667');
    expect(formatDivergence({ num: 1n, den: 3n }, 4)).toBe('0.3334');
    expect(() => formatDivergence({ num: 1n, den: 3n }, 0)).toThrow(RangeError);
  });
});

describe('parsers', () => {
  it('parseThreshold', () => {
    expect(parseThreshold('0.0001')).toEqual({ num: 1n, den: 10_000n });
    expect(parseThreshold('0')).toEqual({ num: 0n, den: 1n });
    expect(parseThreshold('1.5')).toEqual({ num: 15n, den: 10n });
    expect(parseThreshold('0.000000000001')).toEqual({ num: 1n, den: 10n ** 12n });
    for (const bad of ['', '-0.1', '.1', '1.', '1e-4', '0.0000000000001', '01', ' 1', '0,1'])
      expect(() => parseThreshold(bad), bad).toThrow(DecimalError);
  });

  it('parseTotalMicros reads signed numeric(38,6) text', () => {
    expect(parseTotalMicros('-12.500000')).toBe(-12_500_000n);
    expect(parseTotalMicros('0.000001')).toBe(1n);
    expect(parseTotalMicros('12')).toBe(12_000_000n);
    expect(parseTotalMicros('99999999999999999999999999999999.999999')).toBe(10n ** 38n - 1n);
    for (const bad of ['', '-', '+1', '1.', '.5', '1.0000001', '1e3', '00.1', 'NaN'])
      expect(() => parseTotalMicros(bad), bad).toThrow(DecimalError);
  });

  it('parseCount', () => {
    expect(parseCount('120')).toBe(120n);
    expect(parseCount('-3')).toBe(-3n);
    expect(parseCount('9223372036854775807')).toBe(9_223_372_036_854_775_807n);
    for (const bad of ['', '1.0', '+1', '01', ' 1']) expect(() => parseCount(bad)).toThrow();
  });

  it('parseTotalMicros agrees with parseMicros on every contract amount', () => {
    fc.assert(fc.property(amountArb, (s) => parseTotalMicros(s) === parseMicros(s)));
  });

  it('parseTotalMicros inverts formatMicros for any bigint', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 38n), max: 10n ** 38n }), (m) => {
        expect(parseTotalMicros(formatMicros(m))).toBe(m);
      }),
    );
  });
});

// --- properties against the long-division oracle ----------------------------------------

/** Totals in micros up to billing's numeric(20,6), biased to small and round values. */
const totalArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.bigInt({ min: -(10n ** 20n) + 1n, max: 10n ** 20n - 1n }),
  fc.constantFrom(0n, 1n, -1n, 1_000_000_000n, 10n ** 20n - 1n),
);

/** Thresholds with 0..12 decimals, including the default and the extremes. */
const thresholdArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '0.0001', '0.01', '1', '0.000000000001', '2.5'),
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 12 }), fc.nat())
    .map(([i, places, f]) =>
      places === 0 ? String(i) : `${i}.${String(f).padStart(places, '0').slice(-places)}`,
    ),
);

/**
 * (analytics, billing, threshold) with analytics on, just inside and just outside the
 * boundary billing·(1 ± threshold) as often as anywhere else.
 */
const caseArb = fc
  .tuple(totalArb, thresholdArb, fc.integer({ min: -2, max: 2 }), fc.boolean(), totalArb)
  .chain(([b, t, nudge, up, random]) =>
    // Half the time billing is a multiple of the threshold's denominator: an exact boundary.
    fc
      .boolean()
      .map((exact) => [exact ? b * parseThreshold(t).den : b, t, nudge, up, random] as const),
  )
  .map(([billing, t, nudge, up, random]) => {
    const { num, den } = parseThreshold(t);
    const mag = billing < 0n ? -billing : billing;
    const edge = (mag * num) / den + BigInt(nudge); // floor of the allowed distance, nudged
    const analytics = nudge === 2 ? random : up ? billing + edge : billing - edge;
    return { analytics, billing, t };
  });

describe('properties', () => {
  it('the verdict equals the long-division oracle, at and around the boundary', () => {
    fc.assert(
      fc.property(caseArb, ({ analytics, billing, t }) => {
        expect(exceedsThreshold(divergence(analytics, billing), parseThreshold(t))).toBe(
          oracleExceeds(analytics, billing, t),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('the stored string equals the oracle rounded up, for 12 and other precisions', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 20 }), ({ analytics, billing }, places) => {
        const d = divergence(analytics, billing);
        const expected = oracleFormatUp(analytics, billing, places);
        if (d === null) expect(expected).toBeUndefined();
        else expect(formatDivergence(d, places)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('stored > threshold exactly when the exact verdict says diverged (threshold ≤ 12 dp)', () => {
    fc.assert(
      fc.property(caseArb, ({ analytics, billing, t }) => {
        const d = divergence(analytics, billing);
        if (d === null) return;
        const stored = parseThreshold(formatDivergence(d)); // a 12-dp decimal, read exactly
        const th = parseThreshold(t);
        expect(stored.num * th.den > th.num * stored.den).toBe(exceedsThreshold(d, th));
      }),
      { numRuns: 2000 },
    );
  });

  it('the verdict does not depend on the unit (micros vs. units, scaled totals)', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        ({ analytics, billing, t }, k) => {
          const th = parseThreshold(t);
          expect(exceedsThreshold(divergence(analytics * k, billing * k), th)).toBe(
            exceedsThreshold(divergence(analytics, billing), th),
          );
        },
      ),
    );
  });
});
