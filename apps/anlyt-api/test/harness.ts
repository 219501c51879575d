/**
 * anlyt-api over a database filled by the REAL consumer: events are published to this test's
 * own streams, the built anlyt-consumer (a child process) folds them into this test's own
 * database, then the API is built on that database and called with inject().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import type { FastifyInstance } from 'fastify';
import { createRegistry } from '@anlyt/observability';
import {
  createTestDatabase,
  createTestNats,
  encode,
  waitForDrained,
  type TestDatabase,
  type TestNats,
} from '@anlyt/testing';
import { buildApp } from '../src/app.js';
import { tokenVerifier, type Role } from '../src/plugins/auth.js';

export const SECRET = 'test-secret-that-is-long-enough';
const CONSUMER = fileURLToPath(new URL('../../anlyt-consumer/dist/main.js', import.meta.url));

export interface ApiHarness {
  db: TestDatabase;
  nats: TestNats;
  app: FastifyInstance;
  /** The same API on the same database computing every answer (no reuse): for tests that
   *  change aggregate rows behind the writers' back to see which rows answered. */
  computing: FastifyInstance;
  /** Publishes events (objects) to the billing / DLR subjects and waits until all are folded. */
  ingest(billed: unknown[], dlr: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function startApiHarness(
  opts: { now?: () => number; marginSeconds?: number; answerCacheBytes?: number } = {},
): Promise<ApiHarness> {
  const db = await createTestDatabase();
  const nats = await createTestNats();
  const consumer: ChildProcess = spawn(process.execPath, [CONSUMER], {
    env: {
      ...process.env,
      ...nats.env,
      DATABASE_URL: db.url,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const build = (answerCacheBytes: number) =>
    buildApp({
      sql: db.sql,
      verify: tokenVerifier({ secret: SECRET }),
      registry: createRegistry('anlyt-api', { defaultMetrics: false }),
      marginSeconds: opts.marginSeconds ?? 900,
      answerCacheBytes,
      ...(opts.now ? { now: opts.now } : {}),
    });
  const app = await build(opts.answerCacheBytes ?? 16 * 2 ** 20);
  const computing = await build(0);
  return {
    db,
    nats,
    app,
    computing,
    async ingest(billed, dlr) {
      await Promise.all([
        ...billed.map((e) => nats.js.publish(nats.topo.billingSubject, encode(e))),
        ...dlr.map((e) => nats.js.publish(nats.topo.dlrSubject, encode(e))),
      ]);
      await waitForDrained(nats.jsm, [
        [nats.topo.billingStream, 'anlyt-billing-consumer'],
        [nats.topo.dlrStream, 'anlyt-dlr-consumer'],
      ]);
    },
    async close() {
      consumer.kill('SIGTERM');
      await new Promise((r) => (consumer.exitCode !== null ? r(null) : consumer.once('exit', r)));
      await Promise.all([app.close(), computing.close()]);
      await nats.cleanup();
      await db.drop();
    },
  };
}

/** A signed token as the platform's services would send it. */
export async function token(
  role: Role | string,
  o: { secret?: string; expiresInS?: number; sub?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(o.sub ?? 'admin-dashboard')
    .setIssuedAt(now)
    .setExpirationTime(now + (o.expiresInS ?? 300))
    .sign(new TextEncoder().encode(o.secret ?? SECRET));
}
