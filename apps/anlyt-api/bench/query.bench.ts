/**
 * pnpm run bench:query — the query DSL (POST /v1/anlyt/query, US-ANLYT-14 AC4: P95 ≤ 1 s for
 * 30-day windows; issue target P95 ≤ 200 ms at 20 clients) on a national-size DLR fact set,
 * answered from the hourly cube and from the facts, next to hand-written SQL of the same
 * questions measured in the same run:
 *   1. a fresh ClickHouse database (migrated), `BENCH_FACTS` DLR facts generated inside
 *      ClickHouse (query-facts.ts: `INSERT … SELECT … FROM numbers()`, `BENCH_CHUNK` rows per
 *      statement, `BENCH_LOAD_PARALLEL` statements at once), the cube of every day rebuilt with
 *      the cube builder's statement, the ingest and cube watermarks written; then up to
 *      `BENCH_SETTLE_S` for the background merges to finish;
 *   2. the real API (dist/main.js) as a child process on that database (and a throwaway
 *      Postgres database), a portal token; per request a tenant drawn from the `BENCH_TOP`
 *      largest (share `BENCH_TOP_SHARE` of requests) or from the rest, sent as X-Account-Id;
 *   3. per question (query-questions.ts) and source (cube, or forced to the facts): a sanity
 *      check (API cube = API facts = hand-written, for a large and a small tenant), the median
 *      of `BENCH_SEQUENTIAL` requests one at a time, then autocannon with `BENCH_CONNECTIONS`
 *      clients: `BENCH_WARMUP_S` of warm-up, then `BENCH_ROUNDS` × `BENCH_DURATION_S`;
 *   4. the same questions as hand-written SQL through @clickhouse/client, `BENCH_CONNECTIONS`
 *      workers, the same warm-up, rounds and tenant draw.
 * Percentiles are exact over every 2xx answer (every hand-written query) of a round; the table
 * shows the median of the rounds. Server-side times of the statements come from
 * system.query_log. Options: the BENCH_* variables above and BENCH_DAYS (35), BENCH_TENANTS,
 * BENCH_MNOS, BENCH_PREFIXES, BENCH_KEEP_DB=1 (keep the ClickHouse database),
 * BENCH_CH_DB=<name> (measure a kept one: no load), BENCH_ONLY=<a,b,…> (only those questions),
 * BENCH_SKIP_HAND=1.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import autocannon from 'autocannon';
import {
  createClickHouse,
  readServerVersion,
  rows,
  runClickHouseMigrations,
  type ClickHouseClient,
  type Topology,
} from '@anlyt/clickhouse';
import { planQuery, type QueryBody } from '@anlyt/query';
import { benchToken, startApiProcess, stopChild as stopProcess } from './api-process.js';
import { createTestDatabase, TEST_CLICKHOUSE_URL, type TestDatabase } from '@anlyt/testing';
import {
  buildCubes,
  DAY_MS,
  insertFactsChunk,
  runningMerges,
  tableBytes,
  tenantId,
  tenantShare,
  writeWatermarks,
  type TableBytes,
} from './query-facts.js';
import {
  asMembers,
  compareAnswers,
  QUESTIONS,
  type Question,
  type Source,
} from './query-questions.js';

const num = (k: string, d: number) => Number(process.env[k] ?? d);
const cfg = {
  facts: num('BENCH_FACTS', 100_000_000),
  chunk: num('BENCH_CHUNK', 10_000_000),
  loadParallel: num('BENCH_LOAD_PARALLEL', 2),
  insertBlock: num('BENCH_INSERT_BLOCK', 4_000_000),
  cubeParallel: num('BENCH_CUBE_PARALLEL', 2),
  days: num('BENCH_DAYS', 35),
  windowDays: 30,
  tenants: num('BENCH_TENANTS', 10_000),
  mnos: num('BENCH_MNOS', 100),
  prefixes: num('BENCH_PREFIXES', 300),
  top: num('BENCH_TOP', 10),
  topShare: num('BENCH_TOP_SHARE', 0.5),
  connections: num('BENCH_CONNECTIONS', 20),
  durationS: num('BENCH_DURATION_S', 10),
  warmupS: num('BENCH_WARMUP_S', 2),
  sequential: num('BENCH_SEQUENTIAL', 10),
  rounds: num('BENCH_ROUNDS', 3),
  minResponses: num('BENCH_MIN_RESPONSES', 60),
  settleS: num('BENCH_SETTLE_S', 300),
  reuseDb: process.env['BENCH_CH_DB'],
  keepDb: process.env['BENCH_KEEP_DB'] === '1' || Boolean(process.env['BENCH_CH_DB']),
  only: process.env['BENCH_ONLY']?.split(',').filter(Boolean),
  skipHand: process.env['BENCH_SKIP_HAND'] === '1',
};
const TARGET_MS = 200;
const STORY_MS = 1000;
/** Quantiles from merged hourly t-digests vs one over the raw latencies: both estimates. */
const QUANTILE_TOLERANCE = 0.05;
const BUILDER = 'main';
const CH_URL = process.env['CLICKHOUSE_URL'] ?? TEST_CLICKHOUSE_URL;
const s1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const todayMs = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const fromMs = todayMs - cfg.windowDays * DAY_MS;
const window = { from: utcDay(fromMs), to: utcDay(todayMs - DAY_MS) };
const shape = {
  endMs: todayMs,
  days: cfg.days,
  tenants: cfg.tenants,
  mnos: cfg.mnos,
  prefixes: cfg.prefixes,
};
const topTenants = Array.from({ length: cfg.top }, (_, i) => tenantId(i + 1));
type Pool = 'top' | 'rest';
function drawTenant(): { id: string; pool: Pool } {
  if (Math.random() < cfg.topShare)
    return { id: topTenants[Math.floor(Math.random() * cfg.top)]!, pool: 'top' };
  const rank = cfg.top + 1 + Math.floor(Math.random() * (cfg.tenants - cfg.top));
  return { id: tenantId(rank), pool: 'rest' };
}

