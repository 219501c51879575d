/**
 * The daily reconciliation's SQL (US-ANLYT-09): anlyt's PLATFORM day totals, billing's
 * billing.daily_totals (contract §5, read-only, on billing's own connection), and the
 * append-only anlyt.reconciliation_log. Money and counts stay text (exact); days are
 * YYYY-MM-DD strings (UTC days).
 */
import type { Sql } from './client.js';

export interface AnalyticsDayRow {
  day: string;
  /** numeric(38,6) as text, billed − refunded. */
  total_cost: string;
  /** bigint as text, billed − refunded. */
  total_messages: string;
}

/**
 * anlyt's PLATFORM totals of these days, as they are now (days without data are absent).
 *
 * A day's metrics_daily row is used only while it is current, by the API's rule
 * (reads/window-totals.ts `current_days`): the day was rolled, and none of its hourly rows
 * changed later than `marginSeconds` before that roll (day_versions.updated_at, bumped with
 * every write to the day's hours). Otherwise — an event folded after the roll, a roll that
 * may have missed a transaction still open, a day never rolled — the day is summed from its
 * PLATFORM hourly rows, which always hold every folded event: a late event is then counted,
 * not reported as a false DIVERGED.
 */
export async function readPlatformDailyTotals(
  sql: Sql,
  days: readonly string[],
  marginSeconds: number,
): Promise<AnalyticsDayRow[]> {
  if (days.length === 0) return [];
  return sql<AnalyticsDayRow[]>`
    with req_days as (
      select distinct unnest(${days as string[]}::date[]) as day
    ),
    current_days as (
      select d.day from req_days d
      join anlyt.rollup_days r on r.day = d.day
      left join anlyt.day_versions v on v.day = d.day
      where coalesce(v.updated_at, '-infinity') <= r.rolled_at - make_interval(secs => ${marginSeconds})
    )
    select m.day::text as day, m.total_cost::text as total_cost,
           m.total_messages::text as total_messages
    from anlyt.metrics_daily m
    where m.scope = 'PLATFORM' and m.scope_id = '*' and m.day in (select day from current_days)
    union all
    select d.day::text, sum(h.total_cost)::numeric(38, 6)::text, sum(h.total_messages)::text
    from req_days d
    join anlyt.metrics_hourly h
      on h.scope = 'PLATFORM' and h.scope_id = '*'
     and h.hour >= d.day::timestamp at time zone 'UTC'
     and h.hour < (d.day + 1)::timestamp at time zone 'UTC'
    where d.day not in (select day from current_days)
    group by d.day
    order by day`;
}

export interface BillingDayRow {
  day: string;
  currency: string;
  /** numeric(20,6) as text. */
  total_cost: string;
  /** bigint as text. */
  message_count: string;
}

/**
 * billing.daily_totals for these days, over billing's connection. Runs in a READ ONLY
 * transaction: we have no business writing there, and this makes a slip impossible even if
 * the account we are given could.
 */
export async function readBillingDailyTotals(
  billingSql: Sql,
  days: readonly string[],
): Promise<BillingDayRow[]> {
  if (days.length === 0) return [];
  return billingSql.begin(
    'read only',
    (tx) =>
      tx<BillingDayRow[]>`
      select day::text as day, currency::text as currency, total_cost::text as total_cost,
             message_count::text as message_count
      from billing.daily_totals
      where day = any(${days as string[]}::date[])
      order by day`,
  ) as Promise<BillingDayRow[]>;
}

export interface ReconciliationLogRow {
  runId: string;
  day: string;
  analyticsTotalCost: string | null;
  billingTotalCost: string | null;
  analyticsMessages: string | null;
  billingMessages: string | null;
  costDivergence: string | null;
  messageDivergence: string | null;
  threshold: string;
  status: string;
}

/**
 * Appends one run's rows to anlyt.reconciliation_log in one statement (all or nothing).
 * Never updates: a re-run is a new run id with new rows, so the history shows every check.
 */
export async function appendReconciliationLog(
  sql: Sql,
  rows: readonly ReconciliationLogRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof ReconciliationLogRow>(k: K) => rows.map((r) => r[k]);
  await sql`
    insert into anlyt.reconciliation_log
      (run_id, day, analytics_total_cost, billing_total_cost, analytics_messages,
       billing_messages, cost_divergence, message_divergence, threshold, status)
    select * from unnest(
      ${col('runId') as string[]}::uuid[], ${col('day') as string[]}::date[],
      ${col('analyticsTotalCost') as string[]}::numeric[],
      ${col('billingTotalCost') as string[]}::numeric[],
      ${col('analyticsMessages') as string[]}::bigint[],
      ${col('billingMessages') as string[]}::bigint[],
      ${col('costDivergence') as string[]}::numeric[],
      ${col('messageDivergence') as string[]}::numeric[],
      ${col('threshold') as string[]}::numeric[], ${col('status') as string[]}::text[])`;
}

/**
 * LOCAL RUNS AND TESTS ONLY: creates billing's table exactly as contract §5 declares it.
 * In production the table is billing's; the reconciler only reads it.
 */
export async function createLocalBillingTable(billingSql: Sql): Promise<void> {
  await billingSql`create schema if not exists billing`;
  await billingSql`
    create table if not exists billing.daily_totals (
      day           date primary key,
      currency      char(3) not null,
      total_cost    numeric(20,6) not null,
      message_count bigint not null,
      updated_at    timestamptz not null
    )`;
}

export interface BillingDailyTotal {
  day: string;
  currency: string;
  /** Decimal string, at most 6 decimals. */
  totalCost: string;
  /** Integer as a decimal string (or a safe integer). */
  messageCount: string;
}

/**
 * LOCAL RUNS AND TESTS ONLY: writes billing's totals for some days (replacing what was
 * there), the way billing-service would. Used by the specs and by the traffic simulator.
 */
export async function upsertLocalBillingDailyTotals(
  billingSql: Sql,
  totals: readonly BillingDailyTotal[],
): Promise<void> {
  if (totals.length === 0) return;
  await billingSql`
    insert into billing.daily_totals (day, currency, total_cost, message_count, updated_at)
    select d, c, t, m, now() from unnest(
      ${totals.map((t) => t.day)}::date[], ${totals.map((t) => t.currency)}::text[],
      ${totals.map((t) => t.totalCost)}::numeric[], ${totals.map((t) => t.messageCount)}::bigint[]
    ) as x(d, c, t, m)
    on conflict (day) do update set
      currency = excluded.currency, total_cost = excluded.total_cost,
      message_count = excluded.message_count, updated_at = excluded.updated_at`;
}

/**
 * Adds amounts to billing.daily_totals (local runs only): the simulator adds what it billed
 * since its last write, so several simulator runs on the same day add up as billing would.
 */
export async function addToLocalBillingDailyTotals(
  billingSql: Sql,
  deltas: readonly BillingDailyTotal[],
): Promise<void> {
  if (deltas.length === 0) return;
  await billingSql`
    insert into billing.daily_totals (day, currency, total_cost, message_count, updated_at)
    select d, c, t, m, now() from unnest(
      ${deltas.map((t) => t.day)}::date[], ${deltas.map((t) => t.currency)}::text[],
      ${deltas.map((t) => t.totalCost)}::numeric[], ${deltas.map((t) => t.messageCount)}::bigint[]
    ) as x(d, c, t, m)
    on conflict (day) do update set
      total_cost = daily_totals.total_cost + excluded.total_cost,
      message_count = daily_totals.message_count + excluded.message_count,
      updated_at = excluded.updated_at`;
}
