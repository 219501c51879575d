/**
 * US-ANLYT-06: account scoping of every account-scoped route, and
 * GET /v1/internal/analytics/accounts/:id/usage over data folded by the real consumer.
 * Every expected number below is worked out by hand from contract §3.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollUpDay } from '@anlyt/pg';
import { billedEvent, dlrEvent } from '@anlyt/testing';
import { API_PREFIX } from '../src/app.js';
import { startApiHarness, token, type ApiHarness } from './harness.js';

/**
 * Every account-scoped route (contract §4: `/accounts/:id/...`). A new one is one line here,
 * and the whole scope table below runs against it. `path` gives a valid request for `id`.
 */
const ACCOUNT_ROUTES: { name: string; path: (id: string) => string }[] = [
  {
    name: 'usage',
    path: (id) => `${API_PREFIX}/accounts/${id}/usage?from=2026-11-20&to=2026-11-21`,
  },
];

const A = 'acc_a';
const B = 'acc_b';
const billed = (accountId: string, occurredAt: string, amount: string, status = 'BILLED') =>
  billedEvent({ accountId, occurredAt, amount, status });
const dlr = (accountId: string, occurredAt: string, deliveryStatus: string) =>
  dlrEvent({
    accountId,
    occurredAt,
    deliveryStatus,
    errorCode: deliveryStatus === 'DELIVERED' ? null : '0x1',
  });

const BILLED = [
  // acc_a, 20 Nov: 3 messages, 1.000000
  billed(A, '2026-11-20T10:00:00.000Z', '0.5'),
  billed(A, '2026-11-20T10:30:00.000Z', '0.25'),
  billed(A, '2026-11-20T23:59:59.999Z', '0.25'),
  // acc_a, 21 Nov: 3 billed − 1 refunded = 2 messages, 0.1 + 0.200001 + 0.3 − 0.1 = 0.500001
  billed(A, '2026-11-21T08:00:00.000Z', '0.1'),
  billed(A, '2026-11-21T09:30:00.000Z', '0.200001'),
  billed(A, '2026-11-21T10:00:00.000Z', '0.3'),
  billed(A, '2026-11-21T11:00:00.000Z', '0.1', 'REFUNDED'),
  // acc_a, 22 Nov 00:00: just outside a window whose date-only `to` is 2026-11-21
  billed(A, '2026-11-22T00:00:00.000Z', '5'),
  // acc_b, same days: must never show in acc_a's numbers
  billed(B, '2026-11-20T10:00:00.500Z', '9'),
  billed(B, '2026-11-21T08:00:00.000Z', '9'),
];
const DLR = [
  dlr(A, '2026-11-20T10:00:05.000Z', 'DELIVERED'),
  dlr(A, '2026-11-20T10:31:00.000Z', 'DELIVERED'),
  dlr(A, '2026-11-20T12:00:00.000Z', 'FAILED'),
  dlr(A, '2026-11-21T08:00:05.000Z', 'DELIVERED'),
  dlr(A, '2026-11-21T09:31:00.000Z', 'UNKNOWN'), // neither delivered nor failed
  dlr(A, '2026-11-21T10:01:00.000Z', 'REJECTED'),
  dlr(B, '2026-11-21T08:00:06.000Z', 'FAILED'),
];
// The API's clock: fixed, so lagSeconds is exact (the JWTs still use the real clock).
const NOW = Date.parse('2026-11-23T06:00:00.000Z');

/** Every response body this file sees, for the MSISDN scan at the end. */
const BODIES: string[] = [];

let h: ApiHarness;
let admin: string;
let portal: string;
beforeAll(async () => {
  h = await startApiHarness({ marginSeconds: 0, now: () => NOW });
  admin = await token('admin');
  portal = await token('portal', { sub: 'customer-portal' });
  await h.ingest(BILLED, DLR);
});
afterAll(async () => {
  await h.close();
});

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await h.app.inject({ method: 'GET', url, headers });
  BODIES.push(res.body);
  return res;
}
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const usage = (id: string, query: string, headers: Record<string, string> = bearer(admin)) =>
  get(`${API_PREFIX}/accounts/${id}/usage${query}`, headers);

