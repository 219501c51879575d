// @anlyt/domain: pure aggregation (no I/O; time is passed in). See README.md.

export { MICROS_PER_UNIT, MoneyError, formatMicros, parseMicros } from './money.js';
export { averageCostPerMessage } from './average-cost.js';
export {
  DAY_MS,
  HOUR_MS,
  PLATFORM_ID,
  SECOND_MS,
  dayStartMs,
  hourStartMs,
  secondStartMs,
  type Scope,
} from './buckets.js';
export {
  SKETCH_RELATIVE_ACCURACY,
  SketchError,
  ZERO_BIN,
  sketchAdd,
  sketchBinValue,
  sketchCount,
  sketchFromJson,
  sketchKey,
  sketchMerge,
  sketchMergeInto,
  sketchQuantile,
  sketchToJson,
  type Sketch,
} from './sketch.js';
export {
  DELIVERY_STATUSES,
  deliveredOf,
  emptyStatusCounts,
  failedOf,
  type StatusCounts,
} from './status.js';
export type { Sign } from './inputs.js';
export {
  foldBilling,
  type BillingBucketDelta,
  type BillingDeltas,
  type TpsSecondDelta,
} from './fold-billing.js';
export {
  foldDlr,
  type DlrBucketDelta,
  type DlrDeltas,
  type OperatorPerfDelta,
} from './fold-dlr.js';
export {
  DEFAULT_DIVERGENCE_THRESHOLD,
  DIVERGENCE_PLACES,
  DecimalError,
  divergence,
  exceedsThreshold,
  formatDivergence,
  parseCount,
  parseThreshold,
  parseTotalMicros,
  type Ratio,
} from './divergence.js';
export {
  RECONCILIATION_STATUSES,
  reconcileDay,
  type BillingDayTotals,
  type DayTotals,
  type DayVerdict,
  type ReconcileOptions,
  type ReconciliationStatus,
} from './reconcile-day.js';
export { MAX_WINDOW_DAYS, parseWindow, type TimeWindow, type WindowResult } from './window.js';
export { planWindow, utcDay, type HourRange, type WindowPlan } from './window-plan.js';
export {
  judgeRepeat,
  sameBytes,
  type EventCopy,
  type LedgerEntry,
  type RepeatVerdict,
  type StoredCopy,
} from './conflict-rule.js';
