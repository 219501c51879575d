// Numbered, idempotent migrations with a migrations table, for one node or a cluster from
// the same statements (ddl/topology.ts). Every statement is re-runnable (IF NOT EXISTS), so a
// migrate that died half-way is simply run again. ClickHouse has no lock: run migrate from
// one place (the deploy's hook Job, or the local stack script), never from every replica.
import {
  atLeast,
  exec,
  readServerVersion,
  rows,
  type ClickHouseClient,
  type ServerVersion,
} from './client.js';
import {
  CUBE_CDR_DAILY,
  CUBE_COMPLIANCE_HOURLY,
  CUBE_DIRTY,
  CUBE_DLR_DAILY,
  CUBE_DLR_HOURLY,
  CUBE_DLR_LATENCY_DAILY,
  CUBE_CDR_MNO_HOURLY,
  CUBE_WATERMARK,
} from './ddl/cubes.js';
import { alignDerivedCubes, fillCdrMnoHourly } from './cube-build.js';
import { FACTS_CDR, FACTS_DLR } from './ddl/facts.js';
import { INGEST_WATERMARK, QUERY_RESULTS } from './ddl/query.js';
import { TIERING_MIN_VERSION, tieringStatements } from './ddl/tiering.js';
import {
  createTable,
  onCluster,
  qualified,
  type TableSpec,
  type Topology,
} from './ddl/topology.js';
import { sqlIdentifier, sqlString, sqlUInt } from './escape.js';

export interface Migration {
  id: number;
  name: string;
  statements(t: Topology): string[];
  /** Applied only on a server at least this version; otherwise skipped and not recorded. */
  requires?: { major: number; minor: number; why: string };
  /** Data to move once the statements ran (re-runnable too: the migration is recorded after). */
  data?(ch: ClickHouseClient, t: Topology): Promise<unknown>;
}

const tables =
  (...specs: TableSpec[]) =>
  (t: Topology) =>
    specs.map((s) => createTable(t, s));

export const MIGRATIONS: readonly Migration[] = [
  { id: 1, name: 'facts', statements: tables(FACTS_DLR, FACTS_CDR) },
  { id: 2, name: 'cube bookkeeping', statements: tables(CUBE_DIRTY, CUBE_WATERMARK) },
  {
    id: 3,
    name: 'cubes',
    statements: tables(CUBE_DLR_HOURLY, CUBE_CDR_DAILY, CUBE_COMPLIANCE_HOURLY),
  },
  {
    id: 4,
    name: 'facts tiering hot/warm/cold',
    statements: (t) => tieringStatements(t, [FACTS_DLR.name, FACTS_CDR.name]),
    requires: { ...TIERING_MIN_VERSION, why: 'storage policies and TTL moves to volumes' },
  },
  {
    id: 5,
    name: 'query results, ingest watermark',
    statements: tables(QUERY_RESULTS, INGEST_WATERMARK),
  },
  {
    id: 6,
    name: 'daily DLR cubes',
    statements: tables(CUBE_DLR_DAILY, CUBE_DLR_LATENCY_DAILY),
    // Filled from the hourly cube day by day before any reader of this version starts.
    data: alignDerivedCubes,
  },
  {
    id: 7,
    name: 'CDRs by hour and MNO (quality feed)',
    statements: tables(CUBE_CDR_MNO_HOURLY),
    data: fillCdrMnoHourly,
  },
];

const MIGRATIONS_TABLE: TableSpec = {
  name: 'schema_migrations',
  columns: ['id UInt32', 'name String', "appliedAt DateTime('UTC') DEFAULT now()"],
  family: 'ReplacingMergeTree',
  partitionBy: 'tuple()',
  orderBy: 'id',
};

export interface MigrateReport {
  version: ServerVersion;
  applied: number[];
  skipped: { id: number; reason: string }[];
}

export interface MigrateOptions {
  topology: Topology;
  /** Told about each skipped migration (the reason is also in the report). */
  onSkip?: (m: Migration, reason: string) => void;
  migrations?: readonly Migration[];
}

export async function runClickHouseMigrations(
  ch: ClickHouseClient,
  o: MigrateOptions,
): Promise<MigrateReport> {
  const t = o.topology;
  const version = await readServerVersion(ch);
  await exec(ch, `CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(t.database)}${onCluster(t)}`);
  await exec(ch, createTable(t, MIGRATIONS_TABLE));
  const done = new Set(
    (
      await rows<{ id: number }>(
        ch,
        `SELECT DISTINCT id FROM ${qualified(t, MIGRATIONS_TABLE.name)}`,
      )
    ).map((r) => Number(r.id)),
  );
  const report: MigrateReport = { version, applied: [], skipped: [] };
  for (const m of o.migrations ?? MIGRATIONS) {
    if (done.has(m.id)) continue;
    if (m.requires && !atLeast(version, m.requires.major, m.requires.minor)) {
      const reason = `needs ClickHouse ≥ ${m.requires.major}.${m.requires.minor} (${m.requires.why}); server is ${version.text}`;
      report.skipped.push({ id: m.id, reason });
      o.onSkip?.(m, reason);
      continue;
    }
    for (const statement of m.statements(t)) await exec(ch, statement);
    await m.data?.(ch, t);
    await exec(
      ch,
      `INSERT INTO ${qualified(t, MIGRATIONS_TABLE.name)} (id, name) VALUES (${sqlUInt(m.id)}, ${sqlString(m.name)})`,
    );
    report.applied.push(m.id);
  }
  return report;
}
