/**
 * ReconcileDailyTotalsUseCase (US-ANLYT-09): for each UTC day, anlyt's PLATFORM totals vs.
 * billing's daily totals → a status, appended to the reconciliation log under a new run id.
 *
 * Pure orchestration: read both sides → reconcileDay (domain) per day → one append. The
 * append is the only write and covers the whole run, so a run is recorded entirely or not
 * at all; re-runs append new rows under a new run id and never touch earlier ones.
 */
import {
  formatDivergence,
  formatMicros,
  parseThreshold,
  reconcileDay,
  type BillingDayTotals,
  type DayTotals,
  type Ratio,
  type ReconciliationStatus,
} from '@anlyt/domain';

// --- ports ---------------------------------------------------------------------------------

/** anlyt's PLATFORM day totals, keyed by YYYY-MM-DD; days without a row are absent. */
export interface AnalyticsDailyTotals {
  read(days: readonly string[]): Promise<Map<string, DayTotals>>;
}

/** billing.daily_totals, keyed by YYYY-MM-DD; days without a row are absent. */
export interface BillingDailyTotals {
  read(days: readonly string[]): Promise<Map<string, BillingDayTotals>>;
}

/** Appends a whole run, atomically. */
export interface ReconciliationLog {
  append(run: ReconciliationRun): Promise<void>;
}

// --- the report ----------------------------------------------------------------------------

export interface DayReport {
  day: string;
  status: ReconciliationStatus;
  /** Decimal strings with 6 decimals / integer strings; null when that side has no row. */
  analytics: { totalCost: string; messages: string } | null;
  billing: { totalCost: string; messages: string; currency: string } | null;
  /** |analytics − billing| / |billing|, 12 decimals rounded up; null when not computable. */
  costDivergence: string | null;
  messageDivergence: string | null;
  currencyMismatch: boolean;
}

export interface ReconciliationRun {
  runId: string;
  /** The threshold as configured (a decimal string), stored with every row. */
  threshold: string;
  days: DayReport[];
}

export interface ReconcileDailyTotalsDeps {
  analytics: AnalyticsDailyTotals;
  billing: BillingDailyTotals;
  log: ReconciliationLog;
  newRunId: () => string;
  /** Decimal string, e.g. "0.0001" (0.01 %). */
  threshold: string;
  settlementCurrency: string;
}

export class ReconcileDailyTotalsUseCase {
  private readonly threshold: Ratio;

  constructor(private readonly deps: ReconcileDailyTotalsDeps) {
    this.threshold = parseThreshold(deps.threshold); // a bad threshold fails at start
  }

  /** Reconciles `days` (YYYY-MM-DD, UTC) in the given order. Throws on any I/O error. */
  async execute(days: readonly string[]): Promise<ReconciliationRun> {
    const [analytics, billing] = await Promise.all([
      this.deps.analytics.read(days),
      this.deps.billing.read(days),
    ]);
    const opts = { threshold: this.threshold, settlementCurrency: this.deps.settlementCurrency };
    const run: ReconciliationRun = {
      runId: this.deps.newRunId(),
      threshold: this.deps.threshold,
      days: days.map((day) => {
        const a = analytics.get(day);
        const b = billing.get(day);
        const v = reconcileDay(a, b, opts);
        return {
          day,
          status: v.status,
          analytics: a
            ? { totalCost: formatMicros(a.costMicros), messages: String(a.messages) }
            : null,
          billing: b
            ? {
                totalCost: formatMicros(b.costMicros),
                messages: String(b.messages),
                currency: b.currency,
              }
            : null,
          costDivergence: v.costDivergence && formatDivergence(v.costDivergence),
          messageDivergence: v.messageDivergence && formatDivergence(v.messageDivergence),
          currencyMismatch: v.currencyMismatch,
        };
      }),
    };
    await this.deps.log.append(run);
    return run;
  }
}