// --- cleanup, also on Ctrl-C ------------------------------------------------------------------
const children = new Set<ChildProcess>();
const clients: ClickHouseClient[] = [];
let pg: TestDatabase | undefined;
let chDb: string | undefined;
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children].map((c) => stopChild(c)));
    await pg?.drop().catch((e: unknown) => console.error(`could not drop ${pg?.name}: ${e}`));
    const admin = clients[0];
    if (chDb && admin) {
      if (cfg.keepDb) console.log(`kept ClickHouse database ${chDb}: drop it when done`);
      else
        await admin
          .command({ query: `DROP DATABASE IF EXISTS ${chDb}` })
          .then(() => console.log(`dropped ClickHouse database ${chDb}`))
          .catch((e: unknown) => console.error(`could not drop ${chDb}: ${e}`));
    }
    await Promise.all(clients.map((c) => c.close()));
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`\n${sig}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function stopChild(c: ChildProcess): Promise<void> {
  await stopProcess(c);
  children.delete(c);
}

// --- main -------------------------------------------------------------------------------------

interface Variant {
  q: Question;
  source: Source;
  label: string;
}

async function main(): Promise<void> {
  const admin = createClickHouse({
    url: CH_URL,
    applicationName: 'anlyt-bench-query-load',
    requestTimeoutMs: 4 * 3600_000,
    maxOpenConnections: Math.max(4, cfg.loadParallel),
  });
  clients.push(admin);
  chDb = cfg.reuseDb ?? `anlyt_bench_query_${randomBytes(5).toString('hex')}`;
  const t: Topology = { database: chDb, cluster: null };
  await runClickHouseMigrations(admin, { topology: t });
  const version = await readServerVersion(admin);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ClickHouse ${version.text}`;
  console.log(
    `machine: ${machine}; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `data set: ${cfg.facts} DLR facts over ${cfg.days} days ${utcDay(todayMs - cfg.days * DAY_MS)} .. ${utcDay(todayMs - DAY_MS)}, ${cfg.tenants} tenants, ${cfg.mnos} MNOs, ${cfg.prefixes} prefixes (database ${chDb})`,
  );

  // 1. facts, cubes, watermarks (unless an earlier run's database is reused)
  let loadNote = `reused database ${chDb} (no load)`;
  if (!cfg.reuseDb) {
    const l = await loadDataSet(admin, t);
    loadNote = l;
  }
  const settle = await settleMerges(admin, chDb);
  const bytes = await tableBytes(admin, chDb);
  const facts = bytes.find((b) => b.table === 'facts_dlr');
  const cube = bytes.find((b) => b.table === 'cube_dlr_hourly');
  const daily = bytes.filter(
    (b) => b.table.startsWith('cube_dlr_') && b.table !== 'cube_dlr_hourly',
  );
  console.log(`${settle}\ntables (active parts):`);
  for (const b of bytes.filter((x) => x.rows > 0)) console.log(`  ${bytesLine(b)}`);
  const sizes = await tenantSizes(admin, chDb);
  const topShare = topTenants.reduce((s, _, i) => s + tenantShare(i + 1, cfg.tenants), 0);
  console.log(
    `tenants: top ${cfg.top} (acc_1..acc_${cfg.top}, ${(topShare * 100).toFixed(1)} % of the facts) drawn for ${(cfg.topShare * 100).toFixed(0)} % of requests, the other ${cfg.tenants - cfg.top} uniformly for the rest; in the 30-day window (rows of every version) acc_1 has ${sizes.top}, acc_${cfg.top} ${sizes.topLast}, a median tenant (acc_${sizes.medianRank}) ${sizes.median}`,
  );

  // 2. the API
  pg = await createTestDatabase('anlyt_bench_query');
  const api = await startApi(pg.url, chDb);
  console.log(`anlyt-api (dist/main.js) on ${api.base}, window ${window.from} .. ${window.to}`);
  const token = await mint('portal', 'customer-portal');
  const hand = createClickHouse({
    url: CH_URL,
    applicationName: 'anlyt-bench-query',
    requestTimeoutMs: 120_000,
    maxOpenConnections: cfg.connections,
  });
  clients.push(hand);

  const questions = QUESTIONS.filter((q) => !cfg.only || cfg.only.includes(q.key));
  const variants: Variant[] = questions.flatMap((q) =>
    q.sources.map((source) => ({ q, source, label: `(${q.key}) ${q.name} [${source}]` })),
  );

  // 3. sanity checks: the planner's choice, API cube = API facts = hand-written
  const checks = new Map<string, string>();
  for (const v of variants) checks.set(v.label, await sanity(api.base, token, hand, chDb, v));

  // what a statement costs alone, with and without FINAL (no duplicates exist in this data)
  const diagnostics: string[] = [];
  for (const v of variants) diagnostics.push(...(await diagnose(hand, admin, chDb, v)));

  // 4. the API under load
  const apiRows: ApiRow[] = [];
  for (const v of variants) apiRows.push(await measureApi(api.base, token, admin, chDb, v));
  await stopChild(api.child);

  // 5. hand-written SQL under load
  const handRows = new Map<string, HandRow>();
  if (!cfg.skipHand)
    for (const v of variants) handRows.set(v.label, await measureHand(hand, admin, chDb, v));

  // 6. the table
  console.log(
    `\nmachine: ${machine}; load average at the end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(`data: ${loadNote}`);
  for (const b of [facts, cube, ...daily]) if (b) console.log(`  ${bytesLine(b)}`);
  console.log(
    `load: ${cfg.connections} clients, ${cfg.rounds} × ${cfg.durationS} s per query after ${cfg.warmupS} s warm-up; window ${window.from} .. ${window.to}; tenants: ${(cfg.topShare * 100).toFixed(0)} % of requests from the top ${cfg.top}, the rest uniform over the other ${cfg.tenants - cfg.top}\n`,
  );
  const head = [
    'query [source]',
    '2xx',
    'req/s',
    'P50',
    'P95',
    'P99',
    'P95 top',
    'P95 rest',
    'cut',
    '1-client',
    'server P95',
    'non-2xx',
    'hand P95',
    'hand P95 top',
    'hand q/s',
    'API/hand',
    `≤${TARGET_MS}`,
    `≤${STORY_MS}`,
    'check',
  ];
  const lines = apiRows.map((r) => {
    const h = handRows.get(r.v.label);
    const m = r.m;
    return [
      r.v.label,
      String(m.ok),
      s1(m.rate),
      s1(m.p50),
      s1(m.p95),
      s1(m.p99),
      s1(m.p95top),
      s1(m.p95rest),
      String(m.cut),
      s1(r.seq),
      s1(r.serverP95),
      m.bad ? `${m.bad} (${m.codes})` : '0',
      h ? s1(h.m.p95) : '–',
      h ? s1(h.m.p95top) : '–',
      h ? s1(h.m.rate) : '–',
      h ? `×${(m.p95 / h.m.p95).toFixed(2)}` : '–',
      m.p95 <= TARGET_MS ? 'yes' : 'NO',
      m.p95 <= STORY_MS ? 'yes' : 'NO',
      checks.get(r.v.label) ?? '?',
    ];
  });
  console.log(`| ${head.join(' | ')} |`);
  console.log(`| ${head.map(() => '---').join(' | ')} |`);
  for (const l of lines) console.log(`| ${l.join(' | ')} |`);
  console.log(
    '\n(milliseconds; cut = requests in flight when a timed round ended, not in the percentiles; server P95 = the API statement’s query_duration_ms in query_log, all statements)',
  );
  for (const [label, h] of handRows)
    console.log(
      `hand-written ${label}: P50 ${s1(h.m.p50)} P95 ${s1(h.m.p95)} P99 ${s1(h.m.p99)} ms, ${h.m.ok} queries, server P95 ${s1(h.serverP95)} ms${h.m.bad ? `, ERRORS ${h.m.bad}: ${h.m.codes}` : ''}`,
    );
  console.log(
    `\nhand-written SQL alone (1 client, median of ${DIAG_RUNS}; rows read / peak memory from query_log):`,
  );
  for (const d of diagnostics) console.log(d);
  const failed =
    apiRows.some((r) => r.m.bad > 0) ||
    [...checks.values()].some((c) => c !== 'ok') ||
    [...handRows.values()].some((h) => h.m.bad > 0);
  process.exitCode = failed ? 1 : 0;
}

