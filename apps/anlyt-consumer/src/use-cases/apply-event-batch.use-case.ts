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
import { firstInStream, judgeRepeat, sameBytes, type Sign } from '@anlyt/domain';
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

interface Copy<E> {
  index: number;
  seq: number;
  hash: Uint8Array;
  event: E;
}

/** What an eventId of the batch came to: the winning payload and the candidate's fate. */
interface Verdict {
  winnerHash: Uint8Array;
  decision: Decision;
}

export class ApplyEventBatchUseCase<E extends { eventId: string }, D> {
  constructor(private readonly deps: ApplyEventBatchDeps<E, D>) {}

  async execute(batch: readonly RawMessage[]): Promise<BatchOutcome> {
    const decisions: Decision[] = new Array(batch.length);
    const groups = new Map<string, Copy<E>[]>();
    batch.forEach((m, index) => {
      const r = this.deps.decode(m.data);
      if (!r.ok) {
        decisions[index] = { kind: 'invalid', reason: r.reason };
        return;
      }
      const id = r.event.eventId.toLowerCase();
      const copy = { index, seq: m.seq, hash: r.payloadHash, event: r.event };
      const group = groups.get(id);
      if (group === undefined) groups.set(id, [copy]);
      else group.push(copy);
    });
    // Within the batch the lowest sequence is the candidate; the ledger may still beat it.
    const candidates = new Map([...groups].map(([id, copies]) => [id, firstInStream(copies)]));
    const { verdicts, displaced } = await this.deps.store.transaction((tx) =>
      this.decideAndApply(tx, candidates),
    );

    for (const [id, copies] of groups) {
      const v = verdicts.get(id)!;
      const candidate = candidates.get(id)!;
      for (const c of copies) {
        decisions[c.index] =
          c === candidate
            ? v.decision
            : sameBytes(c.hash, v.winnerHash)
              ? { kind: 'redelivered' }
              : {
                  kind: 'conflict',
                  reason: `eventId ${id} repeated with a different payload; the lower stream sequence wins`,
                };
      }
    }
    return { decisions, displaced };
  }

  private async decideAndApply(tx: BatchTransaction<D>, candidates: Map<string, Copy<E>>) {
    const entries: LedgerEntry[] = [...candidates].map(([eventId, c]) => ({
      eventId,
      payloadHash: c.hash,
      seq: c.seq,
    }));
    const ledger = await tx.record(entries);
    const verdicts = new Map<string, Verdict>();
    const winners: E[] = [];
    const losers: E[] = [];
    const rewrites: LedgerEntry[] = [];
    const displaced: Displaced[] = [];
    for (const [id, c] of candidates) {
      if (ledger.fresh.has(id)) {
        winners.push(c.event);
        verdicts.set(id, { winnerHash: c.hash, decision: { kind: 'applied' } });
        continue;
      }
      const stored = ledger.existing.get(id);
      if (stored === undefined) throw new LedgerRaceError(id);
      const incoming = { payloadHash: c.hash, seq: c.seq };
      const v = judgeRepeat(id, incoming, stored, this.deps.store.source);
      if (v.kind === 'redelivered') {
        if (v.lowerSeq) rewrites.push({ eventId: id, payloadHash: c.hash, seq: c.seq });
        verdicts.set(id, { winnerHash: c.hash, decision: { kind: 'redelivered' } });
        continue;
      }
      const loser = v.kind === 'displace' ? await this.loadStored(id, stored) : null;
      if (v.kind === 'conflict' || loser === null) {
        const reason =
          v.kind === 'conflict'
            ? v.reason
            : `eventId ${id}: the applied copy at stream seq ${stored.seq} is no longer readable, so it is kept`;
        verdicts.set(id, {
          winnerHash: stored.payloadHash,
          decision: { kind: 'conflict', reason },
        });
        continue;
      }
      losers.push(loser.event);
      winners.push(c.event);
      rewrites.push({ eventId: id, payloadHash: c.hash, seq: c.seq });
      displaced.push({
        ...loser.original,
        reason: `displaced: eventId ${id} displaced by stream seq ${c.seq}, which has a different payload; the lower stream sequence wins`,
      });
      verdicts.set(id, { winnerHash: c.hash, decision: { kind: 'applied' } });
    }
    await tx.rewrite(rewrites);
    // Dead-lettered before the commit: once the loser is out of the aggregates, nothing
    // would bring it back to the DLQ if we crashed between the commit and a later publish.
    if (displaced.length > 0) await this.deps.originals.retire(displaced);
    if (losers.length > 0) await tx.apply(this.deps.fold(losers, -1));
    if (winners.length > 0) await tx.apply(this.deps.fold(winners, 1));
    return { verdicts, displaced };
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
