/**
 * The daily rollup's SQL (US-ANLYT-03). A day is rolled by replacing all of its daily rows
 * with fresh sums of its hourly rows, in one transaction under a per-day advisory lock, so
 * running it twice or concurrently gives the same rows, and a crash leaves either the old
 * day or the new one.
 */
import type { Sql, TxSql } from './client.js';

// Namespace of the per-day advisory locks (pg_advisory_xact_lock(int, int) = (namespace, day)).
const ROLLUP_LOCK_NS = 0x726f6c6c;

export interface DayRollup {
  day: string;
  metricsRows: number;
  operatorRows: number;
}

/**
 * Days whose hourly data changed since they were last rolled, or were never rolled.
 * Every applied event updates its hour's PLATFORM row (updated_at = its transaction's start,
 * in the same transaction as the operator rows), so PLATFORM rows tell when a day changed.
 * `marginSeconds` covers transactions that started before a roll but committed after it:
 * as long as no consumer transaction stays open longer than the margin, no change is missed.
 */
export async function daysNeedingRollup(sql: Sql, marginSeconds: number): Promise<string[]> {
  const rows = await sql<{ day: string }[]>`
    with changed as (
      select (hour at time zone 'UTC')::date as day, max(updated_at) as changed_at
      from anlyt.metrics_hourly
      where scope = 'PLATFORM'
      group by 1
    )
    select c.day::text as day
    from changed c
    left join anlyt.rollup_days r on r.day = c.day
    where r.day is null or c.changed_at > r.rolled_at - make_interval(secs => ${marginSeconds})
    order by c.day`;
  return rows.map((r) => r.day);
}

/** Days in [from, to] (inclusive, YYYY-MM-DD) that have any hourly data, in order. */
export async function daysWithHourlyData(sql: Sql, from: string, to: string): Promise<string[]> {
  const rows = await sql<{ day: string }[]>`
    select distinct (hour at time zone 'UTC')::date::text as day
    from anlyt.metrics_hourly
    where scope = 'PLATFORM'
      and hour >= (${from}::date)::timestamp at time zone 'UTC'
      and hour < (${to}::date + 1)::timestamp at time zone 'UTC'
    order by 1`;
  return rows.map((r) => r.day);
}

