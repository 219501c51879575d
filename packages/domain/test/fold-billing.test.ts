import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BillingDeltas, foldBilling, formatMicros, MoneyError } from '../src/index.js';
import type { BilledEvent } from '../src/inputs.js';
import { BASE, billedEventArb, DAY, HOUR, withPermutation } from './arbitraries.js';
import { combineBilling, oracleBilling } from './oracle-billing.js';

const events = fc.array(billedEventArb, { maxLength: 60 });

describe('foldBilling (properties)', () => {
  it('equals the filter-per-bucket oracle for every scope, hour and second', () => {
    fc.assert(
      fc.property(events, (es) => {
        expect(foldBilling(es)).toEqual(oracleBilling(es));
      }),
    );
  });

  it('does not depend on event order, output order included', () => {
    fc.assert(
      fc.property(withPermutation(events), ([es, shuffled]) => {
        expect(foldBilling(shuffled)).toEqual(foldBilling(es));
      }),
    );
  });

  it('fold(a ++ b) = fold(a) + fold(b): the batch split does not matter', () => {
    fc.assert(
      fc.property(events, events, (a, b) => {
        expect(foldBilling([...a, ...b])).toEqual(combineBilling(foldBilling(a), foldBilling(b)));
      }),
    );
  });
});

const ev = (over: Partial<BilledEvent>): BilledEvent => ({
  eventId: 'e',
  occurredAtMs: BASE,
  accountId: 'acc-1',
  operatorId: 'op-a',
  status: 'BILLED',
  segments: 1,
  amount: '0.1',
  ...over,
});

const platform = (d: BillingDeltas) => d.buckets.filter((b) => b.scope === 'PLATFORM');

describe('foldBilling (table)', () => {
  it('is empty for an empty batch', () => {
    expect(foldBilling([])).toEqual({ buckets: [], seconds: [], maxOccurredAtMs: null });
  });

  it('REFUNDED decrements cost and segments and counts as refunded', () => {
    const d = foldBilling([
      ev({ amount: '1.5', segments: 2 }),
      ev({ status: 'REFUNDED', amount: '0.5', segments: 1 }),
      ev({ status: 'REFUNDED', amount: '2', segments: 3, occurredAtMs: BASE + HOUR }),
    ]);
    const [h0, h1] = platform(d);
    expect({ ...h0, cost: formatMicros(h0?.costMicros ?? 0n) }).toMatchObject({
      billed: 1,
      refunded: 1,
      segments: 1,
      cost: '1.000000',
    });
    expect({ ...h1, cost: formatMicros(h1?.costMicros ?? 0n) }).toMatchObject({
      billed: 0,
      refunded: 1,
      segments: -3,
      cost: '-2.000000',
    });
  });

  it('0.1 + 0.2 = 0.3 exactly in a bucket', () => {
    const d = foldBilling([ev({ amount: '0.1' }), ev({ amount: '0.2' })]);
    expect(d.buckets.map((b) => formatMicros(b.costMicros))).toEqual(Array(3).fill('0.300000'));
  });

  it('splits …:59:59.999 and …:00:00.000 into consecutive hours', () => {
    const d = foldBilling([ev({ occurredAtMs: BASE + HOUR - 1 }), ev({ occurredAtMs: BASE })]);
    expect(platform(d).map((b) => [b.hourMs, b.billed])).toEqual([[BASE, 2]]);
    const e = foldBilling([ev({ occurredAtMs: BASE - 1 }), ev({ occurredAtMs: BASE })]);
    expect(platform(e).map((b) => [b.hourMs, b.billed])).toEqual([
      [BASE - HOUR, 1],
      [BASE, 1],
    ]);
  });

  it('puts events hours or days late into their own hour', () => {
    const late = BASE - 3 * DAY - 5 * HOUR + 1234;
    const d = foldBilling([ev({}), ev({ occurredAtMs: late }), ev({ occurredAtMs: BASE - HOUR })]);
    expect(platform(d).map((b) => b.hourMs)).toEqual([
      BASE - 3 * DAY - 5 * HOUR,
      BASE - HOUR,
      BASE,
    ]);
    expect(d.maxOccurredAtMs).toBe(BASE);
  });

  it('counts peak-TPS seconds from BILLED only, PLATFORM and OPERATOR only', () => {
    const d = foldBilling([
      ev({ occurredAtMs: BASE + 10 }),
      ev({ occurredAtMs: BASE + 999, operatorId: 'op-b' }),
      ev({ occurredAtMs: BASE + 500, status: 'REFUNDED' }),
      ev({ occurredAtMs: BASE + 1000 }),
    ]);
    expect(d.seconds).toEqual([
      { scope: 'OPERATOR', scopeId: 'op-a', secondMs: BASE, billed: 1 },
      { scope: 'OPERATOR', scopeId: 'op-a', secondMs: BASE + 1000, billed: 1 },
      { scope: 'OPERATOR', scopeId: 'op-b', secondMs: BASE, billed: 1 },
      { scope: 'PLATFORM', scopeId: '*', secondMs: BASE, billed: 2 },
      { scope: 'PLATFORM', scopeId: '*', secondMs: BASE + 1000, billed: 1 },
    ]);
  });

  it('does not dedupe by eventId (the ledger does)', () => {
    const d = foldBilling([ev({ eventId: 'same' }), ev({ eventId: 'same' })]);
    expect(platform(d)[0]?.billed).toBe(2);
  });

  it('sorts by (scope, scopeId, hourMs) in code-unit order', () => {
    const d = foldBilling([ev({ accountId: 'b' }), ev({ accountId: 'B' }), ev({ accountId: '_' })]);
    expect(d.buckets.map((b) => `${b.scope}:${b.scopeId}`)).toEqual([
      'ACCOUNT:B',
      'ACCOUNT:_',
      'ACCOUNT:b',
      'OPERATOR:op-a',
      'PLATFORM:*',
    ]);
  });

  it('throws MoneyError on an amount that slipped past validation', () => {
    expect(() => foldBilling([ev({ amount: '1e3' })])).toThrow(MoneyError);
  });
});

