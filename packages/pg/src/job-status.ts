import type { Sql } from './client.js';

/** What the CronJobs left behind, for a long-running service to export as gauges. */
export interface JobStatus {
  /** Unix seconds of the last successful non-dry rollup run; null if none yet. */
  lastRollupSuccess: number | null;
  /** Days of the last 35 whose latest reconciliation says DIVERGED. */
  divergedDays: number;
  /** Days of the last 35 whose latest reconciliation says MISSING_BILLING / MISSING_ANALYTICS. */
  missingDays: number;
  /** Unix seconds of the latest reconciliation check; null if none yet. */
  lastReconciliation: number | null;
}

export async function readJobStatus(sql: Sql): Promise<JobStatus> {
  const [r] = await sql<
    { rollup: string | null; diverged: number; missing: number; reconciled: string | null }[]
  >`
    with latest as (
      select distinct on (day) day, status
      from anlyt.reconciliation_log
      where day >= (now() at time zone 'UTC')::date - 35
      order by day, checked_at desc, id desc
    )
    select
      (select extract(epoch from max(finished_at))::text from anlyt.rollup_runs
        where outcome = 'SUCCEEDED' and not dry_run) as rollup,
      (select count(*)::int from latest where status = 'DIVERGED') as diverged,
      (select count(*)::int from latest where status like 'MISSING%') as missing,
      (select extract(epoch from max(checked_at))::text from anlyt.reconciliation_log) as reconciled`;
  return {
    lastRollupSuccess: r?.rollup == null ? null : Number(r.rollup),
    divergedDays: r?.diverged ?? 0,
    missingDays: r?.missing ?? 0,
    lastReconciliation: r?.reconciled == null ? null : Number(r.reconciled),
  };
}
