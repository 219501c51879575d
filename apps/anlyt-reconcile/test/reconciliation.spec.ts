/**
 * US-ANLYT-09 against real Postgres: anlyt.metrics_daily in the test's anlyt database,
 * billing.daily_totals in a second database of its own (BILLING_DATABASE_URL). Expected rows
 * are worked out by hand: billing is 1000.000000 USD / 100 000 messages unless a case says
 * otherwise, so 0.01 % is 0.1 USD and 10 messages.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rollUpDay } from '@anlyt/pg';
import { parseCli } from '../src/cli.js';
import { startHarness, type Harness, type LogRow } from './harness.js';

type Expected = Omit<LogRow, 'run_id' | 'threshold'>;
const row = (
  day: string,
  status: string,
  a: [cost: string, msgs: string] | null,
  b: [cost: string, msgs: string] | null,
  div: [cost: string, msgs: string] | null,
): Expected => ({
  day,
  analytics_total_cost: a?.[0] ?? null,
  analytics_messages: a?.[1] ?? null,
  billing_total_cost: b?.[0] ?? null,
  billing_messages: b?.[1] ?? null,
  cost_divergence: div?.[0] ?? null,
  message_divergence: div?.[1] ?? null,
  status,
});
const B: [string, string] = ['1000.000000', '100000'];
const ZERO = '0.000000000000';

const EXPECTED: Expected[] = [
  row('2026-11-01', 'DIVERGED', ['1000.200000', '100000'], B, ['0.000200000000', ZERO]), // +0.02 %
  row('2026-11-02', 'OK', ['1000.050000', '100000'], B, ['0.000050000000', ZERO]), // +0.005 %
  row('2026-11-03', 'OK', ['1000.100000', '100000'], B, ['0.000100000000', ZERO]), // +0.01 % exactly
  row('2026-11-04', 'OK', ['999.900000', '100000'], B, ['0.000100000000', ZERO]), // −0.01 % exactly
  row('2026-11-05', 'DIVERGED', ['1000.100001', '100000'], B, ['0.000100001000', ZERO]), // +0.01 % + 1 µ
  row('2026-11-06', 'DIVERGED', ['1000.000000', '100011'], B, [ZERO, '0.000110000000']), // +11 msgs
  row('2026-11-07', 'OK', ['1000.000000', '100010'], B, [ZERO, '0.000100000000']), // +10 msgs exactly
  row('2026-11-08', 'MISSING_BILLING', ['1000.000000', '100000'], null, null),
  row('2026-11-09', 'MISSING_ANALYTICS', null, B, null),
  row('2026-11-10', 'DIVERGED', ['1000.000000', '100000'], B, [ZERO, ZERO]), // billing in EUR
  row('2026-11-11', 'MISSING_BILLING', null, null, null), // neither side
  // 0.000001 / 3 = 0.000000333333…: stored rounded up; the verdict is exact (OK)
  row('2026-11-12', 'OK', ['3.000001', '3'], ['3.000000', '3'], ['0.000000333334', ZERO]),
  row('2026-11-13', 'OK', ['0.000000', '0'], ['0.000000', '0'], [ZERO, ZERO]), // a quiet day
  row('2026-11-14', 'DIVERGED', ['0.500000', '1'], ['0.000000', '0'], null), // billing 0, we not
];

async function seedAllCases(h: Harness): Promise<void> {
  for (const d of ['01', '02', '03', '04', '05', '06', '07', '09'])
    await h.billingDay(`2026-11-${d}`, '1000', 100_000);
  await h.billingDay('2026-11-10', '1000.000000', 100_000, 'EUR');
  await h.billingDay('2026-11-12', '3', 3);
  await h.billingDay('2026-11-13', '0', 0);
  await h.billingDay('2026-11-14', '0', 0);

  await h.analyticsDay('2026-11-01', '1000.2', 100_000);
  await h.analyticsDay('2026-11-02', '1000.05', 100_020, 20); // total_messages = billed − refunded
  await h.analyticsDay('2026-11-03', '1000.1', 100_000);
  await h.analyticsDay('2026-11-04', '999.9', 100_000);
  await h.analyticsDay('2026-11-05', '1000.100001', 100_000);
  await h.analyticsDay('2026-11-06', '1000', 100_011);
  await h.analyticsDay('2026-11-07', '1000', 100_010);
  await h.analyticsDay('2026-11-08', '1000', 100_000);
  await h.analyticsDay('2026-11-10', '1000', 100_000);
  await h.analyticsDay('2026-11-12', '3.000001', 3);
  await h.analyticsDay('2026-11-13', '0', 0);
  await h.analyticsDay('2026-11-14', '0.5', 1);
}

describe('one run over every case', () => {
  let h: Harness;
  let rows: LogRow[];
  let runId: string;

  beforeAll(async () => {
    h = await startHarness();
    await seedAllCases(h);
    runId = (await h.reconciler.run(EXPECTED.map((e) => e.day))).runId;
    rows = await h.logRows();
  });
  afterAll(() => h?.close());

  it.each(EXPECTED.map((e) => [e.day, e.status, e] as const))('%s → %s', (day, _status, e) => {
    const r = rows.find((x) => x.day === day);
    expect(r).toEqual({ ...e, run_id: runId, threshold: '0.0001' });
  });

  it('writes one row per day, in order, under one run id', () => {
    expect(rows.map((r) => r.day)).toEqual(EXPECTED.map((e) => e.day));
    expect(new Set(rows.map((r) => r.run_id))).toEqual(new Set([runId]));
    expect(runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('logs one line per day with both totals, the divergences and the status', () => {
    const days = h.logs.filter((l) => typeof l['day'] === 'string');
    expect(days).toHaveLength(EXPECTED.length);
    expect(days.find((l) => l['day'] === '2026-11-01')).toMatchObject({
      level: 40, // warn: a finding, not an error
      runId,
      status: 'DIVERGED',
      analyticsTotalCost: '1000.200000',
      billingTotalCost: '1000.000000',
      costDivergence: '0.000200000000',
      analyticsMessages: '100000',
      billingMessages: '100000',
      messageDivergence: ZERO,
      billingCurrency: 'USD',
      threshold: '0.0001',
    });
    expect(days.find((l) => l['day'] === '2026-11-10')).toMatchObject({
      status: 'DIVERGED',
      billingCurrency: 'EUR',
      settlementCurrency: 'USD',
    });
    expect(days.find((l) => l['day'] === '2026-11-03')).toMatchObject({ level: 30, status: 'OK' });
    expect(h.logs.at(-1)).toMatchObject({
      msg: 'reconciliation completed',
      days: 14,
      byStatus: { OK: 6, DIVERGED: 5, MISSING_BILLING: 2, MISSING_ANALYTICS: 1 },
    });
  });
});

describe('runs and ranges', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('appends on every run: twice the rows, distinct run ids, earlier rows untouched', async () => {
    h = await startHarness();
    await h.analyticsDay('2026-11-27', '1000.2', 100_000);
    await h.billingDay('2026-11-27', '1000', 100_000);
    const first = await h.reconciler.run(['2026-11-27']);
    // billing corrects its day (e.g. a late refund); the re-run records the new verdict
    await h.billingDay('2026-11-27', '1000.2', 100_000);
    const second = await h.reconciler.run(['2026-11-27']);

    const rows = await h.logRows();
    expect(rows.map((r) => [r.run_id, r.status, r.billing_total_cost])).toEqual([
      [first.runId, 'DIVERGED', '1000.000000'],
      [second.runId, 'OK', '1000.200000'],
    ]);
    expect(first.runId).not.toBe(second.runId);

    // the runbook's "latest status per day" (what anlyt_reconciliation_diverged_dates counts)
    const latest = await h.db.sql<{ day: string; status: string }[]>`
      select distinct on (day) day::text, status
      from anlyt.reconciliation_log order by day, checked_at desc, id desc`;
    expect(latest).toEqual([{ day: '2026-11-27', status: 'OK' }]);
  });

  it('--from/--to covers every day, both ends included, across a month end', async () => {
    h = await startHarness();
    const parsed = parseCli(['--from', '2026-11-29', '--to', '2026-12-02'], Date.now());
    expect(parsed).toEqual({ days: ['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'] });
    if (!('days' in parsed)) throw new Error('unreachable');
    for (const d of parsed.days) {
      await h.analyticsDay(d, '12.5', 10);
      await h.billingDay(d, '12.5', 10);
    }
    await h.analyticsDay('2026-11-28', '1', 1); // outside the range: not reconciled
    await h.analyticsDay('2026-12-03', '1', 1);
    await h.reconciler.run(parsed.days);
    const rows = await h.logRows();
    expect(rows.map((r) => [r.day, r.status])).toEqual([
      ['2026-11-29', 'OK'],
      ['2026-11-30', 'OK'],
      ['2026-12-01', 'OK'],
      ['2026-12-02', 'OK'],
    ]);
  });

  it('honours RECONCILE_THRESHOLD and ANLYT_SETTLEMENT_CURRENCY', async () => {
    h = await startHarness({ RECONCILE_THRESHOLD: '0.001', ANLYT_SETTLEMENT_CURRENCY: 'EUR' });
    await h.analyticsDay('2026-11-27', '1000.5', 100_000); // +0.05 %: within 0.1 %
    await h.billingDay('2026-11-27', '1000', 100_000, 'EUR');
    await h.reconciler.run(['2026-11-27']);
    const [r] = await h.logRows();
    expect(r).toMatchObject({
      status: 'OK',
      threshold: '0.001',
      cost_divergence: '0.000500000000',
    });
  });

  it('records nothing when a side cannot be read, and throws', async () => {
    h = await startHarness();
    await h.billingDb.sql`drop table billing.daily_totals`;
    await h.analyticsDay('2026-11-27', '1', 1);
    await expect(h.reconciler.run(['2026-11-27'])).rejects.toThrow(/daily_totals/);
    expect(await h.logRows()).toEqual([]);
  });
});

describe('a day that changed after its roll (the API\'s "rollup is current" rule)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const DAY = '2026-11-27';
  // 400 + 600 on time; 0.5 billed at 23:59, folded only after the day was rolled.
  const ON_TIME = [
    { at: '2026-11-27T10:00:00.000Z', amount: '400' },
    { at: '2026-11-27T11:00:00.000Z', amount: '600' },
  ];
  const LATE = [{ at: '2026-11-27T23:59:00.000Z', amount: '0.5' }];

  it.each([
    ['0', 'the late event alone makes the day not current'],
    ['900', 'the default: within 15 minutes of its roll a day is not current anyway'],
  ])(
    'ROLLUP_CHANGE_MARGIN_S=%s: a late event is counted from the hourly rows → OK, not DIVERGED (%s)',
    async (margin) => {
      h = await startHarness({ ROLLUP_CHANGE_MARGIN_S: margin });
      await h.foldBilled(ON_TIME);
      await rollUpDay(h.db.sql, DAY, randomUUID());
      await h.foldBilled(LATE);
      await h.billingDay(DAY, '1000.5', 3); // billing has all three
      await h.reconciler.run([DAY]);
      const [r] = await h.logRows();
      expect(r).toMatchObject({
        day: DAY,
        status: 'OK',
        analytics_total_cost: '1000.500000',
        analytics_messages: '3',
        cost_divergence: ZERO,
        message_divergence: ZERO,
      });
      // The daily row itself is still the roll's (1000 / 2): what was read before this rule.
      const [daily] = await h.db.sql<{ total_cost: string }[]>`
        select total_cost::text from anlyt.metrics_daily where scope = 'PLATFORM' and day = ${DAY}`;
      expect(daily?.total_cost).toBe('1000.000000');
    },
  );

  it('a current daily row (no change since its roll) is what is read', async () => {
    h = await startHarness({ ROLLUP_CHANGE_MARGIN_S: '0' });
    await h.foldBilled([...ON_TIME, ...LATE]);
    await rollUpDay(h.db.sql, DAY, randomUUID());
    await h.billingDay(DAY, '1000.5', 3);
    // A test-only change to the daily row (the writers never do this) shows which row answered.
    await h.db.sql`
      update anlyt.metrics_daily set total_cost = total_cost + 1 where scope = 'PLATFORM' and day = ${DAY}`;
    await h.reconciler.run([DAY]);
    const [r] = await h.logRows();
    expect(r).toMatchObject({ status: 'DIVERGED', analytics_total_cost: '1001.500000' });
  });

  it('a day not rolled yet is reconciled from its hourly rows, refunds netted', async () => {
    h = await startHarness();
    await h.foldBilled([
      ...ON_TIME,
      { at: '2026-11-27T12:00:00.000Z', amount: '0.25', refund: true },
    ]);
    await h.billingDay(DAY, '999.75', 1);
    await h.reconciler.run([DAY, '2026-11-28']);
    const rows = await h.logRows();
    expect(
      rows.map((x) => [x.day, x.status, x.analytics_total_cost, x.analytics_messages]),
    ).toEqual([
      [DAY, 'OK', '999.750000', '1'],
      ['2026-11-28', 'MISSING_BILLING', null, null],
    ]);
  });
});
