/**
 * Builds the anlyt-api fastify instance (no listening): tests `inject()` into it, main.ts
 * listens. Read-only; every analytics route is authenticated and answers errors as
 * problem+json; the OpenAPI 3.1 document is generated from the route schemas.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Counter, Histogram } from 'prom-client';
import type { Logger, Registry } from '@anlyt/observability';
import type { Sql } from '@anlyt/pg';
import type { TokenVerifier } from './plugins/auth.js';
import { AnswerCache } from './answer-cache.js';
import { DEFAULT_PUBLIC_URL } from './config.js';
import { openapiOptions } from './openapi.js';
import { clientErrorHandler, frameworkErrors, registerProblemHandlers } from './problem.js';
import { accountUsageRoutes } from './routes/account-usage.js';
import { operatorPerformanceRoutes } from './routes/operator-performance.js';
import { deliveryBreakdownRoutes } from './routes/delivery-breakdown.js';
import { summaryRoutes } from './routes/summary.js';
import { throughputRoutes } from './routes/throughput.js';
import { queryRoutes } from './query/route.js';
import type { RunQueryUseCase } from './query/run-query.use-case.js';
import { insightsRoutes } from './insights/routes.js';
import type { MnoQualityUseCase } from './insights/mno-quality.use-case.js';
import { registerSchemas } from './schemas/components.js';
import { insightsPage } from './insights-page/plugin.js';

export interface ApiDeps {
  sql: Sql;
  verify: TokenVerifier;
  registry: Registry;
  log?: Logger;
  now?: () => number;
  marginSeconds: number;
  /** Memory for reusable answers (answer-cache.ts); 0 turns reuse off. */
  answerCacheBytes: number;
  /** The OpenAPI document's `servers` URL (ANLYT_API_PUBLIC_URL); default DEFAULT_PUBLIC_URL. */
  publicUrl?: string;
  /** The query DSL on ClickHouse (POST /v1/anlyt/query); without it (tests of the Postgres
   *  routes, the OpenAPI writer) the route is there and answers 503 UNAVAILABLE. */
  runQuery?: RunQueryUseCase;
  /** Tenant MNO quality insights (GET /v1/anlyt/insights/mno-quality) on ClickHouse; without
   *  it the route is there and answers 503 UNAVAILABLE. The addendum admin routes need only sql. */
  insights?: MnoQualityUseCase;
  /** Is ClickHouse answering (reported by /readyz, not required by it: see below). */
  clickhouseUp?: () => Promise<boolean>;
}

export const API_PREFIX = '/v1/internal/analytics';
export const DSL_PREFIX = '/v1/anlyt';

export async function buildApp(d: ApiDeps): Promise<FastifyInstance> {
  // pino's Logger is a FastifyBaseLogger at run time; the types differ only in generics.
  const loggerInstance = d.log as FastifyBaseLogger | undefined;
  const app = Fastify({
    loggerInstance,
    // No request lines: they would carry query strings (account ids, windows).
    logController: new LogController({ disableRequestLogging: true }),
    // Errors raised before routing (414 path parameter, bad URL, unparseable HTTP) are
    // problem+json too (problem.ts).
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();
  registerProblemHandlers(app);
  observeRequests(app, d.registry);

  registerSchemas(app);
  await app.register(swagger, openapiOptions(d.publicUrl ?? DEFAULT_PUBLIC_URL));
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const routeDeps = {
    answers: new AnswerCache(d.sql, { maxBytes: d.answerCacheBytes, registry: d.registry }),
    verify: d.verify,
    now: d.now ?? Date.now,
    marginSeconds: d.marginSeconds,
  };
  await app.register(summaryRoutes, { prefix: API_PREFIX, ...routeDeps });
  await app.register(throughputRoutes, { prefix: API_PREFIX, ...routeDeps });
  await app.register(deliveryBreakdownRoutes, { prefix: API_PREFIX, ...routeDeps });
  await app.register(accountUsageRoutes, { prefix: API_PREFIX, ...routeDeps });
  await app.register(operatorPerformanceRoutes, { prefix: API_PREFIX, ...routeDeps });
  await app.register(queryRoutes, {
    prefix: DSL_PREFIX,
    verify: d.verify,
    now: routeDeps.now,
    ...(d.runQuery ? { runQuery: d.runQuery } : {}),
  });
  await app.register(insightsRoutes, {
    prefix: DSL_PREFIX,
    verify: d.verify,
    now: routeDeps.now,
    sql: d.sql,
    ...(d.insights ? { insights: d.insights } : {}),
  });

  await app.register(insightsPage); // the human page of US-ANLYT-19 (public, static)
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  // Ready = PostgreSQL answers. ClickHouse is reported but not required: the EP-ANLYT-01
  // routes do not need it, and the DSL answers 503 UNAVAILABLE on its own while it is down.
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const ok = await d.sql`select 1`.then(
      () => true,
      () => false,
    );
    const clickhouse = d.clickhouseUp ? { clickhouse: await d.clickhouseUp() } : {};
    return reply
      .code(ok ? 200 : 503)
      .send({ status: ok ? 'ready' : 'not ready', checks: { postgres: ok, ...clickhouse } });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.type(d.registry.contentType).send(await d.registry.metrics()),
  );
  return app;
}

/** Request count and latency per route template (never the raw URL: ids stay out of labels). */
function observeRequests(app: FastifyInstance, registry: Registry) {
  const requests = new Counter({
    name: 'anlyt_api_requests_total',
    help: 'HTTP requests by route template and status code',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'anlyt_api_request_duration_seconds',
    help: 'HTTP request duration by route template',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ route, status: String(reply.statusCode) });
    duration.observe({ route }, reply.elapsedTime / 1000);
  });
}