describe.each(ACCOUNT_ROUTES)('account scope of $name', ({ path }) => {
  const expectProblem = (res: Awaited<ReturnType<typeof get>>, status: number, code: string) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: 'about:blank', status, code });
  };

  it('portal, own account (X-Account-Id = :id) → 200', async () => {
    const res = await get(path(A), { ...bearer(portal), 'x-account-id': A });
    expect(res.statusCode).toBe(200);
  });

  it('portal, another account → 403 FORBIDDEN', async () => {
    expectProblem(await get(path(B), { ...bearer(portal), 'x-account-id': A }), 403, 'FORBIDDEN');
  });

  it('portal without X-Account-Id (or an empty one) → 403 FORBIDDEN', async () => {
    expectProblem(await get(path(A), bearer(portal)), 403, 'FORBIDDEN');
    expectProblem(await get(path(A), { ...bearer(portal), 'x-account-id': '' }), 403, 'FORBIDDEN');
  });

  it('no token → 401 UNAUTHORIZED', async () => {
    expectProblem(await get(path(A), { 'x-account-id': A }), 401, 'UNAUTHORIZED');
  });

  it('expired token → 401', async () => {
    const expired = await token('portal', { expiresInS: -10 });
    expectProblem(
      await get(path(A), { ...bearer(expired), 'x-account-id': A }),
      401,
      'UNAUTHORIZED',
    );
  });

  it('bad signature → 401', async () => {
    const forged = await token('portal', { secret: 'another-secret-of-enough-length' });
    expectProblem(
      await get(path(A), { ...bearer(forged), 'x-account-id': A }),
      401,
      'UNAUTHORIZED',
    );
  });

  it('wrong role (regulator) → 403, even with a matching X-Account-Id', async () => {
    const regulator = await token('regulator');
    expectProblem(
      await get(path(A), { ...bearer(regulator), 'x-account-id': A }),
      403,
      'FORBIDDEN',
    );
  });

  it('admin → 200 for any account, with or without X-Account-Id', async () => {
    for (const id of [A, B, 'acc_never_seen']) {
      expect((await get(path(id), bearer(admin))).statusCode).toBe(200);
    }
    expect((await get(path(B), { ...bearer(admin), 'x-account-id': A })).statusCode).toBe(200);
  });
});

describe('GET /accounts/:id/usage', () => {
  it('returns one account’s numbers over two days, with the daily breakdown', async () => {
    const res = await usage(A, '?from=2026-11-20&to=2026-11-21', {
      ...bearer(portal),
      'x-account-id': A,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      accountId: A,
      window: {
        from: '2026-11-20T00:00:00.000Z',
        to: '2026-11-22T00:00:00.000Z',
        requestedFrom: '2026-11-20T00:00:00.000Z',
        requestedTo: '2026-11-22T00:00:00.000Z',
      },
      messagesSent: 5, // 3 + (3 − 1); the 22 Nov message is outside; acc_b's are not ours
      messagesDelivered: 3,
      messagesFailed: 2, // FAILED + REJECTED; UNKNOWN is neither
      deliveryRate: 0.6,
      totalCost: '1.500001', // 1.000000 + 0.500001
      avgCostPerMessage: '0.300000', // 1.500001 / 5 = 0.3000002
      daily: [
        {
          day: '2026-11-20',
          messagesSent: 3,
          messagesDelivered: 2,
          messagesFailed: 1,
          deliveryRate: 2 / 3,
          totalCost: '1.000000',
        },
        {
          day: '2026-11-21',
          messagesSent: 2,
          messagesDelivered: 1,
          messagesFailed: 1,
          deliveryRate: 0.5,
          totalCost: '0.500001',
        },
      ],
      // Watermarks are per projection, over all accounts: acc_a's 22 Nov event is the latest
      // billing event, the REJECTED at 21 Nov 10:01 the latest DLR.
      dataAsOf: { billing: '2026-11-22T00:00:00.000Z', dlr: '2026-11-21T10:01:00.000Z' },
      lagSeconds: 158_340, // 23 Nov 06:00 − 21 Nov 10:01 = 43 h 59 min
    });
  });

  it('avgCostPerMessage is exact and rounded half-up to 6 decimals', async () => {
    // 20 Nov: 1.000000 / 3 = 0.3333333… → 0.333333
    expect((await usage(A, '?from=2026-11-20&to=2026-11-20')).json()).toMatchObject({
      messagesSent: 3,
      totalCost: '1.000000',
      avgCostPerMessage: '0.333333',
    });
    // 21 Nov: 0.500001 / 2 = 0.2500005, exactly half a micro → 0.250001
    expect((await usage(A, '?from=2026-11-21&to=2026-11-21')).json()).toMatchObject({
      messagesSent: 2,
      totalCost: '0.500001',
      avgCostPerMessage: '0.250001',
    });
  });

  it('a timestamp window: widened to whole hours, partial days in the breakdown', async () => {
    const body = (await usage(A, '?from=2026-11-20T11:00:00Z&to=2026-11-21T08:59:00Z')).json();
    expect(body.window).toMatchObject({
      from: '2026-11-20T11:00:00.000Z',
      to: '2026-11-21T09:00:00.000Z',
    });
    expect(body).toMatchObject({
      messagesSent: 2, // 20 Nov 23:59:59.999 and 21 Nov 08:00
      messagesDelivered: 1,
      messagesFailed: 1,
      deliveryRate: 0.5,
      totalCost: '0.350000',
      avgCostPerMessage: '0.175000',
      daily: [
        {
          day: '2026-11-20',
          messagesSent: 1,
          messagesDelivered: 0,
          messagesFailed: 1,
          deliveryRate: 0,
          totalCost: '0.250000',
        },
        {
          day: '2026-11-21',
          messagesSent: 1,
          messagesDelivered: 1,
          messagesFailed: 0,
          deliveryRate: 1,
          totalCost: '0.100000',
        },
      ],
    });
  });

  it('an account without data in the window → 200 with zeros and no days (not 404)', async () => {
    for (const [id, query] of [
      ['acc_never_seen', '?from=2026-11-20&to=2026-11-21'],
      [A, '?from=2026-11-10&to=2026-11-19'],
    ] as const) {
      const res = await usage(id, query);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        accountId: id,
        messagesSent: 0,
        messagesDelivered: 0,
        messagesFailed: 0,
        deliveryRate: null,
        totalCost: '0.000000',
        avgCostPerMessage: null,
        daily: [],
      });
    }
  });

  it('serialises only the declared fields', async () => {
    const body = (await usage(A, '?from=2026-11-20&to=2026-11-21')).json();
    expect(Object.keys(body).sort()).toEqual(
      [
        'accountId',
        'avgCostPerMessage',
        'daily',
        'dataAsOf',
        'deliveryRate',
        'lagSeconds',
        'messagesDelivered',
        'messagesFailed',
        'messagesSent',
        'totalCost',
        'window',
      ].sort(),
    );
    for (const day of body.daily) {
      expect(Object.keys(day).sort()).toEqual(
        [
          'day',
          'deliveryRate',
          'messagesDelivered',
          'messagesFailed',
          'messagesSent',
          'totalCost',
        ].sort(),
      );
    }
  });

  it('gives the same answer from the daily rollup as from the hourly buckets', async () => {
    const before = (await usage(A, '?from=2026-11-19&to=2026-11-22')).json();
    for (const day of ['2026-11-20', '2026-11-21']) await rollUpDay(h.db.sql, day, randomUUID());
    const after = (await usage(A, '?from=2026-11-19&to=2026-11-22')).json();
    expect(after).toEqual(before);
    expect(after).toMatchObject({ messagesSent: 6, totalCost: '6.500001' }); // + the 22 Nov 5.0
  });

  it.each([
    ['acc.a', 'INVALID_REQUEST'],
    ['acc%20a', 'INVALID_REQUEST'],
    ['a'.repeat(65), 'INVALID_REQUEST'],
  ])('a bad :id (%s) → 400 %s', async (id, code) => {
    const res = await usage(id, '?from=2026-11-20&to=2026-11-21');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code });
  });

  it('a bad window → 400 INVALID_WINDOW; a bad token is 401 before any validation', async () => {
    expect((await usage(A, '?from=2026-11-21&to=2026-11-20')).json()).toMatchObject({
      status: 400,
      code: 'INVALID_WINDOW',
    });
    const res = await usage('acc.a', '?from=nonsense', {});
    expect(res.statusCode).toBe(401);
  });

  it('is in the OpenAPI document, saying an idle account is not a 404', async () => {
    const doc = (await get('/openapi.json')).json();
    const op = doc.paths[`${API_PREFIX}/accounts/{id}/usage`].get;
    expect(op.responses['200']).toBeDefined();
    expect(op.description).toMatch(/no data in the window is not an error/);
  });
});

