import type { DeliveryStatus } from './records.js';

export type OracleScope = 'PLATFORM' | 'OPERATOR' | 'ACCOUNT';

/** Totals of one (scope, scopeId, UTC hour). Key: `${scope}|${scopeId}|${hourMs}`, PLATFORM id '*'. */
export interface OracleBucket {
  scope: OracleScope;
  scopeId: string;
  hourMs: number;
  billed: number;
  refunded: number;
  /** billed − refunded */
  totalMessages: number;
  /** Σ BILLED amounts − Σ REFUNDED amounts, in micro-units. */
  totalCostMicros: bigint;
  /** Σ BILLED segments − Σ REFUNDED segments. */
  segments: number;
  dlr: Record<DeliveryStatus, number>;
  latencyCount: number;
  latencySumMs: number;
  /** Every DLR latency of the bucket, in arrival order (empty when latencies are not kept). */
  latencies: number[];
  /** Max BILLED events in one UTC second of the hour; 0 for ACCOUNT buckets (not tracked). */
  peakTps: number;
}

/** Totals over several buckets of one scope (see TrafficOracle.window). */
export type OracleWindow = Omit<OracleBucket, 'hourMs'> & { fromMs: number; toMs: number };

export const bucketKey = (scope: OracleScope, scopeId: string, hourMs: number): string =>
  `${scope}|${scopeId}|${hourMs}`;

export function emptyDlrCounts(): Record<DeliveryStatus, number> {
  return { DELIVERED: 0, FAILED: 0, EXPIRED: 0, REJECTED: 0, UNDELIVERABLE: 0, UNKNOWN: 0 };
}

export function emptyTotals(scope: OracleScope, scopeId: string): Omit<OracleBucket, 'hourMs'> {
  return {
    scope,
    scopeId,
    billed: 0,
    refunded: 0,
    totalMessages: 0,
    totalCostMicros: 0n,
    segments: 0,
    dlr: emptyDlrCounts(),
    latencyCount: 0,
    latencySumMs: 0,
    latencies: [],
    peakTps: 0,
  };
}

export function emptyBucket(scope: OracleScope, scopeId: string, hourMs: number): OracleBucket {
  return { ...emptyTotals(scope, scopeId), hourMs };
}

/** Adds `b` into `acc` (latency lists are concatenated, peaks maxed). */
export function mergeInto(acc: Omit<OracleBucket, 'hourMs'>, b: OracleBucket): void {
  acc.billed += b.billed;
  acc.refunded += b.refunded;
  acc.totalMessages += b.totalMessages;
  acc.totalCostMicros += b.totalCostMicros;
  acc.segments += b.segments;
  for (const s of Object.keys(acc.dlr) as DeliveryStatus[]) acc.dlr[s] += b.dlr[s];
  acc.latencyCount += b.latencyCount;
  acc.latencySumMs += b.latencySumMs;
  for (const l of b.latencies) acc.latencies.push(l);
  acc.peakTps = Math.max(acc.peakTps, b.peakTps);
}

/** Nearest-rank percentile (q in (0, 1]) of an ascending list; null when empty. */
export function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]!;
}
