/**
 * The API as the dashboard developer met it: real listeners on free ports — the analytics
 * routes over a database the real anlyt-consumer filled (../harness.ts), the query DSL over a
 * ClickHouse test database holding @anlyt/traffic's facts (../dsl-harness.ts) — their served
 * OpenAPI document, tokens, and the calls that exercise every operation and every error
 * status the document declares.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { createClickHouse } from '@anlyt/clickhouse';
import { createRegistry } from '@anlyt/observability';
import type { Sql } from '@anlyt/pg';
import { billedEvent, dlrEvent, freePort } from '@anlyt/testing';
import { defaultTrafficConfig, FactsOracle, generateTraffic } from '@anlyt/traffic';
import { buildApp, DSL_PREFIX } from '../../src/app.js';
import { tokenVerifier } from '../../src/plugins/auth.js';
import { clickhouseQueryStore } from '../../src/query/clickhouse-query-store.js';
import { RunQueryUseCase } from '../../src/query/run-query.use-case.js';
import { startDslHarness } from '../dsl-harness.js';
import { startInsightsHarness } from '../insights-harness.js';
import { SECRET, startApiHarness, token } from '../harness.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const PREFIX = '/v1/internal/analytics';
export const QUERY = `${DSL_PREFIX}/query`;

/** The day the data lies in; every 200 call asks for it, so answers do not move with the clock. */
export const DAY = '2026-11-20';
export const OPERATOR = 'mno-ke-01';
export const ACCOUNT = 'acc_4821';

const at = (hhmmss: string) => `${DAY}T${hhmmss}Z`;
const BILLED = [
  billedEvent({ occurredAt: at('10:00:00.100'), amount: '0.012500' }),
  billedEvent({ occurredAt: at('10:00:00.900'), amount: '0.012500' }),
  billedEvent({ occurredAt: at('11:30:00.000'), operatorId: 'mno-ng-01', amount: '1.000001' }),
  billedEvent({ occurredAt: at('12:00:00.000'), amount: '0.012500', status: 'REFUNDED' }),
];
const DLR = [
  dlrEvent({ occurredAt: at('10:00:03.000'), latencyMs: 2631 }),
  dlrEvent({
    occurredAt: at('10:00:09.000'),
    deliveryStatus: 'FAILED',
    errorCode: '0x1',
    latencyMs: 8200,
  }),
  dlrEvent({ occurredAt: at('11:30:04.000'), operatorId: 'mno-ng-01', latencyMs: 4100 }),
  dlrEvent({ occurredAt: at('11:31:00.000'), operatorId: 'mno-ng-01', deliveryStatus: 'UNKNOWN' }),
];

/**
 * The query DSL's data: a small platform's day (3 tenants, 3 MNOs, DLRs and CDRs) on DAY,
 * from @anlyt/traffic — the facts themselves are exported, so a spec computes what an answer
 * must hold from the same independent source.
 */
const traffic = new FactsOracle();
for (const m of generateTraffic(
  defaultTrafficConfig({
    seed: 20,
    messages: 400,
    accounts: 3,
    operators: 3,
    startMs: Date.parse(DAY),
    cdrs: true,
  }),
))
  traffic.observe(m);
export const QUERY_FACTS = {
  dlrs: [...traffic.dlrFacts().values()],
  cdrs: [...traffic.cdrFacts().values()],
};
/** A tenant of that traffic: what a portal caller sends as X-Account-Id. */
export const QUERY_TENANT = QUERY_FACTS.dlrs[0]!.tenantId;
/** Rows a stored result may hold on the `smallResults` server (production: 1 000 000). */
export const SMALL_RESULT_ROWS = 20;

/**
 * Where a call is sent. One server per configuration the document's statuses need:
 * - postgres: the analytics routes over the consumer's database (../harness.ts); built as the
 *   OpenAPI writer builds it, without a query store, so its query route answers 503;
 * - clickhouse: the query DSL as production configures it, over a ClickHouse test database
 *   holding QUERY_FACTS, cubes built (../dsl-harness.ts);
 * - smallResults: the same, but a stored result may hold SMALL_RESULT_ROWS rows: a 413
 *   RESULT_TOO_LARGE without writing a million rows;
 * - clickhouseDown: the query DSL pointed at a ClickHouse URL where nothing listens (the 503
 *   production sends while ClickHouse is down).
 * - insights: the tenant MNO quality insights as production configures them, over a
 *   ClickHouse test database holding QUERY_FACTS (../insights-harness.ts).
 */
