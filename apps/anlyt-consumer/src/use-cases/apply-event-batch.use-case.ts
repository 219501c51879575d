/**
 * ApplyEventBatchUseCase: one pulled batch of raw messages → decided outcomes.
 *
 * decode → group copies by eventId → one transaction (ledger + conflict rule + fold of what
 * changes + set-based upserts + watermark) → decisions. The caller acks only after this
 * resolves, i.e. after the commit; if it throws, nothing was committed and the whole batch
 * may be retried (everything here is idempotent: the ledger makes a retry change nothing).
 *
 * Conflicts follow @anlyt/domain's rule: the copy with the lower stream sequence wins. When
 * the winner arrives after the loser was applied (a crash reorders deliveries), the loser is
 * taken back out in the same transaction and dead-lettered before the commit.
 */
import type { DecodeResult } from '@anlyt/events';
import { judgeRepeat, sameBytes, type Sign } from '@anlyt/domain';
import type {
  AggregateStore,
  BatchOutcome,
  BatchTransaction,
  Decision,
  Displaced,
  LedgerEntry,
  OriginalMessages,
  RawMessage,
} from './ports.js';

export type * from './ports.js';

export interface ApplyEventBatchDeps<E extends { eventId: string }, D> {
  decode: (data: Uint8Array) => DecodeResult<E>;
  fold: (events: readonly E[], sign: Sign) => D;
  store: AggregateStore<D>;
  originals: OriginalMessages;
}

/** One decoded message of the batch: a ledger entry, plus where it sits in the batch. */
interface Copy<E> extends LedgerEntry {
  index: number;
  event: E;
}

// Shared, never mutated: the common outcomes cost no allocation per event.
const APPLIED: Decision = Object.freeze({ kind: 'applied' });
const REDELIVERED: Decision = Object.freeze({ kind: 'redelivered' });

export class ApplyEventBatchUseCase<E extends { eventId: string }, D> {
  constructor(private readonly deps: ApplyEventBatchDeps<E, D>) {}

  async execute(batch: readonly RawMessage[]): Promise<BatchOutcome> {
    const decisions: Decision[] = new Array(batch.length);
    // Per eventId the copy with the lowest sequence (the candidate: the ledger may still beat
    // it); the batch's other copies, rare, aside.
    const firsts = new Map<string, Copy<E>>();
    const others: Copy<E>[] = [];
    batch.forEach((m, index) => {
      const r = this.deps.decode(m.data);
      if (!r.ok) {
        decisions[index] = { kind: 'invalid', reason: r.reason };
        return;
      }
      const eventId = r.event.eventId.toLowerCase();
      const copy = { index, eventId, seq: m.seq, payloadHash: r.payloadHash, event: r.event };
      const held = firsts.get(eventId);
      if (held === undefined) firsts.set(eventId, copy);
      else if (copy.seq < held.seq) {
        firsts.set(eventId, copy);
        others.push(held);
      } else others.push(copy);
    });
    const winnerHashes = new Map<string, Uint8Array>(others.map((c) => [c.eventId, c.payloadHash]));
    const displaced = await this.deps.store.transaction((tx) =>
      this.decideAndApply(tx, [...firsts.values()], decisions, winnerHashes),
    );
    // The other copies follow the final winner: same bytes → a redelivery, else a conflict.
    for (const c of others) {
      decisions[c.index] = sameBytes(c.payloadHash, winnerHashes.get(c.eventId)!)
        ? REDELIVERED
        : {
            kind: 'conflict',
            reason: `eventId ${c.eventId} repeated with a different payload; the lower stream sequence wins`,
          };
    }
    return { decisions, displaced };
  }

  /**
   * Records the candidates, decides each one (into `decisions`), applies what changes and
   * returns the displaced copies. `winnerHashes` holds the ids that have other copies in the
   * batch; their winning payload hash is written into it.
   */
  private async decideAndApply(
    tx: BatchTransaction<D>,
    candidates: Copy<E>[],
    decisions: Decision[],
    winnerHashes: Map<string, Uint8Array>,
  ): Promise<Displaced[]> {
    const ledger = await tx.record(candidates);
    const winners: E[] = [];
    const losers: E[] = [];
    const rewrites: LedgerEntry[] = [];
    const displaced: Displaced[] = [];
    const decide = (c: Copy<E>, d: Decision, winnerHash: Uint8Array) => {
      decisions[c.index] = d;
      if (winnerHashes.has(c.eventId)) winnerHashes.set(c.eventId, winnerHash);
    };
    for (const c of candidates) {
      const id = c.eventId;
      if (ledger.fresh.has(id)) {
        winners.push(c.event);
        decide(c, APPLIED, c.payloadHash);
        continue;
      }
      const stored = ledger.existing.get(id);
      if (stored === undefined) throw new LedgerRaceError(id);
      const v = judgeRepeat(id, c, stored, this.deps.store.source);
      if (v.kind === 'redelivered') {
        if (v.lowerSeq) rewrites.push({ eventId: id, payloadHash: c.payloadHash, seq: c.seq });
        decide(c, REDELIVERED, c.payloadHash);
        continue;
      }
      const loser = v.kind === 'displace' ? await this.loadStored(id, stored) : null;
      if (v.kind === 'conflict' || loser === null) {
        const reason =
          v.kind === 'conflict'
            ? v.reason
            : `eventId ${id}: the applied copy at stream seq ${stored.seq} is no longer readable, so it is kept`;
        decide(c, { kind: 'conflict', reason }, stored.payloadHash);
        continue;
      }
      losers.push(loser.event);
      winners.push(c.event);
      rewrites.push({ eventId: id, payloadHash: c.payloadHash, seq: c.seq });
      displaced.push({
        ...loser.original,
        reason: `displaced: eventId ${id} displaced by stream seq ${c.seq}, which has a different payload; the lower stream sequence wins`,
      });
      decide(c, APPLIED, c.payloadHash);
    }
    await tx.rewrite(rewrites);
    // Dead-lettered before the commit: once the loser is out of the aggregates, nothing
    // would bring it back to the DLQ if we crashed between the commit and a later publish.
    if (displaced.length > 0) await this.deps.originals.retire(displaced);
    if (losers.length > 0) await tx.apply(this.deps.fold(losers, -1));
    if (winners.length > 0) await tx.apply(this.deps.fold(winners, 1));
    return displaced;
  }

  /** The applied copy, read back from the stream; null when it cannot be taken out safely. */
  private async loadStored(id: string, stored: { payloadHash: Uint8Array; seq: number | null }) {
    const original = await this.deps.originals.load(stored.seq!);
    if (original === null) return null;
    const r = this.deps.decode(original.data);
    // The bytes at that sequence must be the payload the ledger holds (a re-created stream
    // reuses sequences); anything else cannot be subtracted.
    if (
      !r.ok ||
      r.event.eventId.toLowerCase() !== id ||
      !sameBytes(r.payloadHash, stored.payloadHash)
    )
      return null;
    return { event: r.event, original };
  }
}

/** A repeat the ledger did not return: deleted underneath us. Retrying the batch settles it. */
export class LedgerRaceError extends Error {
  readonly code = 'LEDGER_RACE';
  readonly retryable = true;
  constructor(eventId: string) {
    super(`eventId ${eventId} was neither inserted nor found in the ledger`);
    this.name = 'LedgerRaceError';
  }
}
