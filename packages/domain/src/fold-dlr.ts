// Folds a batch of DLR events into per-bucket deltas for one transaction. Pure and
// order-independent: counts and sums add, sketches merge exactly, so any permutation or any
// split of the batch gives the same state. No dedupe by eventId: the ledger does that in the
// same transaction and the caller passes only new events.

import { hourStartMs, PLATFORM_ID, type Scope } from './buckets.js';
import type { DeliveryStatus, DlrEvent, Sign } from './inputs.js';
import { byScopeIdHour, cmpStr } from './order.js';
import { sketchAddKey, sketchKey, type Sketch } from './sketch.js';
import { emptyStatusCounts, type StatusCounts } from './status.js';

export interface DlrBucketDelta {
  scope: Scope;
  scopeId: string;
  hourMs: number;
  byStatus: StatusCounts;
  /** Sum of latencyMs over every DLR (any status): avgLatencyMs = sum / count. */
  latencySumMs: number;
  latencyCount: number;
  /**
   * Latency sketch: PLATFORM and OPERATOR buckets only. ACCOUNT buckets keep it empty: no
   * account view reports percentiles, and merging a sketch into every account row was the
   * single largest cost of the DLR upsert (docs/decisions.md).
   */
  sketch: Sketch;
}

export interface OperatorPerfDelta {
  operatorId: string;
  hourMs: number;
  byStatus: StatusCounts;
  latencySumMs: number;
  latencyCount: number;
  sketch: Sketch;
  /** Non-null errorCode → count, keys in code-unit order. */
  errorCodes: Record<string, number>;
}

export interface DlrDeltas {
  /** Sorted by (scope, scopeId, hourMs): the lock order (see order.ts). */
  buckets: DlrBucketDelta[];
  /** Sorted by (operatorId, hourMs). */
  operators: OperatorPerfDelta[];
  /** Largest occurredAtMs in the batch (feeds dataAsOf); null for an empty batch. */
  maxOccurredAtMs: number | null;
}

// The OPERATOR bucket and the operator-performance row cover the same events, so they
// share one accumulator; only the error codes are extra.
interface OperatorAcc {
  bucket: DlrBucketDelta;
  errorCodes: Map<string, number>;
}

function newBucket(scope: Scope, scopeId: string, hourMs: number): DlrBucketDelta {
  return {
    scope,
    scopeId,
    hourMs,
    byStatus: emptyStatusCounts(),
    latencySumMs: 0,
    latencyCount: 0,
    sketch: new Map(),
  };
}

function bucketIn<K>(
  map: Map<K, DlrBucketDelta>,
  key: K,
  scope: Scope,
  id: string,
  hourMs: number,
): DlrBucketDelta {
  let b = map.get(key);
  if (b === undefined) {
    b = newBucket(scope, id, hourMs);
    map.set(key, b);
  }
  return b;
}

/** Counts one DLR into `b`; `bin` is its sketch key, or null for a bucket kept without one. */
function apply(
  b: DlrBucketDelta,
  status: DeliveryStatus,
  latencyMs: number,
  bin: number | null,
  sign: Sign,
): void {
  b.byStatus[status] += sign;
  b.latencySumMs += sign * latencyMs;
  b.latencyCount += sign;
  if (bin !== null) sketchAddKey(b.sketch, bin, sign);
}

/**
 * Folds `events` (any order, already deduplicated by the ledger) into bucket deltas.
 * `sign` −1 folds a retraction (an applied event displaced by the conflict rule): counts,
 * sums, sketch bins and error codes are subtracted (bins and codes may be negative in the
 * delta), and maxOccurredAtMs stays null because taking an event out never moves dataAsOf.
 */
export function foldDlr(events: readonly DlrEvent[], sign: Sign = 1): DlrDeltas {
  // One map per scope, one lookup per scope per event (see fold-billing.ts for the keys).
  const platform = new Map<number, DlrBucketDelta>();
  const operator = new Map<string, OperatorAcc>();
  const account = new Map<string, DlrBucketDelta>();
  let maxOccurredAtMs: number | null = null;

  for (const e of events) {
    const at = e.occurredAtMs;
    const hourMs = hourStartMs(at);
    const status = e.deliveryStatus;
    const latency = e.latencyMs;
    const bin = sketchKey(latency); // the one logarithm per event
    apply(bucketIn(platform, hourMs, 'PLATFORM', PLATFORM_ID, hourMs), status, latency, bin, sign);
    const opKey = `${e.operatorId}|${hourMs}`;
    let op = operator.get(opKey);
    if (op === undefined) {
      op = { bucket: newBucket('OPERATOR', e.operatorId, hourMs), errorCodes: new Map() };
      operator.set(opKey, op);
    }
    apply(op.bucket, status, latency, bin, sign);
    if (e.errorCode !== null) {
      op.errorCodes.set(e.errorCode, (op.errorCodes.get(e.errorCode) ?? 0) + sign);
    }
    const accKey = `${e.accountId}|${hourMs}`;
    apply(bucketIn(account, accKey, 'ACCOUNT', e.accountId, hourMs), status, latency, null, sign);
    if (sign === 1 && (maxOccurredAtMs === null || at > maxOccurredAtMs)) maxOccurredAtMs = at;
  }

  const opAccs = [...operator.values()];
  const buckets = [...platform.values(), ...opAccs.map((o) => o.bucket), ...account.values()];
  return {
    buckets: buckets.sort(byScopeIdHour),
    operators: opAccs.map(toOperatorPerf).sort(byOperatorHour),
    maxOccurredAtMs,
  };
}

// Copies, not shares, the bucket's mutable parts: the two arrays are applied to different
// tables and a caller adjusting one must not silently change the other.
function toOperatorPerf({ bucket: b, errorCodes }: OperatorAcc): OperatorPerfDelta {
  // Object.fromEntries defines own properties, so a code like "__proto__" stays a plain key.
  const codes = [...errorCodes].sort((x, y) => cmpStr(x[0], y[0]));
  return {
    operatorId: b.scopeId,
    hourMs: b.hourMs,
    byStatus: { ...b.byStatus },
    latencySumMs: b.latencySumMs,
    latencyCount: b.latencyCount,
    sketch: new Map(b.sketch),
    errorCodes: Object.fromEntries(codes),
  };
}

function byOperatorHour(a: OperatorPerfDelta, b: OperatorPerfDelta): number {
  return cmpStr(a.operatorId, b.operatorId) || a.hourMs - b.hourMs;
}
