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
 * Inserts a batch of eventIds into the ledger in the caller's transaction. Entries must have
 * distinct, lower-case eventIds (the caller settles in-batch repeats); results come back
 * lower-case, as Postgres prints uuids. Deciding what a repeat means is the caller's job.
 *
 * The common case (all fresh) costs one index insert per event and nothing else; only the
 * repeats, which are rare, are read back. That read locks them (FOR UPDATE, in id order), so
 * two replicas deciding about the same eventId decide one after the other, and it runs with a
 * new snapshot, so it sees rows a concurrent replica committed while our INSERT waited.
 * (Two replicas inserting the same two new ids in opposite orders can deadlock: rare — only
 * re-sends published close together — and a deadlock is a retried batch, which is cheaper
 * than sorting every batch on the hot path.)
 */
export async function recordInLedger(
  tx: TxSql,
  source: string,
  entries: readonly LedgerEntry[],
): Promise<LedgerOutcome> {
  const out: LedgerOutcome = { fresh: new Set(), existing: new Map() };
  if (entries.length === 0) return out;
  for (const r of await insertNew(tx, source, entries)) out.fresh.add(r.event_id);
  if (out.fresh.size === entries.length) return out;
  const repeats = entries.filter((e) => !out.fresh.has(e.eventId)).map((e) => e.eventId);
  for (const r of await lockStored(tx, repeats)) {
    out.existing.set(r.event_id, {
      payloadHash: new Uint8Array(r.payload_hash),
      seq: r.stream_seq === null ? null : Number(r.stream_seq),
      source: r.source,
    });
  }
  return out;
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

function insertNew(tx: TxSql, source: string, entries: readonly LedgerEntry[]) {
  return tx<{ event_id: string }[]>`
    insert into anlyt.processed_events (event_id, payload_hash, source, stream_seq)
    select event_id, decode(h, 'hex'), ${source}, seq
    from unnest(${entries.map((e) => e.eventId)}::uuid[], ${entries.map((e) => hex(e.payloadHash))}::text[],
                ${entries.map((e) => e.seq)}::bigint[]) as t(event_id, h, seq)
    on conflict (event_id) do nothing
    returning event_id::text`;
}

function lockStored(tx: TxSql, eventIds: readonly string[]) {
  return tx<
    { event_id: string; payload_hash: Buffer; stream_seq: string | null; source: string }[]
  >`
    select event_id::text, payload_hash, stream_seq, source
    from anlyt.processed_events
    where event_id = any(${eventIds}::uuid[])
    order by event_id
    for update`;
}

/**
 * Retention: deletes up to `limit` of the oldest ledger rows first seen before `cutoff`, returns
 * how many. Called in a loop by anlyt-rollup until it returns 0; small chunks keep each
 * transaction short next to the consumers' batches. A row a consumer rewrites meanwhile (a
 * conflict on an expired id) moves and is left for the next run.
 */
export async function deleteExpiredLedgerRows(
  sql: Sql,
  cutoff: string,
  limit: number,
): Promise<number> {
  const r = await sql`
    delete from anlyt.processed_events
    where ctid = any(array(
      select ctid from anlyt.processed_events
      where first_seen_at < ${cutoff}::timestamptz
      order by first_seen_at
      limit ${limit}))`;
  return r.count;
}
