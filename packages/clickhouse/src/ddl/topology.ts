// One DDL source for a single node (local, CI) and a replicated cluster (production): the
// statements differ only in `ON CLUSTER` and in the engine's Replicated* prefix + ZooKeeper
// path. The `{shard}` / `{replica}` macros come from each server's own config.
import { sqlIdentifier } from '../escape.js';

export interface Topology {
  database: string;
  /** A `<remote_servers>` cluster name; null on a single node. */
  cluster: string | null;
}

export type EngineFamily = 'MergeTree' | 'ReplacingMergeTree';

/** ` ON CLUSTER name`, or nothing on a single node. */
export function onCluster(t: Topology): string {
  return t.cluster === null ? '' : ` ON CLUSTER ${sqlIdentifier(t.cluster)}`;
}

/** `db.table`, both names checked. */
export function qualified(t: Topology, table: string): string {
  return `${sqlIdentifier(t.database)}.${sqlIdentifier(table)}`;
}

/** The table's engine; on a cluster its replicas share `/clickhouse/tables/{shard}/db/table`. */
export function engineFor(t: Topology, table: string, family: EngineFamily, args: string[] = []) {
  if (t.cluster === null) return `${family}(${args.join(', ')})`;
  const path = `'/clickhouse/tables/{shard}/${sqlIdentifier(t.database)}/${sqlIdentifier(table)}'`;
  return `Replicated${family}(${[path, "'{replica}'", ...args].join(', ')})`;
}

export interface TableSpec {
  name: string;
  /** Column definitions, one per line, e.g. `hour DateTime('UTC')`. */
  columns: readonly string[];
  family: EngineFamily;
  engineArgs?: string[];
  partitionBy: string;
  orderBy: string;
  /** Index granularity and other MergeTree settings, e.g. `index_granularity = 8192`. */
  settings?: string;
}

/** `CREATE TABLE IF NOT EXISTS` for a spec, under a (possibly other) name and topology. */
export function createTable(t: Topology, spec: TableSpec, name = spec.name): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${qualified(t, name)}${onCluster(t)} (`,
    spec.columns.map((c) => `  ${c}`).join(',\n'),
    `) ENGINE = ${engineFor(t, name, spec.family, spec.engineArgs)}`,
    `PARTITION BY ${spec.partitionBy}`,
    `ORDER BY ${spec.orderBy}`,
    ...(spec.settings ? [`SETTINGS ${spec.settings}`] : []),
  ].join('\n');
}
