import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageCostPerMessage, parseTotalMicros } from '../src/index.js';

const avg = (total: string, messages: bigint) =>
  averageCostPerMessage(parseTotalMicros(total), messages);

describe('averageCostPerMessage (worked out by hand)', () => {
  it.each([
    ['1.000000', 3n, '0.333333'], // 0.3333333… rounds down
    ['2.000000', 3n, '0.666667'], // 0.6666666… rounds up (truncation would say 0.666666)
    ['0.500001', 2n, '0.250001'], // 0.2500005: a tie rounds up
    ['0.000001', 2n, '0.000001'], // 0.0000005: a tie rounds up
    ['0.000001', 3n, '0.000000'], // 0.00000033…
    ['0.000000', 5n, '0.000000'],
    ['7.500000', 1n, '7.500000'],
    ['1.500001', 5n, '0.300000'], // 0.3000002
    // 10^26 units in micros is far beyond a double's exact integers
    ['100000000000000000000000000.000001', 1n, '100000000000000000000000000.000001'],
    ['100000000000000000000000000.000000', 3n, '33333333333333333333333333.333333'],
    // negative totals (refunds dominate) are rounded symmetrically: half away from zero
    ['-0.500001', 2n, '-0.250001'],
    ['-1.000000', 3n, '-0.333333'],
    ['-2.000000', 3n, '-0.666667'],
  ])('%s over %s messages → %s', (total, m, expected) => {
    expect(avg(total, m)).toBe(expected);
  });

  it('is null for no messages, and for a negative count (more refunded than billed)', () => {
    expect(avg('0.000000', 0n)).toBeNull();
    expect(avg('1.000000', 0n)).toBeNull();
    expect(avg('-0.100000', -1n)).toBeNull();
    expect(avg('0.000000', -3n)).toBeNull();
  });
});

describe('averageCostPerMessage (properties)', () => {
  // Checked against the definition, not the implementation: r (in micros) is the nearest
  // micro to t/m — |t − r·m| ≤ m/2 — and on a tie it is the one farther from zero.
  it('is the nearest micro, ties away from zero, and keeps the sign', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 32n), max: 10n ** 32n }),
        fc.oneof(fc.bigInt({ min: 1n, max: 10n }), fc.bigInt({ min: 1n, max: 10n ** 12n })),
        (t, m) => {
          const s = averageCostPerMessage(t, m);
          expect(s).toMatch(/^-?\d+\.\d{6}$/);
          const r = parseTotalMicros(s!);
          const err = t - r * m;
          const twiceAbsErr = 2n * (err < 0n ? -err : err);
          expect(twiceAbsErr <= m).toBe(true);
          if (twiceAbsErr === m) expect(r < 0n ? -r * m : r * m).toBeGreaterThan(t < 0n ? -t : t);
          if (r !== 0n) expect(r < 0n).toBe(t < 0n);
        },
      ),
    );
  });
});
