/**
 * US-ANLYT-07: GET /throughput and GET /delivery-breakdown over data folded by the real
 * consumer. Every expected number below is worked out by hand from the events listed here.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollUpDay } from '@anlyt/pg';
import { billedEvent, dlrEvent } from '@anlyt/testing';
import { startApiHarness, token, type ApiHarness } from './harness.js';

const billed = (occurredAt: string, operatorId: string, status = 'BILLED') =>
  billedEvent({ occurredAt, operatorId, status });
const dlr = (occurredAt: string, operatorId: string, deliveryStatus: string) =>
  dlrEvent({
    occurredAt,
    operatorId,
    deliveryStatus,
    errorCode: deliveryStatus === 'DELIVERED' ? null : '0x1',
  });

// 2026-10-05, hour 12 (platform seconds: 12:00:10 → 3, 12:05:00 → 2, every other one → 1).
const BILLED = [
  billed('2026-10-05T12:00:10.100Z', 'op_a'),
  billed('2026-10-05T12:00:10.200Z', 'op_a'),
  billed('2026-10-05T12:00:10.900Z', 'op_b'),
  billed('2026-10-05T12:00:45.000Z', 'op_a'),
  billed('2026-10-05T12:01:00.000Z', 'op_b'),
  billed('2026-10-05T12:01:59.999Z', 'op_a'),
  billed('2026-10-05T12:02:30.000Z', 'op_a', 'REFUNDED'), // not a sent message
  billed('2026-10-05T12:04:59.000Z', 'op_b'),
  billed('2026-10-05T12:05:00.000Z', 'op_a'),
  billed('2026-10-05T12:05:00.500Z', 'op_a'),
  billed('2026-10-05T12:17:30.000Z', 'op_b'),
  billed('2026-10-05T13:00:00.000Z', 'op_a'),
  billed('2026-10-05T20:00:00.000Z', 'op_z'), // an operator without DLRs
];
const DLR = [
  // 2026-10-05: op_a 3 delivered, 1 failed, 1 unknown; op_b 1 delivered, 3 failed; op_c 1 unknown.
  dlr('2026-10-05T12:00:20.000Z', 'op_a', 'DELIVERED'),
  dlr('2026-10-05T12:01:20.000Z', 'op_a', 'DELIVERED'),
  dlr('2026-10-05T14:00:00.000Z', 'op_a', 'DELIVERED'),
  dlr('2026-10-05T12:02:00.000Z', 'op_a', 'FAILED'),
  dlr('2026-10-05T12:03:00.000Z', 'op_a', 'UNKNOWN'),
  dlr('2026-10-05T12:00:30.000Z', 'op_b', 'DELIVERED'),
  dlr('2026-10-05T12:06:00.000Z', 'op_b', 'EXPIRED'),
  dlr('2026-10-05T15:00:00.000Z', 'op_b', 'REJECTED'),
  dlr('2026-10-05T16:00:00.000Z', 'op_b', 'UNDELIVERABLE'),
  dlr('2026-10-05T12:09:00.000Z', 'op_c', 'UNKNOWN'),
  // 2026-10-06: op_b 1 delivered.
  dlr('2026-10-06T09:00:00.000Z', 'op_b', 'DELIVERED'),
  // 2026-10-07: one unknown, nothing final.
  dlr('2026-10-07T08:00:00.000Z', 'op_c', 'UNKNOWN'),
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

const get = async (path: string, auth = admin, app = h.app) =>
  app.inject({
    method: 'GET',
    url: `/v1/internal/analytics${path}`,
    headers: { authorization: `Bearer ${auth}` },
  });

const point = (at: string, billedMessages: number, seconds: number, peakTps: number) => ({
  at,
  billedMessages,
  avgPerSecond: billedMessages / seconds,
  peakTps,
});

describe('GET /throughput', () => {
  it('1m: real per-second counts summed per minute, peak = busiest second', async () => {
    const res = await get(
      '/throughput?from=2026-10-05T12:00:00Z&to=2026-10-05T13:00:00Z&resolution=1m',
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      window: {
        from: '2026-10-05T12:00:00.000Z',
        to: '2026-10-05T13:00:00.000Z',
        requestedFrom: '2026-10-05T12:00:00.000Z',
        requestedTo: '2026-10-05T13:00:00.000Z',
      },
      resolution: '1m',
      operatorId: null,
      points: [
        point('2026-10-05T12:00:00.000Z', 4, 60, 3), // 10.1, 10.2, 10.9 (one second), 45
        point('2026-10-05T12:01:00.000Z', 2, 60, 1),
        // 12:02: only a refund → no point
        point('2026-10-05T12:04:00.000Z', 1, 60, 1),
        point('2026-10-05T12:05:00.000Z', 2, 60, 2),
        point('2026-10-05T12:17:00.000Z', 1, 60, 1),
      ],
      dataAsOf: { billing: '2026-10-05T20:00:00.000Z' },
      lagSeconds: expect.any(Number),
    });
  });

  it('5m and 1h points', async () => {
    const five = await get(
      '/throughput?from=2026-10-05T12:00:00Z&to=2026-10-05T13:00:00Z&resolution=5m',
    );
    expect(five.json().points).toEqual([
      point('2026-10-05T12:00:00.000Z', 7, 300, 3),
      point('2026-10-05T12:05:00.000Z', 2, 300, 2),
      point('2026-10-05T12:15:00.000Z', 1, 300, 1),
    ]);
    const hour = await get('/throughput?from=2026-10-05&to=2026-10-05&resolution=1h');
    expect(hour.json().points).toEqual([
      point('2026-10-05T12:00:00.000Z', 10, 3600, 3), // the refund is not a sent message
      point('2026-10-05T13:00:00.000Z', 1, 3600, 1),
      point('2026-10-05T20:00:00.000Z', 1, 3600, 1),
    ]);
    // 1h is the default, and a whole day is within 1m's cap.
    const dflt = await get('/throughput?from=2026-10-05&to=2026-10-05');
    expect(dflt.json()).toMatchObject({ resolution: '1h', points: hour.json().points });
    const day1m = await get('/throughput?from=2026-10-05&to=2026-10-05&resolution=1m');
    expect(day1m.statusCode).toBe(200);
    expect(day1m.json().points).toHaveLength(7); // the five above + 13:00 + 20:00
  });

  it('widens the window to whole intervals of the resolution', async () => {
    const body = (
      await get('/throughput?from=2026-10-05T12:00:30Z&to=2026-10-05T12:04:30Z&resolution=1m')
    ).json();
    expect(body.window).toEqual({
      from: '2026-10-05T12:00:00.000Z',
      to: '2026-10-05T12:05:00.000Z',
      requestedFrom: '2026-10-05T12:00:30.000Z',
      requestedTo: '2026-10-05T12:04:30.000Z',
    });
    expect(body.points.map((p: { at: string }) => p.at)).toEqual([
      '2026-10-05T12:00:00.000Z',
      '2026-10-05T12:01:00.000Z',
      '2026-10-05T12:04:00.000Z',
    ]);
  });

  it('filters on one operator', async () => {
    const a = (
      await get(
        '/throughput?from=2026-10-05T12:00:00Z&to=2026-10-05T13:00:00Z&resolution=1m&operatorId=op_a',
      )
    ).json();
    expect(a.operatorId).toBe('op_a');
    expect(a.points).toEqual([
      point('2026-10-05T12:00:00.000Z', 3, 60, 2),
      point('2026-10-05T12:01:00.000Z', 1, 60, 1),
      point('2026-10-05T12:05:00.000Z', 2, 60, 2),
    ]);
    const b = (
      await get('/throughput?from=2026-10-05&to=2026-10-05&resolution=5m&operatorId=op_b')
    ).json();
    expect(b.points).toEqual([
      point('2026-10-05T12:00:00.000Z', 3, 300, 1),
      point('2026-10-05T12:15:00.000Z', 1, 300, 1),
    ]);
    const none = (await get('/throughput?from=2026-10-05&to=2026-10-05&operatorId=op_none')).json();
    expect(none.points).toEqual([]);
  });

  it.each([
    [
      '?from=2026-10-05&to=2026-10-06&resolution=1m',
      /48 hours; resolution 1m allows at most 24 hours/,
    ],
    ['?from=2026-10-05T12:00:00Z&to=2026-10-06T12:00:01Z&resolution=1m', /25 hours/],
    ['?from=2026-10-01&to=2026-10-08&resolution=5m', /192 hours; resolution 5m allows at most 168/],
    ['?from=2026-01-01&to=2026-05-01&resolution=1h', /121 days; the maximum is 90/],
    ['?from=2026-10-06&to=2026-10-05', /.+/],
  ])('%s → 400 INVALID_WINDOW', async (query, detail) => {
    const res = await get(`/throughput${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'INVALID_WINDOW' });
    expect(res.json().detail).toMatch(detail);
  });

  it('a 7-day window at 5m is accepted', async () => {
    expect((await get('/throughput?from=2026-10-01&to=2026-10-07&resolution=5m')).statusCode).toBe(
      200,
    );
  });

  it.each([
    '?resolution=15m',
    '?resolution=',
    '?operatorId=op%20x',
    `?operatorId=${'x'.repeat(65)}`,
    '?operatorId=',
  ])('%s → 400 INVALID_REQUEST', async (query) => {
    const res = await get(`/throughput${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
  });
});

describe('GET /delivery-breakdown', () => {
  it('counts per status and per operator, by total then operatorId', async () => {
    const res = await get('/delivery-breakdown?from=2026-10-05&to=2026-10-05');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      window: {
        from: '2026-10-05T00:00:00.000Z',
        to: '2026-10-06T00:00:00.000Z',
        requestedFrom: '2026-10-05T00:00:00.000Z',
        requestedTo: '2026-10-06T00:00:00.000Z',
      },
      byStatus: { DELIVERED: 4, FAILED: 1, EXPIRED: 1, REJECTED: 1, UNDELIVERABLE: 1, UNKNOWN: 2 },
      // Final DLRs: op_a 4, op_b 4 → 8. op_z has billing only: not listed.
      byOperator: [
        {
          operatorId: 'op_a',
          delivered: 3,
          failed: 1,
          unknown: 1,
          total: 5,
          deliveryRate: 0.75,
          share: 0.5,
        },
        {
          operatorId: 'op_b',
          delivered: 1,
          failed: 3,
          unknown: 0,
          total: 4,
          deliveryRate: 0.25,
          share: 0.5,
        },
        {
          operatorId: 'op_c',
          delivered: 0,
          failed: 0,
          unknown: 1,
          total: 1,
          deliveryRate: null,
          share: 0,
        },
      ],
      dataAsOf: { dlr: '2026-10-07T08:00:00.000Z' },
      lagSeconds: expect.any(Number),
    });
  });

  it('two days: ties on total are ordered by operatorId', async () => {
    const body = (await get('/delivery-breakdown?from=2026-10-05&to=2026-10-06')).json();
    expect(body.byStatus.DELIVERED).toBe(5);
    // op_a: 3 + 1 final; op_b: 2 + 3 final → 9 in all.
    expect(body.byOperator).toEqual([
      {
        operatorId: 'op_a',
        delivered: 3,
        failed: 1,
        unknown: 1,
        total: 5,
        deliveryRate: 0.75,
        share: 4 / 9,
      },
      {
        operatorId: 'op_b',
        delivered: 2,
        failed: 3,
        unknown: 0,
        total: 5,
        deliveryRate: 0.4,
        share: 5 / 9,
      },
      {
        operatorId: 'op_c',
        delivered: 0,
        failed: 0,
        unknown: 1,
        total: 1,
        deliveryRate: null,
        share: 0,
      },
    ]);
  });

  it('an hour range reads hourly rows', async () => {
    const body = (
      await get('/delivery-breakdown?from=2026-10-05T12:00:00Z&to=2026-10-05T13:00:00Z')
    ).json();
    expect(body.byStatus).toEqual({
      DELIVERED: 3,
      FAILED: 1,
      EXPIRED: 1,
      REJECTED: 0,
      UNDELIVERABLE: 0,
      UNKNOWN: 2,
    });
    expect(
      body.byOperator.map((o: { operatorId: string; total: number }) => [o.operatorId, o.total]),
    ).toEqual([
      ['op_a', 4],
      ['op_b', 2],
      ['op_c', 1],
    ]);
  });

  it('gives the same answer from the daily rollup, which is what then answers', async () => {
    const before = (await get('/delivery-breakdown?from=2026-10-04&to=2026-10-06')).json();
    for (const day of ['2026-10-05', '2026-10-06']) await rollUpDay(h.db.sql, day, randomUUID());
    const after = (await get('/delivery-breakdown?from=2026-10-04&to=2026-10-06')).json();
    expect({ ...after, lagSeconds: 0 }).toEqual({ ...before, lagSeconds: 0 });
    const bump = (d: number) => h.db.sql`
      update anlyt.metrics_daily set status_unknown = status_unknown + ${d}
      where scope in ('PLATFORM', 'OPERATOR') and scope_id in ('*', 'op_c') and day = '2026-10-05'`;
    await bump(1);
    // Seen through an API that computes its answers: the test-only change bypasses the
    // writers, so a reused answer would not see it (answer-cache.spec.ts covers reuse).
    const changed = (
      await get('/delivery-breakdown?from=2026-10-04&to=2026-10-06', admin, h.computing)
    ).json();
    expect(changed.byStatus.UNKNOWN).toBe(3);
    expect(changed.byOperator[2]).toMatchObject({ operatorId: 'op_c', unknown: 2, total: 2 });
    await bump(-1);
  });

  it('an empty window: zeros and no operators', async () => {
    const body = (await get('/delivery-breakdown?from=2026-01-01&to=2026-01-01')).json();
    expect(body.byStatus).toEqual({
      DELIVERED: 0,
      FAILED: 0,
      EXPIRED: 0,
      REJECTED: 0,
      UNDELIVERABLE: 0,
      UNKNOWN: 0,
    });
    expect(body.byOperator).toEqual([]);
  });

  it('a window whose only DLRs are UNKNOWN: share and deliveryRate are null', async () => {
    const body = (await get('/delivery-breakdown?from=2026-10-07&to=2026-10-07')).json();
    expect(body.byStatus.UNKNOWN).toBe(1);
    expect(body.byOperator).toEqual([
      {
        operatorId: 'op_c',
        delivered: 0,
        failed: 0,
        unknown: 1,
        total: 1,
        deliveryRate: null,
        share: null,
      },
    ]);
  });
});

describe('auth', () => {
  it.each(['/throughput', '/delivery-breakdown'])(
    '%s: 401 without or with a bad token, 403 for portal/regulator',
    async (path) => {
      const none = await h.app.inject({ method: 'GET', url: `/v1/internal/analytics${path}` });
      expect(none.statusCode).toBe(401);
      expect(none.json().code).toBe('UNAUTHORIZED');
      const bad = await get(
        path,
        await token('admin', { secret: 'another-secret-of-enough-length' }),
      );
      expect(bad.statusCode).toBe(401);
      expect((await get(path, await token('admin', { expiresInS: -10 }))).statusCode).toBe(401);
      for (const role of ['portal', 'regulator']) {
        const res = await get(path, await token(role));
        expect(res.statusCode).toBe(403);
        expect(res.json().code).toBe('FORBIDDEN');
      }
    },
  );

  it('authenticates before validating: a bad query without a token is 401', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/v1/internal/analytics/throughput?resolution=15m',
    });
    expect(res.statusCode).toBe(401);
  });

  it('both are in the OpenAPI document, with the resolution semantics', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const params = doc.paths['/v1/internal/analytics/throughput'].get.parameters;
    const resolution = params.find((p: { name: string }) => p.name === 'resolution');
    expect(resolution.description ?? resolution.schema.description).toMatch(/not interpolated/);
    expect(
      doc.paths['/v1/internal/analytics/delivery-breakdown'].get.responses['200'],
    ).toBeDefined();
  });
});