describe('no MSISDN in any response', () => {
  // A phone number is a run of 9–15 digits, maybe after '+'. The lookbehind skips digit runs
  // that follow a '.' or another digit: the fraction of a JSON number such as deliveryRate
  // 2/3 = 0.6666666666666666 (16 digits) is not an MSISDN, and a run that starts mid-run is
  // already covered from its start. Everything else in these bodies is short: ISO timestamps
  // have runs of ≤ 4 digits, amounts like "1.000000" have ≤ 6 digits on each side of the
  // point, counts are small and lagSeconds (158340) has 6. The msisdn the builders put in
  // every published event ('+254712345678') is a 12-digit run after '+', so it would match.
  const MSISDN_SHAPED = /(?<![\d.])\+?\d{9,15}/;

  it('the pattern catches the msisdn of the published events and spares our numbers', () => {
    expect(JSON.stringify(BILLED[0])).toMatch(MSISDN_SHAPED);
    expect(JSON.stringify(DLR[0])).toMatch(MSISDN_SHAPED);
    expect(JSON.stringify({ msisdn: '254712345678' })).toMatch(MSISDN_SHAPED);
    expect(JSON.stringify({ r: 2 / 3, c: '1.000000', t: '2026-11-20T23:59:59.999Z' })).not.toMatch(
      MSISDN_SHAPED,
    );
  });

  it('none of the bodies above contains anything MSISDN-shaped', () => {
    // Usage bodies, problem bodies (401/403/400) and the OpenAPI document are all in it.
    expect(BODIES.length).toBeGreaterThan(20);
    expect(BODIES.filter((b) => b.includes('"daily":[{')).length).toBeGreaterThan(5);
    expect(BODIES.some((b) => b.includes('"code":"FORBIDDEN"'))).toBe(true);
    // The scan did see a long fraction, so the lookbehind was exercised, not vacuous.
    expect(BODIES.some((b) => b.includes('0.6666666666666666'))).toBe(true);
    for (const body of BODIES) expect(body).not.toMatch(MSISDN_SHAPED);
  });
});