export type Server = 'postgres' | 'clickhouse' | 'smallResults' | 'clickhouseDown' | 'insights';

export interface LiveApi {
  /** The `postgres` server: every GET operation. */
  base: string;
  servers: Record<Server, string>;
  /** The document the `postgres` listener serves at /openapi.json (every server serves it). */
  document: OpenApiDocument;
  tokens: { admin: string; portal: string; regulator: string };
  close(): Promise<void>;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** The query DSL wired as ../dsl-harness.ts wires it, to a ClickHouse that does not answer. */
async function clickhouseDownApp(sql: Sql) {
  // A port that was free a moment ago and that nobody listens on: connections are refused,
  // as when ClickHouse is down.
  const ch = createClickHouse({ url: `http://127.0.0.1:${await freePort()}` });
  const database = 'anlyt_nowhere';
  const app = await buildApp({
    sql,
    verify: tokenVerifier({ secret: SECRET }),
    registry: createRegistry('anlyt-api', { defaultMetrics: false }),
    marginSeconds: 900,
    answerCacheBytes: 0,
    runQuery: new RunQueryUseCase({
      store: clickhouseQueryStore(
        ch,
        { database, cluster: null },
        { cubeBuilder: 'main', maxExecutionTimeS: 30 },
      ),
      database,
      cursorKey: Buffer.from('a cursor key for the tests, 32 bytes+'),
      maxResultRows: 1_000_000,
      cursorTtlMs: 86_400_000,
    }),
  });
  return {
    app,
    async close() {
      await app.close();
      await ch.close();
    },
  };
}

export async function startLiveApi(): Promise<LiveApi> {
  // Closed last-started-first (the clickhouseDown server borrows the postgres one's database).
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const started = await Promise.allSettled([
      startApiHarness(),
      startDslHarness(),
      startDslHarness({ maxResultRows: SMALL_RESULT_ROWS }),
      startInsightsHarness(),
    ]);
    for (const s of started) if (s.status === 'fulfilled') closers.push(() => s.value.close());
    const [h, dsl, small, insights] = started.map((s) => {
      if (s.status === 'rejected') throw s.reason;
      return s.value;
    }) as [
      Awaited<ReturnType<typeof startApiHarness>>,
      Awaited<ReturnType<typeof startDslHarness>>,
      Awaited<ReturnType<typeof startDslHarness>>,
      Awaited<ReturnType<typeof startInsightsHarness>>,
    ];
    const down = await clickhouseDownApp(h.db.sql);
    closers.push(() => down.close());
    await Promise.all([
      h.ingest(BILLED, DLR),
      dsl.load(QUERY_FACTS.dlrs, QUERY_FACTS.cdrs),
      small.load(QUERY_FACTS.dlrs, QUERY_FACTS.cdrs),
      insights.load(QUERY_FACTS.dlrs, QUERY_FACTS.cdrs),
    ]);
    const servers: Record<Server, string> = {
      postgres: await listen(h.app),
      clickhouse: await listen(dsl.app),
      smallResults: await listen(small.app),
      clickhouseDown: await listen(down.app),
      insights: await listen(insights.app),
    };
    const res = await fetch(`${servers.postgres}/openapi.json`);
    if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
    return {
      base: servers.postgres,
      servers,
      document: (await res.json()) as OpenApiDocument,
      tokens: {
        admin: await token('admin'),
        portal: await token('portal', { sub: 'customer-portal' }),
        regulator: await token('regulator', { sub: 'regulator-gateway' }),
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** One request of the conformance run: the operation it calls and the status it must get. */
export interface LiveCall {
  name: string;
  /** The operation's method as the document's path item keys it; 'get' when absent. */
  method?: 'get' | 'post' | 'put' | 'delete';
  /** The path template, as in the document's `paths`. */
  path: string;
  url: string;
  /** Sent as application/json: an object JSON-encoded, a string as it is (bytes that are not JSON). */
  body?: unknown;
  auth: 'admin' | 'portal' | 'regulator' | 'none' | 'bad';
  headers?: Record<string, string>;
  /** The server that answers; 'postgres' when absent. */
  server?: Server;
  status: number;
  /** The problem's code, where the status alone does not tell which refusal was meant. */
  code?: string;
}

const window = `from=${DAY}&to=${DAY}`;
const perf = `${PREFIX}/operators/{id}/performance`;
const usage = `${PREFIX}/accounts/{id}/usage`;
const summary = `${PREFIX}/summary`;
const throughput = `${PREFIX}/throughput`;
const breakdown = `${PREFIX}/delivery-breakdown`;

export const LIVE_CALLS: readonly LiveCall[] = [
  { name: 'summary', path: summary, url: `${summary}?${window}`, auth: 'admin', status: 200 },
  {
    name: 'operator, hourly by default',
    path: perf,
    url: `${PREFIX}/operators/${OPERATOR}/performance?${window}`,
    auth: 'admin',
    status: 200,
  },
  {
    name: 'operator, daily',
    path: perf,
    url: `${PREFIX}/operators/${OPERATOR}/performance?${window}&granularity=daily`,
    auth: 'admin',
    status: 200,
  },
  {
    name: 'account usage (admin)',
    path: usage,
    url: `${PREFIX}/accounts/${ACCOUNT}/usage?${window}`,
    auth: 'admin',
    status: 200,
  },
  {
    name: 'account usage (portal, own account)',
    path: usage,
    url: `${PREFIX}/accounts/${ACCOUNT}/usage?${window}`,
    auth: 'portal',
    headers: { 'x-account-id': ACCOUNT },
    status: 200,
  },
  {
    name: 'account usage of an idle account',
    path: usage,
    url: `${PREFIX}/accounts/acc_idle/usage?${window}`,
    auth: 'admin',
    status: 200,
  },
  {
    name: 'throughput 1h',
    path: throughput,
    url: `${throughput}?${window}`,
    auth: 'admin',
    status: 200,
  },
  {
    name: 'throughput 1m, one operator',
    path: throughput,
    url: `${throughput}?resolution=1m&operatorId=${OPERATOR}&from=${DAY}T10:00:00Z&to=${DAY}T10:05:00Z`,
    auth: 'admin',
    status: 200,
  },
  { name: 'breakdown', path: breakdown, url: `${breakdown}?${window}`, auth: 'admin', status: 200 },
  { name: 'no token', path: summary, url: summary, auth: 'none', status: 401 },
  {
    name: 'a bad token',
    path: perf,
    url: `${PREFIX}/operators/x/performance`,
    auth: 'bad',
    status: 401,
  },
  {
    name: 'no token (usage)',
    path: usage,
    url: `${PREFIX}/accounts/a/usage`,
    auth: 'none',
    status: 401,
  },
  { name: 'a bad token (throughput)', path: throughput, url: throughput, auth: 'bad', status: 401 },
  { name: 'a bad token (breakdown)', path: breakdown, url: breakdown, auth: 'bad', status: 401 },
  { name: 'portal on an admin route', path: summary, url: summary, auth: 'portal', status: 403 },
  {
    name: 'regulator on throughput',
    path: throughput,
    url: throughput,
    auth: 'regulator',
    status: 403,
  },
  { name: 'portal on the breakdown', path: breakdown, url: breakdown, auth: 'portal', status: 403 },
  {
    name: 'portal on an operator',
    path: perf,
    url: `${PREFIX}/operators/${OPERATOR}/performance`,
    auth: 'portal',
    status: 403,
  },
  {
    name: 'portal without X-Account-Id',
    path: usage,
    url: `${PREFIX}/accounts/${ACCOUNT}/usage`,
    auth: 'portal',
    status: 403,
  },
  {
    name: 'portal asking for another account',
    path: usage,
    url: `${PREFIX}/accounts/acc_other/usage`,
    auth: 'portal',
    headers: { 'x-account-id': ACCOUNT },
    status: 403,
  },
  {
    name: 'an operator never seen',
    path: perf,
    url: `${PREFIX}/operators/mno-xx-99/performance`,
    auth: 'admin',
    status: 404,
  },
  {
    name: 'from after to',
    path: summary,
    url: `${summary}?from=${DAY}&to=2026-11-19`,
    auth: 'admin',
    status: 400,
  },
  {
    name: 'an unknown granularity',
    path: perf,
    url: `${PREFIX}/operators/${OPERATOR}/performance?granularity=weekly`,
    auth: 'admin',
    status: 400,
  },
  {
    name: 'a bad account id',
    path: usage,
    url: `${PREFIX}/accounts/acc.bad/usage`,
    auth: 'admin',
    status: 400,
  },
  {
    name: 'a 1m window over a day',
    path: throughput,
    url: `${throughput}?resolution=1m&from=2026-11-19&to=${DAY}`,
    auth: 'admin',
    status: 400,
  },
  {
    name: 'a window over 90 days',
    path: breakdown,
    url: `${breakdown}?from=2026-01-01&to=${DAY}`,
    auth: 'admin',
    status: 400,
  },
  ...queryCalls(),
  ...insightsCalls(),
];

/** POST /v1/anlyt/query: its 200s read QUERY_FACTS; every refusal the route declares. */
function queryCalls(): LiveCall[] {
  const post = (c: Omit<LiveCall, 'method' | 'path' | 'url'>): LiveCall => ({
    method: 'post',
    path: QUERY,
    url: QUERY,
    server: 'clickhouse',
    ...c,
  });
  const timeRange = { from: DAY, to: DAY };
  const dlrs = { dataset: 'dlr', measures: ['dlrs'], timeRange };
  const tenant = { 'x-account-id': QUERY_TENANT };
  // 6 filters of 1 000 values of 190 characters: within every bound of the body's schema,
  // over fastify's default bodyLimit (1 MiB).
  const huge = Array.from({ length: 6 }, (_, f) => ({
    member: 'mno',
    op: 'notIn',
    values: Array.from({ length: 1000 }, (_, i) => `mno-${f}-${i}-`.padEnd(190, 'x')),
  }));
  return [
    post({
      name: 'query: DLRs per day, MNO and status with latency quantiles (from the cube)',
      auth: 'admin',
      body: {
        dataset: 'dlr',
        measures: [
          'dlrs',
          'delivered',
          'failed',
          'deliveryRate',
          'avgLatencyMs',
          'p50LatencyMs',
          'p95LatencyMs',
          'p99LatencyMs',
        ],
        dimensions: ['day', 'mno', 'status'],
        order: [{ member: 'dlrs', dir: 'desc' }],
        timeRange,
      },
      status: 200,
    }),
    post({
      name: 'query: CDR cost per destination prefix and ESME error (from the facts)',
      auth: 'admin',
      body: {
        dataset: 'cdr',
        measures: ['cdrs', 'segments', 'cost', 'rejected', 'throttled', 'esmeErrorRate'],
        dimensions: ['destinationPrefix', 'esmeErrorCode'],
        timeRange,
      },
      status: 200,
    }),
    post({
      name: 'query: compliance per hour, verdict and rule (portal, own tenant)',
      auth: 'portal',
      headers: tenant,
      body: {
        dataset: 'compliance',
        measures: ['checked', 'blocked'],
        dimensions: ['hour', 'verdict', 'rule'],
        timeRange,
      },
      status: 200,
    }),
    post({
      name: 'query: a first page, with the cursor to the next',
      auth: 'admin',
      body: { ...dlrs, dimensions: ['hour', 'tenantId'], limit: 5 },
      status: 200,
    }),
    post({
      name: 'query: a window without data (one row of zeros and nulls)',
      auth: 'admin',
      body: {
        dataset: 'cdr',
        measures: ['cdrs', 'cost', 'esmeErrorRate'],
        timeRange: { from: '2020-01-01', to: '2020-01-01' },
      },
      status: 200,
    }),
    post({ name: 'query: no token', auth: 'none', body: dlrs, status: 401 }),
    post({ name: 'query: a bad token', auth: 'bad', body: dlrs, status: 401 }),
    post({
      name: 'query: a regulator',
      auth: 'regulator',
      body: dlrs,
      status: 403,
      code: 'FORBIDDEN',
    }),
    post({
      name: 'query: portal without X-Account-Id',
      auth: 'portal',
      body: dlrs,
      status: 403,
      code: 'FORBIDDEN',
    }),
    post({
      name: 'query: portal naming tenantId',
      auth: 'portal',
      headers: tenant,
      body: { ...dlrs, filters: [{ member: 'tenantId', op: 'in', values: [QUERY_TENANT] }] },
      status: 403,
      code: 'FORBIDDEN',
    }),
    post({
      name: 'query: an unknown member (sql)',
      auth: 'admin',
      body: { ...dlrs, sql: 'SELECT 1' },
      status: 400,
      code: 'INVALID_REQUEST',
    }),
    post({
      name: 'query: a measure of another dataset',
      auth: 'admin',
      body: { ...dlrs, measures: ['cost'] },
      status: 400,
      code: 'INVALID_REQUEST',
    }),
    post({
      name: 'query: from after to',
      auth: 'admin',
      body: { ...dlrs, timeRange: { from: DAY, to: '2026-11-19' } },
      status: 400,
      code: 'INVALID_WINDOW',
    }),
    post({
      name: 'query: a body that is not JSON',
      auth: 'admin',
      body: '{"dataset": "dlr", ',
      status: 400,
      code: 'INVALID_REQUEST',
    }),
    post({
      name: 'query: a body sent as application/xml',
      auth: 'admin',
      headers: { 'content-type': 'application/xml' },
      body: '<query dataset="dlr"/>',
      status: 415,
      code: 'INVALID_REQUEST',
    }),
    post({
      name: 'query: portal with an X-Account-Id that is no account id',
      auth: 'portal',
      headers: { 'x-account-id': 'acc.bad' },
      body: dlrs,
      status: 400,
      code: 'INVALID_REQUEST',
    }),
    post({
      name: 'query: a result over the rows one may hold',
      server: 'smallResults',
      auth: 'admin',
      body: { ...dlrs, dimensions: ['hour', 'mno', 'status'], limit: 10 },
      status: 413,
      code: 'RESULT_TOO_LARGE',
    }),
    post({
      name: 'query: a body over 1 MiB',
      auth: 'admin',
      body: { ...dlrs, filters: huge },
      status: 413,
    }),
    post({
      name: 'query: no analytics store configured',
      server: 'postgres',
      auth: 'admin',
      body: dlrs,
      status: 503,
      code: 'UNAVAILABLE',
    }),
    post({
      name: 'query: ClickHouse not answering',
      server: 'clickhouseDown',
      auth: 'admin',
      body: dlrs,
      status: 503,
      code: 'UNAVAILABLE',
    }),
  ];
}

/** GET /v1/anlyt/insights/mno-quality (over QUERY_FACTS) and the addendum's admin routes. */
function insightsCalls(): LiveCall[] {
  const insights = `${DSL_PREFIX}/insights/mno-quality`;
  const addendum = `${DSL_PREFIX}/admin/tenants/{tenantId}/data-share-addendum`;
  const addendumOf = (tenant: string) => addendum.replace('{tenantId}', tenant);
  const day = `from=${DAY}&to=${DAY}`;
  const tenant = { 'x-account-id': QUERY_TENANT };
  const signed = { reference: 'DSA-2026-0042', signedAt: '2026-11-18T09:30:00Z' };
  const get = (c: Omit<LiveCall, 'path'>): LiveCall => ({
    path: insights,
    server: 'insights',
    ...c,
  });
  const admin = (c: Omit<LiveCall, 'path'>): LiveCall => ({ path: addendum, ...c });
  return [
    get({
      name: 'insights: portal, own tenant',
      url: `${insights}?${day}`,
      auth: 'portal',
      headers: tenant,
      status: 200,
    }),
    get({
      name: 'insights: admin naming the tenant',
      url: `${insights}?${day}&tenantId=${QUERY_TENANT}`,
      auth: 'admin',
      status: 200,
    }),
    get({
      name: 'insights: a tenant without traffic',
      url: `${insights}?${day}&tenantId=acc_idle`,
      auth: 'admin',
      status: 200,
    }),
    get({ name: 'insights: no token', url: insights, auth: 'none', status: 401 }),
    get({ name: 'insights: a bad token', url: insights, auth: 'bad', status: 401 }),
    get({
      name: 'insights: a regulator',
      url: insights,
      auth: 'regulator',
      status: 403,
      code: 'FORBIDDEN',
    }),
    get({
      name: 'insights: portal without X-Account-Id',
      url: insights,
      auth: 'portal',
      status: 403,
      code: 'FORBIDDEN',
    }),
    get({
      name: 'insights: a window over 90 days',
      url: `${insights}?from=2026-01-01&to=${DAY}`,
      auth: 'portal',
      headers: tenant,
      status: 400,
      code: 'INVALID_WINDOW',
    }),
    get({
      name: 'insights: an admin without tenantId',
      url: insights,
      auth: 'admin',
      status: 400,
      code: 'INVALID_REQUEST',
    }),
    get({
      name: 'insights: no insights configured',
      server: 'postgres',
      url: `${insights}?tenantId=${ACCOUNT}`,
      auth: 'admin',
      status: 503,
      code: 'UNAVAILABLE',
    }),
    admin({
      name: 'addendum: none on record',
      url: addendumOf(ACCOUNT),
      auth: 'admin',
      status: 200,
    }),
    admin({
      name: 'addendum: set',
      method: 'put',
      url: addendumOf(ACCOUNT),
      auth: 'admin',
      body: signed,
      status: 200,
    }),
    admin({ name: 'addendum: read back', url: addendumOf(ACCOUNT), auth: 'admin', status: 200 }),
    admin({
      name: 'addendum: revoked',
      method: 'delete',
      url: addendumOf(ACCOUNT),
      auth: 'admin',
      status: 200,
    }),
    admin({
      name: 'addendum: revoke with none on record',
      method: 'delete',
      url: addendumOf(ACCOUNT),
      auth: 'admin',
      status: 404,
      code: 'NOT_FOUND',
    }),
    ...(['get', 'put', 'delete'] as const).flatMap((method): LiveCall[] => {
      const body = method === 'put' ? { body: signed } : {};
      return [
        admin({
          name: `addendum ${method}: no token`,
          method,
          url: addendumOf(ACCOUNT),
          auth: 'none',
          ...body,
          status: 401,
        }),
        admin({
          name: `addendum ${method}: a bad token`,
          method,
          url: addendumOf(ACCOUNT),
          auth: 'bad',
          ...body,
          status: 401,
        }),
        admin({
          name: `addendum ${method}: a portal`,
          method,
          url: addendumOf(ACCOUNT),
          auth: 'portal',
          headers: { 'x-account-id': ACCOUNT },
          ...body,
          status: 403,
          code: 'FORBIDDEN',
        }),
        admin({
          name: `addendum ${method}: a tenantId that is no account id`,
          method,
          url: addendumOf('acc.bad'),
          auth: 'admin',
          ...body,
          status: 400,
          code: 'INVALID_REQUEST',
        }),
      ];
    }),
    admin({
      name: 'addendum: an unknown member',
      method: 'put',
      url: addendumOf(ACCOUNT),
      auth: 'admin',
      body: { ...signed, mno: 'x' },
      status: 400,
      code: 'INVALID_REQUEST',
    }),
    admin({
      name: 'addendum: signed in the future',
      method: 'put',
      url: addendumOf(ACCOUNT),
      auth: 'admin',
      body: { ...signed, signedAt: '2999-01-01T00:00:00Z' },
      status: 400,
      code: 'INVALID_REQUEST',
    }),
    admin({
      name: 'addendum: a valid body padded over 4 KiB',
      method: 'put',
      url: addendumOf(ACCOUNT),
      auth: 'admin',
      body: `{"reference": "DSA-2026-0042",${' '.repeat(5000)}"signedAt": "2026-11-18T09:30:00Z"}`,
      status: 413,
      code: 'INVALID_REQUEST',
    }),
    admin({
      name: 'addendum: a body sent as application/xml',
      method: 'put',
      url: addendumOf(ACCOUNT),
      auth: 'admin',
      headers: { 'content-type': 'application/xml' },
      body: '<addendum/>',
      status: 415,
      code: 'INVALID_REQUEST',
    }),
  ];
}

export function headersFor(api: LiveApi, call: LiveCall): Record<string, string> {
  const headers: Record<string, string> = { ...call.headers };
  if (call.auth === 'bad') headers['authorization'] = 'Bearer not.a.token';
  else if (call.auth !== 'none') headers['authorization'] = `Bearer ${api.tokens[call.auth]}`;
  if (call.body !== undefined) headers['content-type'] ??= 'application/json';
  return headers;
}

/** Makes the call over TCP, to its server. */
export function send(api: LiveApi, call: LiveCall): Promise<Response> {
  const { body } = call;
  return fetch(`${api.servers[call.server ?? 'postgres']}${call.url}`, {
    method: (call.method ?? 'get').toUpperCase(),
    headers: headersFor(api, call),
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/** The parts of an OpenAPI 3.1 document the tests read. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; license?: { name: string; identifier?: string } };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

export interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    description?: string;
    schema?: { type?: string; default?: unknown };
  }[];
  requestBody?: {
    required?: boolean;
    description?: string;
    content: Record<string, MediaObject>;
  };
  security?: Record<string, string[]>[];
  responses: Record<string, ResponseObject>;
}

export interface MediaObject {
  schema: { $ref?: string; type?: string; additionalProperties?: unknown; required?: string[] };
  examples?: Record<string, { summary?: string; value: unknown }>;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, { schema?: unknown; description?: string; required?: boolean }>;
  content?: Record<string, MediaObject>;
}
