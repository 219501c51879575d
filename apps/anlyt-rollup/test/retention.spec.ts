/**
 * Retention (issue 13, docs/retention.md) against the real PostgreSQL: partitions past their
 * table's retention are dropped, the ledger's expired rows deleted, and every answer over what
 * is kept stays exactly what it was. Events go in through the consumer's own write path (the
 * domain folds and the @anlyt/pg upserts, in one transaction per batch); answers are read with
 * the API's own queries. The clock is the use case's: "now" is set months ahead, so the
 * partitions made today are the old ones.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldBilling, foldDlr } from '@anlyt/domain';
import * as pg from '@anlyt/pg';
import { createTestDatabase, type TestDatabase } from '@anlyt/testing';
import { pgRetentionStore } from '../src/adapters/pg-rollup-store.js';
import {
  ApplyRetentionUseCase,
  type RetentionDays,
} from '../src/use-cases/apply-retention.use-case.js';

type BilledEvent = Parameters<typeof foldBilling>[0][number];
type DlrEvent = Parameters<typeof foldDlr>[0][number];

const DEFAULTS: RetentionDays = {
  ledger: 10,
  tpsSeconds: 14,
  hourly: 100,
  daily: 400,
  runLog: 90,
  reconciliationLog: 400,
};
const MARGIN_S = 0;
const ms = (iso: string) => Date.parse(iso);

/** Days with traffic: D1's hours expire at NOW1, D2 is kept whole; D1's daily rows expire at NOW2. */
const D1 = '2027-01-10';
const D2 = '2027-03-10';
const NOW1 = ms('2027-06-15T12:00:00Z'); // hourly cutoff 2027-03-01, seconds' 2027-06-01
const NOW2 = ms('2028-03-15T12:00:00Z'); // daily cutoff 2027-02-01

let db: TestDatabase;
let sql: pg.Sql;

function billed(at: string, accountId: string, operatorId: string, amount: string): BilledEvent {
  return {
    eventId: randomUUID(),
    occurredAtMs: ms(at),
    accountId,
    operatorId,
    status: 'BILLED',
    segments: 1,
    amount,
  };
}

function dlr(at: string, accountId: string, operatorId: string, delivered: boolean): DlrEvent {
  return {
    eventId: randomUUID(),
    occurredAtMs: ms(at),
    accountId,
    operatorId,
    deliveryStatus: delivered ? 'DELIVERED' : 'FAILED',
    errorCode: delivered ? null : '0x00000045',
    latencyMs: delivered ? 1200 : 5400,
  };
}

/** What the consumer does with a batch: fold, upsert, in one transaction. */
async function apply(b: BilledEvent[], d: DlrEvent[]) {
  await sql.begin(async (tx) => {
    const bd = foldBilling(b);
    await pg.upsertBillingBuckets(tx, bd);
    await pg.upsertTpsSeconds(tx, bd);
    const dd = foldDlr(d);
    await pg.upsertDlrBuckets(tx, dd);
    await pg.upsertOperatorPerformance(tx, dd);
  });
}

/** A day of traffic: three accounts, two operators, a few hours, BILLED and DLRs. */
function dayOfTraffic(day: string): { b: BilledEvent[]; d: DlrEvent[] } {
  const b: BilledEvent[] = [];
  const d: DlrEvent[] = [];
  for (const [h, n] of [
    [0, 3],
    [9, 7],
    [23, 4],
  ] as const)
    for (let i = 0; i < n; i++) {
      const at = `${day}T${String(h).padStart(2, '0')}:${String(i).padStart(2, '0')}:0${i % 3}.000Z`;
      const acc = `acc_${i % 3}`;
      const op = `mno-${i % 2}`;
      b.push(billed(at, acc, op, `0.0${i + 1}2500`));
      d.push(dlr(at, acc, op, i % 4 !== 0));
    }
  return { b, d };
}

