/**
 * Crash safety: anlyt-consumer as a real child process, SIGKILLed at random moments while a
 * few hundred thousand generated events are published and consumed, restarted each time.
 * At the end every aggregate equals the independent oracle exactly: nothing lost, nothing
 * counted twice. Runs the built service (dist/), as production does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareWithOracle,
  createTestDatabase,
  createTestNats,
  waitForDrained,
  type TestDatabase,
  type TestNats,
} from '@anlyt/testing';
import {
  defaultTrafficConfig,
  generateTraffic,
  publishAll,
  TrafficOracle,
  type TrafficMessage,
} from '@anlyt/traffic';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const KILLS = 6;

let db: TestDatabase;
let nats: TestNats;
beforeAll(async () => {
  db = await createTestDatabase();
  nats = await createTestNats();
});
afterAll(async () => {
  await nats?.cleanup();
  await db?.drop();
});

function startConsumer(): ChildProcess {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      ...nats.env,
      DATABASE_URL: db.url,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
      // Messages in flight when the process dies come back after this long.
      ACK_WAIT_MS: '2000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

const exited = (c: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null)
      resolve({ code: c.exitCode, signal: c.signalCode });
    else c.once('exit', (code, signal) => resolve({ code, signal }));
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash recovery', () => {
  it('SIGKILLed repeatedly mid-stream, the aggregates still equal the oracle exactly', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run pnpm build first`).toBe(true);
    // Conflicts are left out so that the DLQ count below is exact; conflicts around crashes
    // (the lower stream sequence wins) have their own row in faults/consumer-crashes.spec.ts.
    const cfg = defaultTrafficConfig({ seed: 20261128, messages: 150_000, conflictRate: 0 });
    const oracle = new TrafficOracle({ keepLatencies: false });
    const messages: TrafficMessage[] = [];
    for (const m of generateTraffic(cfg)) {
      oracle.observe(m);
      messages.push(m);
    }
    expect(messages.length).toBeGreaterThan(280_000);

    const publishing = publishAll(nats.js, messages, {
      window: 2000,
      withMsgId: true,
      subjects: { billed: nats.topo.billingSubject, dlr: nats.topo.dlrSubject },
    });
    const kills: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      const child = startConsumer();
      const after = 800 + Math.floor(Math.random() * 2500);
      await sleep(after);
      child.kill('SIGKILL');
      expect((await exited(child)).signal).toBe('SIGKILL');
      kills.push(after);
    }
    await publishing;

    const last = startConsumer();
    await waitForDrained(
      nats.jsm,
      [
        [nats.topo.billingStream, 'anlyt-billing-consumer'],
        [nats.topo.dlrStream, 'anlyt-dlr-consumer'],
      ],
      180_000,
    );
    last.kill('SIGTERM');
    expect((await exited(last)).code).toBe(0); // graceful shutdown on SIGTERM

    // The kills did interrupt work in flight: some messages had to be delivered again.
    const deliveries = await nats.jsm.consumers.info(
      nats.topo.billingStream,
      'anlyt-billing-consumer',
    );
    const stream = await nats.jsm.streams.info(nats.topo.billingStream);
    expect(deliveries.delivered.consumer_seq).toBeGreaterThan(stream.state.last_seq);

    expect(await compareWithOracle(db.sql, oracle), `killed after ${kills.join(', ')} ms`).toEqual(
      [],
    );
    const marks = await db.sql<{ projection: string; ms: string }[]>`
      select projection, (extract(epoch from data_as_of) * 1000)::bigint::text as ms from anlyt.watermarks`;
    const asOf = Object.fromEntries(marks.map((m) => [m.projection, Number(m.ms)]));
    expect(asOf).toEqual({
      billing: oracle.maxOccurredAtMs('billed'),
      dlr: oracle.maxOccurredAtMs('dlr'),
    });
    // Every invalid message was dead-lettered (exactly once: the DLQ publish is idempotent).
    const invalid = oracle.counts().billed.invalid + oracle.counts().dlr.invalid;
    const dlq = await nats.jsm.streams.info(nats.topo.dlqStream);
    expect(dlq.state.messages).toBe(invalid);
  }, 300_000);
});
