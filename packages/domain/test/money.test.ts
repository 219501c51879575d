import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMicros, MoneyError, parseMicros } from '../src/index.js';
import { amountArb } from './arbitraries.js';
import { oracleFormat, oracleMicros } from './oracle.js';

describe('parseMicros', () => {
  it.each([
    ['0', 0n],
    ['0.1', 100_000n],
    ['0.000001', 1n],
    ['12', 12_000_000n],
    ['12.5', 12_500_000n],
    ['1234.5678', 1_234_567_800n],
    ['99999999999999.999999', 99_999_999_999_999_999_999n],
  ])('%s → %s micros', (s, m) => {
    expect(parseMicros(s)).toBe(m);
  });

  it.each([
    '',
    '.1',
    '1.',
    '01',
    '00.1',
    '-1',
    '+1',
    '1e3',
    ' 1',
    '1 ',
    '1,5',
    '0x10',
    '1.1234567',
    '100000000000000',
    'NaN',
    'Infinity',
    '１',
  ])('rejects %j with MoneyError', (s) => {
    expect(() => parseMicros(s)).toThrow(MoneyError);
    try {
      parseMicros(s);
    } catch (e) {
      expect(e).toMatchObject({ code: 'INVALID_MONEY', retryable: false });
    }
  });

  it('adds 0.1 + 0.2 to exactly 0.3', () => {
    expect(parseMicros('0.1') + parseMicros('0.2')).toBe(parseMicros('0.3'));
    expect(formatMicros(parseMicros('0.1') + parseMicros('0.2'))).toBe('0.300000');
  });

  it('agrees with a split-parts oracle on every valid amount', () => {
    fc.assert(fc.property(amountArb, (s) => parseMicros(s) === oracleMicros(s)));
  });

  it('sums like the oracle, exactly', () => {
    fc.assert(
      fc.property(fc.array(amountArb, { maxLength: 50 }), (xs) => {
        const sum = xs.reduce((acc, s) => acc + parseMicros(s), 0n);
        const expected = xs.reduce((acc, s) => acc + oracleMicros(s), 0n);
        expect(formatMicros(sum)).toBe(oracleFormat(expected));
      }),
    );
  });
});

describe('formatMicros', () => {
  it.each([
    [0n, '0.000000'],
    [1n, '0.000001'],
    [300_000n, '0.300000'],
    [-300_000n, '-0.300000'],
    [-1n, '-0.000001'],
    [12_000_000n, '12.000000'],
    [-1_234_567_800n, '-1234.567800'],
  ])('%s → %s', (m, s) => {
    expect(formatMicros(m)).toBe(s);
  });

  it('matches the digit-slicing oracle for any bigint', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }), (m) => {
        expect(formatMicros(m)).toBe(oracleFormat(m));
      }),
    );
  });

  it('round-trips: parse(format(m)) = m for every representable m ≥ 0', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }), (m) => {
        expect(parseMicros(formatMicros(m))).toBe(m);
      }),
    );
  });

  it('round-trips: format(parse(s)) is s padded to 6 decimals', () => {
    fc.assert(
      fc.property(amountArb, (s) => {
        const [int, frac = ''] = s.split('.');
        expect(formatMicros(parseMicros(s))).toBe(`${int}.${frac.padEnd(6, '0')}`);
      }),
    );
  });
});
