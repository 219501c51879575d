// Naive oracles for foldDlr: each bucket recomputed by filtering the whole event list.
import {
  DELIVERY_STATUSES,
  type DlrBucketDelta,
  type DlrDeltas,
  sketchMerge,
  type StatusCounts,
} from '../src/index.js';
import type { DlrEvent } from '../src/inputs.js';
import { codeUnitCompare as cmp, distinct, oracleHour, oracleSketch, scopesOf } from './oracle.js';

/** ACCOUNT buckets carry no latency sketch (contract: no account percentile); others do. */
function stats(mine: DlrEvent[], withSketch: boolean): Stats {
  const byStatus = Object.fromEntries(
    DELIVERY_STATUSES.map((s) => [s, mine.filter((e) => e.deliveryStatus === s).length]),
  ) as StatusCounts;
  const latencies = mine.map((e) => e.latencyMs);
  return {
    byStatus,
    latencySumMs: latencies.reduce((a, x) => a + x, 0),
    latencyCount: latencies.length,
    sketch: withSketch ? oracleSketch(latencies) : new Map(),
  };
}

/** Every bucket recomputed by filtering all events for its key; statuses by counting. */
export function oracleDlr(es: readonly DlrEvent[]): DlrDeltas {
  const rows = es.flatMap((e) => scopesOf(e).map(([scope, scopeId]) => ({ scope, scopeId, e })));
  const keys = distinct(rows, (r) => [r.scope, r.scopeId, oracleHour(r.e.occurredAtMs)] as const);
  const pick = (scope: string, scopeId: string, hourMs: number) =>
    rows
      .filter((r) => r.scope === scope && r.scopeId === scopeId)
      .filter((r) => oracleHour(r.e.occurredAtMs) === hourMs)
      .map((r) => r.e);
  const buckets = keys
    .map(([scope, scopeId, hourMs]) => ({
      scope,
      scopeId,
      hourMs,
      ...stats(pick(scope, scopeId, hourMs), scope !== 'ACCOUNT'),
    }))
    .sort((a, b) => cmp(a.scope, b.scope) || cmp(a.scopeId, b.scopeId) || a.hourMs - b.hourMs);
  const operators = buckets
    .filter((b) => b.scope === 'OPERATOR')
    .map((b) => {
      const codes = pick(b.scope, b.scopeId, b.hourMs).flatMap((e) =>
        e.errorCode === null ? [] : [e.errorCode],
      );
      const errorCodes = distinct(codes, (c) => c)
        .sort(cmp)
        .map((c) => [c, codes.filter((x) => x === c).length] as const);
      return asOperatorRow(b, Object.fromEntries(errorCodes));
    });
  const times = es.map((e) => e.occurredAtMs);
  return { buckets, operators, maxOccurredAtMs: times.length === 0 ? null : Math.max(...times) };
}

export type Stats = Pick<DlrBucketDelta, 'byStatus' | 'latencySumMs' | 'latencyCount' | 'sketch'>;

/** Field-by-field sum of rows that share a key. */
export function sumStats(rows: readonly Stats[]): Stats {
  const byStatus = Object.fromEntries(
    DELIVERY_STATUSES.map((s) => [s, rows.reduce((n, d) => n + d.byStatus[s], 0)]),
  ) as StatusCounts;
  return {
    byStatus,
    latencySumMs: rows.reduce((n, d) => n + d.latencySumMs, 0),
    latencyCount: rows.reduce((n, d) => n + d.latencyCount, 0),
    sketch: rows.map((d) => d.sketch).reduce((x, y) => sketchMerge(x, y)),
  };
}

/** fold(a) + fold(b), computed naively: group the concatenated rows by key and sum. */
export function combineDlr(a: DlrDeltas, b: DlrDeltas): DlrDeltas {
  const all = [...a.buckets, ...b.buckets];
  const buckets = distinct(all, (d) => [d.scope, d.scopeId, d.hourMs] as const).map(
    ([scope, scopeId, hourMs]) => ({
      ...{ scope, scopeId, hourMs },
      ...sumStats(
        all.filter((d) => d.scope === scope && d.scopeId === scopeId && d.hourMs === hourMs),
      ),
    }),
  );
  const ops = [...a.operators, ...b.operators];
  const operators = distinct(ops, (o) => [o.operatorId, o.hourMs] as const).map(([id, hourMs]) => {
    const mine = ops.filter((o) => o.operatorId === id && o.hourMs === hourMs);
    const codes = new Map<string, number>();
    for (const o of mine) {
      for (const [c, n] of Object.entries(o.errorCodes)) codes.set(c, (codes.get(c) ?? 0) + n);
    }
    const errorCodes = Object.fromEntries([...codes].sort((x, y) => cmp(x[0], y[0])));
    return { operatorId: id, hourMs, ...sumStats(mine), errorCodes };
  });
  const maxes = [a.maxOccurredAtMs, b.maxOccurredAtMs].filter((x): x is number => x !== null);
  return {
    buckets: buckets.sort(
      (x, y) => cmp(x.scope, y.scope) || cmp(x.scopeId, y.scopeId) || x.hourMs - y.hourMs,
    ),
    operators: operators.sort((x, y) => cmp(x.operatorId, y.operatorId) || x.hourMs - y.hourMs),
    maxOccurredAtMs: maxes.length === 0 ? null : Math.max(...maxes),
  };
}

/** What the operator-performance row for an OPERATOR bucket must look like. */
export function asOperatorRow(b: DlrBucketDelta, errorCodes: Record<string, number>) {
  return {
    operatorId: b.scopeId,
    hourMs: b.hourMs,
    byStatus: b.byStatus,
    latencySumMs: b.latencySumMs,
    latencyCount: b.latencyCount,
    sketch: b.sketch,
    errorCodes,
  };
}
