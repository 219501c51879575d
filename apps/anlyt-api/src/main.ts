/** Process entry: config → logger/metrics → Postgres → app → listen; graceful shutdown. */
import closeWithGrace from 'close-with-grace';
import { createLogger, createRegistry } from '@anlyt/observability';
import { createSql } from '@anlyt/pg';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { tokenVerifier } from './plugins/auth.js';

const cfg = loadConfig();
const log = createLogger({ service: 'anlyt-api', level: cfg.LOG_LEVEL });
const sql = createSql(cfg.DATABASE_URL, {
  max: cfg.PG_POOL_MAX,
  applicationName: 'anlyt-api',
  statementTimeoutMs: 10_000,
  jitOff: true,
});
const app = await buildApp({
  sql,
  verify: tokenVerifier({
    secret: cfg.ANLYT_AUTH_JWT_SECRET,
    jwksUrl: cfg.ANLYT_AUTH_JWKS_URL,
    jwksAlgorithms: cfg.ANLYT_AUTH_JWT_ALGORITHMS.split(','),
  }),
  registry: createRegistry('anlyt-api'),
  log,
  marginSeconds: cfg.ROLLUP_CHANGE_MARGIN_S,
  answerCacheBytes: Math.floor(cfg.ANLYT_API_ANSWER_CACHE_MB * 2 ** 20),
});
const address = await app.listen({ host: cfg.HTTP_HOST, port: cfg.HTTP_PORT });
log.info({ address }, 'anlyt-api listening');

closeWithGrace({ delay: cfg.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
  if (err) log.error({ err: String(err) }, 'fatal error, shutting down');
  else log.info({ signal }, 'shutting down');
  await app.close(); // stops accepting, lets in-flight requests finish
  await sql.end({ timeout: 5 });
});
