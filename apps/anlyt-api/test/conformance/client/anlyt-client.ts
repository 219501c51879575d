/**
 * A dashboard's client of the internal analytics API and of the query DSL, written the way a
 * consumer of the published document would: openapi-fetch over the types openapi-typescript
 * generates from /openapi.json. `anlyt-api-openapi` is that generated file (the tsconfig
 * beside this one maps it to where typed-client.spec.ts writes it). It compiles only if the
 * document gives every response a named, precise type — which is what the conformance test
 * checks.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from 'anlyt-api-openapi';

const BASE = '/v1/internal/analytics';
const QUERY = '/v1/anlyt/query';

type Schemas = components['schemas'];
export type Summary = Schemas['Summary'];
export type OperatorPerformance = Schemas['OperatorPerformance'];
export type AccountUsage = Schemas['AccountUsage'];
export type Throughput = Schemas['Throughput'];
export type DeliveryBreakdown = Schemas['DeliveryBreakdown'];
export type Problem = Schemas['Problem'];
export type Money = Schemas['Money'];
export type Window = Schemas['Window'];
export type QueryResponse = Schemas['QueryResponse'];
export type QueryRow = Schemas['QueryRow'];
/** The query DSL's body: inline in the document (not a component), read from the operation. */
export type QueryBody = paths[typeof QUERY]['post']['requestBody']['content']['application/json'];

export type AnlytClient = ReturnType<typeof anlytClient>;

/** A client that sends `token` as its bearer token on every call. */
export function anlytClient(baseUrl: string, token?: string) {
  return createClient<paths>({
    baseUrl,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

/** Day-bounded windows (YYYY-MM-DD, `to` inclusive), as the dashboards ask. */
export interface Days {
  from: string;
  to: string;
}

export const getSummary = (c: AnlytClient, days: Days) =>
  c.GET(`${BASE}/summary`, { params: { query: days } });

export const getOperatorPerformance = (
  c: AnlytClient,
  id: string,
  days: Days,
  granularity?: Schemas['Granularity'],
) =>
  c.GET(`${BASE}/operators/{id}/performance`, {
    params: { path: { id }, query: { ...days, ...(granularity ? { granularity } : {}) } },
  });

export const getAccountUsage = (c: AnlytClient, id: string, days: Days, accountHeader?: string) =>
  c.GET(`${BASE}/accounts/{id}/usage`, {
    params: {
      path: { id },
      query: days,
      header: accountHeader === undefined ? {} : { 'x-account-id': accountHeader },
    },
  });

export const getThroughput = (
  c: AnlytClient,
  query: { from?: string; to?: string; resolution?: Schemas['Resolution']; operatorId?: string },
) => c.GET(`${BASE}/throughput`, { params: { query } });

export const getDeliveryBreakdown = (c: AnlytClient, days: Days) =>
  c.GET(`${BASE}/delivery-breakdown`, { params: { query: days } });

/** The query DSL; a portal caller sends the account it is scoped to as X-Account-Id. */
export const runQuery = (c: AnlytClient, body: QueryBody, accountHeader?: string) =>
  c.POST(QUERY, {
    body,
    params: { header: accountHeader === undefined ? {} : { 'x-account-id': accountHeader } },
  });
