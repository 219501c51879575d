/**
 * pnpm run bench:api — anlyt-api latency over a 90-day window on a national-size data set
 * (US-ANLYT-04 AC5, US-ANLYT-07 AC3; issue target P95 ≤ 50 ms at 20 clients, story bar
 * 500 ms), next to the baseline it replaces, measured in the same run:
 *   1. a fresh database, aggregates loaded set-based (load-aggregates.ts), daily tables by
 *      the real anlyt-rollup (dist/main.js);
 *   2. the real API (dist/main.js) as a child process, once per mode (`BENCH_MODES`):
 *      `reused` = as deployed (answers reused while their window's data is unchanged) and
 *      `computed` = ANLYT_API_ANSWER_CACHE_MB=0 (every answer computed). Per endpoint a
 *      sanity check against the hourly rows, the median of `BENCH_SEQUENTIAL` requests one
 *      at a time, then autocannon with `BENCH_CONNECTIONS` clients: `BENCH_WARMUP_S` of
 *      warm-up, then `BENCH_DURATION_S` — or, for an endpoint too slow to answer
 *      `BENCH_MIN_RESPONSES` times in that, until it has (random operators/accounts per
 *      request), `BENCH_ROUNDS` times (the table shows medians); an endpoint whose route
 *      does not exist yet is reported as not available;
 *   3. baseline: the summary's totals ad hoc over raw event rows (raw-baseline.ts), as many
 *      as `BENCH_RAW_SECONDS` of loading gives (0 skips it), median of `BENCH_BASELINE_RUNS`.
 * Latency percentiles are exact, over every 2xx response of the measured phase. Options:
 * the BENCH_* variables above and BENCH_ACCOUNTS, BENCH_OPERATORS, BENCH_SEED,
 * BENCH_KEEP_DB=1 (keep the database), BENCH_DB=<name> (reuse a kept one, loaded the same UTC
 * day: no load), BENCH_ONLY=<name part,…> (only those endpoints).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { createSql } from '@anlyt/pg';
import { createTestDatabase, TEST_PG_ADMIN_URL, type TestDatabase } from '@anlyt/testing';
import {
  accountId,
  currentDays,
  loadAggregates,
  operatorId,
  tableCounts,
  writeWatermarks,
} from './load-aggregates.js';
import { stopChild as stopProcess } from './api-process.js';
import { adHocSummary, loadRaw } from './raw-baseline.js';

const num = (k: string, d: number) => Number(process.env[k] ?? d);
const cfg = {
  accounts: num('BENCH_ACCOUNTS', 10_000),
  operators: num('BENCH_OPERATORS', 100),
  days: 90,
  connections: num('BENCH_CONNECTIONS', 20),
  durationS: num('BENCH_DURATION_S', 10),
  warmupS: num('BENCH_WARMUP_S', 2),
  sequential: num('BENCH_SEQUENTIAL', 10),
  rounds: num('BENCH_ROUNDS', 3),
  minResponses: num('BENCH_MIN_RESPONSES', 60),
  rawSeconds: num('BENCH_RAW_SECONDS', 120),
  baselineRuns: num('BENCH_BASELINE_RUNS', 3),
  seed: num('BENCH_SEED', 0.42),
  /** Leave the database in place (for EXPLAIN); the API and other children still stop. */
  keepDb: process.env['BENCH_KEEP_DB'] === '1' || Boolean(process.env['BENCH_DB']),
  /** Reuse a database kept by an earlier run the same UTC day: no load, no rollup. */
  reuseDb: process.env['BENCH_DB'],
  /** Only the endpoints whose name contains one of these (comma-separated). */
  only: process.env['BENCH_ONLY']?.split(',').filter(Boolean),
  /** Which API configurations to measure: answers reused (the default) and/or computed. */
  modes: (process.env['BENCH_MODES'] ?? 'reused,computed').split(',') as Mode[],
};
type Mode = 'reused' | 'computed';
const TARGET_MS = 50;
const STORY_MS = 500;
const MARGIN_S = 900;
const SECRET = 'bench-secret-that-is-long-enough';
const PREFIX = '/v1/internal/analytics';
const DAY_MS = 86_400_000;
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const todayMs = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const fromMs = todayMs - cfg.days * DAY_MS;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const windowQuery = `from=${utcDay(fromMs)}&to=${utcDay(todayMs - DAY_MS)}`;
const lastDayQuery = `from=${utcDay(todayMs - DAY_MS)}&to=${utcDay(todayMs - DAY_MS)}`;
const windowDays = Array.from({ length: cfg.days }, (_, i) => utcDay(fromMs + i * DAY_MS));
const s1 = (x: number) => x.toFixed(1);

