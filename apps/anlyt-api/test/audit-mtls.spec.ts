/**
 * US-ANLYT-15 AC2: the audit API only for regulator-portal-service, over mTLS — a real HTTPS
 * listener on 127.0.0.1 with certificates made by openssl for this run. No certificate,
 * another CA's, an expired one: refused at the handshake. The right CA but another subject:
 * 403. Then the token: regulator only. Audit routes exist on the audit listener alone, and
 * nothing else does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DSL_PREFIX, API_PREFIX } from '../src/app.js';
import { AUDIT_PREFIX } from '../src/audit/audit-app.js';
import { httpsCall, startAuditHarness, type AuditHarness } from './audit-harness.js';
import { token } from './harness.js';

const BODY = { tenantId: 'acc-1', from: '2026-11-01', to: '2026-11-30', dataset: 'cdr' };

let h: AuditHarness;
let regulator: string;
beforeAll(async () => {
  h = await startAuditHarness();
  regulator = await token('regulator', { sub: 'regulator-portal' });
});
afterAll(async () => {
  await h?.close();
});

const query = (client: Parameters<typeof httpsCall>[2], bearer?: string) =>
  httpsCall(h.audit.port, h.certs.ca, client, {
    method: 'POST',
    path: `${AUDIT_PREFIX}/query`,
    body: BODY,
    ...(bearer ? { bearer } : {}),
  });

describe('the audit listener (mTLS)', () => {
  it('refuses, at the TLS handshake, no certificate, another CA and an expired certificate', async () => {
    for (const client of [null, h.certs.clients.otherCa, h.certs.clients.expired]) {
      // TLS 1.3: the server's refusal may surface as an alert or a reset; never as HTTP.
      await expect(query(client, regulator)).rejects.toThrow(
        /certificate|alert|ECONNRESET|socket hang up|EPIPE/i,
      );
    }
  });

  it('answers 403 to a certificate of the right CA whose subject is not allowed', async () => {
    const res = await query(h.certs.clients.otherSubject, regulator);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('lets the good certificate with a regulator token through (200)', async () => {
    const res = await query(h.certs.clients.good, regulator);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
  });

  it('answers 403 to other roles and 401 to no, bad or expired tokens', async () => {
    for (const role of ['admin', 'portal']) {
      const res = await query(h.certs.clients.good, await token(role));
      expect(res.status, role).toBe(403);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'FORBIDDEN' });
    }
    const expired = await token('regulator', { expiresInS: -10 });
    const badSignature = await token('regulator', { secret: 'another-secret-long-enough' });
    for (const bearer of [undefined, expired, badSignature]) {
      const res = await query(h.certs.clients.good, bearer);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=/);
    }
  });

  it('serves nothing but the audit routes: no DSL, no internal routes, no probes', async () => {
    const admin = await token('admin');
    for (const [method, path] of [
      ['POST', `${DSL_PREFIX}/query`],
      ['GET', `${API_PREFIX}/summary`],
      ['GET', '/healthz'],
      ['GET', '/metrics'],
      ['GET', '/openapi.json'],
    ] as const) {
      const res = await httpsCall(h.audit.port, h.certs.ca, h.certs.clients.good, {
        method,
        path,
        bearer: admin,
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect(res.status, path).toBe(404);
    }
  });

  it('does not serve the audit routes on the plain listener (404)', async () => {
    for (const [method, url] of [
      ['POST', `${AUDIT_PREFIX}/query`],
      ['POST', `${AUDIT_PREFIX}/exports`],
      ['GET', `${AUDIT_PREFIX}/exports/00000000-0000-4000-8000-000000000000`],
    ] as const) {
      const res = await h.dsl.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${regulator}` },
        ...(method === 'POST' ? { payload: BODY } : {}),
      });
      expect(res.statusCode, url).toBe(404);
    }
  });
});
