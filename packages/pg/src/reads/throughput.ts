/**
 * BILLED events as a time series (US-ANLYT-07). Sub-hour steps (60 s, 300 s) come from the
 * REAL per-second counters, folded per minute as they are written (anlyt.tps_minutes: the
 * minute's BILLED events and its busiest second) — sums and maxima, never interpolated;
 * hourly points come from metrics_hourly (billed_count, peak_tps). All are written in the
 * same consumer transaction, so the minutes of an hour sum to its hourly billed_count. Only
 * intervals with at least one BILLED event are returned.
 */
import type { Sql } from '../client.js';

export interface ThroughputQuery {
  scope: 'PLATFORM' | 'OPERATOR';
  scopeId: string;
  /** Interval length: 60, 300 or 3600. Bounds must be aligned to it. */
  stepSeconds: 60 | 300 | 3600;
  fromMs: number;
  toMs: number;
}

export interface ThroughputPoint {
  /** Interval start, ISO UTC. */
  at: string;
  /** BILLED events in the interval (decimal string: a bigint sum). */
  billedMessages: string;
  /** The interval's busiest UTC second. */
  peakTps: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const MAX_SUB_HOUR_INTERVALS = 10_000;

export async function readThroughput(sql: Sql, q: ThroughputQuery): Promise<ThroughputPoint[]> {
  if (q.stepSeconds === 3600) {
    return sql<ThroughputPoint[]>`
      select to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24:00:00.000"Z"') as at,
             billed_count::text as "billedMessages", peak_tps as "peakTps"
      from anlyt.metrics_hourly
      where scope = ${q.scope} and scope_id = ${q.scopeId}
        and hour >= ${iso(q.fromMs)}::timestamptz and hour < ${iso(q.toMs)}::timestamptz
        and billed_count > 0
      order by hour`;
  }
  // A primary-key range of minutes, ascending: 1 440 rows a day (from tps_seconds it was
  // 1 440 probes of 60 seconds each, 54 ms a day on the bench data set).
  const count = (q.toMs - q.fromMs) / (q.stepSeconds * 1000);
  // The API caps windows per resolution (≤ 2 016 intervals); a caller bug must not run away.
  if (!(count <= MAX_SUB_HOUR_INTERVALS)) {
    throw new RangeError(`readThroughput: ${count} intervals; at most ${MAX_SUB_HOUR_INTERVALS}`);
  }
  return sql<ThroughputPoint[]>`
    select to_char(b at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:00.000"Z"') as at,
           sum(billed_count)::text as "billedMessages", max(peak_tps) as "peakTps"
    from (
      select date_bin(make_interval(secs => ${q.stepSeconds}), minute, ${iso(q.fromMs)}::timestamptz) as b,
             billed_count, peak_tps
      from anlyt.tps_minutes
      where scope = ${q.scope} and scope_id = ${q.scopeId}
        and minute >= ${iso(q.fromMs)}::timestamptz and minute < ${iso(q.toMs)}::timestamptz
    ) m
    group by b
    having sum(billed_count) > 0
    order by b`;
}
