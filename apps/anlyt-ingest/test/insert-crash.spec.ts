/**
 * US-ANLYT-12/13 end to end: generated DLR + CDR traffic (duplicates, conflicts, invalid
 * payloads) through the built anlyt-ingest into the real ClickHouse, SIGKILLed at the exact
 * moment ClickHouse has written a facts insert but the ingest has not seen the answer (so it
 * never acked). The batch comes again; then a racing replica's copies are inserted on top.
 * Every fact and every cube row must still equal the independent FactsOracle.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClickHouse,
  markDirtyDays,
  rows,
  runClickHouseMigrations,
  type Topology,
} from '@anlyt/clickhouse';
import {
  compareFactsWithOracle,
  createTestClickHouseDatabase,
  createTestNats,
  eventually,
  freePort,
  spawnService,
  TEST_CLICKHOUSE_URL,
  waitForDrained,
  type ServiceProcess,
  type TestClickHouseDatabase,
  type TestNats,
} from '@anlyt/testing';
import {
  defaultTrafficConfig,
  FactsOracle,
  generateTraffic,
  publishAll,
  TrafficOracle,
  type TrafficMessage,
} from '@anlyt/traffic';
import { startKillProxy, type KillProxy } from './kill-proxy.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const ch = createClickHouse({ url: TEST_CLICKHOUSE_URL });
let db: TestClickHouseDatabase;
let nats: TestNats;
let t: Topology;
let proxy: KillProxy | undefined;
const children: ServiceProcess[] = [];

beforeAll(async () => {
  db = await createTestClickHouseDatabase('anlyt_ingest');
  t = { database: db.name, cluster: null };
  await runClickHouseMigrations(ch, { topology: t });
  nats = await createTestNats();
});
afterAll(async () => {
  for (const c of children) if (c.alive()) await c.kill();
  await proxy?.close();
  await nats?.cleanup();
  await db?.drop();
  await ch.close();
});

function startIngest(clickhouseUrl: string, httpPort: number) {
  const p = nats.topo.prefix;
  const child = spawnService(
    MAIN,
    {
      ...nats.env,
      CLICKHOUSE_URL: clickhouseUrl,
      CLICKHOUSE_DATABASE: db.name,
      DLQ_SUBJECT_PREFIX: `${p}.anlyt.dlq.ingest`,
      DLQ_STREAM_SUBJECTS: `${p}.anlyt.dlq.>`,
      BATCH_SIZE: '2000',
      BATCH_LINGER_MS: '50',
      ACK_WAIT_MS: '2000',
      CUBE_REFRESH_MS: '300',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      LOG_LEVEL: 'warn',
    },
    { name: 'anlyt-ingest' },
  );
  children.push(child);
  return child;
}

/** The first sample of a family, or of a family with a label, e.g. `source="dlr"`. */
const metric = async (port: number, name: string, label = '') => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && l.includes(label));
  return line === undefined ? NaN : Number(line.split(' ').pop());
};

