/**
 * US-ANLYT-19 (contract §6.5): GET /v1/anlyt/insights/mno-quality over real ClickHouse cubes
 * and PostgreSQL, every expectation computed from the loaded facts (insights-oracle.ts).
 * The tests of this file share one data set and run in order: the first asks about LATE's
 * first day before any other window, as a portal would on its first visit.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DSL_PREFIX } from '../src/app.js';
import { token } from './harness.js';
import {
  A,
  B,
  CDR_ONLY,
  D1,
  D2,
  D3,
  DATA_AS_OF,
  DAY_MS,
  END,
  FACTS,
  LATE,
  ONLY_B,
  TENANTS,
  dateOf,
} from './insights-data.js';
import { LABEL_KEY, startInsightsHarness, type InsightsHarness } from './insights-harness.js';
import { expectedMnos, p95Band } from './insights-oracle.js';

const URL_ = `${DSL_PREFIX}/insights/mno-quality`;
const PROBLEM = 'application/problem+json';

interface Entry {
  label: string;
  mno: string | null;
  deliveryRate: number | null;
  dlrLatencyP95: number | null;
  sampleSize: number;
  suppressed?: true;
}
interface Body {
  window: { from: string; to: string; requestedFrom: string; requestedTo: string };
  mnos: Entry[];
  dataAsOf: string | null;
}

let h: InsightsHarness;
const bearer = { admin: '', portal: '', regulator: '' };
beforeAll(async () => {
  h = await startInsightsHarness();
  await h.load(FACTS.dlrs, FACTS.cdrs);
  bearer.admin = await token('admin');
  bearer.portal = await token('portal', { sub: 'customer-portal' });
  bearer.regulator = await token('regulator', { sub: 'regulator-portal' });
});
afterAll(async () => {
  await h?.close();
});

const query = (q: Record<string, string>) => {
  const s = new URLSearchParams(q).toString();
  return s ? `${URL_}?${s}` : URL_;
};
/** A portal's call for `tenant` (its X-Account-Id), or an admin's naming it in ?tenantId=. */
async function ask(
  who: { portal: string } | { admin: string },
  q: Record<string, string> = {},
  app: FastifyInstance = h.app,
) {
  const res = await app.inject({
    method: 'GET',
    url: query('admin' in who ? { ...q, tenantId: who.admin } : q),
    headers:
      'admin' in who
        ? { authorization: `Bearer ${bearer.admin}` }
        : { authorization: `Bearer ${bearer.portal}`, 'x-account-id': who.portal },
  });
  return { status: res.statusCode, type: res.headers['content-type'], body: res.json() as Body };
}
const days = (from: number, to: number) => ({ from: dateOf(from), to: dateOf(to - DAY_MS) });

/** The label → MNO map of a tenant as recorded (the only place the real ids sit beside them). */
async function recordedLabels(tenant: string): Promise<Map<string, string>> {
  const rows = await h.pg.sql<{ label: string; mno: string }[]>`
    select label, mno from anlyt.insight_mno_labels where tenant_id = ${tenant} order by ordinal`;
  return new Map(rows.map((r) => [r.label, r.mno]));
}

/** The model of the assignment: MNOs first seen together, by HMAC(key, [tenant, mno]). */
const hmacOrder = (tenant: string, mnos: Iterable<string>) =>
  [...mnos]
    .map((m) => ({
      m,
      k: createHmac('sha256', LABEL_KEY)
        .update(JSON.stringify([tenant, m]))
        .digest('hex'),
    }))
    .sort((x, y) => (x.k < y.k ? -1 : 1))
    .map((x) => x.m);
const LETTERS = ['MNO-A', 'MNO-B', 'MNO-C', 'MNO-D', 'MNO-E', 'MNO-F'];

