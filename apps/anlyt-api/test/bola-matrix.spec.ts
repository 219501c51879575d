/**
 * Broken object-level authorisation, as a matrix: every DSL and audit route × caller (admin,
 * portal with its own X-Account-Id, portal with another tenant's, regulator, no token) × the
 * tenant asked for (own / other) → the expected status, and no answer ever carries a row of a
 * tenant the caller was not scoped to. The audit routes are called on the mTLS listener with a
 * good client certificate (the certificate itself is audit-mtls.spec.ts's matrix), and on the
 * plain listener, where they do not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTrafficConfig, FactsOracle, generateTraffic } from '@anlyt/traffic';
import { API_PREFIX, DSL_PREFIX } from '../src/app.js';
import { AUDIT_PREFIX } from '../src/audit/audit-app.js';
import { httpsCall, ndjson, startAuditHarness, type AuditHarness } from './audit-harness.js';
import { token } from './harness.js';

const oracle = new FactsOracle();
for (const m of generateTraffic(
  defaultTrafficConfig({ seed: 18, messages: 1500, accounts: 3, operators: 2, cdrs: true }),
))
  oracle.observe(m);
const cdrs = [...oracle.cdrFacts().values()];
const OWN = cdrs[0]!.tenantId;
const OTHER = cdrs.find((f) => f.tenantId !== OWN)!.tenantId;
const countOf = (tenant: string) => cdrs.filter((f) => f.tenantId === tenant).length;
const WINDOW = { from: '2026-11-01', to: '2026-11-30' };

type Caller = 'admin' | 'portal-own' | 'portal-other' | 'regulator' | 'none';
const CALLERS: Caller[] = ['admin', 'portal-own', 'portal-other', 'regulator', 'none'];
type Asked = 'own' | 'other';

let h: AuditHarness;
const bearer: Partial<Record<Caller, string>> = {};
beforeAll(async () => {
  h = await startAuditHarness();
  await h.dsl.load([], cdrs);
  bearer.admin = await token('admin');
  bearer['portal-own'] = await token('portal', { sub: 'customer-portal' });
  bearer['portal-other'] = bearer['portal-own'];
  bearer.regulator = await token('regulator', { sub: 'regulator-portal' });
});
afterAll(async () => {
  await h?.close();
});

function headers(caller: Caller): Record<string, string> {
  const b = bearer[caller];
  return {
    ...(b ? { authorization: `Bearer ${b}` } : {}),
    ...(caller === 'portal-own' ? { 'x-account-id': OWN } : {}),
    ...(caller === 'portal-other' ? { 'x-account-id': OTHER } : {}),
  };
}

/** The tenant a portal caller is scoped to by its header. */
const scopeOf = (caller: Caller) =>
  caller === 'portal-own' ? OWN : caller === 'portal-other' ? OTHER : null;

describe('BOLA matrix: the query DSL (plain listener)', () => {
  // Own: no tenant in the body (a portal is scoped by its header); other: the body filters on
  // the other tenant, which only an admin may do.
  const body = (asked: Asked) => ({
    dataset: 'cdr',
    measures: ['cdrs'],
    timeRange: WINDOW,
    ...(asked === 'other' ? { filters: [{ member: 'tenantId', op: 'in', values: [OTHER] }] } : {}),
  });
  const expected: Record<Caller, Record<Asked, number>> = {
    admin: { own: 200, other: 200 },
    'portal-own': { own: 200, other: 403 },
    'portal-other': { own: 200, other: 403 },
    regulator: { own: 403, other: 403 },
    none: { own: 401, other: 401 },
  };
  for (const caller of CALLERS)
    for (const asked of ['own', 'other'] as const)
      it(`${caller} asking for ${asked} → ${expected[caller][asked]}`, async () => {
        const res = await h.dsl.app.inject({
          method: 'POST',
          url: `${DSL_PREFIX}/query`,
          headers: headers(caller),
          payload: body(asked),
        });
        expect(res.statusCode).toBe(expected[caller][asked]);
        if (res.statusCode !== 200) return;
        const cdrsAnswered = (res.json() as { rows: { cdrs: number }[] }).rows[0]?.cdrs;
        const scoped = scopeOf(caller);
        // A portal sees its header's tenant only; an admin what it filtered (or everything).
        const want = scoped ? countOf(scoped) : asked === 'other' ? countOf(OTHER) : cdrs.length;
        expect(cdrsAnswered).toBe(want);
      });
});