/** Every answer the API gives over a day, read with its queries. */
async function answers(day: string) {
  const from = ms(`${day}T00:00:00Z`);
  const to = from + 86_400_000;
  const whole = { days: [day], hourRanges: [], marginSeconds: MARGIN_S };
  return {
    platform: await pg.readWindowTotals(sql, { scope: 'PLATFORM', scopeId: '*', ...whole }),
    operator: await pg.readWindowTotals(sql, { scope: 'OPERATOR', scopeId: 'mno-1', ...whole }),
    account: await pg.readWindowTotals(sql, { scope: 'ACCOUNT', scopeId: 'acc_2', ...whole }),
    active: await pg.readActiveAccounts(sql, whole),
    breakdown: await pg.readDeliveryBreakdown(sql, whole),
    daily: await pg.readSeries(sql, {
      scope: 'PLATFORM',
      scopeId: '*',
      ...whole,
      granularity: 'day',
      fromMs: from,
      toMs: to,
    }),
    hourly: await pg.readSeries(sql, {
      scope: 'PLATFORM',
      scopeId: '*',
      days: [],
      hourRanges: [{ fromMs: from, toMs: to }],
      marginSeconds: MARGIN_S,
      granularity: 'hour',
      fromMs: from,
      toMs: to,
    }),
    minutes: await pg.readThroughput(sql, {
      scope: 'PLATFORM',
      scopeId: '*',
      stepSeconds: 60,
      fromMs: from + 9 * 3_600_000,
      toMs: from + 10 * 3_600_000,
    }),
  };
}

/** The answers a day's daily rows give (everything but its hours and minutes). */
const wholeDay = (a: Awaited<ReturnType<typeof answers>>) => ({
  platform: a.platform,
  operator: a.operator,
  account: a.account,
  active: a.active,
  breakdown: a.breakdown,
  daily: a.daily,
});

const partitions = async (table: string) =>
  (await pg.listPartitions(sql, table)).map((p) => p.name);
const retention = (now: number) =>
  new ApplyRetentionUseCase(pgRetentionStore(sql, MARGIN_S), DEFAULTS, () => now);

beforeAll(async () => {
  db = await createTestDatabase('anlyt_retention');
  sql = db.sql;
  // The partitions the consumer would have made as those days came (it makes them ahead).
  for (const t of await pg.listPartitionedTables(sql))
    await pg.ensurePartitions(sql, t.name, `${D1}T00:00:00Z`, `${D2}T00:00:00Z`);
  for (const day of [D1, D2]) {
    const { b, d } = dayOfTraffic(day);
    await apply(b, d);
    await pg.rollUpDay(sql, day, randomUUID());
  }
});

afterAll(async () => {
  await db?.drop();
});

