/**
 * Wires one reconciler: a client on anlyt's database, one on billing's, the use case, and a
 * log line per day. main.ts runs it once as a process; the specs run it in-process.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@anlyt/observability';
import { createSql } from '@anlyt/pg';
import { pgAnalyticsTotals, pgBillingTotals, pgReconciliationLog } from './adapters/pg-totals.js';
import type { Config } from './config.js';
import {
  ReconcileDailyTotalsUseCase,
  type ReconciliationRun,
} from './use-cases/reconcile-daily-totals.use-case.js';

export interface Reconciler {
  /** Reconciles and records `days`; logs one line per day. Throws on any error. */
  run(days: readonly string[]): Promise<ReconciliationRun>;
  close(): Promise<void>;
}

export function createReconciler(cfg: Config, log: Logger): Reconciler {
  // Nothing connects until the first query (postgres.js is lazy).
  const sql = createSql(cfg.DATABASE_URL, { max: 1, applicationName: 'anlyt-reconcile' });
  const billingSql = createSql(cfg.BILLING_DATABASE_URL, {
    max: 1,
    applicationName: 'anlyt-reconcile',
  });
  const useCase = new ReconcileDailyTotalsUseCase({
    analytics: pgAnalyticsTotals(sql, cfg.ROLLUP_CHANGE_MARGIN_S),
    billing: pgBillingTotals(billingSql),
    log: pgReconciliationLog(sql),
    newRunId: randomUUID,
    threshold: cfg.RECONCILE_THRESHOLD,
    settlementCurrency: cfg.ANLYT_SETTLEMENT_CURRENCY,
  });

  let closed: Promise<void> | null = null;
  return {
    async run(days) {
      const run = await useCase.execute(days);
      for (const d of run.days) {
        const line = {
          runId: run.runId,
          day: d.day,
          status: d.status,
          analyticsTotalCost: d.analytics?.totalCost ?? null,
          billingTotalCost: d.billing?.totalCost ?? null,
          costDivergence: d.costDivergence,
          analyticsMessages: d.analytics?.messages ?? null,
          billingMessages: d.billing?.messages ?? null,
          messageDivergence: d.messageDivergence,
          billingCurrency: d.billing?.currency ?? null,
          settlementCurrency: cfg.ANLYT_SETTLEMENT_CURRENCY,
          threshold: run.threshold,
        };
        // A divergence is a finding for the alert and the runbook, not a failure of the job.
        if (d.status === 'OK') log.info(line, 'day reconciled');
        else log.warn(line, `day ${d.status}`);
      }
      const byStatus: Record<string, number> = {};
      for (const d of run.days) byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
      log.info({ runId: run.runId, days: run.days.length, byStatus }, 'reconciliation completed');
      return run;
    },
    close() {
      closed ??= Promise.all([sql.end({ timeout: 5 }), billingSql.end({ timeout: 5 })]).then(
        () => undefined,
      );
      return closed;
    },
  };
}
