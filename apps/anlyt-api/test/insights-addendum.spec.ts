/**
 * US-ANLYT-19 AC3: real MNO ids only with a data-share addendum on record. The admin endpoints
 * set, read and revoke it; every change lands in an append-only history; nobody else may
 * call them. Real PostgreSQL and ClickHouse (insights-harness.ts), facts from insights-data.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DSL_PREFIX } from '../src/app.js';
import { token } from './harness.js';
import { A, B, D1, END, FACTS, dateOf, DAY_MS } from './insights-data.js';
import { startInsightsHarness, type InsightsHarness } from './insights-harness.js';
import { expectedMnos } from './insights-oracle.js';

const INSIGHTS = `${DSL_PREFIX}/insights/mno-quality?from=${dateOf(D1)}&to=${dateOf(END - DAY_MS)}`;
const addendumOf = (tenant: string) => `${DSL_PREFIX}/admin/tenants/${tenant}/data-share-addendum`;
const PROBLEM = 'application/problem+json';
const SIGNED = { reference: 'DSA-2026-0042', signedAt: '2026-11-18T09:30:00Z' };

let h: InsightsHarness;
const bearer = { admin: '', portal: '', regulator: '' };
beforeAll(async () => {
  h = await startInsightsHarness();
  await h.load(FACTS.dlrs, FACTS.cdrs);
  bearer.admin = await token('admin', { sub: 'admin-dashboard:jane' });
  bearer.portal = await token('portal', { sub: 'customer-portal' });
  bearer.regulator = await token('regulator', { sub: 'regulator-portal' });
});
afterAll(async () => {
  await h?.close();
});

const asAdmin = (method: 'GET' | 'PUT' | 'DELETE', tenant: string, payload?: unknown) =>
  h.app.inject({
    method,
    url: addendumOf(tenant),
    headers: { authorization: `Bearer ${bearer.admin}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const insightsOf = async (tenant: string) => {
  const res = await h.app.inject({
    method: 'GET',
    url: INSIGHTS,
    headers: { authorization: `Bearer ${bearer.portal}`, 'x-account-id': tenant },
  });
  expect(res.statusCode).toBe(200);
  return res.json() as { mnos: { label: string; mno: string | null; sampleSize: number }[] };
};
const history = (tenant: string) =>
  h.pg.sql<{ action: string; reference: string; actor: string }[]>`
    select action, reference, actor from anlyt.data_share_addendum_history
    where tenant_id = ${tenant} order by id`;

describe('the data-share addendum', () => {
  it('on record → real MNO ids; revoked → null again; every change in the history', async () => {
    const anonymous = await insightsOf(A);
    expect(anonymous.mnos.every((e) => e.mno === null)).toBe(true);
    expect((await asAdmin('GET', A)).json()).toEqual({ tenantId: A, addendum: null, history: [] });

    const set = await asAdmin('PUT', A, SIGNED);
    expect(set.statusCode).toBe(200);
    const state = set.json();
    expect(state).toMatchObject({
      tenantId: A,
      addendum: {
        reference: SIGNED.reference,
        signedAt: '2026-11-18T09:30:00.000Z',
        recordedBy: 'admin-dashboard:jane',
      },
      history: [{ action: 'SET', reference: SIGNED.reference, actor: 'admin-dashboard:jane' }],
    });
    expect((await asAdmin('GET', A)).json()).toEqual(state);

    // The same labels, now with the real ids: exactly A's MNOs, each with its own numbers.
    const shared = await insightsOf(A);
    expect(shared.mnos.map((e) => e.label)).toEqual(anonymous.mnos.map((e) => e.label));
    const want = expectedMnos(FACTS, A, D1, END);
    expect(shared.mnos.map((e) => e.mno).sort()).toEqual([...want.keys()].sort());
    for (const e of shared.mnos) expect(e.sampleSize).toBe(want.get(e.mno!)!.sampleSize);
    // Another tenant is not affected.
    expect((await insightsOf(B)).mnos.every((e) => e.mno === null)).toBe(true);

    const revoked = await asAdmin('DELETE', A);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({
      addendum: null,
      history: [{ action: 'SET' }, { action: 'REVOKE', reference: SIGNED.reference }],
    });
    expect(await insightsOf(A)).toEqual(anonymous);

    // Nothing on record: 404, and nothing written.
    const again = await asAdmin('DELETE', A);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(await history(A)).toEqual([
      { action: 'SET', reference: SIGNED.reference, actor: 'admin-dashboard:jane' },
      { action: 'REVOKE', reference: SIGNED.reference, actor: 'admin-dashboard:jane' },
    ]);
  });

  it('a second PUT replaces the addendum and is recorded too', async () => {
    await asAdmin('PUT', B, SIGNED);
    const second = await asAdmin('PUT', B, {
      reference: 'DSA-2026-0042-v2',
      signedAt: '2026-11-19T08:00:00+01:00',
    });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({
      addendum: { reference: 'DSA-2026-0042-v2', signedAt: '2026-11-19T07:00:00.000Z' },
      history: [
        { action: 'SET', reference: SIGNED.reference },
        { action: 'SET', reference: 'DSA-2026-0042-v2' },
      ],
    });
    expect((await insightsOf(B)).mnos.every((e) => e.mno !== null)).toBe(true);
  });

  it('the history is append-only in the database', async () => {
    await asAdmin('PUT', 'acc_hist', SIGNED);
    for (const statement of [
      h.pg.sql`update anlyt.data_share_addendum_history set actor = 'someone else'`,
      h.pg.sql`delete from anlyt.data_share_addendum_history`,
      h.pg.sql`truncate anlyt.data_share_addendum_history`,
    ])
      await expect(statement).rejects.toMatchObject({ code: '42501' });
    expect(await history('acc_hist')).toHaveLength(1);
  });

  it('only an admin may call the addendum endpoints', async () => {
    const callers: [Record<string, string>, number, string][] = [
      [{ authorization: `Bearer ${bearer.portal}`, 'x-account-id': A }, 403, 'FORBIDDEN'],
      [{ authorization: `Bearer ${bearer.regulator}` }, 403, 'FORBIDDEN'],
      [{}, 401, 'UNAUTHORIZED'],
      [{ authorization: 'Bearer not.a.token' }, 401, 'UNAUTHORIZED'],
    ];
    const before = await history(A);
    for (const [headers, status, code] of callers)
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        const res = await h.app.inject({
          method,
          url: addendumOf(A),
          headers,
          ...(method === 'PUT' ? { payload: SIGNED } : {}),
        });
        expect(res.statusCode, `${method} ${status}`).toBe(status);
        expect(res.headers['content-type']).toContain(PROBLEM);
        expect(res.json()).toMatchObject({ code });
      }
    expect(await history(A)).toEqual(before);
    expect((await insightsOf(A)).mnos.every((e) => e.mno === null)).toBe(true);
  });

  it('refuses bad bodies and bad tenant ids with a problem, writing nothing', async () => {
    const tenant = 'acc_bad_bodies';
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const cases: [string, unknown, number][] = [
      ['an unknown member', { ...SIGNED, mno: 'x' }, 400],
      ['no reference', { signedAt: SIGNED.signedAt }, 400],
      ['an empty reference', { ...SIGNED, reference: '' }, 400],
      ['a reference with a line break', { ...SIGNED, reference: 'a\nb' }, 400],
      ['a date without time', { ...SIGNED, signedAt: '2026-11-18' }, 400],
      ['signedAt in the future', { ...SIGNED, signedAt: inAnHour }, 400],
      ['signedAt before 1970', { ...SIGNED, signedAt: '1969-12-31T23:59:59Z' }, 400],
      ['a body over 4 KiB', { ...SIGNED, reference: 'x'.repeat(5000) }, 413],
    ];
    for (const [name, body, status] of cases) {
      const res = await asAdmin('PUT', tenant, body);
      expect(res.statusCode, name).toBe(status);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    }
    const xml = await h.app.inject({
      method: 'PUT',
      url: addendumOf(tenant),
      headers: { authorization: `Bearer ${bearer.admin}`, 'content-type': 'application/xml' },
      payload: '<addendum/>',
    });
    expect(xml.statusCode).toBe(415);
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const res = await asAdmin(method, 'acc.bad', method === 'PUT' ? SIGNED : undefined);
      expect(res.statusCode, method).toBe(400);
      expect(res.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    }
    expect(await history(tenant)).toEqual([]);
  });
});
