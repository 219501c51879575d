/**
 * anlyt-ingest's /metrics as Prometheus' own linter sees it: the built service as a process
 * (default metrics included, as deployed), after DLRs and CDRs of several outcomes and a cube
 * builder pass, piped to `promtool check metrics`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, runClickHouseMigrations } from '@anlyt/clickhouse';
import {
  createTestClickHouseDatabase,
  createTestNats,
  dlrEvent,
  encode,
  eventually,
  familiesWithoutSeries,
  freePort,
  promtoolCheckMetrics,
  spawnService,
  TEST_CLICKHOUSE_URL,
  waitForDrained,
  type TestClickHouseDatabase,
  type TestNats,
} from '@anlyt/testing';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const CDR_EXAMPLE = readFileSync(
  new URL('../../../../contracts/events/examples/cdr.generated.v1.json', import.meta.url),
  'utf8',
);
let db: TestClickHouseDatabase;
let nats: TestNats;
beforeAll(async () => {
  [db, nats] = await Promise.all([createTestClickHouseDatabase('anlyt_conf'), createTestNats()]);
  const ch = createClickHouse({ url: TEST_CLICKHOUSE_URL });
  await runClickHouseMigrations(ch, { topology: { database: db.name, cluster: null } });
  await ch.close();
});
afterAll(async () => {
  await nats?.cleanup();
  await db?.drop();
});

describe('anlyt-ingest /metrics', () => {
  it('passes promtool check metrics with every family populated', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run pnpm build first`).toBe(true);
    const port = await freePort();
    const p = spawnService(MAIN, {
      ...nats.env,
      CLICKHOUSE_DATABASE: db.name,
      DLQ_SUBJECT_PREFIX: `${nats.topo.prefix}.anlyt.dlq.ingest`,
      DLQ_STREAM_SUBJECTS: `${nats.topo.prefix}.anlyt.dlq.>`,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      STATUS_POLL_MS: '200',
      CUBE_REFRESH_MS: '200',
      BATCH_LINGER_MS: '20',
      LOG_LEVEL: 'info',
    });
    try {
      await p.waitForLine(/anlyt-ingest started/, 30_000);
      const x = dlrEvent();
      for (const e of [x, x, { ...x, deliveryStatus: 'FAILED' }, 'not JSON'])
        await nats.js.publish(nats.topo.dlrSubject, encode(e));
      await nats.js.publish(nats.topo.cdrSubject, new TextEncoder().encode(CDR_EXAMPLE));
      await waitForDrained(nats.jsm, [
        [nats.topo.dlrStream, 'anlyt-ingest-dlr'],
        [nats.topo.cdrStream, 'anlyt-ingest-cdr'],
      ]);
      const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const families = [
        'anlyt_ingest_events_total',
        'anlyt_ingest_dead_letters_total',
        'anlyt_ingest_loop_up',
        'anlyt_ingest_lag_seconds_count',
        'anlyt_ingest_pending_messages',
        'anlyt_ingest_cube_lag_seconds',
        'anlyt_ingest_cube_rebuilds_total',
        'process_cpu_seconds_total',
        'nodejs_eventloop_lag_seconds',
      ];
      const text = await eventually(
        'every family populated',
        async () => {
          const t = await scrape();
          return familiesWithoutSeries(t, families).length === 0 ? t : undefined;
        },
        15_000,
        200,
      ).catch(async (err: unknown) => {
        expect(familiesWithoutSeries(await scrape(), families)).toEqual([]);
        throw err;
      });
      expect(promtoolCheckMetrics(text)).toEqual({ status: 0, problems: [] });
      expect(text).toMatch(/anlyt_ingest_events_total\{[^}]*outcome="conflict"[^}]*\} 1/);
      expect((await p.kill('SIGTERM')).code).toBe(0);
    } finally {
      if (p.alive()) await p.kill('SIGKILL');
    }
  });
});