describe('labels', () => {
  it('are assigned on first sight in HMAC order and never move as windows change and MNOs appear', async () => {
    const first = expectedMnos(FACTS, LATE.tenant, D1, D2);
    expect(first.has(LATE.mno)).toBe(false); // the data set's premise
    expect(first.size).toBeGreaterThanOrEqual(3);

    const day1 = await ask({ portal: LATE.tenant }, days(D1, D2));
    expect(day1.status).toBe(200);
    expect(day1.body.mnos.map((e) => e.label)).toEqual(LETTERS.slice(0, first.size));
    const model = hmacOrder(LATE.tenant, first.keys());
    expect([...(await recordedLabels(LATE.tenant)).values()]).toEqual(model);

    // The whole span: the new MNO gets the next letter; the others keep theirs.
    const all = await ask({ portal: LATE.tenant }, days(D1, END));
    expect(all.body.mnos.map((e) => e.label)).toEqual(LETTERS.slice(0, first.size + 1));
    const labels = await recordedLabels(LATE.tenant);
    expect([...labels.values()]).toEqual([...model, LATE.mno]);

    // Any other window, and the admin's view of the tenant: the same labels for the same MNOs.
    for (const w of [days(D3, END), days(D2, D3), { from: `${dateOf(D2)}T07:30:00Z` }]) {
      for (const who of [{ portal: LATE.tenant }, { admin: LATE.tenant }]) {
        const r = await ask(who, w);
        expect(r.status).toBe(200);
        const want = expectedMnos(
          FACTS,
          LATE.tenant,
          Date.parse(r.body.window.from),
          Date.parse(r.body.window.to),
        );
        for (const e of r.body.mnos)
          expect(e.sampleSize).toBe(want.get(labels.get(e.label)!)!.sampleSize);
        expect(r.body.mnos.map((e) => labels.get(e.label)).sort()).toEqual([...want.keys()].sort());
      }
    }
    expect(await recordedLabels(LATE.tenant)).toEqual(labels);
  });

  it('do not follow the order of the real ids: each tenant’s follows the keyed model, and they differ', async () => {
    const orders: string[][] = [];
    for (const tenant of TENANTS) {
      const r = await ask({ admin: tenant }, days(D1, END));
      expect(r.status).toBe(200);
      const order = [...(await recordedLabels(tenant)).values()];
      expect(r.body.mnos.map((e) => e.label)).toEqual(LETTERS.slice(0, order.length));
      if (tenant !== LATE.tenant) expect(order).toEqual(hmacOrder(tenant, order));
      orders.push(order);
    }
    const sorted = (o: string[]) => JSON.stringify(o) === JSON.stringify([...o].sort());
    expect(orders.every(sorted)).toBe(false);
    // Tenants with the same five MNOs see them under different permutations.
    const full = orders.filter((o) => o.length === 5).map((o) => JSON.stringify(o));
    expect(full.length).toBeGreaterThanOrEqual(2);
    expect(new Set(full).size).toBeGreaterThan(1);
  });
});

