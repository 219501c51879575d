import type { TxSql } from './client.js';

export interface LedgerEntry {
  eventId: string;
  /** 16-byte payload hash from @anlyt/events. */
  payloadHash: Uint8Array;
}

export interface LedgerOutcome {
  /** First time seen: apply to the aggregates. */
  fresh: Set<string>;
  /** Seen before with the same payload: a redelivery; ack and change nothing. */
  redelivered: Set<string>;
  /** Seen before with a different payload: keep the first, dead-letter this one. */
  conflicts: Set<string>;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Inserts a batch of eventIds into the ledger in the caller's transaction and classifies
 * each. Entries must have distinct, lower-case eventIds (the caller settles in-batch repeats);
 * results come back lower-case, as Postgres prints uuids.
 *
 * The common case (all fresh) costs one index insert per event and nothing else; only the
 * repeats, which are rare, are looked up again to compare payload hashes. That second
 * statement runs with a new snapshot, so it also sees rows a concurrent replica committed
 * while our INSERT waited on them.
 */
export async function recordInLedger(
  tx: TxSql,
  source: string,
  entries: readonly LedgerEntry[],
): Promise<LedgerOutcome> {
  const out: LedgerOutcome = { fresh: new Set(), redelivered: new Set(), conflicts: new Set() };
  if (entries.length === 0) return out;
  const inserted = await insertNew(tx, source, entries);
  for (const r of inserted) out.fresh.add(r.event_id);
  if (inserted.length === entries.length) return out;
  const repeats = entries.filter((e) => !out.fresh.has(e.eventId));
  for (const r of await compareHashes(tx, repeats)) {
    (r.same ? out.redelivered : out.conflicts).add(r.event_id);
  }
  return out;
}

function insertNew(tx: TxSql, source: string, entries: readonly LedgerEntry[]) {
  return tx<{ event_id: string }[]>`
    insert into anlyt.processed_events (event_id, payload_hash, source)
    select event_id, decode(h, 'hex'), ${source}
    from unnest(${entries.map((e) => e.eventId)}::uuid[], ${entries.map((e) => hex(e.payloadHash))}::text[])
      as t(event_id, h)
    on conflict (event_id) do nothing
    returning event_id::text`;
}

function compareHashes(tx: TxSql, entries: readonly LedgerEntry[]) {
  return tx<{ event_id: string; same: boolean }[]>`
    select i.event_id::text as event_id, p.payload_hash = decode(i.h, 'hex') as same
    from unnest(${entries.map((e) => e.eventId)}::uuid[], ${entries.map((e) => hex(e.payloadHash))}::text[])
      as i(event_id, h)
    join anlyt.processed_events p on p.event_id = i.event_id`;
}
