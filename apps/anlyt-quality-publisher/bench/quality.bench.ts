/**
 * pnpm run bench:quality — what one tick of the quality publisher costs at national scale
 * (US-ANLYT-17; docs/decisions.md "The quality feed"), next to the bare scan of the same cube
 * rows and to the alternative it avoids (a "last 15 minutes" window read from the facts):
 *   1. a fresh ClickHouse database, `BENCH_DAYS` (2) days of `BENCH_PER_DAY` (10M) DLR facts
 *      generated inside ClickHouse (anlyt-api's bench generator: 10 000 tenants, Zipf-like),
 *      each day's cubes rebuilt with the cube builder's statements;
 *   2. `BENCH_RUNS` (15) sequential runs of each, median and max:
 *      - tick: readOperatorQuality over [22:00, 23:23) of the last day (the publisher's read);
 *      - ceiling: count() of the same cube rows without FINAL (the scan alone);
 *      - facts-15min: the same measures from facts_dlr FINAL over [23:08, 23:23).
 * The facts here are BENCH_DAYS days of one month partition; in production the partition holds
 * up to a month, and the facts read scans it whole (ordered by tenant first), so that figure
 * grows with the month. BENCH_KEEP_DB=1 keeps the database.
 */
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import {
  createClickHouse,
  readOperatorQuality,
  readServerVersion,
  rows,
  runClickHouseMigrations,
  type Topology,
} from '@anlyt/clickhouse';
import { TEST_CLICKHOUSE_URL } from '@anlyt/testing';
// The DSL bench's fact generator and cube build (one generator for every ClickHouse bench).
import { buildCubes, DAY_MS, insertFactsChunk } from '../../anlyt-api/bench/query-facts.js';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const DAYS = env('BENCH_DAYS', 2);
const PER_DAY = env('BENCH_PER_DAY', 10_000_000);
const RUNS = env('BENCH_RUNS', 15);
const CHUNK = 2_000_000;
const MIN = 60_000;

const ch = createClickHouse({ url: TEST_CLICKHOUSE_URL, requestTimeoutMs: 600_000 });
const database = `anlyt_bench_quality_${randomBytes(3).toString('hex')}`;
const t: Topology = { database, cluster: null };
const endMs = Date.UTC(2026, 10, 28);
const shape = { endMs, days: DAYS, tenants: 10_000, mnos: 8, prefixes: 40 };
const tickEnd = endMs - 37 * MIN; // 23:23 of the last day
const window = { fromMs: endMs - 2 * 60 * MIN, toMs: tickEnd };

const version = await readServerVersion(ch);
console.log(
  `ClickHouse ${version.text}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
    `${DAYS} days × ${PER_DAY} DLR facts into ${database}`,
);
await runClickHouseMigrations(ch, { topology: t });
let t0 = performance.now();
for (let off = 0; off < DAYS * PER_DAY; off += CHUNK)
  await insertFactsChunk(ch, t, shape, off, Math.min(CHUNK, DAYS * PER_DAY - off), 1_000_000);
console.log(`facts loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
t0 = performance.now();
await buildCubes(ch, t, shape, 1, (d, s) =>
  console.log(`  cubes of ${new Date(d).toISOString().slice(0, 10)}: ${s.toFixed(1)} s`),
);
const [hourly] = await rows<{ n: string }>(
  ch,
  `SELECT count() AS n FROM ${database}.cube_dlr_hourly WHERE toDate(hour) = toDate(${(endMs - DAY_MS) / 1000})`,
);
console.log(`cube_dlr_hourly rows of the last day: ${hourly!.n}`);

async function timed(name: string, run: () => Promise<unknown>) {
  await run(); // warm
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await run();
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  return { name, median: ms[Math.floor(ms.length / 2)]!, max: ms[ms.length - 1]! };
}

const hours = `hour >= toDateTime(${window.fromMs / 1000}, 'UTC') AND hour < toDateTime(${window.toMs / 1000}, 'UTC')`;
let groups = 0;
const results = [
  await timed('tick (cube_dlr_hourly FINAL + cube_cdr_mno_hourly FINAL)', async () => {
    groups = (await readOperatorQuality(ch, t, window)).length;
  }),
  await timed('ceiling (same cube rows, count, no FINAL)', () =>
    rows(ch, `SELECT count() FROM ${database}.cube_dlr_hourly WHERE ${hours}`),
  ),
  await timed('facts-15min (facts_dlr FINAL, last 15 minutes)', () =>
    rows(
      ch,
      `SELECT mno, direction, countIf(status = 'DELIVERED') AS ok, count() AS n,
         quantileTDigest(0.95)(latencyMs) AS p95
       FROM ${database}.facts_dlr FINAL
       WHERE occurredAtMs >= ${tickEnd - 15 * MIN} AND occurredAtMs < ${tickEnd}
       GROUP BY mno, direction`,
    ),
  ),
];
console.log(`\n(mno, direction) groups in the window: ${groups}; ${RUNS} runs each`);
console.log('| read | median ms | max ms | × ceiling |\n| --- | --- | --- | --- |');
const ceiling = results[1]!.median;
for (const r of results)
  console.log(
    `| ${r.name} | ${r.median.toFixed(0)} | ${r.max.toFixed(0)} | ${(r.median / ceiling).toFixed(1)} |`,
  );
if (process.env['BENCH_KEEP_DB'] !== '1') await ch.command({ query: `DROP DATABASE ${database}` });
await ch.close();
