/**
 * An orchestrator starts services in any order: anlyt-consumer started while NATS is down
 * must say so in one log line, answer its probes (alive, not ready), wait with backoff, and
 * start consuming once NATS is up — not exit with a stack trace. Uses a nats-server of its
 * own (stopped, then started on the same port and store), never the machine's.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, ensureStream, jetstream, jetstreamManager } from '@anlyt/nats';
import {
  billedEvent,
  createTestDatabase,
  encode,
  eventually,
  freePort,
  spawnService,
  startNatsServer,
  type NatsServer,
  type TestDatabase,
} from '@anlyt/testing';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let nats: NatsServer;
let db: TestDatabase;
beforeAll(async () => {
  [nats, db] = await Promise.all([startNatsServer(), createTestDatabase()]);
  // The contract's streams exist on the store; then the server goes down.
  const nc = await connectNats(nats.url, 'startup-test');
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, { name: 'BILLING_EVENTS', subjects: ['billing.events.>'] });
  await ensureStream(jsm, { name: 'SMS_DLR', subjects: ['sms.dlr.inbound'] });
  await nc.close();
  await nats.kill('SIGKILL');
});
afterAll(async () => {
  await nats?.destroy();
  await db?.drop();
});

const get = (port: number, path: string) =>
  fetch(`http://127.0.0.1:${port}${path}`).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as { checks?: Record<string, unknown> },
  }));

describe('anlyt-consumer started before NATS', () => {
  it('logs one line, answers its probes as not ready, and consumes once NATS is up', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run pnpm build first`).toBe(true);
    const port = await freePort();
    const p = spawnService(MAIN, {
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      LOG_LEVEL: 'info',
    });
    try {
      const first = JSON.parse(await p.waitForLine(/NATS unreachable/, 15_000)) as object;
      expect(first).toMatchObject({ level: 40, url: nats.url, attempt: 1 });
      await sleep(4000); // a few more attempts with backoff
      expect(p.alive()).toBe(true);
      expect(p.lines().filter((l) => l.includes('NATS unreachable'))).toHaveLength(1);
      expect(p.lines().every((l) => l.startsWith('{'))).toBe(true); // JSON lines, no stack trace
      expect((await get(port, '/healthz')).status).toBe(200);
      const notReady = await get(port, '/readyz');
      expect(notReady).toMatchObject({
        status: 503,
        body: { checks: { nats: false, loops: { billing: 'starting', dlr: 'starting' } } },
      });

      await nats.start();
      await p.waitForLine(/anlyt-consumer started/, 30_000);
      await eventually('ready', async () =>
        (await get(port, '/readyz')).status === 200 ? true : undefined,
      );
      const nc = await connectNats(nats.url, 'startup-test');
      await jetstream(nc).publish(
        'billing.events.sms.billed.v1',
        encode(billedEvent({ amount: '2.500000' })),
      );
      await nc.close();
      const cost = await eventually('the event applied', async () => {
        const [row] = await db.sql<{ total_cost: string }[]>`
          select total_cost::text from anlyt.metrics_hourly where scope = 'PLATFORM'`;
        return row?.total_cost;
      });
      expect(cost).toBe('2.500000');
      expect((await p.kill('SIGTERM')).code).toBe(0);
    } finally {
      if (p.alive()) await p.kill('SIGKILL');
    }
  }, 90_000);
});
