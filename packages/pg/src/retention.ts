/**
 * Partitions and retention of the growing tables (migration 0014; docs/retention.md). The
 * partitioned tables and how they are cut live in anlyt.partitioned_tables; the SQL functions
 * that make and drop partitions live in the migration, so that any writer (the consumer, the
 * rollup CronJob, an SRE with psql) makes them the same way.
 */
import type { Sql } from './client.js';

export interface PartitionedTable {
  name: string;
  granularity: 'day' | 'month';
}

/** The partitioned tables and how they are cut (anlyt.partitioned_tables). */
export async function listPartitionedTables(sql: Sql): Promise<PartitionedTable[]> {
  return sql<PartitionedTable[]>`
    select table_name as name, granularity from anlyt.partitioned_tables order by table_name`;
}

/**
 * Makes the missing partitions of `table` from the one holding `fromIso` to the table's
 * `ahead` units after the one holding `toIso`; returns how many it made.
 */
export async function ensurePartitions(
  sql: Sql,
  table: string,
  fromIso: string,
  toIso: string,
): Promise<number> {
  const [r] = await sql<{ made: number }[]>`
    select anlyt.ensure_partitions(${table}, ${fromIso}::timestamptz, ${toIso}::timestamptz) as made`;
  return r!.made;
}

/**
 * Records that `table` keeps nothing before `cutoffIso`, then drops its partitions that lie
 * wholly before it, in one transaction; returns the dropped partitions' names.
 */
export async function dropPartitionsBefore(
  sql: Sql,
  table: string,
  cutoffIso: string,
): Promise<string[]> {
  return sql.begin(async (tx) => {
    await tx`
      insert into anlyt.retention_floors (table_name, keep_from)
      values (${table}, ${cutoffIso}::timestamptz)
      on conflict (table_name) do update set keep_from = greatest(retention_floors.keep_from, excluded.keep_from)`;
    const rows = await tx<{ name: string }[]>`
      select anlyt.drop_partitions_before(${table}, ${cutoffIso}::timestamptz) as name`;
    return rows.map((r) => r.name);
  });
}

/** The partitions of `table` with their bounds, oldest first (for tests and the runbook). */
export async function listPartitions(
  sql: Sql,
  table: string,
): Promise<{ name: string; bound: string }[]> {
  return sql<{ name: string; bound: string }[]>`
    select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = format('anlyt.%I', ${table}::text)::regclass
    order by c.relname`;
}

/**
 * Rows of the small bookkeeping tables older than their retention, deleted (a handful of rows
 * a day each: no partitions needed). day_versions rows go with their hourly rows, so an answer
 * cache sees those days change; rollup_days and the accounts' active days go with the daily
 * rows. Returns how many rows each lost.
 */
export async function deleteExpiredBookkeeping(
  sql: Sql,
  c: {
    hourlyBeforeDay: string;
    dailyBeforeDay: string;
    runsBefore: string;
    reconciliationBeforeDay: string;
  },
): Promise<Record<string, number>> {
  return sql.begin(async (tx) => {
    const dayVersions =
      await tx`delete from anlyt.day_versions where day < ${c.hourlyBeforeDay}::date`;
    const rollupDays =
      await tx`delete from anlyt.rollup_days where day < ${c.dailyBeforeDay}::date`;
    const activeDays = await tx`
      update anlyt.account_active_days
      set days = days - datemultirange(daterange(null, ${c.dailyBeforeDay}::date))
      where lower(days) < ${c.dailyBeforeDay}::date`;
    const emptied = await tx`delete from anlyt.account_active_days where isempty(days)`;
    const runs = await tx`
      delete from anlyt.rollup_runs
      where started_at < ${c.runsBefore}::timestamptz and outcome <> 'RUNNING'`;
    const reconciliation = await tx`
      delete from anlyt.reconciliation_log where day < ${c.reconciliationBeforeDay}::date`;
    return {
      day_versions: dayVersions.count,
      rollup_days: rollupDays.count,
      account_active_days: activeDays.count + emptied.count,
      rollup_runs: runs.count,
      reconciliation_log: reconciliation.count,
    };
  });
}