describe('anlyt-ingest killed between the facts insert and the ack', () => {
  it('ends with facts and cubes equal to the oracle, the batch redelivered', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run pnpm build first`).toBe(true);
    const cfg = defaultTrafficConfig({ seed: 20261202, messages: 12_000, cdrs: true });
    const facts = new FactsOracle();
    const classes = new TrafficOracle({ keepLatencies: false });
    const messages: TrafficMessage[] = [];
    for (const m of generateTraffic(cfg)) {
      if (m.kind === 'billed') continue; // not a fact: anlyt-consumer's business
      facts.observe(m);
      classes.observe(m);
      messages.push(m);
    }
    const counts = classes.counts();
    expect(counts.cdr.conflict + counts.dlr.conflict).toBeGreaterThan(0);
    expect(counts.cdr.duplicate + counts.dlr.duplicate).toBeGreaterThan(0);
    expect(counts.cdr.invalid + counts.dlr.invalid).toBeGreaterThan(0);
    await publishAll(nats.js, messages, {
      window: 2000,
      withMsgId: true,
      subjects: {
        billed: nats.topo.billingSubject,
        dlr: nats.topo.dlrSubject,
        cdr: nats.topo.cdrSubject,
      },
    });

    // 1. Killed when ClickHouse answers the 3rd facts insert, before the ingest sees it.
    const running: { victim?: ServiceProcess } = {};
    proxy = await startKillProxy(new URL(TEST_CLICKHOUSE_URL), 3, async () => {
      await running.victim?.kill('SIGKILL');
    });
    const victim = startIngest(proxy.url, await freePort());
    running.victim = victim;
    expect((await victim.exited()).signal).toBe('SIGKILL');
    expect(proxy.insertsAcked()).toBe(3);
    // The insert is in ClickHouse, yet some of its messages were never acked.
    const durables = [
      [nats.topo.dlrStream, 'anlyt-ingest-dlr', 'facts_dlr'],
      [nats.topo.cdrStream, 'anlyt-ingest-cdr', 'facts_cdr'],
    ] as const;
    let storedUnacked = 0;
    for (const [stream, durable, table] of durables) {
      const info = await nats.jsm.consumers.info(stream, durable);
      const [r] = await rows<{ n: string }>(
        ch,
        `SELECT count() AS n FROM ${db.name}.${table} WHERE streamSeq > ${info.ack_floor.stream_seq}`,
      );
      storedUnacked += Number(r!.n);
    }
    expect(storedUnacked).toBeGreaterThan(0);

    // 2. Restarted: the unacked batch comes again (after AckWait) and everything drains.
    const port = await freePort();
    const survivor = startIngest(TEST_CLICKHOUSE_URL, port);
    await waitForDrained(
      nats.jsm,
      durables.map(([s, d]) => [s, d] as const),
      120_000,
    );

    // 3. A racing replica's copies on top: the same rows inserted once more, days marked.
    for (const table of ['facts_dlr', 'facts_cdr'])
      await ch.command({
        query: `INSERT INTO ${db.name}.${table} SELECT * FROM ${db.name}.${table} LIMIT 3000`,
      });
    const days = await rows<{ d: string }>(
      ch,
      `SELECT DISTINCT toString(toDate(hour)) AS d FROM ${db.name}.facts_dlr`,
    );
    await markDirtyDays(
      ch,
      t,
      'dlr',
      days.map((d) => Date.parse(`${d.d}T00:00:00Z`)),
    );
    const [raw] = await rows<{ n: string }>(ch, `SELECT count() AS n FROM ${db.name}.facts_dlr`);
    expect(Number(raw!.n)).toBeGreaterThan(facts.dlrFacts().size); // duplicates really stored

    // 4. The cube builder catches up: cubes equal the oracle, row for row.
    await eventually(
      'cubes equal the oracle',
      async () =>
        (await compareFactsWithOracle(TEST_CLICKHOUSE_URL, db.name, facts)).length === 0
          ? true
          : undefined,
      60_000,
      500,
    ).catch(async (err: unknown) => {
      expect(await compareFactsWithOracle(TEST_CLICKHOUSE_URL, db.name, facts)).toEqual([]);
      throw err;
    });
    await eventually(
      'cube lag back to 0',
      async () => ((await metric(port, 'anlyt_ingest_cube_lag_seconds')) === 0 ? true : undefined),
      30_000,
      300,
    );

    // Invalid and conflicting messages were dead-lettered, each once.
    const dlq = await nats.jsm.streams.info(nats.topo.dlqStream, { subjects_filter: '>' });
    const bySubject = dlq.state.subjects ?? {};
    const p = nats.topo.prefix;
    expect(bySubject[`${p}.anlyt.dlq.ingest.dlr`]).toBe(counts.dlr.invalid + counts.dlr.conflict);
    expect(bySubject[`${p}.anlyt.dlq.ingest.cdr`]).toBe(counts.cdr.invalid + counts.cdr.conflict);
    expect(await metric(port, 'anlyt_ingest_lag_seconds_count', 'source="dlr"')).toBeGreaterThan(0);

    await survivor.kill('SIGTERM');
    expect((await survivor.exited()).code).toBe(0); // drains and exits cleanly on SIGTERM
  }, 240_000);
});
