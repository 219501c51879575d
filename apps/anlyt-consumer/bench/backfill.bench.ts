/**
 * pnpm bench:backfill — `anlyt-consumer backfill --source all` (US-ANLYT-08; issue 13 item 6)
 * over days of history, against the ceiling of the same machine, in the same run on the same
 * preloaded streams:
 *   preload: BENCH_DAYS × BENCH_PER_DAY billed messages from @anlyt/traffic (~2.02 events
 *     each: DLRs, refunds, ~1% duplicates, ~1% invalid), occurredAt over the BENCH_DAYS days
 *     ending now (refunds and DLRs of the last hours lie up to 12 h after it), generated and
 *     published 200k at a time into the test streams (memory stays bounded);
 *   (a) ceiling: bench/ceiling.ts, a bare consumer that only parses and acks (its own durables),
 *     timed from its first ack to its last;
 *   (b) `node dist/main.js backfill --source all` into a fresh migrated database, nothing else
 *     consuming, with BACKFILL_END_LAG_S=0 (forced: with the default 300 it would stop at once,
 *     every message having been published minutes ago), timed from the first ack on its
 *     durables (`<live durable>-backfill`) to its exit: it exits 0 by itself once nothing is
 *     pending, and deletes its durables then. Its log goes to a file (path printed).
 * Prints events/s, seconds, peak RSS and CPU seconds (own, postgres, nats-server) of both, the
 * ratio, ledger rows and size, the projection to 7 days × 10M messages/day against the target
 * (≥ 40k events/s: ~140M events in < 1 h), CPU seconds per 1000 events per process (where the
 * time goes), and whether every aggregate equals the generator's oracle (exit code 1 if not).
 * Env: BENCH_DAYS (7), BENCH_PER_DAY (2 000 000 billed messages per day), BENCH_SEED (7),
 * BENCH_NODE_ARGS (node arguments of the backfill process, e.g. `--cpu-prof`),
 * BENCH_NATS_STORE_DIR (where the free-space check looks, default /var/lib/nats-server), and any
 * anlyt-consumer variable (BATCH_SIZE, BACKFILL_PROGRESS_MS — 1000 here unless set, …).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statfsSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { backfillDurable } from '@anlyt/nats';
import { compareWithOracle, createTestDatabase, createTestNats } from '@anlyt/testing';
import {
  defaultTrafficConfig,
  generateTraffic,
  publishAll,
  TrafficOracle,
  type OracleBucket,
  type TrafficMessage,
} from '@anlyt/traffic';
import { measure, parentPid, row, type Measured } from './measure.js';

Error.stackTraceLimit = 0; // js.publish builds an Error per call; halves the preload time (STACK.md)
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const days = Number(process.env['BENCH_DAYS'] ?? 7);
const perDay = Number(process.env['BENCH_PER_DAY'] ?? 2_000_000);
const seed = Number(process.env['BENCH_SEED'] ?? 7);
const CHUNK = 200_000;
const TARGET_EVENTS_PER_S = 40_000;
const TARGET_PER_DAY = 10_000_000;
/** Measured on this machine kind (smoke runs): JetStream bytes per event, ledger + buckets. */
const STORE_BYTES_PER_EVENT = 500;
const PG_BYTES_PER_EVENT = 250;
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const env = process.env;

/**
 * The generator's oracle for traffic too large for one TrafficOracle, which keeps every eventId
 * in a Set: ~120 B of heap per event, and V8 caps a Set at 2^24 entries (~16.7M events; a
 * week at 2M messages/day is ~28.7M). Here one TrafficOracle per UTC hour of occurredAt: every
 * metrics_hourly and operator_performance row and every error-code count belongs to one hour,
 * so the union of the hours' maps is exactly what one oracle would hold (peak TPS included: an
 * hour's seconds are all in its oracle). The generator emits in time order and backdates an
 * event by at most 72 h (late events; @anlyt/traffic pipeline.ts), so an hour that ended more
 * than 73 h before the newest event seen gets nothing more: its maps are kept, its oracle and
 * eventId set dropped. Memory: the events of the last ~74 h. An event for a closed hour would
 * be counted in `missed`, and the check then fails rather than pass on a partial oracle.
 */
class HourlyOracles {
  /** Heap per event held (eventId in a Set) and for the buckets, measured at 300k messages/day. */
  private static readonly BYTES_PER_HELD_EVENT = 130;
  private static readonly BUCKETS_MB = 200;
  private static readonly CLOSE_AFTER_MS = 73 * HOUR;
  private readonly open = new Map<number, { oracle: TrafficOracle; events: number }>();
  private readonly buckets = new Map<string, OracleBucket>();
  private readonly codes = new Map<string, Map<string, number>>();
  private readonly decoder = new TextDecoder();
  private newest = -Infinity;
  private closedBefore = -Infinity;
  private held = 0;
  heldPeak = 0;
  hours = 0;
  valid = 0;
  missed = 0;

