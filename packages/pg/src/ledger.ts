import type { LedgerEntry, StoredCopy } from '@anlyt/domain';
import type { Sql, TxSql } from './client.js';

export type { LedgerEntry, StoredCopy };

export interface LedgerOutcome {
  /** Inserted now: first time seen. */
  fresh: Set<string>;
  /** Already in the ledger, with what it holds; these rows stay locked until commit. */
  existing: Map<string, StoredCopy>;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Records a batch of eventIds in the ledger in the caller's transaction. Entries must have
 * distinct, lower-case eventIds (the caller settles in-batch repeats); results come back
 * lower-case, as Postgres prints uuids. Deciding what a repeat means is the caller's job.
 *
 * The ledger is partitioned by the UTC day a row was written (migration 0013), and event_id is
 * unique per partition only, so:
 * 1. around a UTC midnight, batches serialise on an advisory lock (`midnightGuard`): two copies
 *    of one new event written by two replicas on either side of midnight would otherwise land
 *    in two partitions, neither seeing the other's uncommitted row;
 * 2. the ids already recorded, in any partition, are read and locked (FOR UPDATE, in id order:
 *    two replicas deciding about the same eventId decide one after the other);
 * 3. the rest go into today's partition with ON CONFLICT DO NOTHING: a concurrent replica that
 *    inserted one of them first makes ours wait for its commit and skip the row;
 * 4. those skipped rows are read and locked with a fresh snapshot, which sees that commit.
 * (Two replicas inserting the same two new ids in opposite orders can deadlock: rare — only
 * re-sends published close together — and a deadlock is a retried batch.)
 */
export async function recordInLedger(
  tx: TxSql,
  source: string,
  entries: readonly LedgerEntry[],
): Promise<LedgerOutcome> {
  const out: LedgerOutcome = { fresh: new Set(), existing: new Map() };
  if (entries.length === 0) return out;
  await midnightGuard(tx);
  const store = (rows: StoredRow[]) => {
    for (const r of rows)
      out.existing.set(r.event_id, {
        payloadHash: new Uint8Array(r.payload_hash),
        seq: r.stream_seq === null ? null : Number(r.stream_seq),
        source: r.source,
      });
  };
  store(
    await lockStored(
      tx,
      entries.map((e) => e.eventId),
    ),
  );
  const unseen = entries.filter((e) => !out.existing.has(e.eventId));
  if (unseen.length === 0) return out;
  for (const r of await insertNew(tx, source, unseen)) out.fresh.add(r.event_id);
  const raced = unseen.filter((e) => !out.fresh.has(e.eventId)).map((e) => e.eventId);
  if (raced.length > 0) store(await lockStored(tx, raced));
  return out;
}

/** Minutes on either side of a UTC midnight in which ledger writes serialise. */
export const MIDNIGHT_GUARD_MINUTES = 5;
/** Arbitrary constant shared by every writer of the ledger. */
const MIDNIGHT_LOCK_KEY = 0x6c656467;

/**
 * Within MIDNIGHT_GUARD_MINUTES of a UTC midnight (the database's clock, the same `now()` that
 * picks the partition), takes a transaction-level lock every ledger writer takes there: a
 * transaction on one side of midnight and one on the other are then never in flight together,
 * as long as a batch's transaction lasts less than the guard (statement and idle timeouts are
 * 60 s). Outside the window it costs one trivial statement.
 */
function midnightGuard(tx: TxSql) {
  return tx`
    select pg_advisory_xact_lock(${MIDNIGHT_LOCK_KEY})
    where anlyt.near_utc_midnight(now(), ${MIDNIGHT_GUARD_MINUTES * 60})`;
}

/**
 * Makes the ledger hold another payload (a displacing winner) or a lower sequence for the
 * same payload. Only for rows locked by recordInLedger in the same transaction.
 */
export async function rewriteLedger(tx: TxSql, entries: readonly LedgerEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx`
    update anlyt.processed_events p
    set payload_hash = decode(i.h, 'hex'), stream_seq = i.seq
    from unnest(${entries.map((e) => e.eventId)}::uuid[], ${entries.map((e) => hex(e.payloadHash))}::text[],
                ${entries.map((e) => e.seq)}::bigint[]) as i(event_id, h, seq)
    where p.event_id = i.event_id`;
}

/** Into today's partition (seen_day defaults to the UTC day of the transaction's now()). */
function insertNew(tx: TxSql, source: string, entries: readonly LedgerEntry[]) {
  return tx<{ event_id: string }[]>`
    insert into anlyt.processed_events (event_id, payload_hash, source, stream_seq)
    select event_id, decode(h, 'hex'), ${source}, seq
    from unnest(${entries.map((e) => e.eventId)}::uuid[], ${entries.map((e) => hex(e.payloadHash))}::text[],
                ${entries.map((e) => e.seq)}::bigint[]) as t(event_id, h, seq)
    on conflict (event_id, seen_day) do nothing
    returning event_id::text`;
}

interface StoredRow {
  event_id: string;
  payload_hash: Buffer;
  stream_seq: string | null;
  source: string;
}

/** The ids recorded in any partition, locked. Each partition's index is probed. */
function lockStored(tx: TxSql, eventIds: readonly string[]) {
  return tx<StoredRow[]>`
    select event_id::text, payload_hash, stream_seq, source
    from anlyt.processed_events
    where event_id = any(${eventIds}::uuid[])
    order by event_id
    for update`;
}

/** Creates the ledger's daily partitions of [fromDay, toDay] (YYYY-MM-DD) that are missing. */
export async function ensureLedgerPartitions(sql: Sql, fromDay: string, toDay: string) {
  const [r] = await sql<{ made: number }[]>`
    select anlyt.ensure_ledger_partitions(${fromDay}::date, ${toDay}::date) as made`;
  return r!.made;
}

/** Drops the ledger partitions whose days all lie before `cutoffDay`; returns their names. */
export async function dropLedgerPartitionsBefore(sql: Sql, cutoffDay: string) {
  const rows = await sql<{ name: string }[]>`
    select anlyt.drop_ledger_partitions_before(${cutoffDay}::date) as name`;
  return rows.map((r) => r.name);
}