const bytesLine = (b: TableBytes) =>
  `${b.table.padEnd(18)} ${String(b.rows).padStart(12)} rows, ${(b.bytesOnDisk / 2 ** 30).toFixed(2)} GiB on disk (${(b.uncompressed / 2 ** 30).toFixed(2)} GiB uncompressed, ${(b.bytesOnDisk / Math.max(1, b.rows)).toFixed(1)} B/row), ${b.parts} parts`;

async function loadDataSet(ch: ClickHouseClient, t: Topology): Promise<string> {
  const t0 = performance.now();
  let done = 0;
  let next = 0;
  // `BENCH_LOAD_PARALLEL` statements at once: INSERT … SELECT runs on one thread each.
  const worker = async () => {
    while (next < cfg.facts) {
      const offset = next;
      const count = Math.min(cfg.chunk, cfg.facts - offset);
      next += count;
      await insertFactsChunk(ch, t, shape, offset, count, cfg.insertBlock);
      done += count;
      const s = (performance.now() - t0) / 1000;
      console.log(
        `  facts ${String(done).padStart(11)} / ${cfg.facts}  ${s1(s)} s  (${Math.round(done / s)} rows/s)`,
      );
    }
  };
  await Promise.all(Array.from({ length: cfg.loadParallel }, worker));
  const loadS = (performance.now() - t0) / 1000;
  console.log(
    `facts loaded in ${s1(loadS)} s: ${Math.round(cfg.facts / loadS)} rows/s (${cfg.loadParallel} statements of ≤ ${cfg.chunk} rows at once)`,
  );
  const t1 = performance.now();
  await buildCubes(ch, t, shape, cfg.cubeParallel, (dayMs, s) =>
    console.log(`  cube ${utcDay(dayMs)} ${s1(s)} s`),
  );
  const cubeS = (performance.now() - t1) / 1000;
  console.log(
    `cubes built in ${s1(cubeS)} s (${cfg.days} days, rebuildCubeDay, ${cfg.cubeParallel} days at once)`,
  );
  const maxMs = await writeWatermarks(ch, t, BUILDER);
  console.log(`watermarks: ingest dlr ${new Date(maxMs).toISOString()}, cube builder ${BUILDER}`);
  return `${cfg.facts} facts loaded in ${s1(loadS)} s (${Math.round(cfg.facts / loadS)} rows/s), cubes of ${cfg.days} days built in ${s1(cubeS)} s`;
}