describe('retention', () => {
  it('drops the hourly months past HOURLY_RETENTION_DAYS and changes no answer over the kept days', async () => {
    const before = { d1: await answers(D1), d2: await answers(D2) };
    expect(Number(before.d1.platform.billedCount)).toBe(14); // the data is there to lose
    expect(before.d1.hourly.length).toBe(3);
    expect(before.d2.minutes.length).toBeGreaterThan(0);

    const r = await retention(NOW1).execute();

    expect(r.unrolledDays).toEqual([]);
    // Hourly months wholly before 2027-03-01 are gone, the legacy partitions included.
    for (const t of ['metrics_hourly', 'operator_performance', 'tps_minutes']) {
      expect(r.dropped).toEqual(
        expect.arrayContaining([`${t}_legacy`, `${t}_202701`, `${t}_202702`]),
      );
      const left = await partitions(t);
      expect(left).not.toContain(`${t}_202701`);
      expect(left).toContain(`${t}_202703`);
      expect(left).toContain(`${t}_202709`); // three months ahead of "now"
    }
    // Seconds: days before 2027-06-01 gone, from it kept.
    const seconds = await partitions('tps_seconds');
    expect(seconds.filter((p) => p !== 'tps_seconds_legacy' && p < 'tps_seconds_20270601')).toEqual(
      [],
    );
    expect(seconds).not.toContain('tps_seconds_legacy');
    expect(seconds).toContain('tps_seconds_20270614'); // made from the day before "now" on
    // Daily rows: nothing is 400 days old yet.
    expect(r.dropped.filter((p) => p.startsWith('metrics_daily'))).toEqual([]);
    const [rows] = await sql<{ n: number }[]>`
      select count(*)::int as n from anlyt.metrics_hourly where hour < '2027-03-01'`;
    expect(rows!.n).toBe(0);

    const after = { d1: await answers(D1), d2: await answers(D2) };
    // D2 is kept whole: every answer identical. D1's whole-day answers come from its daily
    // rows: identical too. Only what needs D1's hours (its hourly series, its minutes) is gone.
    expect(after.d2).toEqual(before.d2);
    expect(wholeDay(after.d1)).toEqual(wholeDay(before.d1));
    expect(after.d1.hourly).toEqual([]);
    expect(after.d1.minutes).toEqual([]);

    // Run again: nothing more to drop, nothing changes.
    const again = await retention(NOW1).execute();
    expect(again.dropped).toEqual([]);
    expect(again.partitionsMade).toBe(0);
    expect(await answers(D2)).toEqual(before.d2);
  });

  it('counts a late event older than the seconds it needs in its hour and minute, without failing', async () => {
    const before = await answers(D2);
    // D2's seconds are past TPS_SECONDS_RETENTION_DAYS: their partitions are gone.
    await apply([billed(`${D2}T09:30:01.000Z`, 'acc_1', 'mno-1', '1.000000')], []);
    const after = await answers(D2);
    const hour9 = (a: typeof before) => a.hourly.find((p) => p.at === `${D2}T09:00:00.000Z`)!;
    expect(Number(hour9(after).totalMessages)).toBe(Number(hour9(before).totalMessages) + 1);
    const minute = after.minutes.find((p) => p.at === `${D2}T09:30:00.000Z`);
    expect(minute?.billedMessages).toBe('1');
    // Put the day back as it was for the next test: roll it again.
    await pg.rollUpDay(sql, D2, randomUUID());
  });

  it('deletes the ledger rows older than LEDGER_RETENTION_DAYS and keeps the rest', async () => {
    const old = [randomUUID(), randomUUID(), randomUUID()];
    const kept = [randomUUID(), randomUUID()];
    const row = (id: string, at: number) => sql`
      insert into anlyt.processed_events (event_id, payload_hash, source, first_seen_at)
      values (${id}, '\\x00', 'billing', ${new Date(at).toISOString()})`;
    for (const id of old) await row(id, NOW1 - 11 * 86_400_000);
    for (const id of kept) await row(id, NOW1 - 9 * 86_400_000);

    const r = await retention(NOW1).execute();

    expect(r.ledgerRowsDeleted).toBe(3);
    const left = await sql<{ id: string }[]>`
      select event_id::text as id from anlyt.processed_events where event_id = any(${[...old, ...kept]}::uuid[])`;
    expect(left.map((x) => x.id).sort()).toEqual([...kept].sort());
  });

  it('drops the daily months past DAILY_RETENTION_DAYS; the next month still answers the same', async () => {
    const d2 = await answers(D2);
    expect(Number(d2.platform.billedCount)).toBeGreaterThan(0);

    const r = await retention(NOW2).execute();

    expect(r.dropped).toEqual(
      expect.arrayContaining([
        'metrics_daily_legacy',
        'metrics_daily_202701',
        'operator_performance_daily_202701',
      ]),
    );
    expect(await partitions('metrics_daily')).toContain('metrics_daily_202703');
    const d1 = await answers(D1);
    expect(d1.platform.rows).toBe(0);
    expect(d1.active).toBe(0);
    expect(wholeDay(await answers(D2))).toEqual(wholeDay(d2));
    // The bookkeeping of the dropped days went with them.
    const [days] = await sql<{ n: number }[]>`
      select count(*)::int as n from anlyt.rollup_days where day < '2027-02-01'`;
    expect(days!.n).toBe(0);
  });
});

describe('retention waits for the rollup', () => {
  it('keeps hourly partitions past their retention while a day in them is not rolled up', async () => {
    const own = await createTestDatabase('anlyt_retention_unrolled');
    const s = own.sql;
    try {
      for (const t of await pg.listPartitionedTables(s))
        await pg.ensurePartitions(s, t.name, `${D1}T00:00:00Z`, `${D1}T00:00:00Z`);
      const { b } = dayOfTraffic(D1);
      await s.begin(async (tx) => pg.upsertBillingBuckets(tx, foldBilling(b)));

      const r = await new ApplyRetentionUseCase(
        pgRetentionStore(s, MARGIN_S),
        DEFAULTS,
        () => NOW1,
      ).execute();

      expect(r.unrolledDays).toEqual([D1]);
      expect(r.dropped.filter((p) => p.startsWith('metrics_hourly'))).toEqual([]);
      const [n] = await s<{ n: number }[]>`
        select count(*)::int as n from anlyt.metrics_hourly where hour < '2027-03-01'`;
      expect(n!.n).toBeGreaterThan(0);
    } finally {
      await own.drop();
    }
  });
});