describe('BOLA matrix: an account-scoped internal route (plain listener)', () => {
  const expected: Record<Caller, Record<Asked, number>> = {
    admin: { own: 200, other: 200 },
    'portal-own': { own: 200, other: 403 },
    'portal-other': { own: 403, other: 200 },
    regulator: { own: 403, other: 403 },
    none: { own: 401, other: 401 },
  };
  for (const caller of CALLERS)
    for (const asked of ['own', 'other'] as const)
      it(`${caller} asking for ${asked} → ${expected[caller][asked]}`, async () => {
        const id = asked === 'own' ? OWN : OTHER;
        const res = await h.dsl.app.inject({
          method: 'GET',
          url: `${API_PREFIX}/accounts/${id}/usage?from=${WINDOW.from}&to=${WINDOW.to}`,
          headers: headers(caller),
        });
        expect(res.statusCode).toBe(expected[caller][asked]);
      });
});

describe('BOLA matrix: the audit routes (mTLS listener, good certificate)', () => {
  // A regulator audits any tenant (the body names it); nobody else may call these at all.
  const status = (caller: Caller, ok: number) =>
    caller === 'regulator' ? ok : caller === 'none' ? 401 : 403;
  for (const caller of CALLERS)
    for (const asked of ['own', 'other'] as const) {
      const tenantId = asked === 'own' ? OWN : OTHER;
      const body = { tenantId, ...WINDOW, dataset: 'cdr' };
      const call = (method: string, path: string, payload?: unknown) =>
        httpsCall(h.audit.port, h.certs.ca, h.certs.clients.good, {
          method,
          path: `${AUDIT_PREFIX}${path}`,
          ...(payload === undefined ? {} : { body: payload }),
          ...(bearer[caller] ? { bearer: bearer[caller] } : {}),
        });

      it(`query: ${caller} asking for ${asked} → ${status(caller, 200)}, that tenant's rows only`, async () => {
        const res = await call('POST', '/query', body);
        expect(res.status).toBe(status(caller, 200));
        if (res.status !== 200) return;
        const rows = ndjson(res.text);
        expect(rows).toHaveLength(countOf(tenantId));
        for (const r of rows) expect(r['tenantId']).toBe(tenantId);
      });

      it(`exports: ${caller} asking for ${asked} → ${status(caller, 202)}; status ${status(caller, 200)}`, async () => {
        const created = await call('POST', '/exports', body);
        expect(created.status).toBe(status(caller, 202));
        // The status of an export the regulator made, asked by this caller.
        const made = await httpsCall(h.audit.port, h.certs.ca, h.certs.clients.good, {
          method: 'POST',
          path: `${AUDIT_PREFIX}/exports`,
          body,
          bearer: bearer.regulator!,
        });
        const { id } = JSON.parse(made.text) as { id: string };
        const read = await call('GET', `/exports/${id}`);
        expect(read.status).toBe(status(caller, 200));
      });
    }
});

describe('BOLA matrix: routes on the wrong listener are not there (404)', () => {
  for (const caller of CALLERS) {
    it(`${caller}: audit routes on the plain listener`, async () => {
      for (const [method, url] of [
        ['POST', `${AUDIT_PREFIX}/query`],
        ['POST', `${AUDIT_PREFIX}/exports`],
        ['GET', `${AUDIT_PREFIX}/exports/00000000-0000-4000-8000-000000000000`],
      ] as const) {
        const res = await h.dsl.app.inject({
          method,
          url,
          headers: headers(caller),
          ...(method === 'POST' ? { payload: { tenantId: OWN, ...WINDOW, dataset: 'cdr' } } : {}),
        });
        expect(res.statusCode, url).toBe(404);
      }
    });

    it(`${caller}: the DSL and internal routes on the audit listener`, async () => {
      for (const [method, path] of [
        ['POST', `${DSL_PREFIX}/query`],
        ['GET', `${API_PREFIX}/accounts/${OWN}/usage`],
        ['GET', `${API_PREFIX}/summary`],
      ] as const) {
        const res = await httpsCall(h.audit.port, h.certs.ca, h.certs.clients.good, {
          method,
          path,
          ...(method === 'POST' ? { body: { dataset: 'cdr', measures: ['cdrs'] } } : {}),
          ...(bearer[caller] ? { bearer: bearer[caller] } : {}),
        });
        expect(res.status, path).toBe(404);
      }
    });
  }
});
