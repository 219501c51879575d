// @anlyt/clickhouse: the ClickHouse twin of @anlyt/pg — client factory, the one escaping
// module, migrations for a single node or a cluster from one DDL source, and one named
// function per statement on the facts and cubes.
export {
  createClickHouse,
  readServerVersion,
  answersPing,
  parseVersion,
  atLeast,
  exec,
  rows,
  type ClickHouseClient,
  type ClickHouseOptions,
  type LogSink,
  type ServerVersion,
} from './client.js';
export {
  sqlString,
  sqlIdentifier,
  sqlUInt,
  sqlDateTime,
  sqlDate,
  sqlList,
  UnsafeSqlValueError,
} from './escape.js';
export { classifyClickHouseError, type ClickHouseFailure } from './errors.js';
export { ClickHouseError } from '@clickhouse/client';
export { type Topology, qualified, onCluster, createTable } from './ddl/topology.js';
export { FACTS_DLR, FACTS_CDR } from './ddl/facts.js';
export {
  CUBE_DLR_HOURLY,
  CUBE_DLR_DAILY,
  CUBE_DLR_LATENCY_DAILY,
  CUBE_CDR_MNO_HOURLY,
  CUBE_CDR_DAILY,
  CUBE_COMPLIANCE_HOURLY,
  LATENCY_QUANTILES,
} from './ddl/cubes.js';
export { tieringStatements, TIERED_POLICY, TIERING_MIN_VERSION } from './ddl/tiering.js';
export {
  MIGRATIONS,
  runClickHouseMigrations,
  type Migration,
  type MigrateReport,
  type MigrateOptions,
} from './migrations.js';
export {
  insertFacts,
  findStoredCopies,
  LOOKUP_CHUNK,
  FACT_TABLES,
  type FactSource,
  type FactKey,
  type StoredFactCopy,
  type DlrFactRow,
  type CdrFactRow,
  type CopyColumns,
} from './facts.js';
export {
  rebuildCubeDay,
  alignDerivedCubes,
  markDirtyDays,
  readDirtyDays,
  serverNowS,
  readCubeWatermark,
  writeCubeWatermark,
  oldestMarkAfter,
  CUBE_NAMES,
  type DirtyDay,
} from './cube-build.js';
export { readOperatorQuality, type OperatorQualityRow } from './quality-read.js';
export { QUERY_RESULTS, INGEST_WATERMARK } from './ddl/query.js';
export {
  streamDslRows,
  insertQueryResult,
  readQueryResultPage,
  dropQueryResultsBefore,
  writeIngestWatermark,
  readDataAsOf,
  type DslSettings,
} from './query-store.js';
export {
  countAuditFacts,
  streamAuditFacts,
  auditFactsSql,
  AUDIT_COLUMNS,
  AuditStreamError,
  type AuditDataset,
  type AuditSlice,
} from './audit-read.js';
export {
  readTenantMnoDlrCounts,
  readTenantMnoLatencyP95,
  readTenantCdrMnos,
  type TenantDays,
  type MnoDlrCounts,
} from './insights-read.js';
