/**
 * anlyt-consumer's /metrics as Prometheus' own linter sees it (US-ANLYT-10): the built
 * service as a process (default metrics included, as deployed), after it has handled traffic
 * of every outcome so that every labelled family has series, piped to `promtool check metrics`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  billedEvent,
  createTestDatabase,
  createTestNats,
  dlrEvent,
  encode,
  freePort,
  familiesWithoutSeries,
  promtoolCheckMetrics,
  spawnService,
  waitForDrained,
  type TestDatabase,
  type TestNats,
} from '@anlyt/testing';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
let db: TestDatabase;
let nats: TestNats;
beforeAll(async () => {
  [db, nats] = await Promise.all([createTestDatabase(), createTestNats()]);
});
afterAll(async () => {
  await nats?.cleanup();
  await db?.drop();
});

describe('anlyt-consumer /metrics', () => {
  it('passes promtool check metrics with every family populated', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run pnpm build first`).toBe(true);
    const port = await freePort();
    const p = spawnService(MAIN, {
      ...nats.env,
      DATABASE_URL: db.url,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      STATUS_POLL_MS: '200',
      LOG_LEVEL: 'info',
    });
    try {
      await p.waitForLine(/anlyt-consumer started/, 30_000);
      const x = billedEvent();
      for (const e of [x, x, { ...x, amount: '9.000000' }, 'not JSON'])
        await nats.js.publish(nats.topo.billingSubject, encode(e));
      await nats.js.publish(nats.topo.dlrSubject, encode(dlrEvent()));
      await waitForDrained(nats.jsm, [
        [nats.topo.billingStream, 'anlyt-billing-consumer'],
        [nats.topo.dlrStream, 'anlyt-dlr-consumer'],
      ]);
      await new Promise((r) => setTimeout(r, 500)); // a status poll after the traffic
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const families = [
        'anlyt_consumer_events_total',
        'anlyt_consumer_dead_letters_total',
        'anlyt_consumer_loop_up',
        'anlyt_consumer_data_as_of_timestamp_seconds',
        'anlyt_reconciliation_diverged_dates',
        'process_cpu_seconds_total',
        'nodejs_eventloop_lag_seconds',
      ];
      expect(familiesWithoutSeries(text, families)).toEqual([]);
      expect(promtoolCheckMetrics(text)).toEqual({ status: 0, problems: [] });
      expect((await p.kill('SIGTERM')).code).toBe(0);
    } finally {
      if (p.alive()) await p.kill('SIGKILL');
    }
  });
});
