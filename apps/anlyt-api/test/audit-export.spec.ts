/**
 * US-ANLYT-15 AC3: exports to S3-compatible storage (an in-process s3rver) — 202, polled until
 * DONE, the object's gunzipped NDJSON equal to the audit query's answer; a failing upload
 * (bucket missing) → FAILED; an export abandoned by a stopped process → FAILED.
 */
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@anlyt/testing';
import { defaultTrafficConfig, FactsOracle, generateTraffic } from '@anlyt/traffic';
import { AUDIT_PREFIX } from '../src/audit/audit-app.js';
import {
  BUCKET,
  httpsCall,
  startAuditHarness,
  type AuditHarness,
  type RunningAuditApp,
} from './audit-harness.js';
import { token } from './harness.js';

const oracle = new FactsOracle();
for (const m of generateTraffic(
  defaultTrafficConfig({ seed: 16, messages: 3000, accounts: 3, operators: 3, cdrs: true }),
))
  oracle.observe(m);
const cdrs = [...oracle.cdrFacts().values()];
const TENANT = cdrs[0]!.tenantId;
const BODY = { tenantId: TENANT, from: '2026-11-01', to: '2026-11-30', dataset: 'cdr' };

let h: AuditHarness;
let regulator: string;
let s3: S3Client;
beforeAll(async () => {
  h = await startAuditHarness();
  await h.dsl.load([], cdrs);
  regulator = await token('regulator', { sub: 'regulator-portal' });
  s3 = new S3Client({
    endpoint: h.s3.endpoint,
    region: h.s3.region,
    credentials: h.s3.credentials,
    forcePathStyle: true,
  });
});
afterAll(async () => {
  s3?.destroy();
  await h?.close();
});

const call = (o: { method: string; path: string; body?: unknown }, on: RunningAuditApp = h.audit) =>
  httpsCall(on.port, h.certs.ca, h.certs.clients.good, {
    ...o,
    path: `${AUDIT_PREFIX}${o.path}`,
    bearer: regulator,
  });

interface ExportStatus {
  status: string;
  rows: number;
  objectUri: string | null;
}

async function settled(id: string, on: RunningAuditApp = h.audit): Promise<ExportStatus> {
  return eventually(`export ${id} to finish`, async () => {
    const res = await call({ method: 'GET', path: `/exports/${id}` }, on);
    expect(res.status).toBe(200);
    const s = JSON.parse(res.text) as ExportStatus;
    return s.status === 'RUNNING' ? undefined : s;
  });
}

describe('audit exports', () => {
  it('202 → DONE → a gzipped NDJSON object equal to the audit query answer', async () => {
    const created = await call({ method: 'POST', path: '/exports', body: BODY });
    expect(created.status).toBe(202);
    const { id } = JSON.parse(created.text) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const done = await settled(id);
    const expectedRows = cdrs.filter((f) => f.tenantId === TENANT).length;
    expect(done).toEqual({
      status: 'DONE',
      rows: expectedRows,
      objectUri: `s3://${BUCKET}/audit/${TENANT}/cdr/${id}.ndjson.gz`,
    });

    const key = done.objectUri!.slice(`s3://${BUCKET}/`.length);
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(object.ContentType).toBe('application/gzip');
    const text = gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString();
    const answer = await call({ method: 'POST', path: '/query', body: BODY });
    expect(answer.status).toBe(200);
    expect(text.split('\n').filter(Boolean)).toHaveLength(expectedRows);
    expect(text).toBe(answer.text);
  });

  it('ends FAILED when the upload fails (bucket missing), with no object URI', async () => {
    const broken = await h.listen({ bucket: 'no-such-bucket' });
    const created = await call({ method: 'POST', path: '/exports', body: BODY }, broken);
    expect(created.status).toBe(202);
    const { id } = JSON.parse(created.text) as { id: string };
    expect(await settled(id, broken)).toMatchObject({ status: 'FAILED', objectUri: null });
    // Any replica answers the same from PostgreSQL.
    expect(await settled(id, h.audit)).toMatchObject({ status: 'FAILED' });
  });

  it('marks an export left RUNNING by a stopped process FAILED', async () => {
    const id = '0b0e7a52-4a4e-4c1c-9a55-1f6f6d6f0001';
    await h.pg.sql`
      insert into anlyt.audit_exports
        (id, tenant_id, dataset, from_at, to_at, caller_sub, cert_subject, object_uri, heartbeat_at)
      values (${id}, ${TENANT}, 'cdr', now() - interval '1 day', now(), 'regulator-portal',
        'regulator-portal-service', 's3://x/y', now() - interval '10 minutes')`;
    expect(await settled(id)).toEqual({ status: 'FAILED', rows: 0, objectUri: null });
    const [r] = await h.pg.sql<{ error: string }[]>`
      select error from anlyt.audit_exports where id = ${id}`;
    expect(r?.error).toMatch(/abandoned/);
  });

  it('answers 404 for an unknown export and 400 for an id that is not one', async () => {
    const unknown = await call({
      method: 'GET',
      path: '/exports/00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(404);
    const bad = await call({ method: 'GET', path: '/exports/not-an-id' });
    expect(JSON.parse(bad.text)).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
  });

  it('refuses a bad body or window before creating anything', async () => {
    const res = await call({
      method: 'POST',
      path: '/exports',
      body: { ...BODY, from: '2019-01-01' },
    });
    expect(JSON.parse(res.text)).toMatchObject({ status: 400, code: 'INVALID_WINDOW' });
  });
});
