// Folds a batch of billing events into per-bucket deltas for one transaction. Pure and
// order-independent: every field is a sum (or a max), so any permutation or any split of
// the batch gives the same totals. It does not dedupe by eventId: the ledger in the same
// transaction does, and the caller passes only events the ledger accepted as new.

import { hourStartMs, PLATFORM_ID, secondStartMs, type Scope } from './buckets.js';
import type { BilledEvent, Sign } from './inputs.js';
import { parseMicros } from './money.js';
import { byScopeIdHour, byScopeIdSecond } from './order.js';

export interface BillingBucketDelta {
  scope: Scope;
  scopeId: string;
  hourMs: number;
  billed: number;
  refunded: number;
  /** Billed amounts − refunded amounts, in micros. */
  costMicros: bigint;
  /** Billed segments − refunded segments. */
  segments: number;
}

/** Contract §3: peakTps counts BILLED events per UTC second, so refunds never appear here. */
export interface TpsSecondDelta {
  scope: 'PLATFORM' | 'OPERATOR';
  scopeId: string;
  secondMs: number;
  billed: number;
}

export interface BillingDeltas {
  /** Sorted by (scope, scopeId, hourMs): the lock order (see order.ts). */
  buckets: BillingBucketDelta[];
  /** Sorted by (scope, scopeId, secondMs). */
  seconds: TpsSecondDelta[];
  /** Largest occurredAtMs in the batch (feeds dataAsOf); null for an empty batch. */
  maxOccurredAtMs: number | null;
}

function bucketIn<K>(
  map: Map<K, BillingBucketDelta>,
  key: K,
  scope: Scope,
  scopeId: string,
  hourMs: number,
): BillingBucketDelta {
  let b = map.get(key);
  if (b === undefined) {
    b = { scope, scopeId, hourMs, billed: 0, refunded: 0, costMicros: 0n, segments: 0 };
    map.set(key, b);
  }
  return b;
}

function secondIn<K>(
  map: Map<K, TpsSecondDelta>,
  key: K,
  scope: 'PLATFORM' | 'OPERATOR',
  scopeId: string,
  secondMs: number,
): TpsSecondDelta {
  let s = map.get(key);
  if (s === undefined) {
    s = { scope, scopeId, secondMs, billed: 0 };
    map.set(key, s);
  }
  return s;
}

/** `micros` and `segments` come already signed; `sign` is the event count (+1 or −1). */
function apply(
  b: BillingBucketDelta,
  billed: boolean,
  micros: bigint,
  segments: number,
  sign: Sign,
): void {
  if (billed) {
    b.billed += sign;
    b.costMicros += micros;
    b.segments += segments;
  } else {
    b.refunded += sign;
    b.costMicros -= micros;
    b.segments -= segments;
  }
}

/**
 * Folds `events` (any order, already deduplicated by the ledger) into bucket deltas.
 * `sign` −1 folds a retraction (an applied event displaced by the conflict rule): every
 * measure is subtracted, and maxOccurredAtMs stays null because taking an event out never
 * moves dataAsOf.
 */
export function foldBilling(events: readonly BilledEvent[], sign: Sign = 1): BillingDeltas {
  // One map per scope: PLATFORM is keyed by the number itself, the others by one
  // "<id>|<ms>" string built once per event; the trailing number makes the key injective
  // whatever the id contains. So: one Map lookup per scope per event.
  const platform = new Map<number, BillingBucketDelta>();
  const operator = new Map<string, BillingBucketDelta>();
  const account = new Map<string, BillingBucketDelta>();
  const platformSec = new Map<number, TpsSecondDelta>();
  const operatorSec = new Map<string, TpsSecondDelta>();
  let maxOccurredAtMs: number | null = null;

  for (const e of events) {
    const at = e.occurredAtMs;
    const hourMs = hourStartMs(at);
    const billed = e.status === 'BILLED';
    const micros = sign === 1 ? parseMicros(e.amount) : -parseMicros(e.amount);
    const segs = sign * e.segments;
    apply(bucketIn(platform, hourMs, 'PLATFORM', PLATFORM_ID, hourMs), billed, micros, segs, sign);
    const opKey = `${e.operatorId}|${hourMs}`;
    apply(bucketIn(operator, opKey, 'OPERATOR', e.operatorId, hourMs), billed, micros, segs, sign);
    const accKey = `${e.accountId}|${hourMs}`;
    apply(bucketIn(account, accKey, 'ACCOUNT', e.accountId, hourMs), billed, micros, segs, sign);
    if (billed) {
      const secondMs = secondStartMs(at);
      secondIn(platformSec, secondMs, 'PLATFORM', PLATFORM_ID, secondMs).billed += sign;
      const opSecKey = `${e.operatorId}|${secondMs}`;
      secondIn(operatorSec, opSecKey, 'OPERATOR', e.operatorId, secondMs).billed += sign;
    }
    if (sign === 1 && (maxOccurredAtMs === null || at > maxOccurredAtMs)) maxOccurredAtMs = at;
  }

  const buckets = [...platform.values(), ...operator.values(), ...account.values()];
  const seconds = [...platformSec.values(), ...operatorSec.values()];
  return {
    buckets: buckets.sort(byScopeIdHour),
    seconds: seconds.sort(byScopeIdSecond),
    maxOccurredAtMs,
  };
}
