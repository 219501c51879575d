/**
 * US-ANLYT-04: GET /v1/internal/analytics/summary over data folded by the real consumer.
 * Every expected number below is worked out by hand from contract §3.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollUpDay } from '@anlyt/pg';
import { billedEvent, dlrEvent } from '@anlyt/testing';
import { startApiHarness, token, type ApiHarness } from './harness.js';

const BILLED = [
  billedEvent({
    occurredAt: '2026-11-20T10:00:00.100Z',
    accountId: 'acc_a',
    operatorId: 'op_x',
    amount: '0.1',
  }),
  billedEvent({
    occurredAt: '2026-11-20T10:00:00.900Z',
    accountId: 'acc_b',
    operatorId: 'op_x',
    amount: '0.2',
  }),
  billedEvent({
    occurredAt: '2026-11-20T10:00:00.500Z',
    accountId: 'acc_a',
    operatorId: 'op_y',
    amount: '0.3',
  }),
  billedEvent({
    occurredAt: '2026-11-21T08:30:00.000Z',
    accountId: 'acc_c',
    operatorId: 'op_y',
    amount: '1.000001',
  }),
  billedEvent({
    occurredAt: '2026-11-21T09:00:00.000Z',
    accountId: 'acc_b',
    operatorId: 'op_x',
    amount: '0.2',
    status: 'REFUNDED',
  }),
];
const DLR = [
  dlrEvent({
    occurredAt: '2026-11-20T10:00:05.000Z',
    operatorId: 'op_x',
    deliveryStatus: 'DELIVERED',
    latencyMs: 1000,
  }),
  dlrEvent({
    occurredAt: '2026-11-20T11:00:00.000Z',
    operatorId: 'op_x',
    deliveryStatus: 'FAILED',
    latencyMs: 3000,
    errorCode: '0x1',
  }),
  dlrEvent({
    occurredAt: '2026-11-21T08:31:00.000Z',
    operatorId: 'op_y',
    deliveryStatus: 'DELIVERED',
    latencyMs: 2000,
  }),
  dlrEvent({
    occurredAt: '2026-11-21T08:32:00.000Z',
    operatorId: 'op_y',
    deliveryStatus: 'UNKNOWN',
    latencyMs: 4000,
  }),
  dlrEvent({
    occurredAt: '2026-11-21T08:33:00.000Z',
    operatorId: 'op_y',
    deliveryStatus: 'EXPIRED',
    latencyMs: 0,
    errorCode: '0x2',
  }),
];

let h: ApiHarness;
let admin: string;
beforeAll(async () => {
  h = await startApiHarness({ marginSeconds: 0 });
  admin = await token('admin');
  await h.ingest(BILLED, DLR);
});
afterAll(async () => {
  await h.close();
});

const summary = async (query: string, auth = admin) =>
  h.app.inject({
    method: 'GET',
    url: `/v1/internal/analytics/summary${query}`,
    headers: { authorization: `Bearer ${auth}` },
  });

describe('GET /summary', () => {
  it('returns every field for a window, exactly', async () => {
    const res = await summary('?from=2026-11-20&to=2026-11-21');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      window: { from: '2026-11-20T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z' },
      totalMessages: 3, // 4 billed − 1 refunded
      deliveredMessages: 2,
      failedMessages: 2, // FAILED + EXPIRED; UNKNOWN is neither
      deliveryRate: 0.5,
      totalCost: '1.400001', // 0.1 + 0.2 + 0.3 + 1.000001 − 0.2
      activeAccounts: 3, // a, b, c
      peakTps: 3, // three BILLED in 2026-11-20T10:00:00
      avgLatencyMs: 2000, // (1000 + 3000 + 2000 + 4000 + 0) / 5
      dataAsOf: { billing: '2026-11-21T09:00:00.000Z', dlr: '2026-11-21T08:33:00.000Z' },
    });
    // Exact P95 at rank floor(0.95·4) of [0, 1000, 2000, 3000, 4000] is 3000; bound 1 %.
    expect(Math.abs(body.p95LatencyMs - 3000)).toBeLessThanOrEqual(30);
    expect(body.p95).toEqual({
      valueMs: body.p95LatencyMs,
      relativeErrorBound: 0.01,
      sampleSize: 5,
    });
    expect(body.lagSeconds).toBeGreaterThan(0);
  });

  it('a one-day window: refunds net out, a refund alone does not make an account active', async () => {
    const body = (await summary('?from=2026-11-21&to=2026-11-21')).json();
    expect(body).toMatchObject({
      totalMessages: 0,
      totalCost: '0.800001',
      activeAccounts: 1,
      peakTps: 1,
    });
  });

  it('widens a timestamp window to whole UTC hours and says so', async () => {
    const body = (
      await summary('?from=2026-11-20T10:30:00Z&to=2026-11-20T10:45:00%2B00:00')
    ).json();
    expect(body.window).toEqual({
      from: '2026-11-20T10:00:00.000Z',
      to: '2026-11-20T11:00:00.000Z',
      requestedFrom: '2026-11-20T10:30:00.000Z',
      requestedTo: '2026-11-20T10:45:00.000Z',
    });
    expect(body).toMatchObject({
      totalMessages: 3,
      totalCost: '0.600000',
      deliveredMessages: 1,
      failedMessages: 0,
    });
  });

  it('a window of a partial day, a whole day and a partial day: all three parts count', async () => {
    // 19th 22:00 → 24:00 (hourly), the 20th (a whole day), 21st 00:00 → 09:00 (hourly; 08:45
    // ceiled): the 21st's 09:00 refund is outside, its 08:30 billing and DLRs inside.
    const body = (await summary('?from=2026-11-19T22:00:00Z&to=2026-11-21T08:45:00Z')).json();
    expect(body.window).toMatchObject({
      from: '2026-11-19T22:00:00.000Z',
      to: '2026-11-21T09:00:00.000Z',
    });
    expect(body).toMatchObject({
      totalMessages: 4,
      totalCost: '1.600001',
      deliveredMessages: 2,
      failedMessages: 2,
      activeAccounts: 3,
    });
  });

  it('gives the same answer from the daily rollup as from the hourly buckets', async () => {
    const before = (await summary('?from=2026-11-19&to=2026-11-22')).json();
    for (const day of ['2026-11-20', '2026-11-21']) await rollUpDay(h.db.sql, day, randomUUID());
    const after = (await summary('?from=2026-11-19&to=2026-11-22')).json();
    expect({ ...after, lagSeconds: 0 }).toEqual({ ...before, lagSeconds: 0 });
    // And the daily rows are what answered: a (test-only) change to one shows through an
    // API that computes its answers (the change bypasses the writers, so a reused answer
    // would not see it; answer-cache.spec.ts covers reuse).
    await h.db
      .sql`update anlyt.metrics_daily set total_cost = total_cost + 1 where scope = 'PLATFORM' and day = '2026-11-20'`;
    const computed = await h.computing.inject({
      method: 'GET',
      url: '/v1/internal/analytics/summary?from=2026-11-19&to=2026-11-22',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(computed.json().totalCost).toBe('2.400001');
    await h.db
      .sql`update anlyt.metrics_daily set total_cost = total_cost - 1 where scope = 'PLATFORM' and day = '2026-11-20'`;
  });

  it('defaults to today (UTC midnight to now)', async () => {
    const now = Date.now();
    const todayStart = now - (now % 86_400_000);
    const at = new Date(Math.max(now - 60_000, todayStart)).toISOString();
    await h.ingest([billedEvent({ occurredAt: at, amount: '7.5' })], []);
    const body = (await summary('')).json();
    expect(body).toMatchObject({ totalMessages: 1, totalCost: '7.500000', activeAccounts: 1 });
    expect(body.window.from).toBe(new Date(todayStart).toISOString());
  });

  it.each([
    // to=2026-05-01 includes all of 1 May: 31 + 28 + 31 + 30 + 1 = 121 days.
    ['?from=2026-01-01&to=2026-05-01', /121 days; the maximum is 90/],
    ['?from=2026-11-21&to=2026-11-20', /.+/],
    ['?from=2026-11-21T10:00:00Z&to=2026-11-21T10:00:00Z', /.+/],
    ['?from=yesterday', /from/],
    ['?from=2026-02-30', /from/],
  ])('%s → 400 INVALID_WINDOW as problem+json', async (query, detail) => {
    const res = await summary(query);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'INVALID_WINDOW',
    });
    expect(res.json().detail).toMatch(detail);
  });

  it('401 without a token, with a bad signature or expired; 403 for a portal or regulator token', async () => {
    const noToken = await h.app.inject({ method: 'GET', url: '/v1/internal/analytics/summary' });
    expect(noToken.statusCode).toBe(401);
    expect(noToken.json().code).toBe('UNAUTHORIZED');
    expect(
      (await summary('', await token('admin', { secret: 'another-secret-of-enough-length' })))
        .statusCode,
    ).toBe(401);
    expect((await summary('', await token('admin', { expiresInS: -10 }))).statusCode).toBe(401);
    expect((await summary('', await token('superuser'))).statusCode).toBe(401);
    for (const role of ['portal', 'regulator']) {
      const res = await summary('', await token(role));
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
  });

  it('publishes its OpenAPI 3.1 document and Swagger UI', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v1/internal/analytics/summary'].get.responses['200']).toBeDefined();
    expect((await h.app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBe(200);
  });
});

describe('GET /operators/:id/performance', () => {
  const perf = async (id: string, query: string, auth = admin) =>
    h.app.inject({
      method: 'GET',
      url: `/v1/internal/analytics/operators/${id}/performance${query}`,
      headers: { authorization: `Bearer ${auth}` },
    });

  // op_x: BILLED 0.1 and 0.2 in 2026-11-20T10:00:00, REFUNDED 0.2 on the 21st 09:00;
  // DLRs: DELIVERED 1000 ms (20th 10:00), FAILED 3000 ms (20th 11:00).
  it('totals for the window, by hand', async () => {
    const res = await perf('op_x', '?from=2026-11-20&to=2026-11-21');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      operatorId: 'op_x',
      granularity: 'hourly',
      totalMessages: 1,
      totalCost: '0.100000',
      deliveredMessages: 1,
      failedMessages: 1,
      deliveryRate: 0.5,
      errorRate: 0.5,
      avgLatencyMs: 2000,
      peakTps: 2,
    });
    // Exact P95 at rank floor(0.95·1) of [1000, 3000] is 1000.
    expect(Math.abs(body.p95LatencyMs - 1000)).toBeLessThanOrEqual(10);
    expect(body.p95.sampleSize).toBe(2);
  });

  it('hourly series: one point per hour with data', async () => {
    const { series } = (
      await perf('op_x', '?from=2026-11-20&to=2026-11-21&granularity=hourly')
    ).json();
    expect(series.map((p: { at: string }) => p.at)).toEqual([
      '2026-11-20T10:00:00.000Z',
      '2026-11-20T11:00:00.000Z',
      '2026-11-21T09:00:00.000Z',
    ]);
    expect(series[0]).toMatchObject({
      totalMessages: 2,
      totalCost: '0.300000',
      deliveredMessages: 1,
      deliveryRate: 1,
      peakTps: 2,
    });
    expect(series[1]).toMatchObject({
      totalMessages: 0,
      failedMessages: 1,
      errorRate: 1,
      avgLatencyMs: 3000,
    });
    expect(series[2]).toMatchObject({
      totalMessages: -1,
      totalCost: '-0.200000',
      deliveryRate: null,
    });
  });

  it('daily series: one point per day, the same totals as the hours it sums', async () => {
    const { series } = (
      await perf('op_x', '?from=2026-11-20&to=2026-11-21&granularity=daily')
    ).json();
    expect(series).toHaveLength(2);
    expect(series[0]).toMatchObject({
      at: '2026-11-20T00:00:00.000Z',
      totalMessages: 2,
      totalCost: '0.300000',
      deliveredMessages: 1,
      failedMessages: 1,
      avgLatencyMs: 2000,
      peakTps: 2,
    });
    expect(series[1]).toMatchObject({
      at: '2026-11-21T00:00:00.000Z',
      totalMessages: -1,
      totalCost: '-0.200000',
      deliveryRate: null,
    });
  });

  it('404 NOT_FOUND for an operator with no data at all; 400 for a malformed id; 403 for portal', async () => {
    const none = await perf('op_none', '');
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await perf('bad%20id', '')).json()).toMatchObject({
      status: 400,
      code: 'INVALID_REQUEST',
    });
    expect((await perf('op_x', '?granularity=weekly')).json()).toMatchObject({
      status: 400,
      code: 'INVALID_REQUEST',
    });
    expect((await perf('op_x', '', await token('portal'))).statusCode).toBe(403);
  });
});
