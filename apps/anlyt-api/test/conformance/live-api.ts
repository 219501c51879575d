/**
 * The API as the dashboard developer met it: a real listener on a free port over a database
 * the real anlyt-consumer filled (../harness.ts), its served OpenAPI document, tokens, and the
 * calls that exercise every operation and every error status the document declares.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { billedEvent, dlrEvent } from '@anlyt/testing';
import { startApiHarness, token, type ApiHarness } from '../harness.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const PREFIX = '/v1/internal/analytics';

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

export interface LiveApi {
  base: string;
  /** The document the listener serves at /openapi.json. */
  document: OpenApiDocument;
  tokens: { admin: string; portal: string; regulator: string };
  close(): Promise<void>;
}

export async function startLiveApi(): Promise<LiveApi> {
  const h: ApiHarness = await startApiHarness();
  try {
    await h.ingest(BILLED, DLR);
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = h.app.server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const res = await fetch(`${base}/openapi.json`);
    if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
    return {
      base,
      document: (await res.json()) as OpenApiDocument,
      tokens: {
        admin: await token('admin'),
        portal: await token('portal', { sub: 'customer-portal' }),
        regulator: await token('regulator', { sub: 'regulator-gateway' }),
      },
      close: () => h.close(),
    };
  } catch (err) {
    await h.close();
    throw err;
  }
}

/** One request of the conformance run: the operation it calls and the status it must get. */
export interface LiveCall {
  name: string;
  /** The path template, as in the document's `paths`. */
  path: string;
  url: string;
  auth: 'admin' | 'portal' | 'regulator' | 'none' | 'bad';
  headers?: Record<string, string>;
  status: number;
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
];

export function headersFor(api: LiveApi, call: LiveCall): Record<string, string> {
  const headers: Record<string, string> = { ...call.headers };
  if (call.auth === 'bad') headers['authorization'] = 'Bearer not.a.token';
  else if (call.auth !== 'none') headers['authorization'] = `Bearer ${api.tokens[call.auth]}`;
  return headers;
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
  parameters?: { name: string; in: string; required?: boolean; schema?: { default?: unknown } }[];
  responses: Record<string, ResponseObject>;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, { schema?: unknown; description?: string; required?: boolean }>;
  content?: Record<
    string,
    { schema: { $ref?: string }; examples?: Record<string, { value: unknown }> }
  >;
}
