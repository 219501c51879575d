/**
 * US-ANLYT-11 AC1, really run: ZooKeeper + 3 clickhouse-server processes (one shard, three
 * replicas), the cluster DDL applied ON CLUSTER, generated DLR + CDR traffic ingested through
 * the built anlyt-ingest into replica 1 — and replica 2 SIGKILLed mid-stream, then restarted.
 * All three replicas must converge on facts and cubes equal to the oracle: nothing lost, nothing
 * doubled (the cubes' REPLACE PARTITION is replicated like the inserts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, rows, runClickHouseMigrations } from '@anlyt/clickhouse';
import {
  compareFactsWithOracle,
  createTestNats,
  eventually,
  freePort,
  spawnService,
  startClickHouseCluster,
  waitForDrained,
  type ClickHouseCluster,
  type ServiceProcess,
  type TestNats,
} from '@anlyt/testing';
import {
  defaultTrafficConfig,
  FactsOracle,
  generateTraffic,
  publishAll,
  type TrafficMessage,
} from '@anlyt/traffic';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const DB = 'anlyt_cluster';
let cluster: ClickHouseCluster;
let nats: TestNats;
let ingest: ServiceProcess | undefined;

beforeAll(async () => {
  [cluster, nats] = await Promise.all([
    startClickHouseCluster({ replicas: 3, clusterName: 'anlyt' }),
    createTestNats(),
  ]);
}, 120_000);
afterAll(async () => {
  if (ingest?.alive()) await ingest.kill();
  await nats?.cleanup();
  await cluster?.destroy();
});

const factCount = async (url: string) => {
  const ch = createClickHouse({ url, requestTimeoutMs: 5000 });
  try {
    const [r] = await rows<{ n: string }>(ch, `SELECT count() AS n FROM ${DB}.facts_dlr`);
    return Number(r!.n);
  } finally {
    await ch.close();
  }
};

describe('a 3-replica ClickHouse cluster under anlyt-ingest', () => {
  it('loses and doubles nothing when a replica is SIGKILLed mid-stream and restarted', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run pnpm build first`).toBe(true);
    const [n1, n2, n3] = cluster.nodes as [
      (typeof cluster.nodes)[0],
      (typeof cluster.nodes)[0],
      (typeof cluster.nodes)[0],
    ];
    const ch = createClickHouse({ url: n1.url });
    const report = await runClickHouseMigrations(ch, {
      topology: { database: DB, cluster: 'anlyt' },
    });
    await ch.close();
    expect(report.applied).toEqual([1, 2, 3, 5, 6, 7]);

    const cfg = defaultTrafficConfig({ seed: 11, messages: 15_000, cdrs: true });
    const oracle = new FactsOracle();
    const messages: TrafficMessage[] = [];
    for (const m of generateTraffic(cfg)) {
      if (m.kind === 'billed') continue;
      oracle.observe(m);
      messages.push(m);
    }
    const p = nats.topo.prefix;
    ingest = spawnService(MAIN, {
      ...nats.env,
      CLICKHOUSE_URL: n1.url,
      CLICKHOUSE_DATABASE: DB,
      CLICKHOUSE_CLUSTER: 'anlyt',
      DLQ_SUBJECT_PREFIX: `${p}.anlyt.dlq.ingest`,
      DLQ_STREAM_SUBJECTS: `${p}.anlyt.dlq.>`,
      BATCH_SIZE: '1000',
      BATCH_LINGER_MS: '50',
      CUBE_REFRESH_MS: '500',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    });
    // Published slowly enough that the kill lands mid-stream.
    const publishing = publishAll(nats.js, messages, {
      window: 64,
      withMsgId: true,
      subjects: {
        billed: nats.topo.billingSubject,
        dlr: nats.topo.dlrSubject,
        cdr: nats.topo.cdrSubject,
      },
    });
    await eventually(
      'some facts on replica 2',
      async () => ((await factCount(n2.url)) > 2000 ? true : undefined),
      60_000,
      200,
    );
    await n2.kill('SIGKILL');
    const whileDown = await factCount(n1.url);
    await eventually(
      'more facts while replica 2 is down',
      async () => ((await factCount(n1.url)) > whileDown + 2000 ? true : undefined),
      60_000,
      200,
    );
    await n2.start();
    await publishing;
    await waitForDrained(
      nats.jsm,
      [
        [nats.topo.dlrStream, 'anlyt-ingest-dlr'],
        [nats.topo.cdrStream, 'anlyt-ingest-cdr'],
      ],
      120_000,
    );
    expect(await factCount(n1.url)).toBeGreaterThan(whileDown); // the stream went on without r2

    for (const [name, node] of [
      ['r1', n1],
      ['r2', n2],
      ['r3', n3],
    ] as const) {
      const url = node.url;
      await eventually(
        `replica ${name} equal to the oracle`,
        async () =>
          (await compareFactsWithOracle(url, DB, oracle)).length === 0 ? true : undefined,
        90_000,
        500,
      ).catch(async (err: unknown) => {
        // What the replica still has to do says why it did not converge.
        const c = createClickHouse({ url });
        const queue = await rows(
          c,
          `SELECT table, type, num_tries, last_exception FROM system.replication_queue LIMIT 5`,
        );
        await c.close();
        const why = `replica ${name}; replication queue: ${JSON.stringify(queue)}`;
        expect(await compareFactsWithOracle(url, DB, oracle), why).toEqual([]);
        throw err;
      });
    }
    expect((await ingest.kill('SIGTERM')).code).toBe(0);
  }, 300_000);
});