// --- cleanup, also on Ctrl-C ------------------------------------------------------------------
const children = new Set<ChildProcess>();
let db: TestDatabase | undefined;
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children].map((c) => stopChild(c)));
    if (db && cfg.keepDb) {
      await db.sql.end({ timeout: 5 });
      console.log(`kept database ${db.name} (BENCH_KEEP_DB): drop it when done`);
    } else {
      await db?.drop().catch((e: unknown) => console.error(`could not drop ${db?.name}: ${e}`));
    }
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

function run(args: string[], env: NodeJS.ProcessEnv, stderr: 'inherit' | 'pipe' = 'inherit') {
  const c = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', stderr] });
  children.add(c);
  c.once('exit', () => children.delete(c));
  return c;
}

// --- main -------------------------------------------------------------------------------------
async function main(): Promise<void> {
  db = cfg.reuseDb ? existingDatabase(cfg.reuseDb) : await createTestDatabase('anlyt_bench');
  const sql = db.sql;
  const [pg] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, PostgreSQL ${pg!.v}`;
  console.log(`machine: ${machine}`);
  console.log(
    `data set: ${cfg.days} days ${utcDay(fromMs)} .. ${utcDay(todayMs - DAY_MS)}, ${cfg.accounts} accounts, ${cfg.operators} operators (database ${db.name})`,
  );

  // 1. aggregates + the real rollup (unless an earlier run's database is reused)
  const t = performance.now();
  if (!cfg.reuseDb) await loadDataSet(sql, db.url);
  const loadSeconds = (performance.now() - t) / 1000;
  const counts = await tableCounts(sql);
  const expect = await expectations(sql);
  const current = await currentDays(sql, windowDays, MARGIN_S);
  console.log(`aggregates loaded in ${s1(loadSeconds)} s (incl. rollup and VACUUM ANALYZE):`);
  for (const [k, v] of Object.entries(counts))
    console.log(`  ${k.padEnd(28)} ${String(v).padStart(9)}`);
  console.log(
    `  ${expect.platform.totalMessages} messages, cost ${expect.platform.totalCost}, ${expect.activeAccounts} active accounts; days served from metrics_daily: ${current}/${cfg.days}`,
  );

  // 2. the API, once per mode
  const admin = await mint('admin', 'admin-dashboard');
  const portal = await mint('portal', 'customer-portal');
  const operators = Array.from({ length: cfg.operators }, (_, i) => operatorId(i + 1));
  const accounts = (
    await sql<{ id: string }[]>`
      select distinct scope_id as id from anlyt.metrics_daily where scope = 'ACCOUNT' order by 1`
  ).map((r) => r.id);
  const specs: Spec[] = [
    // Ceilings: the same HTTP stack and load without analytics work.
    {
      name: 'ceiling: /healthz (no DB)',
      template: '/healthz',
      query: '',
      token: admin,
      check: (b) => checkFields(b, [['status', at(b, 'status'), 'ok']]),
    },
    {
      name: 'ceiling: /readyz (select 1)',
      template: '/readyz',
      query: '',
      token: admin,
      check: (b) => checkFields(b, [['status', at(b, 'status'), 'ready']]),
    },
    {
      name: 'summary',
      template: `${PREFIX}/summary`,
      query: windowQuery,
      token: admin,
      check: (b) =>
        checkFields(b, [
          ['totalMessages', at(b, 'totalMessages'), Number(expect.platform.totalMessages)],
          ['totalCost', at(b, 'totalCost'), expect.platform.totalCost],
          ['deliveredMessages', at(b, 'deliveredMessages'), Number(expect.platform.delivered)],
          ['failedMessages', at(b, 'failedMessages'), Number(expect.platform.failed)],
          ['activeAccounts', at(b, 'activeAccounts'), expect.activeAccounts],
        ]),
    },
    {
      name: 'operator performance (daily)',
      template: `${PREFIX}/operators/{id}/performance`,
      query: `${windowQuery}&granularity=daily`,
      token: admin,
      ids: operators,
      check: (b) =>
        checkFields(b, [
          ['totalMessages', at(b, 'totalMessages'), Number(expect.operator.totalMessages)],
          ['totalCost', at(b, 'totalCost'), expect.operator.totalCost],
          ['deliveredMessages', at(b, 'deliveredMessages'), Number(expect.operator.delivered)],
          ['series days', lengthOf(b, 'series'), expect.operator.days],
        ]),
    },
    {
      name: 'account usage',
      template: `${PREFIX}/accounts/{id}/usage`,
      query: windowQuery,
      token: portal,
      ids: accounts,
      accountHeader: true,
      check: (b) =>
        checkFields(b, [
          ['messagesSent', at(b, 'messagesSent'), Number(expect.account.totalMessages)],
          ['totalCost', at(b, 'totalCost'), expect.account.totalCost],
          ['messagesDelivered', at(b, 'messagesDelivered'), Number(expect.account.delivered)],
          ['daily days', lengthOf(b, 'daily'), expect.account.days],
        ]),
    },
    {
      name: 'throughput 1h',
      template: `${PREFIX}/throughput`,
      query: `${windowQuery}&resolution=1h`,
      token: admin,
      check: (b) =>
        checkFields(b, [
          ['points', lengthOf(b, 'points'), expect.hours],
          [
            'sum billedMessages',
            sumOf(b, 'points', 'billedMessages'),
            Number(expect.platform.billed),
          ],
        ]),
    },
    {
      name: 'throughput 1m (last day)',
      template: `${PREFIX}/throughput`,
      query: `${lastDayQuery}&resolution=1m`,
      token: admin,
      check: (b) =>
        checkFields(b, [
          ['points', lengthOf(b, 'points'), expect.lastDay.minutes],
          ['sum billedMessages', sumOf(b, 'points', 'billedMessages'), expect.lastDay.billed],
        ]),
    },
    {
      name: 'delivery-breakdown',
      template: `${PREFIX}/delivery-breakdown`,
      query: windowQuery,
      token: admin,
      check: (b) =>
        checkFields(b, [
          ['byStatus.DELIVERED', at(b, 'byStatus.DELIVERED'), Number(expect.platform.delivered)],
          ['byStatus.UNKNOWN', at(b, 'byStatus.UNKNOWN'), Number(expect.platform.unknown)],
          ['byOperator rows', lengthOf(b, 'byOperator'), cfg.operators],
        ]),
    },
  ];

  const results: Row[] = [];
  for (const [i, mode] of cfg.modes.entries()) {
    const api = await startApi(db.url, mode);
    console.log(`anlyt-api (dist/main.js) on ${api.base}, answers ${mode}`);
    const openapi = (await (await fetch(`${api.base}/openapi.json`)).json()) as {
      paths?: Record<string, unknown>;
    };
    const routes = new Set(Object.keys(openapi.paths ?? {}).map(normalise));
    const wanted = specs.filter(
      (x) =>
        (x.name.startsWith('ceiling') ? i === 0 : true) &&
        (!cfg.only || cfg.only.some((o) => x.name.includes(o))),
    );
    for (const spec of wanted) results.push(await measure(api.base, spec, mode, routes));
    await stopChild(api.child);
  }

  // 3. baseline over raw events (BENCH_RAW_SECONDS=0 skips it)
  const base = cfg.rawSeconds > 0 ? await baseline(sql) : null;

  // 4. the table
  const W = 40;
  const label = (r: Row) =>
    r.spec.name.startsWith('ceiling') ? r.spec.name : `${r.spec.name} [${r.mode}]`;
  const pad = (s: string, n: number) => s.padStart(n);
  console.log(
    `\nmachine: ${machine}\naggregates: ${cfg.days} days, ${cfg.accounts} accounts, ${cfg.operators} operators, ${expect.platform.totalMessages} messages; ${Object.entries(
      counts,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `load: ${cfg.connections} clients, ${cfg.durationS} s per endpoint after ${cfg.warmupS} s warm-up; window ${windowQuery} (throughput 1m: the last day)\n`,
  );
  console.log(
    `${'endpoint [answers]'.padEnd(W)}${pad('2xx', 7)}${pad('req/s', 8)}${pad('P50 ms', 9)}${pad('P95 ms', 9)}${pad('P99 ms', 9)}${pad('P95 min–max', 15)}${pad('1-client', 10)}${pad('non-2xx', 9)}  P95≤${TARGET_MS}  P95≤${STORY_MS}  check`,
  );
  for (const r of results) {
    if (!r.available) {
      console.log(`${label(r).padEnd(W)}  not available (route not built)`);
      continue;
    }
    const m = r.m;
    console.log(
      `${label(r).padEnd(W)}${pad(String(m.ok), 7)}${pad(s1(m.rate), 8)}${pad(s1(m.p50), 9)}${pad(s1(m.p95), 9)}${pad(s1(m.p99), 9)}${pad(`${s1(Math.min(...(m.p95s ?? [m.p95])))}–${s1(Math.max(...(m.p95s ?? [m.p95])))}`, 15)}${pad(s1(r.seq), 10)}${pad(String(m.bad), 9)}  ${(m.p95 <= TARGET_MS ? 'yes' : 'NO').padEnd(7)}  ${(m.p95 <= STORY_MS ? 'yes' : 'NO').padEnd(8)}  ${r.check}`,
    );
  }
  if (base) {
    const { raw, baseMs } = base;
    const rawTotal = raw.billedRows + raw.dlrRows;
    console.log(
      `\nbaseline (ad-hoc SQL over ${rawTotal} raw events: ${raw.billedRows} billed + ${raw.dlrRows} DLR, ${(raw.bytes / 2 ** 30).toFixed(2)} GiB): median ${s1(baseMs)} ms of ${cfg.baselineRuns} runs, one query at a time`,
    );
    for (const summary of results.filter((r) => r.spec.name === 'summary')) {
      if (!summary.available) continue;
      console.log(
        `API summary [${summary.mode}]: 1 client median ${s1(summary.seq)} ms (speed-up ×${(baseMs / summary.seq).toFixed(1)}); ${cfg.connections} clients P50 ${s1(summary.m.p50)} ms (×${(baseMs / summary.m.p50).toFixed(1)}), P95 ${s1(summary.m.p95)} ms (×${(baseMs / summary.m.p95).toFixed(1)})`,
      );
    }
    const full = Number(expect.platform.billed) + Number(expect.platform.latencyCount);
    console.log(
      `the aggregates stand for ${full} events (${(full / rawTotal).toFixed(1)}× the raw set): at that size the ad-hoc scan would take ~${((baseMs * full) / rawTotal / 1000).toFixed(0)} s if it grew linearly`,
    );
  }
  const failed = results.some((r) => r.available && (r.check !== 'ok' || r.m.bad > 0));
  process.exitCode = failed ? 1 : 0;
}

/** The ad-hoc SQL this API replaces: the summary's totals over raw event rows. */
async function baseline(sql: TestDatabase['sql']) {
  console.log(`baseline: loading raw events for ${cfg.rawSeconds} s …`);
  const raw = await loadRaw(sql, {
    fromMs,
    days: cfg.days,
    accounts: cfg.accounts,
    operators: cfg.operators,
    budgetSeconds: cfg.rawSeconds,
  });
  console.log(
    `  ${raw.billedRows} billed + ${raw.dlrRows} DLR rows, ${(raw.bytes / 2 ** 30).toFixed(2)} GiB, in ${s1(raw.seconds)} s (incl. VACUUM ANALYZE)`,
  );
  const baseTimes: number[] = [];
  for (let i = 0; i < cfg.baselineRuns; i++) {
    const t = performance.now();
    const r = await adHocSummary(sql, fromMs, todayMs);
    baseTimes.push(performance.now() - t);
    if (i === 0) console.log(`  ad-hoc summary: ${JSON.stringify(r)}`);
  }
  const baseMs = median(baseTimes);
  console.log(`  runs: ${baseTimes.map((x) => `${(x / 1000).toFixed(2)} s`).join(', ')}`);
  return { raw, baseMs };
}

// --- the data set -----------------------------------------------------------------------------

async function loadDataSet(sql: TestDatabase['sql'], url: string): Promise<void> {
  await loadAggregates(
    sql,
    {
      endMs: todayMs,
      days: cfg.days,
      accounts: cfg.accounts,
      operators: cfg.operators,
      seed: cfg.seed,
    },
    (s) =>
      console.log(
        `  ${s.name.padEnd(26)} ${(s.rows === null ? '' : `${s.rows} rows`).padStart(14)}  ${s1(s.seconds)} s`,
      ),
  );
  await writeWatermarks(sql, todayMs);
  const tRollup = performance.now();
  const rollup = run([here('../../anlyt-rollup/dist/main.js')], {
    ...process.env,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    ROLLUP_CHANGE_MARGIN_S: String(MARGIN_S),
  });
  const [rollupCode] = (await once(rollup, 'exit')) as [number | null];
  if (rollupCode !== 0) throw new Error(`anlyt-rollup exited with ${rollupCode}`);
  console.log(
    `  ${'anlyt-rollup (90 days)'.padEnd(26)} ${' '.repeat(14)}  ${s1((performance.now() - tRollup) / 1000)} s`,
  );
  await sql.unsafe(
    `vacuum analyze anlyt.metrics_hourly, anlyt.metrics_daily, anlyt.operator_performance,
       anlyt.operator_performance_daily, anlyt.tps_seconds, anlyt.rollup_days, anlyt.watermarks`,
  );
}

/** A database an earlier run kept (BENCH_KEEP_DB=1); never dropped. */
function existingDatabase(name: string): TestDatabase {
  const u = new URL(TEST_PG_ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    name,
    url,
    sql: createSql(url, { max: 4, applicationName: 'anlyt-bench' }),
    drop: async () => {},
  };
}

/** Sanity check, 1-client median, warm-up, then the measured load of one endpoint. */
async function measure(base: string, spec: Spec, mode: Mode, routes: Set<string>): Promise<Row> {
  const probe = await get(base, spec, spec.ids?.[0]);
  const listed = routes.has(normalise(spec.template));
  if (probe.status === 404 && (!listed || isNoSuchRoute(probe.body))) {
    console.log(`${spec.name}: not available (no route ${spec.template})`);
    return { spec, mode, available: false };
  }
  const check =
    probe.status >= 200 && probe.status < 300
      ? (spec.check(probe.body) ?? 'ok')
      : `HTTP ${probe.status}: ${JSON.stringify(probe.body).slice(0, 200)}`;
  console.log(`${spec.name} (${mode}): sanity check ${check}`);
  const seq = await sequential(base, spec, cfg.sequential);
  const warm = await load(base, spec, { duration: cfg.warmupS });
  await drain(db!.sql, db!.name);
  // A slow endpoint gives too few answers in the set time: then run to a number of answers.
  const enough = (warm.ok / warm.seconds) * cfg.durationS >= cfg.minResponses;
  // BENCH_ROUNDS measured phases back to back; the table shows the median of each figure
  // (the machine is shared: one round can land on a noisy moment).
  const rounds: Measured[] = [];
  for (let i = 0; i < cfg.rounds; i++) {
    const r = await load(
      base,
      spec,
      enough ? { duration: cfg.durationS } : { amount: cfg.minResponses },
    );
    await drain(db!.sql, db!.name);
    console.log(
      `  ${r.ok} × 2xx in ${s1(r.seconds)} s${enough ? '' : ` (run to ${cfg.minResponses} answers)`}, P50 ${s1(r.p50)} P95 ${s1(r.p95)} P99 ${s1(r.p99)} ms${r.bad ? `; NON-2XX/ERRORS ${r.bad}: ${r.codes}` : ''}`,
    );
    rounds.push(r);
  }
  const m = medianRound(rounds);
  console.log(
    `  1 client median ${s1(seq)} ms; P95 of the rounds: ${rounds.map((r) => s1(r.p95)).join(', ')} ms`,
  );
  return { spec, mode, available: true, check, seq, m };
}

// --- the API process --------------------------------------------------------------------------

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Starts the real API (dist/main.js) on a free port and waits for /readyz. */
async function startApi(url: string, mode: Mode) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    ANLYT_AUTH_JWT_SECRET: SECRET,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    LOG_LEVEL: 'warn',
    ROLLUP_CHANGE_MARGIN_S: String(MARGIN_S),
    ...(mode === 'computed' ? { ANLYT_API_ANSWER_CACHE_MB: '0' } : {}),
  };
  delete env['ANLYT_AUTH_JWKS_URL'];
  delete env['ANLYT_CONFIG_FILE'];
  const child = run([here('../dist/main.js')], env, 'pipe');
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, base };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`anlyt-api (dist/main.js) did not become ready:\n${stderr.slice(0, 2000)}`);
}