  /** Whether ~74 h of `events` spread over `days` fit in this process's heap (with room). */
  static fits(events: number, days: number): boolean {
    const held = 1.1 * events * Math.min(1, (74 * HOUR) / (days * DAY));
    const needMb = (held * HourlyOracles.BYTES_PER_HELD_EVENT) / 2 ** 20 + HourlyOracles.BUCKETS_MB;
    const heapMb = getHeapStatistics().heap_size_limit / 2 ** 20;
    const fits = needMb < 0.6 * heapMb;
    console.log(
      `oracle: ~${(held / 1e6).toFixed(1)}M events held at once, ~${needMb.toFixed(0)} MB of a ${heapMb.toFixed(0)} MB heap: ${fits ? 'exact comparison' : 'does not fit, NO comparison (more heap: NODE_OPTIONS=--max-old-space-size=…)'}`,
    );
    return fits;
  }

  observe(m: TrafficMessage): void {
    if (m.class !== 'valid') return; // TrafficOracle only counts the others
    const at = Date.parse(/"occurredAt":"([^"]+)"/.exec(this.decoder.decode(m.data))![1]!);
    const hour = Math.floor(at / HOUR) * HOUR;
    if (hour < this.closedBefore) {
      this.missed++;
      return;
    }
    let h = this.open.get(hour);
    if (h === undefined) {
      this.open.set(hour, (h = { oracle: new TrafficOracle({ keepLatencies: false }), events: 0 }));
      this.hours++;
    }
    h.oracle.observe(m);
    h.events++;
    this.valid++;
    this.heldPeak = Math.max(this.heldPeak, ++this.held);
    if (at > this.newest) this.newest = at;
  }

  /** Closes the hours no event can reach any more (between chunks). */
  retire(): void {
    const before = Math.floor((this.newest - HourlyOracles.CLOSE_AFTER_MS) / HOUR) * HOUR;
    for (const [hour, h] of this.open) if (hour < before) this.close(hour, h.oracle, h.events);
    this.closedBefore = Math.max(this.closedBefore, before);
  }

  /** What compareWithOracle reads of an oracle (hourly() and errorCodes()), for every hour. */
  asOracle(): TrafficOracle {
    for (const [hour, h] of this.open) this.close(hour, h.oracle, h.events);
    const view: Pick<TrafficOracle, 'hourly' | 'errorCodes'> = {
      hourly: () => this.buckets,
      errorCodes: () => this.codes,
    };
    return view as TrafficOracle;
  }

  private close(hour: number, oracle: TrafficOracle, events: number) {
    for (const [k, b] of oracle.hourly()) this.buckets.set(k, b);
    for (const [k, c] of oracle.errorCodes()) this.codes.set(k, c);
    this.open.delete(hour);
    this.held -= events;
  }
}

const db = await createTestDatabase('anlyt_bench');
const nats = await createTestNats();
const streams = [nats.topo.billingStream, nats.topo.dlrStream];
// Ctrl-C during an hour-long run must not leave gigabytes of streams on the machine's NATS:
// the signal deletes them and the database, then exits (the run's own `finally` waits for it).
let child: ChildProcess | undefined;
let stopping: Promise<never> | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: deleting the benchmark's streams and database`);
    child?.kill('SIGKILL');
    stopping ??= Promise.allSettled([nats.cleanup(), db.drop()]).then(() => process.exit(130));
  });
}
const run = (args: string[], extraEnv: Record<string, string>, stdio: StdioOptions) =>
  (child = spawn(process.execPath, args, { env: { ...env, ...nats.env, ...extraEnv }, stdio }));

