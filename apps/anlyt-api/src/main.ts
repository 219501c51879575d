/** Process entry: config → logger/metrics → Postgres → app → listen; graceful shutdown. */
import closeWithGrace from 'close-with-grace';
import { createLogger, createRegistry } from '@anlyt/observability';
import { createClickHouse } from '@anlyt/clickhouse';
import { createSql } from '@anlyt/pg';
import { buildApp } from './app.js';
import { auditSettings, cursorKey, labelKey, loadConfig } from './config.js';
import { startAuditListener, type AuditListener } from './audit/start.js';
import { tokenVerifier } from './plugins/auth.js';
import { clickhouseQueryStore } from './query/clickhouse-query-store.js';
import { RunQueryUseCase } from './query/run-query.use-case.js';
import {
  clickhouseInsightsTraffic,
  pgAddendumOnRecord,
  pgLabelStore,
} from './insights/adapters.js';
import { MnoQualityUseCase } from './insights/mno-quality.use-case.js';

const cfg = loadConfig();
const log = createLogger({ service: 'anlyt-api', level: cfg.LOG_LEVEL });
const sql = createSql(cfg.DATABASE_URL, {
  max: cfg.PG_POOL_MAX,
  applicationName: 'anlyt-api',
  statementTimeoutMs: 10_000,
  jitOff: true,
});
const dslClient = (applicationName: string) =>
  createClickHouse({
    url: cfg.CLICKHOUSE_URL,
    applicationName,
    maxOpenConnections: cfg.CLICKHOUSE_POOL_MAX,
    requestTimeoutMs: (cfg.QUERY_MAX_EXECUTION_S + 5) * 1000,
    log,
  });
const ch = dslClient('anlyt-api');
// Stored DSL results get a pool of their own: a multi-page query holds a connection for its
// streamed SELECT while it writes the rows over another, and sharing one pool would let
// enough concurrent ones hold every connection while all wait for a second.
const chResults = dslClient('anlyt-api-results');
const topology = { database: cfg.CLICKHOUSE_DATABASE, cluster: null };
const runQuery = new RunQueryUseCase({
  store: clickhouseQueryStore(ch, topology, {
    cubeBuilder: cfg.CUBE_BUILDER_NAME,
    maxExecutionTimeS: cfg.QUERY_MAX_EXECUTION_S,
    results: chResults,
  }),
  database: cfg.CLICKHOUSE_DATABASE,
  cursorKey: cursorKey(cfg),
  maxResultRows: cfg.QUERY_MAX_RESULT_ROWS,
  cursorTtlMs: cfg.QUERY_CURSOR_TTL_S * 1000,
});
const insights = new MnoQualityUseCase({
  traffic: clickhouseInsightsTraffic(ch, topology, { cubeBuilder: cfg.CUBE_BUILDER_NAME }),
  labels: pgLabelStore(sql),
  addendumOnRecord: pgAddendumOnRecord(sql),
  labelKey: labelKey(cfg),
  minSampleSize: cfg.INSIGHTS_MIN_SAMPLE_SIZE,
});
const verify = tokenVerifier({
  secret: cfg.ANLYT_AUTH_JWT_SECRET,
  jwksUrl: cfg.ANLYT_AUTH_JWKS_URL,
  jwksAlgorithms: cfg.ANLYT_AUTH_JWT_ALGORITHMS.split(','),
});
const registry = createRegistry('anlyt-api');
const app = await buildApp({
  runQuery,
  insights,
  clickhouseUp: () => ch.ping().then((p) => p.success),
  sql,
  verify,
  registry,
  log,
  marginSeconds: cfg.ROLLUP_CHANGE_MARGIN_S,
  answerCacheBytes: Math.floor(cfg.ANLYT_API_ANSWER_CACHE_MB * 2 ** 20),
});
const address = await app.listen({ host: cfg.HTTP_HOST, port: cfg.HTTP_PORT });
log.info({ address }, 'anlyt-api listening');

// The compliance audit's mTLS listener (src/audit/), only when its TLS files are configured.
const audit = auditSettings(cfg);
let auditListener: AuditListener | null = null;
if (audit.on) {
  auditListener = await startAuditListener({
    settings: audit.settings,
    host: cfg.HTTP_HOST,
    clickhouseUrl: cfg.CLICKHOUSE_URL,
    topology,
    sql,
    verify,
    registry,
    log,
  });
  log.info({ address: auditListener.address }, 'anlyt-api audit listener (mTLS) listening');
} else {
  log.info({ reason: audit.reason }, 'anlyt-api audit listener is off');
}

closeWithGrace({ delay: cfg.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
  if (err) log.error({ err: String(err) }, 'fatal error, shutting down');
  else log.info({ signal }, 'shutting down');
  await app.close(); // stops accepting, lets in-flight requests finish
  await auditListener?.close();
  await sql.end({ timeout: 5 });
  await ch.close();
  await chResults.close();
});
