/**
 * Totals of one scope over a planned window: whole days from metrics_daily, the rest from
 * metrics_hourly. A day is read from its daily rows only while they are current — rolled,
 * and no hour of the day changed within `marginSeconds` of that roll (the rollup's own
 * margin) — otherwise from its hourly rows, so the answer is exact and fresh whichever path
 * served it.
 *
 * HOURLY BRANCHES read `hour_ranges r cross join lateral (… offset 0)`: the `offset 0` keeps
 * the subquery from being pulled up into a join, so hourly rows are read by one index range
 * per hour range, and not at all when every day of the window comes from the daily rows. As
 * a plain join the planner (which cannot know the list is empty) read all of a scope's hours
 * (2.2 ms of an account's 7.8 ms on the bench data set).
 */
import type { Sql } from '../client.js';

export interface WindowQuery {
  scope: 'PLATFORM' | 'OPERATOR' | 'ACCOUNT';
  scopeId: string;
  /** Whole UTC days, YYYY-MM-DD. */
  days: readonly string[];
  /** Remaining hour-aligned ranges [fromMs, toMs). */
  hourRanges: readonly { fromMs: number; toMs: number }[];
  marginSeconds: number;
}

export interface WindowTotals {
  /** Rows found: 0 means the scope has no data in the window at all. */
  rows: number;
  billedCount: string;
  refundedCount: string;
  totalMessages: string;
  totalCost: string;
  deliveredMessages: string;
  failedMessages: string;
  latencySumMs: string;
  latencyCount: string;
  latencySketch: Record<string, number>;
  peakTps: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The ranges of the window to read hourly: the planned hour ranges plus every requested day
 * whose daily rows are not current. Shared by the totals and active-accounts queries.
 *
 * The plan travels as scalars — first and last day (its days are consecutive), at most two
 * hour ranges (planWindow's contract) — not as arrays: a 90-element array parameter cost
 * ~0.5 ms per query between postgres.js and the server, a third of an account's usage read.
 */
export function rangesCte(sql: Sql, q: Omit<WindowQuery, 'scope' | 'scopeId'>) {
  const first = q.days[0] ?? null;
  const last = q.days.at(-1) ?? null;
  if (first !== null && last !== null) {
    // planWindow's days are consecutive; the SQL rebuilds them from the first and the count.
    const span = (Date.parse(last) - Date.parse(first)) / 86_400_000 + 1;
    if (span !== q.days.length) throw new RangeError('rangesCte: days must be consecutive');
  }
  if (q.hourRanges.length > 2) throw new RangeError('rangesCte: at most two hour ranges');
  const [r0, r1] = q.hourRanges;
  const at = (ms: number | undefined) => (ms === undefined ? null : iso(ms));
  return sql`
    req_days as (
      -- An integer series: the planner estimates its length from the bounds (a date series
      -- is estimated at 1 000 rows, which turned delivery-breakdown's hash aggregate into a
      -- sort of every operator-day: 12.8 → 22.6 ms).
      select ${first}::date + i as day from generate_series(0, ${q.days.length - 1}::int) as i
    ),
    current_days as (
      -- day_versions.updated_at is the last write to any of the day's hourly rows (the bucket
      -- upserts set it in the same transaction, with the same now()): one row a day, instead
      -- of probing the day's 24 PLATFORM hours (docs/benchmarks.md "Where the time goes" 4).
      select d.day from req_days d
      join anlyt.rollup_days r on r.day = d.day
      left join anlyt.day_versions v on v.day = d.day
      where coalesce(v.updated_at, '-infinity') <= r.rolled_at - make_interval(secs => ${q.marginSeconds})
    ),
    hour_ranges as (
      select f, t from (values (${at(r0?.fromMs)}::timestamptz, ${at(r0?.toMs)}::timestamptz),
                               (${at(r1?.fromMs)}::timestamptz, ${at(r1?.toMs)}::timestamptz)) as x(f, t)
      where f is not null
      union all
      select day::timestamp at time zone 'UTC', (day + 1)::timestamp at time zone 'UTC'
      from req_days where day not in (select day from current_days)
    )`;
}

export async function readWindowTotals(sql: Sql, q: WindowQuery): Promise<WindowTotals> {
  const [r] = await sql<
    (Omit<WindowTotals, 'latencySketch' | 'rows'> & {
      rows: number;
      latencySketch: Record<string, number> | null;
    })[]
  >`
    with ${rangesCte(sql, q)},
    picked as (
      select billed_count, refunded_count, total_cost, delivered_messages, failed_messages,
             latency_sum_ms, latency_count, latency_sketch, peak_tps
      from anlyt.metrics_daily
      where scope = ${q.scope} and scope_id = ${q.scopeId} and day in (select day from current_days)
      union all
      select m.billed_count, m.refunded_count, m.total_cost, m.delivered_messages, m.failed_messages,
             m.latency_sum_ms, m.latency_count, m.latency_sketch, m.peak_tps
      from hour_ranges r cross join lateral (
        select * from anlyt.metrics_hourly h
        where h.scope = ${q.scope} and h.scope_id = ${q.scopeId} and h.hour >= r.f and h.hour < r.t
        offset 0 -- see HOURLY BRANCHES above
      ) m
    )
    select count(*)::int as "rows",
           coalesce(sum(billed_count), 0)::text as "billedCount",
           coalesce(sum(refunded_count), 0)::text as "refundedCount",
           coalesce(sum(billed_count) - sum(refunded_count), 0)::text as "totalMessages",
           coalesce(sum(total_cost), 0)::numeric(38, 6)::text as "totalCost",
           coalesce(sum(delivered_messages), 0)::text as "deliveredMessages",
           coalesce(sum(failed_messages), 0)::text as "failedMessages",
           coalesce(sum(latency_sum_ms), 0)::text as "latencySumMs",
           coalesce(sum(latency_count), 0)::text as "latencyCount",
           anlyt.counts_sum(latency_sketch) as "latencySketch",
           coalesce(max(peak_tps), 0)::int as "peakTps"
    from picked`;
  return { ...r!, latencySketch: r!.latencySketch ?? {} };
}

/**
 * Distinct accounts with at least one BILLED event in the window (contract §3), exact: the
 * current whole days through anlyt.account_active_days (one overlap test per account), the
 * rest from hourly ACCOUNT rows, united as sets.
 */
export async function readActiveAccounts(
  sql: Sql,
  q: Omit<WindowQuery, 'scope' | 'scopeId'>,
): Promise<number> {
  const [r] = await sql<{ n: number }[]>`
    with ${rangesCte(sql, q)},
    current_span as (select range_agg(daterange(day, day + 1)) as days from current_days),
    active as (
      select a.account_id from anlyt.account_active_days a, current_span c
      where c.days is not null and a.days && c.days
      union
      select m.scope_id from hour_ranges r cross join lateral (
        select h.scope_id from anlyt.metrics_hourly h
        where h.scope = 'ACCOUNT' and h.hour >= r.f and h.hour < r.t and h.billed_count > 0
        offset 0 -- see HOURLY BRANCHES above
      ) m
    )
    select count(*)::int as n from active`;
  return r!.n;
}
