/**
 * Reused answers (src/answer-cache.ts) over data folded by the real consumer: a repeated
 * question is answered from memory, but never once the window's data changed (late events
 * included), never with a cached dataAsOf, and never to a caller who may not see it.
 * Expected numbers are worked out by hand from the events below.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billedEvent, dlrEvent } from '@anlyt/testing';
import { API_PREFIX } from '../src/app.js';
import { startApiHarness, token, type ApiHarness } from './harness.js';

const A = 'acc_cache_a';
const B = 'acc_cache_b';
const billed = (accountId: string, occurredAt: string, amount: string) =>
  billedEvent({ accountId, occurredAt, amount, operatorId: 'op_c' });
const WINDOW = '?from=2026-11-10&to=2026-11-11';

let h: ApiHarness;
let admin: string;
beforeAll(async () => {
  h = await startApiHarness({ marginSeconds: 0 });
  admin = await token('admin');
  const events = [
    billed(A, '2026-11-10T09:00:00.000Z', '0.5'),
    billed(A, '2026-11-11T12:00:00.000Z', '0.25'),
    billed(B, '2026-11-10T10:00:00.000Z', '1'),
  ];
  const dlrs = [
    dlrEvent({
      accountId: A,
      operatorId: 'op_c',
      occurredAt: '2026-11-10T09:00:03.000Z',
      deliveryStatus: 'DELIVERED',
      latencyMs: 3000,
    }),
  ];
  await h.ingest(events, dlrs);
});
afterAll(async () => {
  await h?.close();
});

const ask = (app: FastifyInstance, path: string, auth: string, headers: Record<string, string>) =>
  app.inject({
    method: 'GET',
    url: `${API_PREFIX}${path}`,
    headers: { authorization: `Bearer ${auth}`, ...headers },
  });

/** The API under test (answers reused). */
const get = (path: string, auth = admin, headers: Record<string, string> = {}) =>
  ask(h.app, path, auth, headers);

/** anlyt_api_answer_cache_requests_total for a route and result, from /metrics. */
async function served(
  route: string,
  result: 'hit' | 'miss',
  app: FastifyInstance = h.app,
): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('anlyt_api_answer_cache_requests_total{') &&
        l.includes(`route="${route}"`) &&
        l.includes(`result="${result}"`),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

const withoutLag = (body: string) => ({ ...(JSON.parse(body) as object), lagSeconds: 0 });

describe('answer reuse', () => {
  it('answers a repeated question from memory, byte for byte the computed answer but for lagSeconds', async () => {
    const first = await get(`/summary${WINDOW}`);
    const hits = await served('summary', 'hit');
    const second = await get(`/summary${WINDOW}`);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(await served('summary', 'hit')).toBe(hits + 1);
    expect(withoutLag(second.body)).toEqual(withoutLag(first.body));
    // The same question to an API that computes every answer.
    expect(withoutLag(second.body)).toEqual(
      withoutLag((await ask(h.computing, `/summary${WINDOW}`, admin, {})).body),
    );
    const b = JSON.parse(second.body) as Record<string, unknown>;
    expect(b['totalMessages']).toBe(3);
    expect(b['totalCost']).toBe('1.750000');
    expect(typeof b['lagSeconds']).toBe('number');
  });

  it('recomputes once a late event lands in the window, and only then', async () => {
    const path = `/accounts/${A}/usage${WINDOW}`;
    const before = JSON.parse((await get(path)).body) as Record<string, unknown>;
    expect(before['messagesSent']).toBe(2);
    expect(before['totalCost']).toBe('0.750000');
    const misses = await served('account-usage', 'miss');
    await get(path); // unchanged data: a hit
    expect(await served('account-usage', 'miss')).toBe(misses);

    // Late: occurred on the 10th, folded now (the consumer's own upserts bump the day).
    await h.ingest([billed(A, '2026-11-10T23:59:59.999Z', '0.125')], []);
    const after = JSON.parse((await get(path)).body) as Record<string, unknown>;
    expect(await served('account-usage', 'miss')).toBe(misses + 1);
    expect(after['messagesSent']).toBe(3);
    expect(after['totalCost']).toBe('0.875000');
    expect(after['daily']).toEqual([
      expect.objectContaining({ day: '2026-11-10', messagesSent: 2, totalCost: '0.625000' }),
      expect.objectContaining({ day: '2026-11-11', messagesSent: 1, totalCost: '0.250000' }),
    ]);
  });

  it('reads dataAsOf fresh on every answer, cached or not', async () => {
    const path = `/operators/op_c/performance${WINDOW}&granularity=daily`;
    await get(path);
    const hits = await served('operator-performance', 'hit');
    // An event outside the window moves the billing watermark, not the window's data.
    await h.ingest([billed(B, '2026-11-25T08:00:00.000Z', '2')], []);
    const again = JSON.parse((await get(path)).body) as {
      dataAsOf: { billing: string };
      totalMessages: number;
    };
    expect(await served('operator-performance', 'hit')).toBe(hits + 1);
    expect(again.dataAsOf.billing).toBe('2026-11-25T08:00:00.000Z');
    expect(again.totalMessages).toBe(4); // 3 + the late one of the test before
  });

  it("never serves one account's answer to a caller who may not see it", async () => {
    const portalA = await token('portal', { sub: 'portal-a' });
    const path = (id: string) => `/accounts/${id}/usage${WINDOW}`;
    const own = await get(path(A), portalA, { 'x-account-id': A });
    expect(own.statusCode).toBe(200);
    await get(path(A), portalA, { 'x-account-id': A }); // now cached
    const other = await get(path(A), portalA, { 'x-account-id': B });
    expect(other.statusCode).toBe(403);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(other.body).not.toContain('messagesSent');
    const noToken = await h.app.inject({ method: 'GET', url: `${API_PREFIX}${path(A)}` });
    expect(noToken.statusCode).toBe(401);
    const b = JSON.parse((await get(path(B), portalA, { 'x-account-id': B })).body) as {
      accountId: string;
      messagesSent: number;
    };
    expect(b).toMatchObject({ accountId: B, messagesSent: 1 });
  });

  it('does not cache errors: a 404 operator answers 404 again, then data once it has some', async () => {
    const path = `/operators/op_new/performance${WINDOW}`;
    expect((await get(path)).statusCode).toBe(404);
    expect((await get(path)).statusCode).toBe(404);
    await h.ingest(
      [billedEvent({ accountId: B, operatorId: 'op_new', occurredAt: '2026-11-10T05:00:00.000Z' })],
      [],
    );
    const r = await get(path);
    expect(r.statusCode).toBe(200);
    expect((JSON.parse(r.body) as { totalMessages: number }).totalMessages).toBe(1);
  });

  it('with no memory for answers (ANLYT_API_ANSWER_CACHE_MB=0) computes every one', async () => {
    await ask(h.computing, `/delivery-breakdown${WINDOW}`, admin, {});
    await ask(h.computing, `/delivery-breakdown${WINDOW}`, admin, {});
    expect(await served('delivery-breakdown', 'hit', h.computing)).toBe(0);
    expect(await served('delivery-breakdown', 'miss', h.computing)).toBe(2);
  });
});