try {
  const messages = days * perDay;
  const endMs = Date.now();
  const cfg = defaultTrafficConfig({
    seed,
    messages,
    conflictRate: 0,
    startMs: endMs - days * DAY,
    spanMs: days * DAY,
  });
  checkDisk(messages * 2.05);
  const oracle = HourlyOracles.fits(messages * 2.05, days) ? new HourlyOracles() : null;

  // Preload: generated, observed and published one chunk at a time.
  let generating = 0;
  let publishing = 0;
  let published = 0;
  let heapPeak = 0;
  let t = performance.now();
  let lastReport = t;
  const chunk: TrafficMessage[] = [];
  const flush = async () => {
    const t1 = performance.now();
    generating += t1 - t;
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    await publishAll(nats.js, chunk, {
      window: 4000,
      withMsgId: true,
      subjects: { billed: nats.topo.billingSubject, dlr: nats.topo.dlrSubject },
    });
    published += chunk.length;
    chunk.length = 0;
    oracle?.retire();
    t = performance.now();
    publishing += t - t1;
    if (t - lastReport > 60_000) {
      lastReport = t;
      console.log(
        `  preloading: ${published} events, ${((generating + publishing) / 1000).toFixed(0)} s`,
      );
    }
  };
  for (const m of generateTraffic(cfg)) {
    oracle?.observe(m);
    chunk.push(m);
    if (chunk.length === CHUNK) await flush();
  }
  await flush();
  const infos = await Promise.all(streams.map((s) => nats.jsm.streams.info(s)));
  const total = infos.reduce((n, i) => n + i.state.messages, 0);
  const storeBytes = infos.reduce((n, i) => n + i.state.bytes, 0);
  if (total !== published)
    throw new Error(`published ${published} events, the streams hold ${total}`);
  console.log(
    `preloaded ${total} events in ${((generating + publishing) / 1000).toFixed(1)} s (generating${oracle ? ' + oracle' : ''} ${(generating / 1000).toFixed(1)} s, publishing ${(publishing / 1000).toFixed(1)} s); JetStream store ${(storeBytes / 1e9).toFixed(2)} GB (${Math.round(storeBytes / total)} B/event); benchmark heap peak ${(heapPeak / 2 ** 20).toFixed(0)} MB`,
  );

  // CPU of the test database's server only, not of another PostgreSQL on the machine (when it
  // is local and its processes readable; otherwise every process named postgres).
  const [backend] = await db.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
  const postmasterPid = parentPid(backend!.pid);
  const appEnv = {
    DATABASE_URL: db.url,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
  };
  const ceiling = await measure(
    nats.jsm,
    run(['--import', 'tsx', here('./ceiling.ts')], appEnv, ['ignore', 'ignore', 'inherit']),
    streams.map((s) => [s, `bench-ceiling-${s}`] as const),
    total,
    { postmasterPid },
  );

  const logPath = join(tmpdir(), `anlyt-backfill-bench-${nats.topo.prefix}.log`);
  const log = openSync(logPath, 'w');
  const spawnedAt = performance.now();
  let backfill: Measured;
  try {
    backfill = await measure(
      nats.jsm,
      run(
        [
          ...(env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? []),
          here('../dist/main.js'),
          'backfill',
          '--source',
          'all',
        ],
        {
          ...appEnv,
          LOG_LEVEL: 'info',
          BACKFILL_END_LAG_S: '0',
          BACKFILL_PROGRESS_MS: env['BACKFILL_PROGRESS_MS'] ?? '1000',
        },
        ['ignore', log, 'inherit'],
      ),
      [
        [
          nats.topo.billingStream,
          backfillDurable(env['BILLING_DURABLE'] ?? nats.topo.billingDurable),
        ],
        [nats.topo.dlrStream, backfillDurable(env['DLR_DURABLE'] ?? nats.topo.dlrDurable)],
      ],
      total,
      { until: 'exit', postmasterPid },
    );
  } finally {
    closeSync(log);
  }
  const wallSeconds = (performance.now() - spawnedAt) / 1000;

  const [ledger] = await db.sql<{ n: string; size: string }[]>`
    select count(*)::text as n,
           pg_size_pretty(pg_total_relation_size('anlyt.processed_events')) as size
    from anlyt.processed_events`;
  const diffs = oracle ? await compareWithOracle(db.sql, oracle.asOracle()) : null;

  const cores = cpus().length;
  console.log(
    `\nmachine: ${cores} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  console.log(
    `traffic: ${days} days × ${perDay} billed messages/day = ${messages} messages → ${total} events (billed + DLR, incl. ~1% duplicates and ~1% invalid), occurredAt from ${new Date(cfg.startMs).toISOString()} to now`,
  );
  console.log(row('ceiling', ceiling));
  console.log(row('anlyt backfill', backfill));
  console.log(
    `ratio (backfill / ceiling): ${(backfill.eventsPerSec / ceiling.eventsPerSec).toFixed(2)}; backfill command: ${wallSeconds.toFixed(1)} s from spawn to exit (startup and the end check included)`,
  );
  console.log(
    `ledger: ${ledger!.n} rows${oracle ? ` (valid events: ${oracle.valid})` : ''}, ${ledger!.size} (anlyt.processed_events with its indexes)`,
  );
  const projectedEvents = 7 * TARGET_PER_DAY * (total / messages);
  const hours = projectedEvents / backfill.eventsPerSec / 3600;
  console.log(
    `projection: 7 days × ${TARGET_PER_DAY / 1e6}M messages/day ≈ ${(projectedEvents / 1e6).toFixed(0)}M events at ${Math.round(backfill.eventsPerSec)} ev/s: ${hours.toFixed(2)} h — target < 1 h (≥ ${TARGET_EVENTS_PER_S} ev/s): ${backfill.eventsPerSec >= TARGET_EVENTS_PER_S ? 'met' : `NOT met (${((100 * backfill.eventsPerSec) / TARGET_EVENTS_PER_S).toFixed(0)} % of it)`}. Linear: the ledger's per-batch cost grows with its size (docs/benchmarks.md "The ledger")`,
  );
  console.log(
    `where the time goes — CPU seconds per 1000 events (${cores} cores: ${((1000 * cores) / TARGET_EVENTS_PER_S).toFixed(3)} CPU-s per 1000 events in all at ${TARGET_EVENTS_PER_S} ev/s):`,
  );
  console.log(
    `${''.padEnd(16)} ${['node', 'postgres', 'nats-server', 'total'].map((h) => h.padStart(12)).join('')}  of ${cores} cores`,
  );
  for (const [name, m] of [
    ['ceiling', ceiling],
    ['anlyt backfill', backfill],
  ] as const) {
    const parts = [m.cpuSeconds, m.others['postgres']!, m.others['nats-server']!];
    const sum = parts.reduce((a, b) => a + b, 0);
    const cells = [...parts, sum].map((s) => ((1000 * s) / total).toFixed(3).padStart(12));
    const busy = `${((100 * sum) / (m.seconds * cores)).toFixed(0)} %`.padStart(8);
    console.log(`${name.padEnd(16)} ${cells.join('')}${busy}`);
  }
  const perEvent = (m: Measured) =>
    (m.cpuSeconds + m.others['postgres']! + m.others['nats-server']!) / total;
  console.log(
    `at these CPU costs, ${cores} fully busy cores allow ≈ ${Math.round(cores / perEvent(backfill))} ev/s for the backfill, ≈ ${Math.round(cores / perEvent(ceiling))} ev/s for the ceiling (target ${TARGET_EVENTS_PER_S})`,
  );
  console.log(
    `(node: the process itself over its whole life; postgres: ${postmasterPid === undefined ? 'every process of that name on the machine' : `the test database's server (postmaster ${postmasterPid}) and its backends`}, nats-server: every process of that name, while it ran)`,
  );
  const progress = readFileSync(logPath, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"backfill progress"'));
  for (const source of ['billing', 'dlr'])
    console.log(
      `last progress (${source}): ${progress.filter((l) => l.includes(`"source":"${source}"`)).pop() ?? 'none'}`,
    );
  console.log(`backfill log: ${logPath}`);
  if (oracle === null || diffs === null) {
    console.log("aggregates equal the generator's oracle: NOT CHECKED (see the oracle line above)");
  } else {
    const incomplete =
      oracle.missed > 0
        ? [`${oracle.missed} events arrived for an hour the oracle had closed`]
        : [];
    const all = [...incomplete, ...diffs];
    console.log(
      `aggregates equal the generator's oracle: ${all.length === 0 ? 'yes' : `NO\n  ${all.join('\n  ')}`} (oracle: ${oracle.hours} hours, at most ${oracle.heldPeak} events held at once)`,
    );
    process.exitCode = all.length === 0 ? 0 : 1;
  }
} finally {
  if (stopping) await stopping;
  child?.kill('SIGKILL');
  await nats.cleanup();
  await db.drop();
}

/** Stops before filling the disk: the streams and the database of a full run take ~20 GB. */
function checkDisk(events: number) {
  const dir = env['BENCH_NATS_STORE_DIR'] ?? '/var/lib/nats-server';
  const streamsGb = (events * STORE_BYTES_PER_EVENT) / 1e9;
  const pgGb = (events * PG_BYTES_PER_EVENT) / 1e9;
  const need = `the streams need ≈ ${streamsGb.toFixed(1)} GB, the database ≈ ${pgGb.toFixed(1)} GB`;
  if (!existsSync(dir)) {
    console.log(`disk: ${need} (free space not checked: no ${dir})`);
    return;
  }
  const s = statfsSync(dir);
  const freeGb = (s.bavail * s.bsize) / 1e9;
  console.log(`disk: ${freeGb.toFixed(0)} GB free at ${dir}; ${need}`);
  if (streamsGb + pgGb > 0.9 * freeGb) throw new Error('not enough free disk for this size');
}
