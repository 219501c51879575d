// The cubes (US-ANLYT-13). Not insert-triggered materialized views: a view fires on every
// inserted block, so an event inserted twice (crash between insert and ack, two replicas, a
// replay) would count twice. Each cube day is instead rebuilt from the deduplicated facts
// (FINAL), for the days that received facts since the last build, and written as a new
// VERSION of every row of that day: ReplacingMergeTree(buildVersion) keeps the newest build
// of each row (read the cubes with FINAL). A row the newest build no longer has (a displaced
// fact moved to another group) is overwritten by a zero "tombstone" one version below the
// build. Why not REPLACE PARTITION: on 18.16 a replica that was down while a partition was
// replaced twice can never catch up (docs/decisions.md, "Exact cubes").
// Partitioned by UTC day: the unit of a rebuild.
import { DELIVERY_STATUS, DIRECTION, LANE, SUBMIT_STATUS, VERDICT } from './enums.js';
import type { TableSpec } from './topology.js';

/** p50/p95/p99 of latencyMs as a mergeable t-digest state (merge, then read). */
export const LATENCY_QUANTILES = 'quantilesTDigest(0.5, 0.95, 0.99)';

export const CUBE_DLR_HOURLY: TableSpec = {
  name: 'cube_dlr_hourly',
  columns: [
    "hour DateTime('UTC')",
    'tenantId String',
    'mno String',
    `status ${DELIVERY_STATUS}`,
    `lane ${LANE}`,
    `direction ${DIRECTION}`,
    'dlrs UInt64',
    'latencySumMs UInt64',
    `latencyQuantiles AggregateFunction(${LATENCY_QUANTILES}, UInt32)`,
    'buildVersion UInt64',
  ],
  family: 'ReplacingMergeTree',
  engineArgs: ['buildVersion'],
  partitionBy: 'toYYYYMMDD(hour)',
  orderBy: '(tenantId, hour, mno, status, lane, direction)',
};

export const CUBE_CDR_DAILY: TableSpec = {
  name: 'cube_cdr_daily',
  columns: [
    'day Date',
    'tenantId String',
    'mno String',
    `submitStatus ${SUBMIT_STATUS}`,
    `lane ${LANE}`,
    `direction ${DIRECTION}`,
    'cdrs UInt64',
    'segments UInt64',
    'costMicros Int64',
    'esmeErrors UInt64',
    'buildVersion UInt64',
  ],
  family: 'ReplacingMergeTree',
  engineArgs: ['buildVersion'],
  partitionBy: 'toYYYYMMDD(day)',
  orderBy: '(tenantId, day, mno, submitStatus, lane, direction)',
};

/** `rule` is '' when the verdict named none: 18.16 cannot sort by a Nullable column. */
export const CUBE_COMPLIANCE_HOURLY: TableSpec = {
  name: 'cube_compliance_hourly',
  columns: [
    "hour DateTime('UTC')",
    'tenantId String',
    'mno String',
    `verdict ${VERDICT}`,
    'rule String',
    `lane ${LANE}`,
    `direction ${DIRECTION}`,
    'checked UInt64',
    'buildVersion UInt64',
  ],
  family: 'ReplacingMergeTree',
  engineArgs: ['buildVersion'],
  partitionBy: 'toYYYYMMDD(hour)',
  orderBy: '(tenantId, hour, mno, verdict, rule, lane, direction)',
};

/**
 * Days whose facts changed: written by anlyt-ingest after each facts insert, read by the cube
 * builder. A mark is only a hint to rebuild; rebuilding a day twice is harmless.
 */
export const CUBE_DIRTY: TableSpec = {
  name: 'cube_dirty',
  columns: [
    "source Enum8('dlr' = 1, 'cdr' = 2)",
    'day Date',
    "markedAt DateTime('UTC') DEFAULT now()",
  ],
  family: 'MergeTree',
  partitionBy: 'toYYYYMM(markedAt)',
  orderBy: '(markedAt, source, day)',
};

/** How far the builder has read cube_dirty; the latest row per builder counts. */
export const CUBE_WATERMARK: TableSpec = {
  name: 'cube_watermark',
  columns: ['builder String', "watermark DateTime('UTC')", "builtAt DateTime('UTC') DEFAULT now()"],
  family: 'ReplacingMergeTree',
  engineArgs: ['builtAt'],
  partitionBy: 'tuple()',
  orderBy: 'builder',
};