/** Waits (up to BENCH_SETTLE_S) for the background merges of the database to finish. */
async function settleMerges(ch: ClickHouseClient, db: string): Promise<string> {
  const t0 = performance.now();
  const deadline = Date.now() + cfg.settleS * 1000;
  let n = await runningMerges(ch, db);
  while (n > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2000));
    n = await runningMerges(ch, db);
  }
  const s = (performance.now() - t0) / 1000;
  return n === 0
    ? `merges: none running (waited ${s1(s)} s)`
    : `merges: STILL ${n} RUNNING after ${s1(s)} s (BENCH_SETTLE_S): they compete with the queries`;
}

async function tenantSizes(ch: ClickHouseClient, db: string) {
  const medianRank = Math.round(cfg.tenants / 2);
  const ids = [tenantId(1), tenantId(cfg.top), tenantId(medianRank)];
  const list = ids.map((i) => `'${i}'`).join(', ');
  const hours = `hour >= toDateTime(${fromMs / 1000}, 'UTC') AND hour < toDateTime(${todayMs / 1000}, 'UTC')`;
  const days = `day >= toDate(toDateTime(${fromMs / 1000}, 'UTC')) AND day < toDate(toDateTime(${todayMs / 1000}, 'UTC'))`;
  const count = async (table: string, w = hours) =>
    new Map(
      (
        await rows<{ tenantId: string; n: string }>(
          ch,
          `SELECT tenantId, count() AS n FROM ${db}.${table} WHERE tenantId IN (${list}) AND ${w} GROUP BY tenantId`,
        )
      ).map((r) => [r.tenantId, Number(r.n)]),
    );
  const [f, c, d] = [
    await count('facts_dlr'),
    await count('cube_dlr_hourly'),
    await count('cube_dlr_daily', days),
  ];
  const of = (id: string) =>
    `${f.get(id) ?? 0} facts / ${c.get(id) ?? 0} hourly / ${d.get(id) ?? 0} daily cube rows`;
  return { top: of(ids[0]!), topLast: of(ids[1]!), median: of(ids[2]!), medianRank };
}