describe('foldBilling with sign −1 (a displaced event taken back out)', () => {
  /** Buckets and seconds without the all-zero rows a retraction leaves behind. */
  const nonZero = (d: BillingDeltas) => ({
    buckets: d.buckets.filter(
      (b) => b.billed !== 0 || b.refunded !== 0 || b.costMicros !== 0n || b.segments !== 0,
    ),
    seconds: d.seconds.filter((s) => s.billed !== 0),
  });

  it('fold(a ++ [x]) + fold([y]) + fold([x], −1) = fold(a ++ [y]): displacement is exact', () => {
    fc.assert(
      fc.property(events, billedEventArb, billedEventArb, (a, x, y) => {
        const displaced = combineBilling(
          combineBilling(foldBilling([...a, x]), foldBilling([y])),
          foldBilling([x], -1),
        );
        expect(nonZero(displaced)).toEqual(nonZero(foldBilling([...a, y])));
      }),
    );
  });

  it('negates every measure and never moves dataAsOf', () => {
    fc.assert(
      fc.property(events, (es) => {
        const minus = foldBilling(es, -1);
        const plus = oracleBilling(es);
        const neg = (n: number) => 0 - n; // 0 − 0 is +0, as the fold gives (−0 ≠ 0 to toEqual)
        expect(minus.maxOccurredAtMs).toBeNull();
        expect(minus.buckets).toEqual(
          plus.buckets.map((b) => ({
            ...b,
            billed: neg(b.billed),
            refunded: neg(b.refunded),
            costMicros: -b.costMicros,
            segments: neg(b.segments),
          })),
        );
        expect(minus.seconds).toEqual(plus.seconds.map((s) => ({ ...s, billed: neg(s.billed) })));
      }),
    );
  });
});
