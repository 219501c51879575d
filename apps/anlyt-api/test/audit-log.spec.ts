/**
 * US-ANLYT-15 / contract §6.3: every audit call is recorded (who: token sub + certificate
 * subject, what: route + body, when, rows, outcome) in an append-only log — PostgreSQL itself
 * refuses UPDATE, DELETE and TRUNCATE on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@anlyt/testing';
import { defaultTrafficConfig, FactsOracle, generateTraffic } from '@anlyt/traffic';
import { AUDIT_PREFIX } from '../src/audit/audit-app.js';
import { httpsCall, ndjson, startAuditHarness, type AuditHarness } from './audit-harness.js';
import { token } from './harness.js';

const oracle = new FactsOracle();
for (const m of generateTraffic(
  defaultTrafficConfig({ seed: 17, messages: 500, accounts: 2, operators: 2, cdrs: true }),
))
  oracle.observe(m);
const cdrs = [...oracle.cdrFacts().values()];
const TENANT = cdrs[0]!.tenantId;
const BODY = { tenantId: TENANT, from: '2026-11-01', to: '2026-11-30', dataset: 'compliance' };

let h: AuditHarness;
beforeAll(async () => {
  h = await startAuditHarness();
  await h.dsl.load([], cdrs);
});
afterAll(async () => {
  await h?.close();
});

interface LogRow {
  caller_sub: string | null;
  cert_subject: string;
  method: string;
  route: string;
  body: unknown;
  status: number;
  outcome: string;
  rows: string | null;
  export_id: string | null;
  at: Date;
}

const logRows = () => h.pg.sql<LogRow[]>`select * from anlyt.audit_log order by id`;

describe('the audit log', () => {
  it('records every call: query, export create, export status, and refusals', async () => {
    const regulator = await token('regulator', { sub: 'regulator-portal' });
    const call = (method: string, path: string, body?: unknown, bearer = regulator) =>
      httpsCall(h.audit.port, h.certs.ca, h.certs.clients.good, {
        method,
        path: `${AUDIT_PREFIX}${path}`,
        bearer,
        ...(body === undefined ? {} : { body }),
      });
    const started = Date.now() - 1000;
    const q = await call('POST', '/query', BODY);
    expect(q.status).toBe(200);
    const returned = ndjson(q.text).length;
    expect(returned).toBeGreaterThan(0);
    const created = await call('POST', '/exports', BODY);
    const { id } = JSON.parse(created.text) as { id: string };
    const status = await call('GET', `/exports/${id}`);
    expect(status.status).toBe(200);
    const refused = await call('POST', '/query', BODY, await token('admin', { sub: 'dash' }));
    expect(refused.status).toBe(403);

    const log = await eventually('four audit-log rows', async () => {
      const r = await logRows();
      return r.length >= 4 ? r : undefined;
    });
    const base = { cert_subject: 'regulator-portal-service', outcome: 'COMPLETED' };
    // Each row is written once its response has closed, so two calls in a row may land in
    // either order: find each by what it was.
    const row = (method: string, route: string, sub: string) =>
      log.find((r) => r.method === method && r.route === route && r.caller_sub === sub);
    expect(log).toHaveLength(4);
    expect(row('POST', `${AUDIT_PREFIX}/query`, 'regulator-portal')).toMatchObject({
      ...base,
      caller_sub: 'regulator-portal',
      method: 'POST',
      route: `${AUDIT_PREFIX}/query`,
      body: BODY,
      status: 200,
      rows: String(returned),
    });
    expect(row('POST', `${AUDIT_PREFIX}/exports`, 'regulator-portal')).toMatchObject({
      ...base,
      route: `${AUDIT_PREFIX}/exports`,
      body: BODY,
      status: 202,
      export_id: id,
    });
    expect(row('GET', `${AUDIT_PREFIX}/exports/:id`, 'regulator-portal')).toMatchObject({
      ...base,
      method: 'GET',
      route: `${AUDIT_PREFIX}/exports/:id`,
      body: { id },
      status: 200,
      export_id: id,
    });
    expect(row('POST', `${AUDIT_PREFIX}/query`, 'dash')).toMatchObject({
      ...base,
      status: 403,
      rows: null,
    });
    for (const r of log) expect(r.at.getTime()).toBeGreaterThanOrEqual(started);
  });

  it('records a refused certificate subject too (its CN, no token verified)', async () => {
    const before = (await logRows()).length;
    const res = await httpsCall(h.audit.port, h.certs.ca, h.certs.clients.otherSubject, {
      method: 'POST',
      path: `${AUDIT_PREFIX}/query`,
      body: BODY,
    });
    expect(res.status).toBe(403);
    const row = await eventually('the refusal in the audit log', async () => {
      const r = await logRows();
      return r.length > before ? r[before] : undefined;
    });
    expect(row).toMatchObject({ cert_subject: 'someone-else', caller_sub: null, status: 403 });
  });

  it('is append-only: PostgreSQL refuses UPDATE, DELETE and TRUNCATE', async () => {
    expect((await logRows()).length).toBeGreaterThan(0);
    await expect(h.pg.sql`update anlyt.audit_log set status = 200`).rejects.toThrow(/append-only/);
    await expect(h.pg.sql`delete from anlyt.audit_log`).rejects.toThrow(/append-only/);
    await expect(h.pg.sql`truncate anlyt.audit_log`).rejects.toThrow(/append-only/);
    await h.pg.sql`
      insert into anlyt.audit_log (cert_subject, method, route, status, outcome)
      values ('x', 'GET', '/x', 200, 'COMPLETED')`;
  });
});