// --- the API process --------------------------------------------------------------------------

/** The real API on the bench databases, stopped with the other children on cleanup. */
async function startApi(url: string, database: string) {
  const api = await startApiProcess(
    {
      DATABASE_URL: url,
      CLICKHOUSE_URL: CH_URL,
      CLICKHOUSE_DATABASE: database,
      CUBE_BUILDER_NAME: BUILDER,
    },
    { needClickHouse: true },
  );
  children.add(api.child);
  api.child.once('exit', () => children.delete(api.child));
  return api;
}

const mint = (role: string, sub: string) => benchToken(role, sub);

// --- requests ---------------------------------------------------------------------------------

const PATH = '/v1/anlyt/query';
const bodyOf = (v: Variant): QueryBody => v.q.body(window.from, window.to, v.source);

function request(v: Variant, token: string, tenant: string) {
  return {
    method: 'POST' as const,
    path: PATH,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-account-id': tenant,
    },
    body: JSON.stringify(bodyOf(v)),
  };
}

async function post(base: string, v: Variant, token: string, tenant: string) {
  const r = request(v, token, tenant);
  const res = await fetch(base + r.path, { method: 'POST', headers: r.headers, body: r.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

function handSql(db: string, v: Variant, tenant: string): string {
  return v.q.sql(db, v.source, tenant, fromMs, todayMs);
}

async function handQuery(ch: ClickHouseClient, db: string, v: Variant, tenant: string) {
  const rs = await ch.query({
    query: handSql(db, v, tenant),
    format: 'JSONEachRow',
    clickhouse_settings: { log_queries: 1 },
  });
  return rs.json<Record<string, unknown>>();
}

/** The planner's source must be the one asked for; API cube = API facts = hand-written. */
async function sanity(
  base: string,
  token: string,
  hand: ClickHouseClient,
  db: string,
  v: Variant,
): Promise<string> {
  const planned = planQuery(
    bodyOf(v),
    { role: 'portal', tenantId: tenantId(1) },
    { nowMs: Date.now(), database: db, maxRows: 1_000_000 },
  );
  if (!planned.ok) return `planner refused: ${planned.detail}`;
  console.log(
    `${v.label}: planner → ${planned.plan.source}\n    ${planned.plan.sql.replaceAll('\n', '\n    ')}`,
  );
  if (planned.plan.source !== v.source) return `planner chose ${planned.plan.source}`;
  const other = v.q.sources.find((s) => s !== v.source);
  for (const tenant of [tenantId(1), tenantId(Math.round(cfg.tenants / 2))]) {
    const a = await post(base, v, token, tenant);
    if (a.status !== 200) return `HTTP ${a.status}: ${JSON.stringify(a.body).slice(0, 200)}`;
    const apiRows = (a.body as { rows: Record<string, unknown>[]; nextCursor: unknown }).rows;
    if ((a.body as { nextCursor: unknown }).nextCursor !== null) return 'more than one page';
    const h = asMembers(v.q, await handQuery(hand, db, v, tenant));
    const diff = compareAnswers(v.q, apiRows, h, QUANTILE_TOLERANCE);
    if (diff) return `${tenant}: API ≠ hand-written: ${diff}`;
    if (other) {
      const o = await post(base, { ...v, source: other }, token, tenant);
      const oRows = (o.body as { rows: Record<string, unknown>[] }).rows;
      const d2 = compareAnswers(v.q, apiRows, oRows, QUANTILE_TOLERANCE);
      if (d2) return `${tenant}: API ${v.source} ≠ API ${other}: ${d2}`;
    }
    console.log(
      `    ${tenant}: ${apiRows.length} rows, same as hand-written${other ? ` and ${other}` : ''}`,
    );
  }
  return 'ok';
}

const DIAG_RUNS = 3;

/** One statement at a time: its time, rows read and memory, for a large and a median tenant. */
async function diagnose(
  hand: ClickHouseClient,
  ch: ClickHouseClient,
  db: string,
  v: Variant,
): Promise<string[]> {
  const out: string[] = [];
  for (const tenant of [tenantId(1), tenantId(Math.round(cfg.tenants / 2))]) {
    for (const final of [true, false]) {
      const sql = handSql(db, v, tenant);
      const text = final ? sql : sql.replace(' FINAL', '');
      const times: number[] = [];
      const ids: string[] = [];
      for (let i = 0; i < DIAG_RUNS; i++) {
        const id = randomUUID();
        const t0 = performance.now();
        const rs = await hand.query({
          query: text,
          format: 'JSONEachRow',
          query_id: id,
          clickhouse_settings: { log_queries: 1 },
        });
        await rs.json();
        times.push(performance.now() - t0);
        ids.push(id);
      }
      await ch.command({ query: 'SYSTEM FLUSH LOGS' });
      const [r] = await rows<{ readRows: string; mem: string; server: number }>(
        ch,
        `SELECT max(read_rows) AS readRows, max(memory_usage) AS mem,
            quantileExact(0.5)(query_duration_ms) AS server
         FROM system.query_log
         WHERE type = 2 AND event_date >= yesterday() AND query_id IN (${ids.map((i) => `'${i}'`).join(', ')})`,
      );
      out.push(
        `  ${v.label.padEnd(56)} ${tenant.padEnd(9)} ${final ? 'FINAL   ' : 'no FINAL'} ${s1(median(times)).padStart(8)} ms (server ${s1(Number(r?.server))} ms), ${Number(r?.readRows ?? 0)} rows read, ${(Number(r?.mem ?? 0) / 2 ** 20).toFixed(0)} MiB`,
      );
    }
  }
  return out;
}

interface Measured {
  rate: number;
  ok: number;
  bad: number;
  codes: string;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  p95top: number;
  p95rest: number;
  /** Requests still in flight when a timed phase ended (autocannon abandons them: they are
   *  missing from the percentiles, and they are the slow ones). */
  cut: number;
  p95s?: number[];
}

interface ApiRow {
  v: Variant;
  seq: number;
  serverP95: number;
  m: Measured;
}

interface HandRow {
  v: Variant;
  serverP95: number;
  m: Measured;
}

/** Latencies of one measured phase, by tenant pool. */
class Recorder {
  all: number[] = [];
  top: number[] = [];
  rest: number[] = [];
  codes = new Map<string, number>();
  bad = 0;
  add(ms: number, pool: Pool) {
    this.all.push(ms);
    (pool === 'top' ? this.top : this.rest).push(ms);
  }
  fail(code: string) {
    this.bad++;
    this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
  }
  result(seconds: number): Measured {
    return {
      ok: this.all.length,
      bad: this.bad,
      codes: [...this.codes].map(([c, n]) => `${c}×${n}`).join(', '),
      seconds,
      rate: this.all.length / seconds,
      p50: quantile(this.all, 0.5),
      p95: quantile(this.all, 0.95),
      p99: quantile(this.all, 0.99),
      p95top: quantile(this.top, 0.95),
      p95rest: quantile(this.rest, 0.95),
      cut: 0,
    };
  }
}

function quantile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.ceil(p * s.length) - 1]!;
}

async function measureApi(
  base: string,
  token: string,
  ch: ClickHouseClient,
  db: string,
  v: Variant,
): Promise<ApiRow> {
  const times: number[] = [];
  for (let i = 0; i < cfg.sequential; i++) {
    const t0 = performance.now();
    const r = await post(base, v, token, drawTenant().id);
    if (r.status !== 200) console.log(`  1-client request: HTTP ${r.status}`);
    times.push(performance.now() - t0);
  }
  const seq = median(times);
  const warm = await load(base, token, v, { duration: cfg.warmupS });
  await drain(ch, db);
  const until = phase(warm);
  const startS = await serverNow(ch);
  const rounds: Measured[] = [];
  for (let i = 0; i < cfg.rounds; i++) {
    const r = await load(base, token, v, until);
    await drain(ch, db);
    console.log(
      `  ${r.ok} × 2xx in ${s1(r.seconds)} s${'amount' in until ? ` (run to ${until.amount} answers)` : `, ${r.cut} cut in flight`}, P50 ${s1(r.p50)} P95 ${s1(r.p95)} P99 ${s1(r.p99)} ms (P95 top ${s1(r.p95top)}, rest ${s1(r.p95rest)})${r.bad ? `; NON-2XX/ERRORS ${r.bad}: ${r.codes}` : ''}`,
    );
    rounds.push(r);
  }
  const serverP95 = await serverTimes(ch, db, 'anlyt-api %', startS);
  const m = medianRound(rounds);
  console.log(
    `${v.label} via API: 1 client median ${s1(seq)} ms; P95 of the rounds ${rounds.map((r) => s1(r.p95)).join(', ')} ms; the statement's server-side P95 ${s1(serverP95)} ms`,
  );
  return { v, seq, serverP95, m };
}

type Until = { duration: number } | { amount: number };

/** A query too slow to answer BENCH_MIN_RESPONSES times in BENCH_DURATION_S runs to that many
 *  answers instead (autocannon abandons the requests in flight when its time is up). */
function phase(warm: Measured): Until {
  const enough = (warm.ok / warm.seconds) * cfg.durationS >= cfg.minResponses;
  return enough ? { duration: cfg.durationS } : { amount: cfg.minResponses };
}

/** `BENCH_CONNECTIONS` autocannon clients for a time or a number of answers; a tenant drawn
 *  per request. */
async function load(base: string, token: string, v: Variant, until: Until): Promise<Measured> {
  const rec = new Recorder();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon(
      {
        url: base,
        connections: cfg.connections,
        ...until,
        timeout: 120,
        requests: [
          {
            method: 'POST',
            setupRequest: (req, context) => {
              const tenant = drawTenant();
              (context as { pool?: Pool }).pool = tenant.pool;
              return { ...req, ...request(v, token, tenant.id) };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    // Emitted before the client sends its next request: its context is this answer's.
    inst.on('response', (client, status, _bytes, ms) => {
      const ctx = (client as unknown as { requestIterator: { context: { pool?: Pool } } })
        .requestIterator.context;
      if (status >= 200 && status < 300) rec.add(ms, ctx.pool ?? 'rest');
      else rec.fail(String(status));
    });
  });
  if (result.errors) {
    rec.bad += result.errors;
    rec.codes.set(`errors (timeouts ${result.timeouts})`, result.errors);
  }
  const answered = rec.all.length + (rec.bad - result.errors);
  const sent = (result.requests as { sent?: number }).sent ?? answered;
  return { ...rec.result(result.duration), cut: Math.max(0, sent - answered - result.errors) };
}

async function measureHand(
  hand: ClickHouseClient,
  ch: ClickHouseClient,
  db: string,
  v: Variant,
): Promise<HandRow> {
  const warm = await handLoad(hand, db, v, { duration: cfg.warmupS });
  await drain(ch, db);
  const until = phase(warm);
  const startS = await serverNow(ch);
  const rounds: Measured[] = [];
  for (let i = 0; i < cfg.rounds; i++) {
    const r = await handLoad(hand, db, v, until);
    await drain(ch, db);
    console.log(
      `  hand-written: ${r.ok} queries in ${s1(r.seconds)} s${'amount' in until ? ` (run to ${until.amount})` : ''}, P50 ${s1(r.p50)} P95 ${s1(r.p95)} P99 ${s1(r.p99)} ms (P95 top ${s1(r.p95top)}, rest ${s1(r.p95rest)})${r.bad ? `; ERRORS ${r.bad}: ${r.codes}` : ''}`,
    );
    rounds.push(r);
  }
  const serverP95 = await serverTimes(ch, db, 'anlyt-bench-query %', startS);
  const m = medianRound(rounds);
  console.log(
    `${v.label} hand-written: P95 of the rounds ${rounds.map((r) => s1(r.p95)).join(', ')} ms`,
  );
  return { v, serverP95, m };
}

/** `BENCH_CONNECTIONS` workers, each one query at a time, until the time has passed (the
 *  queries in flight then still count) or that many queries have been started. */
async function handLoad(
  hand: ClickHouseClient,
  db: string,
  v: Variant,
  until: Until,
): Promise<Measured> {
  const rec = new Recorder();
  const t0 = performance.now();
  const end = 'duration' in until ? t0 + until.duration * 1000 : Infinity;
  let started = 0;
  const more = () => ('amount' in until ? started++ < until.amount : performance.now() < end);
  const worker = async () => {
    while (more()) {
      const tenant = drawTenant();
      const s = performance.now();
      try {
        await handQuery(hand, db, v, tenant.id);
        rec.add(performance.now() - s, tenant.pool);
      } catch (err) {
        rec.fail(String((err as { code?: unknown }).code ?? (err as Error).message).slice(0, 60));
      }
    }
  };
  await Promise.all(Array.from({ length: cfg.connections }, worker));
  return rec.result((performance.now() - t0) / 1000);
}

async function serverNow(ch: ClickHouseClient): Promise<number> {
  const [r] = await rows<{ s: number }>(ch, 'SELECT toUnixTimestamp(now()) AS s');
  return Number(r!.s);
}

/** P95 of query_duration_ms of the logged statements on the database since startS. */
async function serverTimes(
  ch: ClickHouseClient,
  db: string,
  agent: string,
  startS: number,
): Promise<number> {
  await ch.command({ query: 'SYSTEM FLUSH LOGS' });
  const [r] = await rows<{ n: string; p95: number }>(
    ch,
    `SELECT count() AS n, quantileExact(0.95)(query_duration_ms) AS p95 FROM system.query_log
     WHERE type = 2 AND event_date >= yesterday() AND query_start_time >= toDateTime(${startS}, 'UTC')
       AND http_user_agent LIKE '${agent}' AND position(query, '${db}.') > 0
       AND position(query, 'FINAL') > 0`,
  );
  return r && r.n !== '0' ? Number(r.p95) : NaN;
}

/** Waits until no statement of the API or of the hand-written workers runs on the database. */
async function drain(ch: ClickHouseClient, db: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const [r] = await rows<{ n: string }>(
      ch,
      `SELECT count() AS n FROM system.processes
       WHERE (http_user_agent LIKE 'anlyt-api %' OR http_user_agent LIKE 'anlyt-bench-query %')
         AND position(query, '${db}.') > 0`,
    );
    if (r?.n === '0') return;
    await new Promise((res) => setTimeout(res, 200));
  }
}

function medianRound(rs: readonly Measured[]): Measured {
  const med = (f: (r: Measured) => number) => median(rs.map(f));
  return {
    rate: med((r) => r.rate),
    p95s: rs.map((r) => r.p95),
    ok: rs.reduce((a, r) => a + r.ok, 0),
    bad: rs.reduce((a, r) => a + r.bad, 0),
    codes: rs
      .map((r) => r.codes)
      .filter(Boolean)
      .join('; '),
    seconds: rs.reduce((a, r) => a + r.seconds, 0),
    p50: med((r) => r.p50),
    p95: med((r) => r.p95),
    p99: med((r) => r.p99),
    p95top: med((r) => r.p95top),
    p95rest: med((r) => r.p95rest),
    cut: rs.reduce((a, r) => a + r.cut, 0),
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
