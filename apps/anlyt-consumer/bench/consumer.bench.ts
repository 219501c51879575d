/**
 * pnpm bench:consumer — anlyt-consumer's end-to-end throughput against the ceiling of the same
 * machine, measured in the same run on the same preloaded streams:
 *   (a) ceiling: bench/ceiling.ts, a bare consumer that only parses and acks;
 *   (b) anlyt-consumer (dist/main.js) until every event is committed.
 * Prints events/s for both, the ratio, peak RSS, and whether the aggregates equal the
 * generator's oracle. Env: BENCH_MESSAGES (billed messages; ~2.05 events each), BENCH_SEED.
 */
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { compareWithOracle, createTestDatabase, createTestNats } from '@anlyt/testing';
import {
  defaultTrafficConfig,
  generateTraffic,
  publishAll,
  TrafficOracle,
  type TrafficMessage,
} from '@anlyt/traffic';
import { measure, row } from './measure.js';

Error.stackTraceLimit = 0; // js.publish builds an Error per call; halves the preload time (STACK.md)
const messagesWanted = Number(process.env['BENCH_MESSAGES'] ?? 520_000);
const seed = Number(process.env['BENCH_SEED'] ?? 7);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const db = await createTestDatabase('anlyt_bench');
const nats = await createTestNats();
const streams = [nats.topo.billingStream, nats.topo.dlrStream];

try {
  const cfg = defaultTrafficConfig({ seed, messages: messagesWanted, conflictRate: 0 });
  const oracle = new TrafficOracle({ keepLatencies: false });
  const all: TrafficMessage[] = [];
  for (const m of generateTraffic(cfg)) {
    oracle.observe(m);
    all.push(m);
  }
  let t = performance.now();
  await publishAll(nats.js, all, {
    window: 4000,
    withMsgId: true,
    subjects: { billed: nats.topo.billingSubject, dlr: nats.topo.dlrSubject },
  });
  const total = all.length;
  all.length = 0;
  console.log(`preloaded ${total} messages in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const env = {
    ...process.env,
    ...nats.env,
    DATABASE_URL: db.url,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
  };
  const ceiling = await measure(
    nats.jsm,
    spawn(process.execPath, ['--import', 'tsx', here('./ceiling.ts')], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
    streams.map((s) => [s, `bench-ceiling-${s}`] as const),
    total,
  );
  const service = await measure(
    nats.jsm,
    spawn(
      process.execPath,
      [
        ...(process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? []),
        here('../dist/main.js'),
      ],
      {
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    ),
    [
      [nats.topo.billingStream, 'anlyt-billing-consumer'],
      [nats.topo.dlrStream, 'anlyt-dlr-consumer'],
    ],
    total,
  );
  t = performance.now();
  const diffs = await compareWithOracle(db.sql, oracle);
  const ledger = await db.sql<
    { n: string }[]
  >`select count(*)::text as n from anlyt.processed_events`;

  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  console.log(
    `events: ${total} (billed + DLR, incl. ~1% duplicates and ~1% invalid); ledger rows: ${ledger[0]!.n}`,
  );
  console.log(row('ceiling', ceiling));
  console.log(row('anlyt-consumer', service));
  console.log(
    `ratio (anlyt-consumer / ceiling): ${(service.eventsPerSec / ceiling.eventsPerSec).toFixed(2)}  (target ≥ 0.5; RSS target ≤ 256 MB)`,
  );
  console.log(
    `aggregates equal the generator's oracle: ${diffs.length === 0 ? 'yes' : `NO\n  ${diffs.join('\n  ')}`}`,
  );
  process.exitCode = diffs.length === 0 ? 0 : 1;
} finally {
  await nats.cleanup();
  await db.drop();
}
