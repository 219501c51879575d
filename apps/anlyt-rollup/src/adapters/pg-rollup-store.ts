import * as pg from '@anlyt/pg';
import type { RetentionStore } from '../use-cases/apply-retention.use-case.js';
import type { RollupStore } from '../use-cases/roll-up-hourly-to-daily.use-case.js';

/** The RollupStore port on Postgres: each method is one named query of @anlyt/pg. */
export function pgRollupStore(sql: pg.Sql): RollupStore {
  return {
    markAbandonedRuns: (s) => pg.markAbandonedRuns(sql, s),
    startRun: (id, dry) => pg.startRollupRun(sql, id, dry),
    finishRun: (id, outcome, days, error) => pg.finishRollupRun(sql, id, outcome, days, error),
    daysNeedingRollup: (m) => pg.daysNeedingRollup(sql, m),
    daysWithHourlyData: (from, to) => pg.daysWithHourlyData(sql, from, to),
    rollUpDay: (day, runId) => pg.rollUpDay(sql, day, runId),
    countHourlyRows: (day) => pg.countHourlyRows(sql, day),
  };
}

/** The RetentionStore port on Postgres (packages/pg/src/retention.ts, ledger.ts). */
export function pgRetentionStore(sql: pg.Sql, marginSeconds: number): RetentionStore {
  return {
    partitionedTables: () => pg.listPartitionedTables(sql),
    ensurePartitions: (t, from, to) => pg.ensurePartitions(sql, t, from, to),
    // The rollup's own "which days need rolling", limited to the days before the cutoff.
    unrolledDaysBefore: async (day) =>
      (await pg.daysNeedingRollup(sql, marginSeconds)).filter((d) => d < day),
    dropPartitionsBefore: (t, cutoff) => pg.dropPartitionsBefore(sql, t, cutoff),
    deleteExpiredLedgerRows: (cutoff, limit) => pg.deleteExpiredLedgerRows(sql, cutoff, limit),
    deleteExpiredBookkeeping: (c) => pg.deleteExpiredBookkeeping(sql, c),
  };
}
