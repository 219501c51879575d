/**
 * anlyt-api's query DSL over this test's own ClickHouse database: facts written as
 * anlyt-ingest writes them (insertFacts + dirty marks + the batch's progress), cubes rebuilt
 * from them as its cube builder does, then the API built with inject(). The fact rows come
 * from @anlyt/traffic's FactsOracle facts, so expectations are computed from the same
 * independent source.
 */
import type { FastifyInstance } from 'fastify';
import {
  createClickHouse,
  insertFacts,
  markDirtyDays,
  rebuildCubeDay,
  runClickHouseMigrations,
  serverNowS,
  writeCubeWatermark,
  writeIngestWatermark,
  type CdrFactRow,
  type ClickHouseClient,
  type DlrFactRow,
  type Topology,
} from '@anlyt/clickhouse';
import { createRegistry } from '@anlyt/observability';
import {
  cdrFactRow,
  createTestClickHouseDatabase,
  createTestDatabase,
  dlrFactRow,
  TEST_CLICKHOUSE_URL,
} from '@anlyt/testing';
import type { CdrFact, DlrFact } from '@anlyt/traffic';
import { buildApp } from '../src/app.js';
import { tokenVerifier } from '../src/plugins/auth.js';
import { clickhouseQueryStore } from '../src/query/clickhouse-query-store.js';
import { RunQueryUseCase } from '../src/query/run-query.use-case.js';
import { SECRET } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Facts as anlyt-ingest writes them (shared with the other ClickHouse test harnesses). */
export const dlrRow: (f: DlrFact, seq: number) => DlrFactRow = dlrFactRow;
export const cdrRow: (f: CdrFact, seq: number) => CdrFactRow = cdrFactRow;

export interface DslHarness {
  ch: ClickHouseClient;
  t: Topology;
  app: FastifyInstance;
  /** Writes facts as anlyt-ingest does, then rebuilds the cubes of their days. */
  load(dlrs: Iterable<DlrFact>, cdrs: Iterable<CdrFact>): Promise<void>;
  close(): Promise<void>;
}

export async function startDslHarness(
  o: { now?: () => number; maxResultRows?: number } = {},
): Promise<DslHarness> {
  const pg = await createTestDatabase();
  const chDb = await createTestClickHouseDatabase('anlyt_dsl');
  const ch = createClickHouse({ url: TEST_CLICKHOUSE_URL, maxOpenConnections: 8 });
  const t: Topology = { database: chDb.name, cluster: null };
  await runClickHouseMigrations(ch, { topology: t });
  const runQuery = new RunQueryUseCase({
    store: clickhouseQueryStore(ch, t, { cubeBuilder: 'main', maxExecutionTimeS: 30 }),
    database: chDb.name,
    cursorKey: Buffer.from('a cursor key for the tests, 32 bytes+'),
    maxResultRows: o.maxResultRows ?? 1_000_000,
    cursorTtlMs: DAY,
  });
  const app = await buildApp({
    sql: pg.sql,
    verify: tokenVerifier({ secret: SECRET }),
    registry: createRegistry('anlyt-api', { defaultMetrics: false }),
    marginSeconds: 900,
    answerCacheBytes: 0,
    runQuery,
    ...(o.now ? { now: o.now } : {}),
  });
  let seq = 0;
  let version = 1_000;
  return {
    ch,
    t,
    app,
    async load(dlrs, cdrs) {
      const d = [...dlrs].map((f) => dlrRow(f, ++seq));
      const c = [...cdrs].map((f) => cdrRow(f, ++seq));
      for (const [source, rows, facts] of [
        ['dlr', d, [...d]],
        ['cdr', c, [...c]],
      ] as const) {
        if (rows.length === 0) continue;
        await insertFacts(ch, t, source, rows);
        const days = [...new Set(facts.map((r) => r.occurredAtMs - (r.occurredAtMs % DAY)))];
        await markDirtyDays(ch, t, source, days);
        await writeIngestWatermark(ch, t, source, Math.max(...facts.map((r) => r.occurredAtMs)));
        for (const day of days) await rebuildCubeDay(ch, t, source, day, (version += 2));
      }
      await writeCubeWatermark(ch, t, 'main', await serverNowS(ch));
    },
    async close() {
      await app.close();
      await ch.close();
      await chDb.drop();
      await pg.drop();
    },
  };
}
