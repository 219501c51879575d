/**
 * A scope's measures as a time series over a planned window, one point per UTC hour or day
 * (only buckets with data). Daily points come from metrics_daily while a day's rows are
 * current, else from its hours (see window-totals.ts); hourly points always from hours.
 */
import type { Sql } from '../client.js';
import { rangesCte, type WindowQuery, type WindowTotals } from './window-totals.js';

/** The summed state of one bucket: a window total's measures, at a bucket start (ISO UTC). */
export type SeriesPoint = { at: string } & Omit<
  WindowTotals,
  'rows' | 'billedCount' | 'refundedCount'
>;

export async function readSeries(
  sql: Sql,
  q: WindowQuery & {
    granularity: 'hour' | 'day';
    fromMs: number;
    toMs: number;
    /** false: skip merging the latency sketches (latencySketch comes back empty). */
    latency?: boolean;
  },
): Promise<SeriesPoint[]> {
  if (q.granularity === 'hour') {
    return sql<SeriesPoint[]>`
      select to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24:00:00.000"Z"') as at,
             (billed_count - refunded_count)::text as "totalMessages", total_cost::text as "totalCost",
             delivered_messages::text as "deliveredMessages", failed_messages::text as "failedMessages",
             latency_sum_ms::text as "latencySumMs", latency_count::text as "latencyCount",
             latency_sketch as "latencySketch", peak_tps as "peakTps"
      from anlyt.metrics_hourly
      where scope = ${q.scope} and scope_id = ${q.scopeId}
        and hour >= ${new Date(q.fromMs).toISOString()}::timestamptz
        and hour < ${new Date(q.toMs).toISOString()}::timestamptz
      order by hour`;
  }
  return sql<SeriesPoint[]>`
    with ${rangesCte(sql, q)},
    picked as (
      select day, billed_count, refunded_count, total_cost, delivered_messages, failed_messages,
             latency_sum_ms, latency_count, latency_sketch, peak_tps
      from anlyt.metrics_daily
      where scope = ${q.scope} and scope_id = ${q.scopeId} and day in (select day from current_days)
      union all
      select (m.hour at time zone 'UTC')::date, m.billed_count, m.refunded_count, m.total_cost,
             m.delivered_messages, m.failed_messages, m.latency_sum_ms, m.latency_count,
             m.latency_sketch, m.peak_tps
      from hour_ranges r cross join lateral (
        select * from anlyt.metrics_hourly h
        where h.scope = ${q.scope} and h.scope_id = ${q.scopeId} and h.hour >= r.f and h.hour < r.t
        offset 0 -- see HOURLY BRANCHES in window-totals.ts
      ) m
    )
    select to_char(day, 'YYYY-MM-DD"T"00:00:00.000"Z"') as at,
           (sum(billed_count) - sum(refunded_count))::text as "totalMessages",
           sum(total_cost)::numeric(38, 6)::text as "totalCost",
           sum(delivered_messages)::text as "deliveredMessages",
           sum(failed_messages)::text as "failedMessages",
           sum(latency_sum_ms)::text as "latencySumMs", sum(latency_count)::text as "latencyCount",
           ${q.latency === false ? sql`'{}'::jsonb` : sql`anlyt.counts_sum(latency_sketch)`} as "latencySketch",
           max(peak_tps)::int as "peakTps"
    from picked group by day order by day`;
}
