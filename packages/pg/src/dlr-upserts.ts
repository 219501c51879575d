import type { DlrDeltas, StatusCounts } from '@anlyt/domain';
import { sketchToJson } from '@anlyt/domain';
import type { TxSql } from './client.js';
import { bumpDayVersions } from './day-versions.js';

const iso = (ms: number) => new Date(ms).toISOString();
const col = (rows: readonly { byStatus: StatusCounts }[], s: keyof StatusCounts) =>
  rows.map((r) => r.byStatus[s]);

/** Adds a batch's DLR deltas to anlyt.metrics_hourly (all three scopes), one statement. */
export async function upsertDlrBuckets(tx: TxSql, deltas: DlrDeltas): Promise<void> {
  const b = deltas.buckets;
  if (b.length === 0) return;
  await tx`
    insert into anlyt.metrics_hourly
      (scope, scope_id, hour, status_delivered, status_failed, status_expired, status_rejected,
       status_undeliverable, status_unknown, latency_sum_ms, latency_count, latency_sketch)
    select * from unnest(
      ${b.map((d) => d.scope)}::text[], ${b.map((d) => d.scopeId)}::text[],
      ${b.map((d) => iso(d.hourMs))}::timestamptz[],
      ${col(b, 'DELIVERED')}::bigint[], ${col(b, 'FAILED')}::bigint[], ${col(b, 'EXPIRED')}::bigint[],
      ${col(b, 'REJECTED')}::bigint[], ${col(b, 'UNDELIVERABLE')}::bigint[], ${col(b, 'UNKNOWN')}::bigint[],
      ${b.map((d) => d.latencySumMs)}::bigint[], ${b.map((d) => d.latencyCount)}::bigint[],
      ${b.map((d) => JSON.stringify(sketchToJson(d.sketch)))}::text[]::jsonb[])
    on conflict (scope, scope_id, hour) do update set
      status_delivered     = metrics_hourly.status_delivered + excluded.status_delivered,
      status_failed        = metrics_hourly.status_failed + excluded.status_failed,
      status_expired       = metrics_hourly.status_expired + excluded.status_expired,
      status_rejected      = metrics_hourly.status_rejected + excluded.status_rejected,
      status_undeliverable = metrics_hourly.status_undeliverable + excluded.status_undeliverable,
      status_unknown       = metrics_hourly.status_unknown + excluded.status_unknown,
      latency_sum_ms       = metrics_hourly.latency_sum_ms + excluded.latency_sum_ms,
      latency_count        = metrics_hourly.latency_count + excluded.latency_count,
      latency_sketch       = anlyt.counts_merge(metrics_hourly.latency_sketch, excluded.latency_sketch),
      updated_at           = now()
  `;
  await bumpDayVersions(
    tx,
    b
      .filter((d) => d.scope === 'PLATFORM')
      .map((d) => ({
        hourMs: d.hourMs,
        folds: Object.values(d.byStatus).reduce((x, y) => x + y, 0),
      })),
  );
}

/** Adds a batch's per-operator DLR deltas (with error codes) to anlyt.operator_performance. */
export async function upsertOperatorPerformance(tx: TxSql, deltas: DlrDeltas): Promise<void> {
  const o = deltas.operators;
  if (o.length === 0) return;
  await tx`
    insert into anlyt.operator_performance
      (operator_id, hour, status_delivered, status_failed, status_expired, status_rejected,
       status_undeliverable, status_unknown, latency_sum_ms, latency_count, latency_sketch, error_codes)
    select * from unnest(
      ${o.map((d) => d.operatorId)}::text[], ${o.map((d) => iso(d.hourMs))}::timestamptz[],
      ${col(o, 'DELIVERED')}::bigint[], ${col(o, 'FAILED')}::bigint[], ${col(o, 'EXPIRED')}::bigint[],
      ${col(o, 'REJECTED')}::bigint[], ${col(o, 'UNDELIVERABLE')}::bigint[], ${col(o, 'UNKNOWN')}::bigint[],
      ${o.map((d) => d.latencySumMs)}::bigint[], ${o.map((d) => d.latencyCount)}::bigint[],
      ${o.map((d) => JSON.stringify(sketchToJson(d.sketch)))}::text[]::jsonb[],
      ${o.map((d) => JSON.stringify(d.errorCodes))}::text[]::jsonb[])
    on conflict (operator_id, hour) do update set
      status_delivered     = operator_performance.status_delivered + excluded.status_delivered,
      status_failed        = operator_performance.status_failed + excluded.status_failed,
      status_expired       = operator_performance.status_expired + excluded.status_expired,
      status_rejected      = operator_performance.status_rejected + excluded.status_rejected,
      status_undeliverable = operator_performance.status_undeliverable + excluded.status_undeliverable,
      status_unknown       = operator_performance.status_unknown + excluded.status_unknown,
      latency_sum_ms       = operator_performance.latency_sum_ms + excluded.latency_sum_ms,
      latency_count        = operator_performance.latency_count + excluded.latency_count,
      latency_sketch       = anlyt.counts_merge(operator_performance.latency_sketch, excluded.latency_sketch),
      error_codes          = anlyt.counts_merge(operator_performance.error_codes, excluded.error_codes),
      updated_at           = now()
  `;
}