/** Replaces one day's metrics_daily and operator_performance_daily rows. */
export async function rollUpDay(sql: Sql, day: string, runId: string): Promise<DayRollup> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${ROLLUP_LOCK_NS}, (${day}::date - date '2000-01-01'))`;
    const metricsRows = await replaceMetricsDay(tx, day);
    const operatorRows = await replaceOperatorDay(tx, day);
    await addAccountActiveDay(tx, day);
    await tx`
      insert into anlyt.rollup_days (day, rolled_at, run_id) values (${day}::date, now(), ${runId})
      on conflict (day) do update set rolled_at = excluded.rolled_at, run_id = excluded.run_id`;
    return { day, metricsRows, operatorRows };
  });
}

async function replaceMetricsDay(tx: TxSql, day: string): Promise<number> {
  await tx`delete from anlyt.metrics_daily where day = ${day}::date`;
  const r = await tx`
    insert into anlyt.metrics_daily
      (scope, scope_id, day, billed_count, refunded_count, total_cost, segments,
       status_delivered, status_failed, status_expired, status_rejected, status_undeliverable,
       status_unknown, latency_sum_ms, latency_count, latency_sketch, peak_tps, rolled_at)
    select scope, scope_id, ${day}::date, sum(billed_count), sum(refunded_count), sum(total_cost),
           sum(segments), sum(status_delivered), sum(status_failed), sum(status_expired),
           sum(status_rejected), sum(status_undeliverable), sum(status_unknown),
           sum(latency_sum_ms), sum(latency_count), anlyt.counts_sum(latency_sketch),
           max(peak_tps), now()
    from anlyt.metrics_hourly
    where hour >= (${day}::date)::timestamp at time zone 'UTC'
      and hour < (${day}::date + 1)::timestamp at time zone 'UTC'
    group by scope, scope_id`;
  return r.count;
}

async function replaceOperatorDay(tx: TxSql, day: string): Promise<number> {
  await tx`delete from anlyt.operator_performance_daily where day = ${day}::date`;
  const r = await tx`
    insert into anlyt.operator_performance_daily
      (operator_id, day, status_delivered, status_failed, status_expired, status_rejected,
       status_undeliverable, status_unknown, latency_sum_ms, latency_count, latency_sketch,
       error_codes, rolled_at)
    select operator_id, ${day}::date, sum(status_delivered), sum(status_failed),
           sum(status_expired), sum(status_rejected), sum(status_undeliverable),
           sum(status_unknown), sum(latency_sum_ms), sum(latency_count),
           anlyt.counts_sum(latency_sketch), anlyt.counts_sum(error_codes), now()
    from anlyt.operator_performance
    where hour >= (${day}::date)::timestamp at time zone 'UTC'
      and hour < (${day}::date + 1)::timestamp at time zone 'UTC'
    group by operator_id`;
  return r.count;
}

/**
 * Makes `day` one of the active days of exactly the accounts that billed on it (see
 * migration 0005): added where a BILLED event exists, taken away where none is left — a
 * displaced conflict can take an account's only BILLED event of a day back out. Accounts in
 * id order, so concurrent rolls of different days lock rows in the same order.
 */
async function addAccountActiveDay(tx: TxSql, day: string): Promise<void> {
  await tx`
    insert into anlyt.account_active_days (account_id, days)
    select scope_id, datemultirange(daterange(${day}::date, ${day}::date + 1))
    from anlyt.metrics_daily
    where day = ${day}::date and scope = 'ACCOUNT' and billed_count > 0
    order by scope_id
    on conflict (account_id) do update set days = account_active_days.days + excluded.days`;
  await tx`
    update anlyt.account_active_days a
    set days = a.days - datemultirange(daterange(${day}::date, ${day}::date + 1))
    where a.days @> ${day}::date
      and not exists (
        select 1 from anlyt.metrics_daily d
        where d.day = ${day}::date and d.scope = 'ACCOUNT' and d.scope_id = a.account_id
          and d.billed_count > 0)`;
}

/** Hourly rows a roll of `day` would read (for --dry-run). */
export async function countHourlyRows(sql: Sql, day: string): Promise<number> {
  const rows = await sql<{ n: number }[]>`
    select count(*)::int as n from anlyt.metrics_hourly
    where hour >= (${day}::date)::timestamp at time zone 'UTC'
      and hour < (${day}::date + 1)::timestamp at time zone 'UTC'`;
  return rows[0]!.n;
}

// --- run records ----------------------------------------------------------------------------

export async function startRollupRun(sql: Sql, runId: string, dryRun: boolean): Promise<void> {
  await sql`insert into anlyt.rollup_runs (run_id, outcome, dry_run) values (${runId}, 'RUNNING', ${dryRun})`;
}

export async function finishRollupRun(
  sql: Sql,
  runId: string,
  outcome: 'SUCCEEDED' | 'FAILED',
  days: readonly string[],
  error: string | null,
): Promise<void> {
  await sql`
    update anlyt.rollup_runs
    set finished_at = now(), outcome = ${outcome}, days_rolled = ${days as string[]}::date[], error = ${error}
    where run_id = ${runId}`;
}

/** Runs still RUNNING long after they started died without finishing (SIGKILL, node loss). */
export async function markAbandonedRuns(sql: Sql, olderThanSeconds: number): Promise<number> {
  const r = await sql`
    update anlyt.rollup_runs set outcome = 'ABANDONED', finished_at = now()
    where outcome = 'RUNNING' and started_at < now() - make_interval(secs => ${olderThanSeconds})`;
  return r.count;
}
