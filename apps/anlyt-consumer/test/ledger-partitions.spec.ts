// The ledger partitioned by the day a row was written (migration 0013): a repeat is found in
// whichever partition holds it (another day's, the pre-migration one), a new id lands in
// today's partition, expired days are dropped whole, and the midnight guard's window is exactly
// what it says. In a database migrated today every earlier day is the legacy partition, so
// "another day" is a later one here: the lookup is the same, all partitions are probed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@anlyt/testing';
import {
  dropLedgerPartitionsBefore,
  ensureLedgerPartitions,
  recordInLedger,
  type LedgerEntry,
} from '@anlyt/pg';

let db: TestDatabase;
const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const entry = (n: number, hash = n): LedgerEntry => ({
  eventId: id(n),
  payloadHash: new Uint8Array(16).fill(hash % 256),
  seq: n,
});

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function writeOn(seenDay: string, e: LedgerEntry) {
  await db.sql`
    insert into anlyt.processed_events (event_id, seen_day, payload_hash, source, stream_seq)
    values (${e.eventId}, ${seenDay}, ${Buffer.from(e.payloadHash)}, 'billing', ${e.seq})`;
}

const partitionOf = async (eventId: string) => {
  const [r] = await db.sql<{ p: string }[]>`
    select tableoid::regclass::text as p from anlyt.processed_events where event_id = ${eventId}`;
  return r?.p;
};

describe('the partitioned ledger', () => {
  it('finds a repeat in an older partition and writes a new id into today’s', async () => {
    // Days before the migration are the legacy partition: nothing made for them.
    expect(await ensureLedgerPartitions(db.sql, day(-8), day(-1))).toBe(0);
    await ensureLedgerPartitions(db.sql, day(0), day(8));
    await writeOn(day(1), entry(1));
    await writeOn(day(7), entry(2));
    await writeOn('1970-01-01', entry(3)); // a row from before the migration (legacy partition)
    const out = await db.sql.begin((tx) =>
      recordInLedger(tx, 'billing', [entry(1), entry(2, 99), entry(3), entry(4)]),
    );
    expect([...out.fresh]).toEqual([id(4)]);
    expect([...out.existing.keys()].sort()).toEqual([id(1), id(2), id(3)]);
    // What each holds comes back as stored: the caller tells a redelivery from a conflict.
    expect(out.existing.get(id(2))!.payloadHash).toEqual(new Uint8Array(16).fill(2));
    expect(await partitionOf(id(4))).toBe(`anlyt.processed_events_${day(0).replaceAll('-', '')}`);
    expect(await partitionOf(id(3))).toBe('anlyt.processed_events_legacy');
    const [n] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from anlyt.processed_events where event_id = any(${[id(1), id(2), id(3), id(4)]}::uuid[])`;
    expect(n!.n).toBe(4); // nothing written twice
  });

  it('a second batch with the same ids is all repeats, whichever partition holds them', async () => {
    const again = await db.sql.begin((tx) =>
      recordInLedger(tx, 'billing', [entry(1), entry(2), entry(3), entry(4)]),
    );
    expect(again.fresh.size).toBe(0);
    expect(again.existing.size).toBe(4);
  });

  it('drops the days entirely before the cutoff, keeps the rest, and answers the same', async () => {
    await ensureLedgerPartitions(db.sql, day(0), day(12));
    for (let d = 8; d <= 12; d++) await writeOn(day(d), entry(100 + d));
    const answer = () => db.sql`
      select scope, scope_id, sum(billed_count)::text as n from anlyt.metrics_hourly
      group by 1, 2 order by 1, 2`;
    const before = await answer();
    const dropped = await dropLedgerPartitionsBefore(db.sql, day(10));
    // Day d's partition ends at d + 1, so days 0 … 9 end on or before the cutoff, and so does
    // the legacy partition (it ends on the migration day, today).
    expect(dropped.sort()).toEqual(
      [
        ...Array.from({ length: 10 }, (_, d) => `processed_events_${day(d).replaceAll('-', '')}`),
        'processed_events_legacy',
      ].sort(),
    );
    for (const n of [1, 2, 3, 4, 108, 109]) expect(await partitionOf(id(n))).toBeUndefined();
    for (const n of [110, 111, 112]) expect(await partitionOf(id(n))).toBeDefined();
    expect(await dropLedgerPartitionsBefore(db.sql, day(10))).toEqual([]);
    expect(await answer()).toEqual(before);
  });

  it('ensure is idempotent and counts only what it made', async () => {
    expect(await ensureLedgerPartitions(db.sql, day(11), day(12))).toBe(0);
    expect(await ensureLedgerPartitions(db.sql, day(13), day(14))).toBe(2);
  });

  it.each([
    ['2026-12-03T23:55:00.001Z', true],
    ['2026-12-03T23:54:59.999Z', false],
    ['2026-12-04T00:00:00.000Z', true],
    ['2026-12-04T00:04:59.999Z', true],
    ['2026-12-04T00:05:00.000Z', false],
    ['2026-12-04T12:00:00.000Z', false],
    ['2026-12-04T01:02:00+01:00', true], // 00:02 UTC
  ])('the midnight guard covers %s: %s', async (at, near) => {
    const [r] = await db.sql<
      { near: boolean }[]
    >`select anlyt.near_utc_midnight(${at}::timestamptz, 300) as near`;
    expect(r!.near).toBe(near);
  });
});
