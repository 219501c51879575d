export { createSql, type Sql, type TxSql, type PgClientOptions } from './client.js';
export { runMigrations, MIGRATIONS_DIR } from './migrate.js';
export {
  recordInLedger,
  deleteExpiredLedgerRows,
  rewriteLedger,
  type LedgerEntry,
  type LedgerOutcome,
  type StoredCopy,
} from './ledger.js';
export { upsertBillingBuckets, upsertTpsSeconds } from './billing-upserts.js';
export { upsertDlrBuckets, upsertOperatorPerformance } from './dlr-upserts.js';
export { advanceWatermark, readWatermarks } from './watermarks.js';
export * as schema from './schema.js';
export { classifyDbError, type DbFailure } from './errors.js';
export {
  daysNeedingRollup,
  daysWithHourlyData,
  rollUpDay,
  countHourlyRows,
  startRollupRun,
  finishRollupRun,
  markAbandonedRuns,
  type DayRollup,
} from './rollup.js';
export {
  appendReconciliationLog,
  createLocalBillingTable,
  readBillingDailyTotals,
  readPlatformDailyTotals,
  upsertLocalBillingDailyTotals,
  addToLocalBillingDailyTotals,
  type AnalyticsDayRow,
  type BillingDailyTotal,
  type BillingDayRow,
  type ReconciliationLogRow,
} from './reconciliation.js';
export { readJobStatus, type JobStatus } from './job-status.js';
export {
  readWindowTotals,
  readActiveAccounts,
  type WindowQuery,
  type WindowTotals,
} from './reads/window-totals.js';
export { readSeries, type SeriesPoint } from './reads/series.js';
export { scopeHasData } from './reads/exists.js';
export { readThroughput, type ThroughputPoint, type ThroughputQuery } from './reads/throughput.js';
export {
  readDeliveryBreakdown,
  type DeliveryBreakdown,
  type StatusCounts,
} from './reads/breakdown.js';
export { readWindowVersion, type WindowVersion } from './reads/version.js';
export {
  appendAuditLog,
  insertAuditExport,
  heartbeatAuditExport,
  finishAuditExport,
  failAbandonedAuditExports,
  readAuditExport,
  type AuditLogEntry,
  type AuditExportStatus,
  type AuditExportRow,
  type NewAuditExport,
} from './audit.js';
export { readMnoLabels, assignMnoLabels, type MnoLabel } from './insight-labels.js';
export {
  readDataShareAddendum,
  readDataShareAddendumHistory,
  setDataShareAddendum,
  revokeDataShareAddendum,
  type DataShareAddendum,
  type DataShareAddendumChange,
} from './data-share-addendum.js';
export {
  deleteExpiredBookkeeping,
  dropPartitionsBefore,
  ensurePartitions,
  listPartitionedTables,
  listPartitions,
  type PartitionedTable,
} from './retention.js';
