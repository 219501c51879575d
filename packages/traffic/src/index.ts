export { type TrafficConfig, defaultTrafficConfig, assertValidConfig } from './config.js';
export {
  type TrafficMessage,
  type MessageClass,
  type Kind,
  type DeliveryStatus,
  type Lane,
  type Direction,
  type SubmitStatus,
  type ComplianceVerdict,
  type ComplianceRule,
  BILLED_SUBJECT,
  DLR_SUBJECT,
  CDR_SUBJECT,
  DELIVERY_STATUSES,
  SUBMIT_STATUSES,
  COMPLIANCE_VERDICTS,
  COMPLIANCE_RULES,
} from './records.js';
export { generateTraffic } from './generate.js';
export { TrafficOracle, type ClassCounts, type OracleOptions } from './oracle.js';
export {
  type OracleBucket,
  type OracleScope,
  type OracleWindow,
  bucketKey,
  nearestRank,
} from './oracle-bucket.js';
export { FactsOracle } from './facts-oracle.js';
export type { FactBase, DlrFact, CdrFact } from './facts.js';
export {
  type DlrHourlyKey,
  type DlrHourlyRow,
  type CdrDailyKey,
  type CdrDailyRow,
  type ComplianceHourlyKey,
  type ComplianceHourlyRow,
  dlrHourlyKey,
  cdrDailyKey,
  complianceHourlyKey,
} from './facts-rollups.js';
export { parseMicros, formatMicros } from './money.js';
export {
  publishAll,
  WindowedPublisher,
  type Publisher,
  type PublishOptions,
  type PublishStats,
} from './publish.js';
export { RealtimeTraffic, type RealtimeOptions } from './realtime.js';
export { diurnalFactor } from './diurnal.js';
export { SimulatedBillingTotals, type BillingDayRow } from './billing-totals.js';