describe('numbers', () => {
  const windows = [
    { name: 'the three days', q: days(D1, END), from: D1, to: END },
    { name: 'one day', q: days(D2, D3), from: D2, to: D3 },
    {
      name: 'hour bounds, widened to whole days',
      q: { from: `${dateOf(D1)}T10:30:00Z`, to: `${dateOf(D2)}T05:00:00Z` },
      from: D1,
      to: D3,
    },
  ];
  for (const w of windows)
    it(`every tenant's figures equal the facts' (${w.name})`, async () => {
      for (const tenant of TENANTS) {
        const r = await ask({ portal: tenant }, w.q);
        expect(r.status).toBe(200);
        expect(r.body.window).toMatchObject({
          from: new Date(w.from).toISOString(),
          to: new Date(w.to).toISOString(),
        });
        expect(r.body.dataAsOf).toBe(DATA_AS_OF);
        const want = expectedMnos(FACTS, tenant, w.from, w.to);
        const labels = await recordedLabels(tenant);
        expect(r.body.mnos.map((e) => labels.get(e.label)).sort()).toEqual([...want.keys()].sort());
        for (const e of r.body.mnos) {
          const x = want.get(labels.get(e.label)!)!;
          expect(e.mno).toBeNull();
          expect(e.sampleSize).toBe(x.sampleSize);
          if (x.sampleSize < 100) {
            expect(e).toMatchObject({ deliveryRate: null, dlrLatencyP95: null, suppressed: true });
            continue;
          }
          expect(e.suppressed).toBeUndefined();
          expect(e.deliveryRate).toBeCloseTo(x.deliveryRate!, 12);
          // A t-digest estimate: its rank within P94–P96 of the exact sample (1 % slack for
          // the merge order of the states, which may vary).
          const [lo, hi] = p95Band(x.latencies);
          expect(e.dlrLatencyP95).toBeGreaterThanOrEqual(lo * 0.99);
          expect(e.dlrLatencyP95).toBeLessThanOrEqual(hi * 1.01);
        }
      }
    });

  it('lists an MNO that carried only CDRs of the tenant, suppressed, with null rates', async () => {
    const want = expectedMnos(FACTS, CDR_ONLY.tenant, D1, END).get(CDR_ONLY.mno)!;
    expect(want).toMatchObject({ sampleSize: 0, latencies: [] });
    const r = await ask({ portal: CDR_ONLY.tenant }, days(D1, END));
    const labels = await recordedLabels(CDR_ONLY.tenant);
    const e = r.body.mnos.find((x) => labels.get(x.label) === CDR_ONLY.mno);
    expect(e).toEqual({
      label: e!.label,
      mno: null,
      deliveryRate: null,
      dlrLatencyP95: null,
      sampleSize: 0,
      suppressed: true,
    });
  });

  it('suppresses at the configured minimum: shown with min = n final DLRs, suppressed with n + 1', async () => {
    const want = expectedMnos(FACTS, B, D2, D3);
    const [mno, x] = [...want.entries()].find(([, e]) => e.sampleSize > 2)!;
    const label = [...(await recordedLabels(B)).entries()].find(([, m]) => m === mno)![0];
    const entryWith = async (minSampleSize: number) => {
      const app = await h.build({ minSampleSize });
      const r = await ask({ portal: B }, days(D2, D3), app);
      return r.body.mnos.find((e) => e.label === label)!;
    };
    const atMin = await entryWith(x.sampleSize);
    expect(atMin.suppressed).toBeUndefined();
    expect(atMin.sampleSize).toBe(x.sampleSize);
    expect(atMin.deliveryRate).toBeCloseTo(x.deliveryRate!, 12);
    expect(atMin.dlrLatencyP95).not.toBeNull();
    expect(await entryWith(x.sampleSize + 1)).toEqual({
      label,
      mno: null,
      deliveryRate: null,
      dlrLatencyP95: null,
      sampleSize: x.sampleSize,
      suppressed: true,
    });
  });

  it('defaults to the last 7 days (today and the 6 before), widened to whole days', async () => {
    const nowMs = D3 + 15 * 3_600_000 + 1234;
    const app = await h.build({ now: () => nowMs });
    const r = await ask({ portal: B }, {}, app);
    expect(r.status).toBe(200);
    expect(r.body.window).toEqual({
      from: new Date(D3 - 6 * DAY_MS).toISOString(),
      to: new Date(END).toISOString(),
      requestedFrom: new Date(D3 - 6 * DAY_MS).toISOString(),
      requestedTo: new Date(nowMs).toISOString(),
    });
    const want = expectedMnos(FACTS, B, D3 - 6 * DAY_MS, END);
    expect(r.body.mnos.map((e) => e.sampleSize).sort((a, b) => a - b)).toEqual(
      [...want.values()].map((e) => e.sampleSize).sort((a, b) => a - b),
    );
  });
});

