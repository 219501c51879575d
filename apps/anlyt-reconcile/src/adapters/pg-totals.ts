/**
 * The use case's ports over Postgres: named queries from @anlyt/pg, text → exact bigint
 * with the domain's parsers (a value that does not parse is a fault, thrown, never skipped).
 */
import { parseCount, parseTotalMicros, type BillingDayTotals, type DayTotals } from '@anlyt/domain';
import {
  appendReconciliationLog,
  readBillingDailyTotals,
  readPlatformDailyTotals,
  type Sql,
} from '@anlyt/pg';
import type {
  AnalyticsDailyTotals,
  BillingDailyTotals,
  ReconciliationLog,
} from '../use-cases/reconcile-daily-totals.use-case.js';

/** `marginSeconds`: ROLLUP_CHANGE_MARGIN_S, which decides when a rolled day is current. */
export function pgAnalyticsTotals(sql: Sql, marginSeconds: number): AnalyticsDailyTotals {
  return {
    async read(days) {
      const rows = await readPlatformDailyTotals(sql, days, marginSeconds);
      return new Map<string, DayTotals>(
        rows.map((r) => [
          r.day,
          { costMicros: parseTotalMicros(r.total_cost), messages: parseCount(r.total_messages) },
        ]),
      );
    },
  };
}

/** `billingSql` is a client on billing's database (BILLING_DATABASE_URL). */
export function pgBillingTotals(billingSql: Sql): BillingDailyTotals {
  return {
    async read(days) {
      const rows = await readBillingDailyTotals(billingSql, days);
      return new Map<string, BillingDayTotals>(
        rows.map((r) => [
          r.day,
          {
            costMicros: parseTotalMicros(r.total_cost),
            messages: parseCount(r.message_count),
            currency: r.currency,
          },
        ]),
      );
    },
  };
}

export function pgReconciliationLog(sql: Sql): ReconciliationLog {
  return {
    append: (run) =>
      appendReconciliationLog(
        sql,
        run.days.map((d) => ({
          runId: run.runId,
          day: d.day,
          analyticsTotalCost: d.analytics?.totalCost ?? null,
          billingTotalCost: d.billing?.totalCost ?? null,
          analyticsMessages: d.analytics?.messages ?? null,
          billingMessages: d.billing?.messages ?? null,
          costDivergence: d.costDivergence,
          messageDivergence: d.messageDivergence,
          threshold: run.threshold,
          status: d.status,
        })),
      ),
  };
}
