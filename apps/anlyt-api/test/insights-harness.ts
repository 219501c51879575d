/**
 * The tenant insights (US-ANLYT-19) over this test's own ClickHouse and PostgreSQL databases:
 * the facts and cubes of ./dsl-harness.ts (written as anlyt-ingest writes them, cubes rebuilt
 * as its builder does), the labels and addenda in a fresh migrated PostgreSQL database, and
 * the API built with the insights use case wired as main.ts wires it. `build` makes more APIs
 * over the same stores with other settings (a minimum sample size, a clock, a ClickHouse that
 * does not answer).
 */
import type { FastifyInstance } from 'fastify';
import { createClickHouse, type ClickHouseClient } from '@anlyt/clickhouse';
import { createRegistry } from '@anlyt/observability';
import { createTestDatabase, freePort, type TestDatabase } from '@anlyt/testing';
import type { CdrFact, DlrFact } from '@anlyt/traffic';
import { buildApp } from '../src/app.js';
import {
  clickhouseInsightsTraffic,
  pgAddendumOnRecord,
  pgLabelStore,
} from '../src/insights/adapters.js';
import { MnoQualityUseCase } from '../src/insights/mno-quality.use-case.js';
import { tokenVerifier } from '../src/plugins/auth.js';
import { startDslHarness, type DslHarness } from './dsl-harness.js';
import { SECRET } from './harness.js';

/** The label-order key of the test APIs (production: INSIGHTS_LABEL_SECRET or derived). */
export const LABEL_KEY = Buffer.from('the insights label key of the tests, 32+ bytes');

export interface InsightsSettings {
  minSampleSize?: number;
  now?: () => number;
  /** Point the insights at a ClickHouse where nothing listens (the 503 of an outage). */
  clickhouseDown?: boolean;
  /** Build without the insights use case (as the OpenAPI writer does). */
  withoutInsights?: boolean;
}

export interface InsightsHarness {
  dsl: DslHarness;
  pg: TestDatabase;
  /** The API with the default settings (minimum sample size 100). */
  app: FastifyInstance;
  /** Another API over the same databases; closed by close(). */
  build(s?: InsightsSettings): Promise<FastifyInstance>;
  load(dlrs: Iterable<DlrFact>, cdrs: Iterable<CdrFact>): Promise<void>;
  close(): Promise<void>;
}

export async function startInsightsHarness(s: InsightsSettings = {}): Promise<InsightsHarness> {
  const [dsl, pg] = await Promise.all([startDslHarness(), createTestDatabase()]);
  const apps: FastifyInstance[] = [];
  const clients: ClickHouseClient[] = [];
  const build = async (o: InsightsSettings = {}) => {
    let ch = dsl.ch;
    if (o.clickhouseDown) {
      // A port that was free a moment ago and that nobody listens on: refused, as when down.
      ch = createClickHouse({ url: `http://127.0.0.1:${await freePort()}` });
      clients.push(ch);
    }
    const insights = new MnoQualityUseCase({
      traffic: clickhouseInsightsTraffic(ch, dsl.t, { cubeBuilder: 'main' }),
      labels: pgLabelStore(pg.sql),
      addendumOnRecord: pgAddendumOnRecord(pg.sql),
      labelKey: LABEL_KEY,
      minSampleSize: o.minSampleSize ?? 100,
    });
    const app = await buildApp({
      sql: pg.sql,
      verify: tokenVerifier({ secret: SECRET }),
      registry: createRegistry('anlyt-api', { defaultMetrics: false }),
      marginSeconds: 900,
      answerCacheBytes: 0,
      ...(o.withoutInsights ? {} : { insights }),
      ...(o.now ? { now: o.now } : {}),
    });
    apps.push(app);
    return app;
  };
  const app = await build(s);
  return {
    dsl,
    pg,
    app,
    build,
    load: (dlrs, cdrs) => dsl.load(dlrs, cdrs),
    async close() {
      for (const a of apps) await a.close();
      for (const c of clients) await c.close();
      await dsl.close();
      await pg.drop();
    },
  };
}