describe('BOLA: a tenant sees only its own MNOs, labels and numbers', () => {
  it('whatever a portal caller puts in the query string, the answer is its X-Account-Id’s', async () => {
    const own = await ask({ portal: A }, days(D1, END));
    const other = await ask({ portal: B }, days(D1, END));
    expect(own.status).toBe(200);
    const queries: Record<string, string>[] = [{ tenantId: B }, { tenantId: B, accountId: B }];
    for (const q of queries) {
      const r = await ask({ portal: A }, { ...days(D1, END), ...q });
      expect(r).toEqual(own);
    }
    expect(own).not.toEqual(other);
    // A's traffic never used ONLY_B: not in its answer, not among its labels.
    const wantA = expectedMnos(FACTS, A, D1, END);
    expect(wantA.has(ONLY_B)).toBe(false);
    expect(expectedMnos(FACTS, B, D1, END).has(ONLY_B)).toBe(true);
    expect([...(await recordedLabels(A)).values()]).not.toContain(ONLY_B);
    expect(own.body.mnos).toHaveLength(wantA.size);
    expect(own.body.mnos.map((e) => e.sampleSize).sort()).toEqual(
      [...wantA.values()].map((e) => e.sampleSize).sort(),
    );
    expect(JSON.stringify(own.body)).not.toContain('mno-');
  });

  it('an admin reads any tenant, exactly as that tenant sees itself', async () => {
    for (const tenant of [A, B]) {
      const portal = await ask({ portal: tenant }, days(D1, END));
      expect(await ask({ admin: tenant }, days(D1, END))).toEqual(portal);
    }
  });

  it('refuses other roles, no token, a bad token, and a portal without or with a bad X-Account-Id', async () => {
    const call = async (headers: Record<string, string>, q = days(D1, END)) => {
      const res = await h.app.inject({ method: 'GET', url: query({ ...q, tenantId: B }), headers });
      return { ...res.json(), status: res.statusCode, contentType: res.headers['content-type'] };
    };
    const cases: [Record<string, string>, number, string][] = [
      [{ authorization: `Bearer ${bearer.regulator}`, 'x-account-id': A }, 403, 'FORBIDDEN'],
      [{ 'x-account-id': A }, 401, 'UNAUTHORIZED'],
      [{ authorization: 'Bearer not.a.token', 'x-account-id': A }, 401, 'UNAUTHORIZED'],
      [{ authorization: `Bearer ${bearer.portal}` }, 403, 'FORBIDDEN'],
      [
        { authorization: `Bearer ${bearer.portal}`, 'x-account-id': `${A}, ${B}` },
        400,
        'INVALID_REQUEST',
      ],
    ];
    for (const [headers, status, code] of cases) {
      const r = await call(headers);
      expect(r).toMatchObject({ status, code, contentType: expect.stringContaining(PROBLEM) });
      expect(JSON.stringify(r)).not.toMatch(/mno-|MNO-/);
    }
  });
});

describe('bad requests are problems with a code, never a 500', () => {
  const admin = (q: Record<string, string>) =>
    h.app.inject({
      method: 'GET',
      url: query(q),
      headers: { authorization: `Bearer ${bearer.admin}` },
    });
  const cases: [string, Record<string, string>, number, string][] = [
    ['from after to', { tenantId: B, from: dateOf(D2), to: dateOf(D1) }, 400, 'INVALID_WINDOW'],
    ['over 90 days', { tenantId: B, from: '2026-01-01', to: dateOf(D1) }, 400, 'INVALID_WINDOW'],
    ['to without from', { tenantId: B, to: dateOf(D1) }, 400, 'INVALID_WINDOW'],
    ['not a date', { tenantId: B, from: 'yesterday' }, 400, 'INVALID_WINDOW'],
    ['year 0000', { tenantId: B, from: '0000-01-01', to: '0000-01-02' }, 400, 'INVALID_WINDOW'],
    ['no tenantId for an admin', { from: dateOf(D1) }, 400, 'INVALID_REQUEST'],
    ['a tenantId that is no account id', { tenantId: "x' OR 1=1" }, 400, 'INVALID_REQUEST'],
  ];
  for (const [name, q, status, code] of cases)
    it(name, async () => {
      const res = await admin(q);
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.json()).toMatchObject({ status, code });
    });

  it('the end of time: a window in year 9999 is answered, empty', async () => {
    const r = await ask({ admin: B }, { from: '9999-12-01', to: '9999-12-31T23:00:00Z' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      window: { from: '9999-12-01T00:00:00.000Z', to: '9999-12-31T23:00:00.000Z' },
      mnos: [],
    });
  });

  it('ClickHouse not answering, or no insights configured → 503 UNAVAILABLE', async () => {
    for (const app of [
      await h.build({ clickhouseDown: true }),
      await h.build({ withoutInsights: true }),
    ]) {
      const res = await app.inject({
        method: 'GET',
        url: query({ tenantId: B }),
        headers: { authorization: `Bearer ${bearer.admin}` },
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.json()).toMatchObject({ code: 'UNAVAILABLE' });
    }
  });
});
