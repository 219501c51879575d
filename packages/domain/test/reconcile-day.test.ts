import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseThreshold, reconcileDay, type BillingDayTotals } from '../src/index.js';

const opts = { threshold: parseThreshold('0.0001'), settlementCurrency: 'USD' };
// 1000 USD and 100 000 messages on both sides unless a case says otherwise.
const billing = (over: Partial<BillingDayTotals> = {}): BillingDayTotals => ({
  costMicros: 1_000_000_000n,
  messages: 100_000n,
  currency: 'USD',
  ...over,
});
const analytics = (costMicros = 1_000_000_000n, messages = 100_000n) => ({ costMicros, messages });

describe('reconcileDay', () => {
  it.each([
    ['equal totals', analytics(), billing(), 'OK'],
    ['cost +0.01 % exactly', analytics(1_000_100_000n), billing(), 'OK'],
    ['cost +0.01 % + 1 micro', analytics(1_000_100_001n), billing(), 'DIVERGED'],
    ['cost −0.02 %', analytics(999_800_000n), billing(), 'DIVERGED'],
    ['messages +11 of 100 000', analytics(undefined, 100_011n), billing(), 'DIVERGED'],
    ['messages +10 of 100 000', analytics(undefined, 100_010n), billing(), 'OK'],
    ['another currency, equal totals', analytics(), billing({ currency: 'EUR' }), 'DIVERGED'],
    [
      'billing 0 cost, analytics 0',
      analytics(0n, 0n),
      billing({ costMicros: 0n, messages: 0n }),
      'OK',
    ],
    ['billing 0 cost, analytics 1 micro', analytics(1n), billing({ costMicros: 0n }), 'DIVERGED'],
  ] as const)('%s → %s', (_name, a, b, status) => {
    expect(reconcileDay(a, b, opts).status).toBe(status);
  });

  it('keeps both exact divergences and flags the currency', () => {
    const v = reconcileDay(analytics(1_000_200_000n, 100_011n), billing({ currency: 'EUR' }), opts);
    expect(v).toEqual({
      status: 'DIVERGED',
      costDivergence: { num: 200_000n, den: 1_000_000_000n },
      messageDivergence: { num: 11n, den: 100_000n },
      currencyMismatch: true,
    });
  });

  it('missing sides: MISSING_BILLING wins when both are missing', () => {
    expect(reconcileDay(analytics(), undefined, opts).status).toBe('MISSING_BILLING');
    expect(reconcileDay(undefined, billing(), opts).status).toBe('MISSING_ANALYTICS');
    const both = reconcileDay(undefined, undefined, opts);
    expect(both).toEqual({
      status: 'MISSING_BILLING',
      costDivergence: null,
      messageDivergence: null,
      currencyMismatch: false,
    });
  });

  it('is OK exactly when the currency matches and both sides are within the threshold', () => {
    const side = fc.bigInt({ min: 0n, max: 2_000_000n });
    fc.assert(
      fc.property(side, side, side, side, fc.constantFrom('USD', 'EUR'), (ac, am, bc, bm, cur) => {
        const v = reconcileDay(
          { costMicros: ac, messages: am },
          { costMicros: bc, messages: bm, currency: cur },
          opts,
        );
        // within 0.01 %: 10 000·|a − b| ≤ b (and a = 0 when b = 0)
        const within = (a: bigint, b: bigint) => (a > b ? a - b : b - a) * 10_000n <= b;
        expect(v.status === 'OK').toBe(cur === 'USD' && within(ac, bc) && within(am, bm));
      }),
    );
  });
});
