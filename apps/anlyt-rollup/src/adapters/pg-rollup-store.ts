import * as pg from '@anlyt/pg';
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
