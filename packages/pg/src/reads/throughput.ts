/**
 * BILLED events as a time series (US-ANLYT-07). Sub-hour steps (60 s, 300 s) are summed from
 * the REAL per-second counters in anlyt.tps_seconds — sum and max of the seconds in each
 * interval, never interpolated; hourly points come from metrics_hourly (billed_count,
 * peak_tps). Both are written in the same consumer transaction, so the minutes of an hour
 * sum to its hourly billed_count. Only intervals with at least one BILLED event are returned.
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
  // One primary-key range probe per interval, ascending: no sort of the (up to 7 × 86 400)
  // second rows, which a GROUP BY over them needs (measured: ~2× faster on a full week at 5m).
  // The interval starts come from here so the planner knows their count.
  const count = (q.toMs - q.fromMs) / (q.stepSeconds * 1000);
  // The API caps windows per resolution (≤ 2 016 intervals); a caller bug must not loop away.
  if (!(count <= MAX_SUB_HOUR_INTERVALS)) {
    throw new RangeError(`readThroughput: ${count} intervals; at most ${MAX_SUB_HOUR_INTERVALS}`);
  }
  const starts: string[] = [];
  for (let t = q.fromMs; t < q.toMs; t += q.stepSeconds * 1000) starts.push(iso(t));
  return sql<ThroughputPoint[]>`
    select to_char(b at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:00.000"Z"') as at,
           s.n::text as "billedMessages", s.peak as "peakTps"
    from unnest(${starts}::timestamptz[]) with ordinality as i(b, ord)
    cross join lateral (
      select sum(t.billed_count) as n, max(t.billed_count) as peak
      from anlyt.tps_seconds t
      where t.scope = ${q.scope} and t.scope_id = ${q.scopeId}
        and t.second >= i.b and t.second < i.b + make_interval(secs => ${q.stepSeconds})
    ) s
    where s.n > 0
    order by i.ord`;
}
