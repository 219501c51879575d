// Shared fast-check arbitraries. Ids include names that break naive object-as-map code
// ("__proto__", "constructor", "toString" all match the contract's ^[A-Za-z0-9_-]{1,64}$).
import fc from 'fast-check';
import { DELIVERY_STATUSES } from '../src/index.js';
import type { BilledEvent, DlrEvent } from '../src/inputs.js';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** 2026-11-28T10:00:00.000Z */
export const BASE = Date.UTC(2026, 10, 28, 10, 0, 0, 0);

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

/** Any contract-valid amount: 0 or up to 14 integer digits, optionally 1–6 decimals. */
export const amountArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom('0', '1', '99999999999999'),
      fc.tuple(fc.constantFrom(...'123456789'), digits(0, 13)).map(([a, b]) => a + b),
    ),
    fc.option(digits(1, 6), { nil: undefined }),
  )
  .map(([i, f]) => (f === undefined ? i : `${i}.${f}`));

/** Contract latencies: integers 0..7 days, biased to zeros, small values and the maximum. */
export const latencyArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, 2, 604_800_000),
  fc.integer({ min: 0, max: 2_000 }),
  fc.integer({ min: 0, max: 604_800_000 }),
);

/** Event times: a few busy seconds, hour edges, a few hours around BASE, days late. */
export const occurredAtArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: BASE, max: BASE + 3_000 }),
  fc.constantFrom(BASE - 1, BASE, BASE + HOUR - 1, BASE + HOUR, BASE - DAY, BASE - 3 * DAY - 1),
  fc.integer({ min: BASE - 3 * HOUR, max: BASE + 3 * HOUR }),
  fc.integer({ min: BASE - 7 * DAY, max: BASE }),
);

const accountArb = fc.constantFrom('acc-1', 'acc-2', 'A_3', '__proto__', 'constructor');
const operatorArb = fc.constantFrom('op-a', 'op-b', 'toString');

export const billedEventArb: fc.Arbitrary<BilledEvent> = fc.record({
  eventId: fc.uuid(),
  occurredAtMs: occurredAtArb,
  accountId: accountArb,
  operatorId: operatorArb,
  status: fc.constantFrom('BILLED', 'REFUNDED'),
  segments: fc.integer({ min: 1, max: 10 }),
  amount: amountArb,
});

export const dlrEventArb: fc.Arbitrary<DlrEvent> = fc.record({
  eventId: fc.uuid(),
  occurredAtMs: occurredAtArb,
  accountId: accountArb,
  operatorId: operatorArb,
  deliveryStatus: fc.constantFrom(...DELIVERY_STATUSES),
  errorCode: fc.option(fc.constantFrom('E001', 'E002', '__proto__', 'hasOwnProperty'), {
    nil: null,
  }),
  latencyMs: latencyArb,
});

/** A list together with a random permutation of it. */
export function withPermutation<T>(arb: fc.Arbitrary<T[]>): fc.Arbitrary<[T[], T[]]> {
  return arb.chain((xs) =>
    fc
      .shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length })
      .map((p): [T[], T[]] => [xs, p]),
  );
}

/** Quantiles the guarantee must hold for: the named ones plus any double in [0, 1]. */
export const quantileArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 0.5, 0.95, 0.99, 1),
  fc.double({ min: 0, max: 1, noNaN: true }),
);
