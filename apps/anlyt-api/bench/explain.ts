/**
 * `node --import tsx apps/anlyt-api/bench/explain.ts <database-url> [--summary] [--set k=v …]` — EXPLAIN
 * (ANALYZE, BUFFERS) of every query each benchmarked endpoint runs, over the bench's 90-day
 * window, on a database the bench left behind (BENCH_KEEP_DB=1). The queries are captured
 * from the @anlyt/pg read functions the routes call (the same text and parameters), then
 * explained one by one on a session like the API's (UTC, server defaults: JIT as configured).
 * --summary prints only each query's planning, JIT and execution times; --set k=v (repeatable)
 * sets a parameter on the explaining session first (e.g. --set jit=off, --set work_mem=64MB).
 */
import { planWindow } from '@anlyt/domain';
import {
  createSql,
  readActiveAccounts,
  readDeliveryBreakdown,
  readSeries,
  readThroughput,
  readWindowVersion,
  readWindowTotals,
  scopeHasData,
  type Sql,
} from '@anlyt/pg';

const url = process.argv[2] ?? process.env['DATABASE_URL'];
if (!url) {
  console.error('usage: explain.ts <database-url> [--summary]');
  process.exit(2);
}
const brief = process.argv.includes('--summary');
const settings = process.argv.flatMap((a, i) =>
  process.argv[i - 1] === '--set' ? [a.split('=') as [string, string]] : [],
);
const DAY_MS = 86_400_000;
const todayMs = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const window = { fromMs: todayMs - 90 * DAY_MS, toMs: todayMs };
const plan = planWindow(window);
const q = { ...plan, marginSeconds: 900 };

let captured: { text: string; params: unknown[] }[] = [];
const capture: Sql = createSql(url, { max: 1, applicationName: 'anlyt-explain' });
// postgres.js reads `debug` from its options object at every query: the hook sees the exact
// text and serialised parameters the read functions send.
(capture.options as { debug?: unknown }).debug = (_c: number, text: string, params: unknown[]) =>
  captured.push({ text, params });
const sql = createSql(url, { max: 1, applicationName: 'anlyt-explain' });

const endpoints: [string, () => Promise<unknown>][] = [
  [
    'summary',
    () =>
      Promise.all([
        readWindowTotals(capture, { ...q, scope: 'PLATFORM', scopeId: '*' }),
        readActiveAccounts(capture, q),
      ]),
  ],
  [
    'operator performance (daily)',
    () =>
      Promise.all([
        scopeHasData(capture, 'OPERATOR', 'mno-001'),
        readWindowTotals(capture, { ...q, scope: 'OPERATOR', scopeId: 'mno-001' }),
        readSeries(capture, {
          ...q,
          scope: 'OPERATOR',
          scopeId: 'mno-001',
          granularity: 'day',
          ...window,
        }),
      ]),
  ],
  [
    'account usage',
    () =>
      readSeries(capture, {
        ...q,
        scope: 'ACCOUNT',
        scopeId: 'acc_00042',
        granularity: 'day',
        latency: false, // as the route asks
        ...window,
      }),
  ],
  [
    'throughput 1h',
    () =>
      readThroughput(capture, { scope: 'PLATFORM', scopeId: '*', stepSeconds: 3600, ...window }),
  ],
  [
    'throughput 1m (last day)',
    () =>
      readThroughput(capture, {
        scope: 'PLATFORM',
        scopeId: '*',
        stepSeconds: 60,
        fromMs: todayMs - DAY_MS,
        toMs: todayMs,
      }),
  ],
  ['delivery-breakdown', () => readDeliveryBreakdown(capture, q)],
];

// Every answer, reused or computed, first reads its window's version and the watermarks
// (answer-cache.ts): the same query for every endpoint, explained once.
endpoints.unshift([
  'every request: version + watermarks',
  () => readWindowVersion(capture, window),
]);

try {
  const session = await sql.reserve();
  for (const [k, v] of settings) await session`select set_config(${k}, ${v}, false)`;
  for (const [name, call] of endpoints) {
    captured = [];
    await call();
    console.log(`\n=== ${name}: ${captured.length} queries`);
    for (const c of captured) {
      const rows = await session.unsafe<{ 'QUERY PLAN': string }[]>(
        `explain (analyze, buffers) ${c.text}`,
        c.params as never[],
      );
      const lines = rows.map((r) => r['QUERY PLAN']);
      const first = c.text.replace(/\s+/g, ' ').trim().slice(0, 100);
      if (brief) {
        const pick = (re: RegExp) => lines.find((l) => re.test(l))?.trim() ?? '';
        console.log(
          `--- ${first} …\n    ${pick(/^Planning Time/)}; ${pick(/Timing: Generation/) || 'no JIT'}; ${pick(/^Execution Time/)}`,
        );
      } else {
        console.log(`--- ${first} …\n${lines.join('\n')}`);
      }
    }
  }
  session.release();
} finally {
  await capture.end();
  await sql.end();
}
