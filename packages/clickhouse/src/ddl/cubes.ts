// The cubes (US-ANLYT-13). Not insert-triggered materialized views: a view fires on every
// inserted block, so an event inserted twice (crash between insert and ack, two replicas, a
// replay) would count twice. Each cube day is instead rebuilt from the deduplicated facts
// (FINAL), for the days that received facts since the last build, and written as a new
// VERSION of every row of that day: ReplacingMergeTree(buildVersion) keeps the newest build
// of each row (read the cubes with FINAL). A row the newest build no longer has (a displaced
// fact moved to another group) is overwritten by a zero "tombstone" one version below the
// build. Why not REPLACE PARTITION: on 18.16 a replica that was down while a partition was
// replaced twice can never catch up (docs/decisions.md, "Exact cubes").
// The first cubes are partitioned by UTC day, the unit of a rebuild; that costs a reader one
// part per day under FINAL, so the daily DLR cube (migration 6) is partitioned by month.
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

/**
 * The DLR cube by UTC day, for day-grain questions (all a 30-day portal view asks): derived
 * from `cube_dlr_hourly`'s rows of the day in the same rebuild, written with the same build
 * version. Counts and sums only: a t-digest state keeps every sample of a sparse row, so a
 * daily copy of it costs nearly what the hourly one does and would break the storage budget
 * (US-ANLYT-13 AC4); latency quantiles come from `cube_dlr_latency_daily` (by tenant and day)
 * or the hourly cube. Partitioned by month and ordered by tenant, with small granules: a 30-day
 * read opens one or two parts (FINAL on 18.16 costs per part) and a small tenant reads one
 * granule of 1 024 rows (docs/benchmarks.md, bench:query). Its rebuild takes the keys to tombstone from the hourly cube (cube-build.ts).
 */
export const CUBE_DLR_DAILY: TableSpec = {
  name: 'cube_dlr_daily',
  columns: [
    'day Date',
    'tenantId String',
    'mno String',
    `status ${DELIVERY_STATUS}`,
    `lane ${LANE}`,
    `direction ${DIRECTION}`,
    'dlrs UInt64',
    'latencySumMs UInt64',
    'buildVersion UInt64',
  ],
  family: 'ReplacingMergeTree',
  engineArgs: ['buildVersion'],
  partitionBy: 'toYYYYMM(day)',
  orderBy: '(tenantId, day, mno, status, lane, direction)',
  settings: 'index_granularity = 1024',
};

/**
 * DLR latency by (UTC day, tenant) alone, for the portal's "latency per day" (the hourly cube
 * answers it by merging ~30 000 t-digest states a day for a big tenant). Derived from the
 * hourly cube like `cube_dlr_daily`. One row per tenant and day keeps its t-digest within the
 * storage budget: a busy tenant's day compresses to a few hundred centroids, and a small
 * tenant's few samples are stored once here instead of once per MNO × status × lane.
 */
export const CUBE_DLR_LATENCY_DAILY: TableSpec = {
  name: 'cube_dlr_latency_daily',
  columns: [
    'day Date',
    'tenantId String',
    'dlrs UInt64',
    'latencySumMs UInt64',
    `latencyQuantiles AggregateFunction(${LATENCY_QUANTILES}, UInt32)`,
    'buildVersion UInt64',
  ],
  family: 'ReplacingMergeTree',
  engineArgs: ['buildVersion'],
  partitionBy: 'toYYYYMM(day)',
  orderBy: '(tenantId, day)',
  settings: 'index_granularity = 256',
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

/**
 * CDRs by (UTC hour, MNO, direction), no tenant: what the operator.quality.v1 publisher needs
 * for esmeErrorRate at hour grain (US-ANLYT-17). `cube_cdr_daily` is by day and the facts are
 * ordered by tenant first, so an hour of all tenants' CDRs would scan a month's partition of
 * the facts every minute. A few rows per hour (MNOs × directions), so no storage concern.
 */
export const CUBE_CDR_MNO_HOURLY: TableSpec = {
  name: 'cube_cdr_mno_hourly',
  columns: [
    "hour DateTime('UTC')",
    'mno String',
    `direction ${DIRECTION}`,
    'cdrs UInt64',
    'esmeErrors UInt64',
    'buildVersion UInt64',
  ],
  family: 'ReplacingMergeTree',
  engineArgs: ['buildVersion'],
  partitionBy: 'toYYYYMM(hour)',
  orderBy: '(hour, mno, direction)',
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
