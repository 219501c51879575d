export { type TrafficConfig, defaultTrafficConfig, assertValidConfig } from './config.js';
export {
  type TrafficMessage,
  type MessageClass,
  type Kind,
  type DeliveryStatus,
  type Lane,
  type Direction,
  BILLED_SUBJECT,
  DLR_SUBJECT,
  DELIVERY_STATUSES,
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