async function mint(role: string, sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + 4 * 3600)
    .sign(new TextEncoder().encode(SECRET));
}

// --- requests ---------------------------------------------------------------------------------

interface Spec {
  name: string;
  /** The path, OpenAPI style ({id}). */
  template: string;
  query: string;
  token: string;
  /** Drawn at random per request for {id}. */
  ids?: readonly string[];
  /** Portal callers name their account in X-Account-Id. */
  accountHeader?: boolean;
  /** null when the answer is plausible, else what is wrong. */
  check: (body: unknown) => string | null;
}

interface Measured {
  /** Answers per second (for a median of rounds: the median of the rounds' rates). */
  rate: number;
  /** P95 of each round, when this is a median of rounds. */
  p95s?: number[];
  ok: number;
  bad: number;
  codes: string;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
}

type Row = { spec: Spec; mode: Mode } & (
  { available: false } | { available: true; check: string; seq: number; m: Measured }
);

function request(spec: Spec, id: string | undefined) {
  const path =
    spec.template.replace('{id}', encodeURIComponent(id ?? '')) +
    (spec.query ? `?${spec.query}` : '');
  const headers: Record<string, string> = { authorization: `Bearer ${spec.token}` };
  if (spec.accountHeader && id) headers['x-account-id'] = id;
  return { path, headers };
}

