/**
 * US-ANLYT-03: the hourly → daily rollup against the real PostgreSQL. Daily rows must equal
 * the sums of their hourly rows exactly (an independent oracle in hourly-data.ts), whatever
 * the data, however often and however interrupted the rollup runs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SKETCH_RELATIVE_ACCURACY,
  sketchAdd,
  sketchFromJson,
  sketchQuantile,
  sketchToJson,
  type Sketch,
} from '@anlyt/domain';
import { upsertBillingBuckets } from '@anlyt/pg';
import { createTestDatabase, type TestDatabase } from '@anlyt/testing';
import { pgRollupStore } from '../src/adapters/pg-rollup-store.js';
import type { CliArgs } from '../src/cli.js';
import {
  RollUpHourlyToDailyUseCase,
  type DayReport,
} from '../src/use-cases/roll-up-hourly-to-daily.use-case.js';
import {
  hourRows,
  insertHourly,
  oracleDaily,
  oracleOperatorDaily,
  readDaily,
  readOperatorDaily,
  type HourRow,
} from './hourly-data.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const CHANGED: CliArgs = { selection: { kind: 'changed' }, dryRun: false };

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.sql`truncate anlyt.metrics_hourly, anlyt.operator_performance, anlyt.metrics_daily,
    anlyt.operator_performance_daily, anlyt.rollup_days, anlyt.rollup_runs, anlyt.account_active_days`;
});

function rollup(margin = 0) {
  const reports: DayReport[] = [];
  const uc = new RollUpHourlyToDailyUseCase({
    store: pgRollupStore(db.sql),
    newRunId: () => crypto.randomUUID(),
    now: () => performance.now(),
    marginSeconds: margin,
    abandonAfterSeconds: 3600,
    onDay: (r) => reports.push(r),
  });
  return { run: (args: CliArgs = CHANGED) => uc.execute(args), reports };
}

const row = (o: Partial<HourRow> & Pick<HourRow, 'scope' | 'scopeId' | 'hour'>): HourRow => ({
  billed: 0,
  refunded: 0,
  costMicros: 0n,
  segments: 0,
  status: [0, 0, 0, 0, 0, 0],
  latencySum: 0,
  latencyCount: 0,
  sketch: {},
  peakTps: 0,
  errorCodes: {},
  ...o,
});

describe('rollup', () => {
  it('daily sums equal the sums of hourly buckets exactly, for every scope and measure (property)', async () => {
    await fc.assert(
      fc.asyncProperty(hourRows, async (rows) => {
        await db.sql`truncate anlyt.metrics_hourly, anlyt.operator_performance, anlyt.metrics_daily,
          anlyt.operator_performance_daily, anlyt.rollup_days`;
        await insertHourly(db.sql, rows);
        expect((await rollup().run()).outcome).toBe('SUCCEEDED');
        expect(await readDaily(db.sql)).toEqual(oracleDaily(rows));
        expect(await readOperatorDaily(db.sql)).toEqual(oracleOperatorDaily(rows));
      }),
      { numRuns: 25 },
    );
  });

  it('hand-picked: UTC day boundaries, money that floats get wrong, refunds, peaks', async () => {
    await insertHourly(db.sql, [
      row({
        scope: 'PLATFORM',
        scopeId: '*',
        hour: '2026-11-27T00:00:00.000Z',
        billed: 2,
        costMicros: 100_000n,
        peakTps: 7,
      }),
      row({
        scope: 'PLATFORM',
        scopeId: '*',
        hour: '2026-11-27T23:00:00.000Z',
        billed: 1,
        refunded: 1,
        costMicros: 200_000n,
        peakTps: 9,
      }),
      row({
        scope: 'PLATFORM',
        scopeId: '*',
        hour: '2026-11-28T00:00:00.000Z',
        billed: 5,
        costMicros: 1n,
        peakTps: 3,
      }),
    ]);
    await rollup().run();
    const daily = await readDaily(db.sql);
    expect(daily.get('PLATFORM|*|2026-11-27')).toMatchObject({
      total_messages: '2',
      total_cost: '0.300000',
      peak_tps: '9',
    });
    expect(daily.get('PLATFORM|*|2026-11-28')).toMatchObject({
      total_messages: '5',
      total_cost: '0.000001',
      peak_tps: '3',
    });
  });

  it('running it twice gives identical rows', async () => {
    const rows = fc.sample(hourRows, { numRuns: 1, seed: 42 })[0]!;
    await insertHourly(db.sql, rows);
    const r = rollup();
    await r.run({
      selection: { kind: 'range', from: '2026-11-26', to: '2026-11-28' },
      dryRun: false,
    });
    const first = await readDaily(db.sql);
    await r.run({
      selection: { kind: 'range', from: '2026-11-26', to: '2026-11-28' },
      dryRun: false,
    });
    expect(await readDaily(db.sql)).toEqual(first);
    expect(await readOperatorDaily(db.sql)).toEqual(oracleOperatorDaily(rows));
  });

  it('concurrent runs for the same days give the same rows as one run', async () => {
    const rows = fc.sample(hourRows, { numRuns: 1, seed: 7 })[0]!;
    await insertHourly(db.sql, rows);
    const all: CliArgs = {
      selection: { kind: 'range', from: '2026-11-26', to: '2026-11-28' },
      dryRun: false,
    };
    const results = await Promise.all([rollup().run(all), rollup().run(all), rollup().run(all)]);
    expect(results.map((r) => r.outcome)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(await readDaily(db.sql)).toEqual(oracleDaily(rows));
  });

  it('a late event changes its hour; the next default run re-rolls that day and only that day', async () => {
    await insertHourly(db.sql, [
      row({
        scope: 'PLATFORM',
        scopeId: '*',
        hour: '2026-11-26T10:00:00.000Z',
        billed: 1,
        costMicros: 1_000_000n,
      }),
      row({
        scope: 'PLATFORM',
        scopeId: '*',
        hour: '2026-11-27T10:00:00.000Z',
        billed: 1,
        costMicros: 1_000_000n,
      }),
    ]);
    const r = rollup();
    expect((await r.run()).days).toEqual(['2026-11-26', '2026-11-27']);
    expect((await r.run()).days).toEqual([]); // nothing changed: nothing re-rolled
    // A late billed event for 27 Nov, applied the way the consumer applies it.
    await db.sql.begin((tx) =>
      upsertBillingBuckets(tx, {
        buckets: [
          {
            scope: 'PLATFORM',
            scopeId: '*',
            hourMs: Date.parse('2026-11-27T15:00:00Z'),
            billed: 1,
            refunded: 0,
            costMicros: 2_500_000n,
            segments: 1,
          },
        ],
        seconds: [],
        maxOccurredAtMs: null,
      }),
    );
    expect((await r.run()).days).toEqual(['2026-11-27']);
    expect((await readDaily(db.sql)).get('PLATFORM|*|2026-11-27')).toMatchObject({
      total_messages: '2',
      total_cost: '3.500000',
    });
  });

  it('a day P95 from merged hourly sketches is within the documented bound of the exact P95', async () => {
    const hours: HourRow[] = [];
    const all: number[] = [];
    for (let h = 0; h < 24; h++) {
      const s: Sketch = new Map();
      // Each hour its own shape: fast mornings, a slow tail in the evening.
      const lat = Array.from({ length: 200 }, (_, i) =>
        Math.round(
          100 + ((i * 7919 + h * 104729) % 3000) * (1 + (h > 18 ? 20 : 0) * (i % 10 === 0 ? 1 : 0)),
        ),
      );
      for (const l of lat) sketchAdd(s, l);
      all.push(...lat);
      hours.push(
        row({
          scope: 'PLATFORM',
          scopeId: '*',
          hour: `2026-11-27T${String(h).padStart(2, '0')}:00:00.000Z`,
          latencyCount: lat.length,
          sketch: sketchToJson(s),
        }),
      );
    }
    await insertHourly(db.sql, hours);
    await rollup().run();
    const day = (await readDaily(db.sql)).get('PLATFORM|*|2026-11-27')!;
    const p95 = sketchQuantile(
      sketchFromJson(day['latency_sketch'] as Record<string, number>),
      0.95,
    )!;
    const exact = [...all].sort((a, b) => a - b)[Math.floor(0.95 * (all.length - 1))]!;
    expect(Math.abs(p95 - exact)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * exact);
  });

  it('keeps the active days (billed > 0) of every account for exact activeAccounts, idempotently', async () => {
    await insertHourly(db.sql, [
      row({ scope: 'PLATFORM', scopeId: '*', hour: '2026-11-26T10:00:00.000Z', billed: 2 }),
      row({ scope: 'PLATFORM', scopeId: '*', hour: '2026-11-27T10:00:00.000Z', billed: 2 }),
      row({ scope: 'ACCOUNT', scopeId: 'acc_1', hour: '2026-11-26T10:00:00.000Z', billed: 1 }),
      row({ scope: 'ACCOUNT', scopeId: 'acc_1', hour: '2026-11-27T10:00:00.000Z', billed: 1 }),
      row({ scope: 'ACCOUNT', scopeId: 'acc_2', hour: '2026-11-26T10:00:00.000Z', refunded: 1 }), // a refund alone: not active
      row({ scope: 'ACCOUNT', scopeId: 'acc_3', hour: '2026-11-27T10:00:00.000Z', billed: 1 }),
    ]);
    const active = () =>
      db.sql`select account_id, days::text from anlyt.account_active_days order by account_id`;
    const expected = [
      { account_id: 'acc_1', days: '{[2026-11-26,2026-11-28)}' }, // adjacent days merge
      { account_id: 'acc_3', days: '{[2026-11-27,2026-11-28)}' },
    ];
    await rollup().run();
    expect(await active()).toEqual(expected);
    await rollup().run({
      selection: { kind: 'range', from: '2026-11-26', to: '2026-11-27' },
      dryRun: false,
    });
    expect(await active()).toEqual(expected);
  });

  it('--dry-run reports the days and writes no daily row', async () => {
    await insertHourly(db.sql, [
      row({ scope: 'PLATFORM', scopeId: '*', hour: '2026-11-27T10:00:00.000Z', billed: 1 }),
    ]);
    const r = rollup();
    const out = await r.run({ selection: { kind: 'changed' }, dryRun: true });
    expect(out.outcome).toBe('SUCCEEDED');
    expect(r.reports).toEqual([{ kind: 'dry-run', day: '2026-11-27', hourlyRows: 1 }]);
    expect((await readDaily(db.sql)).size).toBe(0);
    const runs = await db.sql`select outcome, dry_run from anlyt.rollup_runs`;
    expect(runs).toEqual([{ outcome: 'SUCCEEDED', dry_run: true }]);
  });
});

describe('rollup CLI', () => {
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exit = new Promise<{ code: number | null; signal: string | null }>((r) =>
      child.once('exit', (code, signal) => r({ code, signal })),
    );
    return { child, exit, out: () => out };
  };

  it('exits 2 on bad arguments and logs one line per day when it runs', async () => {
    expect(existsSync(MAIN), 'run pnpm build first').toBe(true);
    const bad = cli(['--date', '2026-02-30']);
    expect((await bad.exit).code).toBe(2);
    expect(bad.out()).toContain('usage: anlyt-rollup');
    await insertHourly(db.sql, [
      row({ scope: 'PLATFORM', scopeId: '*', hour: '2026-11-26T10:00:00.000Z', billed: 1 }),
      row({ scope: 'PLATFORM', scopeId: '*', hour: '2026-11-27T10:00:00.000Z', billed: 1 }),
    ]);
    const ok = cli(['--from', '2026-11-26', '--to', '2026-11-27']);
    expect((await ok.exit).code).toBe(0);
    const dayLines = ok
      .out()
      .split('\n')
      .filter((l) => l.includes('"day rolled up"'));
    expect(dayLines).toHaveLength(2);
    expect(JSON.parse(dayLines[0]!)).toMatchObject({
      day: '2026-11-26',
      metricsRows: 1,
      operatorRows: 0,
    });
    expect(JSON.parse(dayLines[0]!).durationMs).toBeTypeOf('number');
  });

  it('SIGKILLed half-way and re-run, every day is exact', async () => {
    // 120 days × 24 hours × 40 scopes: long enough to be killed in the middle.
    await db.sql`
      insert into anlyt.metrics_hourly (scope, scope_id, hour, billed_count, total_cost, status_delivered, latency_count, latency_sketch, peak_tps)
      select case when s = 0 then 'PLATFORM' else 'ACCOUNT' end, case when s = 0 then '*' else 'acc_' || s end,
             timestamptz '2026-08-01 00:00Z' + make_interval(hours => h), 1 + (h * 31 + s) % 97,
             ((h * 7 + s) % 1000)::numeric / 1000, (h + s) % 13, 1, '{"5": 1}', (h * s) % 50
      from generate_series(0, 120 * 24 - 1) h, generate_series(0, 39) s`;
    const killed = cli([]);
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
    killed.child.kill('SIGKILL');
    expect((await killed.exit).signal).toBe('SIGKILL');
    const partial = await db.sql`select count(*)::int as n from anlyt.rollup_days`;
    const rerun = cli([]);
    expect((await rerun.exit).code).toBe(0);
    // Exact: every daily row equals the hourly sums computed here by SQL over the same rows.
    const diff = await db.sql`
      with expected as (
        select scope, scope_id, (hour at time zone 'UTC')::date as day, sum(billed_count) b,
               sum(total_cost) c, sum(status_delivered) d, sum(latency_count) l, max(peak_tps) p
        from anlyt.metrics_hourly group by 1, 2, 3)
      select count(*)::int as n from expected e
      full join anlyt.metrics_daily m using (scope, scope_id, day)
      where m.billed_count is distinct from e.b or m.total_cost is distinct from e.c
         or m.status_delivered is distinct from e.d or m.latency_count is distinct from e.l
         or m.peak_tps is distinct from e.p or m.latency_sketch <> jsonb_build_object('5', e.l)`;
    expect(diff[0]!['n']).toBe(0);
    const days =
      await db.sql`select count(*)::int as n from anlyt.metrics_daily where scope = 'PLATFORM'`;
    expect(days[0]!['n']).toBe(120);
    expect(partial[0]!['n']).toBeLessThan(120); // the kill did land half-way
  }, 120_000);
});
