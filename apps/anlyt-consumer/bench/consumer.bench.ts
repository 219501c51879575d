/**
 * pnpm bench:consumer — anlyt-consumer's end-to-end throughput against the ceiling of the same
 * machine, measured in the same run on the same preloaded streams:
 *   (a) ceiling: bench/ceiling.ts, a bare consumer that only parses and acks;
 *   (b) anlyt-consumer (dist/main.js) until every event is committed.
 * Prints events/s for both, the ratio, peak RSS, and whether the aggregates equal the
 * generator's oracle. Env: BENCH_MESSAGES (billed messages; ~2.05 events each), BENCH_SEED.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
import type { JetStreamManager } from '@anlyt/nats';

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

  const row = (name: string, m: Measured) =>
    `${name.padEnd(16)} ${String(Math.round(m.eventsPerSec)).padStart(9)} ev/s  ${m.seconds.toFixed(1).padStart(6)} s  peak RSS ${m.peakRssMb.toFixed(0)} MB  CPU s: own ${m.cpuSeconds.toFixed(1)}, postgres ${m.others['postgres']!.toFixed(1)}, nats ${m.others['nats-server']!.toFixed(1)}`;
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

interface Measured {
  seconds: number;
  eventsPerSec: number;
  peakRssMb: number;
  /** CPU seconds of the process over its whole life (startup included). */
  cpuSeconds: number;
  /** CPU seconds PostgreSQL and nats-server used while it ran. */
  others: Record<string, number>;
}

/**
 * Runs a consumer process until its durables have acked every message, timing from the first
 * ack (startup excluded, the same for both) to the last; reads its peak RSS (VmHWM) before
 * stopping it.
 */
async function measure(
  jsm: JetStreamManager,
  child: ChildProcess,
  durables: readonly (readonly [string, string])[],
  total: number,
): Promise<Measured> {
  let start = 0;
  const before = cpuByCommand();
  for (;;) {
    const floors = await Promise.all(
      durables.map(([s, d]) =>
        jsm.consumers.info(s, d).then(
          (c) => c.ack_floor.stream_seq,
          () => 0,
        ),
      ),
    );
    const acked = floors.reduce((a, b) => a + b, 0);
    if (start === 0 && acked > 0) start = performance.now();
    if (acked >= total) break;
    if (child.exitCode !== null) throw new Error(`consumer exited early with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = processCpuSeconds(child.pid!);
  const after = cpuByCommand();
  const others = Object.fromEntries(
    ['postgres', 'nats-server'].map((c) => [c, (after.get(c) ?? 0) - (before.get(c) ?? 0)]),
  );
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { seconds, eventsPerSec: total / seconds, peakRssMb: hwmKb / 1024, cpuSeconds, others };
}

/** CPU seconds used so far by all processes of each command name (postgres backends etc.). */
function cpuByCommand(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out.set(comm, (out.get(comm) ?? 0) + processCpuSeconds(Number(pid)));
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

/** user + system CPU the process has used so far (from /proc/<pid>/stat, in clock ticks). */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