const pick = (ids: readonly string[] | undefined) =>
  ids ? ids[Math.floor(Math.random() * ids.length)] : undefined;

async function get(base: string, spec: Spec, id: string | undefined) {
  const { path, headers } = request(spec, id);
  const res = await fetch(base + path, { headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/** Median latency of `n` requests one after another (no contention). */
async function sequential(base: string, spec: Spec, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await get(base, spec, pick(spec.ids));
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** `BENCH_CONNECTIONS` clients for a time or a number of answers; percentiles over the 2xx. */
async function load(
  base: string,
  spec: Spec,
  until: { duration: number } | { amount: number },
): Promise<Measured> {
  const latencies: number[] = [];
  const codes = new Map<number, number>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon(
      {
        url: base,
        connections: cfg.connections,
        ...until,
        timeout: 120,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({ ...req, ...request(spec, pick(spec.ids)) }),
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    inst.on('response', (_client, status, _bytes, ms) => {
      codes.set(status, (codes.get(status) ?? 0) + 1);
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    latencies.length === 0 ? NaN : latencies[Math.ceil(p * latencies.length) - 1]!;
  return {
    ok: latencies.length,
    bad: result.non2xx + result.errors,
    codes: [
      ...[...codes].filter(([c]) => c < 200 || c >= 300).map(([c, n]) => `${c}×${n}`),
      ...(result.errors ? [`errors×${result.errors} (timeouts ${result.timeouts})`] : []),
    ].join(', '),
    seconds: result.duration,
    rate: latencies.length / result.duration,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
  };
}

/** Waits until the API has no query running (autocannon abandons in-flight requests). */
async function drain(sql: TestDatabase['sql'], dbName: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const [r] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where datname = ${dbName} and application_name = 'anlyt-api' and state = 'active'`;
    if (r!.n === 0) return;
    await new Promise((res) => setTimeout(res, 200));
  }
}

const normalise = (p: string) => p.replace(/\{[^}]*\}/g, '{}').replace(/:[^/]+/g, '{}');
const isNoSuchRoute = (b: unknown) =>
  typeof b === 'object' && b !== null && (b as { detail?: unknown }).detail === 'no such route';

/** The median of each figure over the rounds; counts are summed. */
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
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// --- sanity checks against the hourly rows (an independent path) ------------------------------

interface Totals {
  billed: string;
  totalMessages: string;
  totalCost: string;
  delivered: string;
  failed: string;
  unknown: string;
  latencyCount: string;
  days: number;
}

async function expectations(sql: TestDatabase['sql']) {
  const from = new Date(fromMs).toISOString();
  const to = new Date(todayMs).toISOString();
  const totals = async (scope: string, id: string) =>
    (
      await sql<Totals[]>`
        select sum(billed_count)::text as billed,
               sum(billed_count - refunded_count)::text as "totalMessages",
               sum(total_cost)::numeric(38, 6)::text as "totalCost",
               sum(delivered_messages)::text as delivered, sum(failed_messages)::text as failed,
               sum(status_unknown)::text as unknown, sum(latency_count)::text as "latencyCount",
               count(distinct (hour at time zone 'UTC')::date)::int as days
        from anlyt.metrics_hourly
        where scope = ${scope} and scope_id = ${id}
          and hour >= ${from}::timestamptz and hour < ${to}::timestamptz`
    )[0]!;
  const [a] = await sql<{ n: number; hours: number }[]>`
    select count(distinct scope_id) filter (where scope = 'ACCOUNT' and billed_count > 0)::int as n,
           count(*) filter (where scope = 'PLATFORM' and billed_count > 0)::int as hours
    from anlyt.metrics_hourly where hour >= ${from}::timestamptz and hour < ${to}::timestamptz`;
  const [last] = await sql<{ minutes: number; billed: number }[]>`
    select count(distinct date_trunc('minute', second))::int as minutes,
           coalesce(sum(billed_count), 0)::int as billed
    from anlyt.tps_seconds
    where scope = 'PLATFORM' and scope_id = '*'
      and second >= ${new Date(todayMs - DAY_MS).toISOString()}::timestamptz
      and second < ${to}::timestamptz`;
  return {
    platform: await totals('PLATFORM', '*'),
    operator: await totals('OPERATOR', operatorId(1)),
    account: await totals('ACCOUNT', accountId(1)),
    activeAccounts: a!.n,
    hours: a!.hours,
    lastDay: last!,
  };
}

/** null when every field has its expected value, else the differences. */
function checkFields(b: unknown, fields: [string, unknown, unknown][]): string | null {
  const wrong = fields.filter(([, got, want]) => got !== want);
  return wrong.length === 0
    ? null
    : `MISMATCH ${wrong.map(([k, got, want]) => `${k}=${JSON.stringify(got)} (want ${JSON.stringify(want)})`).join(', ')}`;
}

function at(b: unknown, path: string): unknown {
  let x = b;
  for (const k of path.split('.')) {
    x = typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[k] : undefined;
  }
  return x;
}

function lengthOf(b: unknown, path: string): number | undefined {
  const x = at(b, path);
  return Array.isArray(x) ? x.length : undefined;
}

function sumOf(b: unknown, path: string, field: string): number | undefined {
  const x = at(b, path);
  return Array.isArray(x) ? x.reduce((s: number, p) => s + Number(at(p, field)), 0) : undefined;
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
