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
 * each. Entries must have distinct eventIds (the caller settles in-batch repeats).
 * The SELECT reads the snapshot taken before the INSERT, so `prior` only sees rows that
 * existed before this statement: exactly the ones that make an entry a repeat.
 */
export async function recordInLedger(
  tx: TxSql,
  source: string,
  entries: readonly LedgerEntry[],
): Promise<LedgerOutcome> {
  const out: LedgerOutcome = { fresh: new Set(), redelivered: new Set(), conflicts: new Set() };
  if (entries.length === 0) return out;
  const rows = await tx<{ event_id: string; fresh: boolean; same: boolean | null }[]>`
    with input as (
      select event_id, decode(h, 'hex') as payload_hash
      from unnest(${entries.map((e) => e.eventId)}::uuid[], ${entries.map((e) => hex(e.payloadHash))}::text[])
        as t(event_id, h)
    ), ins as (
      insert into anlyt.processed_events (event_id, payload_hash, source)
      select event_id, payload_hash, ${source} from input
      on conflict (event_id) do nothing
      returning event_id
    )
    select i.event_id::text as event_id,
           ins.event_id is not null as fresh,
           prior.payload_hash = i.payload_hash as same
    from input i
    left join ins on ins.event_id = i.event_id
    left join anlyt.processed_events prior on prior.event_id = i.event_id
  `;
  const unseen: LedgerEntry[] = [];
  for (const r of rows) {
    if (r.fresh) out.fresh.add(r.event_id);
    else if (r.same === true) out.redelivered.add(r.event_id);
    else if (r.same === false) out.conflicts.add(r.event_id);
    // Another transaction (a replica) inserted it after our snapshot was taken: look again.
    else unseen.push(entries.find((e) => e.eventId === r.event_id)!);
  }
  if (unseen.length > 0) await classifyConcurrent(tx, unseen, out);
  return out;
}

async function classifyConcurrent(tx: TxSql, entries: LedgerEntry[], out: LedgerOutcome) {
  const rows = await tx<{ event_id: string; same: boolean }[]>`
    select i.event_id::text as event_id, p.payload_hash = decode(i.h, 'hex') as same
    from unnest(${entries.map((e) => e.eventId)}::uuid[], ${entries.map((e) => hex(e.payloadHash))}::text[])
      as i(event_id, h)
    join anlyt.processed_events p on p.event_id = i.event_id
  `;
  for (const r of rows) (r.same ? out.redelivered : out.conflicts).add(r.event_id);
}
