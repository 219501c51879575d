/**
 * The compliance audit's listener over real services: the DSL harness's ClickHouse database
 * (facts loaded as anlyt-ingest writes them) and plain app, a PostgreSQL database for the
 * audit log and exports, an in-process s3rver, certificates made with openssl, and the audit
 * app listening on HTTPS on 127.0.0.1 (inject() cannot present a client certificate).
 */
import { request } from 'node:https';
import { createLogger, createRegistry } from '@anlyt/observability';
import {
  createTestCerts,
  createTestDatabase,
  startTestS3,
  type KeyPair,
  type TestCerts,
  type TestDatabase,
  type TestS3,
} from '@anlyt/testing';
import { tokenVerifier } from '../src/plugins/auth.js';
import {
  clickhouseAuditFacts,
  pgAuditLog,
  pgExportStore,
  s3ObjectStore,
} from '../src/audit/adapters.js';
import { buildAuditApp, type AuditApp } from '../src/audit/audit-app.js';
import { AuditExportsUseCase } from '../src/audit/audit-exports.use-case.js';
import { AuditQueryUseCase } from '../src/audit/audit-query.use-case.js';
import { startDslHarness, type DslHarness } from './dsl-harness.js';
import { SECRET } from './harness.js';

export const BUCKET = 'anlyt-audit';

export interface AuditListenerOptions {
  maxRows?: number;
  /** The bucket exports go to (default BUCKET, which exists; any other does not). */
  bucket?: string;
  staleAfterS?: number;
}

export interface RunningAuditApp {
  app: AuditApp;
  port: number;
  exports: AuditExportsUseCase;
}

export interface AuditHarness {
  dsl: DslHarness;
  pg: TestDatabase;
  certs: TestCerts;
  s3: TestS3;
  /** The default audit listener (AUDIT_MAX_ROWS 1 000 000, bucket BUCKET). */
  audit: RunningAuditApp;
  /** Another audit listener on the same stores, with other settings. */
  listen(o: AuditListenerOptions): Promise<RunningAuditApp>;
  close(): Promise<void>;
}

export async function startAuditHarness(): Promise<AuditHarness> {
  const dsl = await startDslHarness();
  const pg = await createTestDatabase();
  const certs = createTestCerts();
  const s3 = await startTestS3([BUCKET]);
  const facts = clickhouseAuditFacts(dsl.ch, dsl.t);
  const started: RunningAuditApp[] = [];
  const stores: { close(): void }[] = [];

  async function listen(o: AuditListenerOptions): Promise<RunningAuditApp> {
    const objects = s3ObjectStore({
      bucket: o.bucket ?? BUCKET,
      region: s3.region,
      endpoint: s3.endpoint,
      credentials: s3.credentials,
    });
    stores.push(objects);
    const exports = new AuditExportsUseCase({
      facts,
      store: pgExportStore(pg.sql),
      objects,
      log: createLogger({ service: 'anlyt-api', level: 'silent' }),
      heartbeatMs: 200,
      staleAfterS: o.staleAfterS ?? 60,
    });
    const app = await buildAuditApp({
      tls: { cert: certs.server.cert, key: certs.server.key, ca: certs.ca },
      clientSubjects: ['regulator-portal-service'],
      verify: tokenVerifier({ secret: SECRET }),
      query: new AuditQueryUseCase({ facts, maxRows: o.maxRows ?? 1_000_000 }),
      exports,
      auditLog: pgAuditLog(pg.sql),
      registry: createRegistry('anlyt-api', { defaultMetrics: false }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const running = {
      app,
      exports,
      port: typeof address === 'object' && address ? address.port : 0,
    };
    started.push(running);
    return running;
  }

  const audit = await listen({});
  return {
    dsl,
    pg,
    certs,
    s3,
    audit,
    listen,
    async close() {
      for (const r of started) {
        await r.app.close();
        await r.exports.stop();
      }
      for (const s of stores) s.close();
      await s3.close();
      certs.cleanup();
      await pg.drop();
      await dsl.close();
    },
  };
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One request on a fresh TLS connection (no agent: every call does its own handshake),
 * presenting `client` (null: no certificate). Rejects when the handshake is refused.
 */
export function httpsCall(
  port: number,
  ca: string,
  client: KeyPair | null,
  o: { method: string; path: string; body?: unknown; bearer?: string },
): Promise<HttpsAnswer> {
  const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: o.method,
        path: o.path,
        ca,
        ...(client ? { cert: client.cert, key: client.key } : {}),
        agent: false,
        headers: {
          ...(o.bearer ? { authorization: `Bearer ${o.bearer}` } : {}),
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** NDJSON text → objects. */
export const ndjson = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
