// One UTC day of analytics vs. billing → a status (US-ANLYT-09). Pure; the reconciler's use
// case reads the totals, calls this per day and writes what it returns.

import { divergence, exceedsThreshold, type Ratio } from './divergence.js';

export const RECONCILIATION_STATUSES = [
  'OK',
  'DIVERGED',
  'MISSING_BILLING',
  'MISSING_ANALYTICS',
] as const;
export type ReconciliationStatus = (typeof RECONCILIATION_STATUSES)[number];

/** A day's PLATFORM totals: billed − refunded, cost in micros and message count. */
export interface DayTotals {
  costMicros: bigint;
  messages: bigint;
}

export interface BillingDayTotals extends DayTotals {
  /** ISO 4217 code as billing stored it. */
  currency: string;
}

export interface DayVerdict {
  status: ReconciliationStatus;
  /** null when a side is missing, or billing is 0 while analytics is not. */
  costDivergence: Ratio | null;
  messageDivergence: Ratio | null;
  /** Billing's currency differs from the settlement currency: the totals are not comparable. */
  currencyMismatch: boolean;
}

export interface ReconcileOptions {
  threshold: Ratio;
  settlementCurrency: string;
}

/**
 * - no billing row → MISSING_BILLING (also when analytics is missing too: billing is the
 *   reference, and "billing has not closed the day" is the first thing to look at);
 * - billing row but no analytics row → MISSING_ANALYTICS;
 * - cost OR message divergence > threshold, or another currency → DIVERGED;
 * - otherwise OK.
 */
export function reconcileDay(
  analytics: DayTotals | undefined,
  billing: BillingDayTotals | undefined,
  opts: ReconcileOptions,
): DayVerdict {
  if (billing === undefined || analytics === undefined) {
    return {
      status: billing === undefined ? 'MISSING_BILLING' : 'MISSING_ANALYTICS',
      costDivergence: null,
      messageDivergence: null,
      currencyMismatch: false,
    };
  }
  const costDivergence = divergence(analytics.costMicros, billing.costMicros);
  const messageDivergence = divergence(analytics.messages, billing.messages);
  const currencyMismatch = billing.currency !== opts.settlementCurrency;
  const diverged =
    currencyMismatch ||
    exceedsThreshold(costDivergence, opts.threshold) ||
    exceedsThreshold(messageDivergence, opts.threshold);
  return {
    status: diverged ? 'DIVERGED' : 'OK',
    costDivergence,
    messageDivergence,
    currencyMismatch,
  };
}
