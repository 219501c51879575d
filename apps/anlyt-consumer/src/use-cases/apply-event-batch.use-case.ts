/**
 * ApplyEventBatchUseCase: one pulled batch of raw messages → decided outcomes.
 *
 * decode → settle in-batch repeats → one transaction (ledger + fold of the fresh events +
 * set-based upserts + watermark) → decisions. The caller acks only after this resolves, i.e.
 * after the commit; if it throws, nothing was committed and the whole batch may be retried.
 */
import type { DecodeResult } from '@anlyt/events';

export interface RawMessage {
  data: Uint8Array;
}

export type Decision =
  | { kind: 'applied' }
  | { kind: 'redelivered' }
  | { kind: 'conflict'; reason: string }
  | { kind: 'invalid'; reason: string };

export interface LedgerEntry {
  eventId: string;
  payloadHash: Uint8Array;
}

export interface LedgerOutcome {
  fresh: Set<string>;
  redelivered: Set<string>;
  conflicts: Set<string>;
}

/** The port: what the use case needs from storage, inside one transaction. */
export interface BatchTransaction<D> {
  record(entries: readonly LedgerEntry[]): Promise<LedgerOutcome>;
  apply(deltas: D): Promise<void>;
}
export interface AggregateStore<D> {
  transaction<T>(fn: (tx: BatchTransaction<D>) => Promise<T>): Promise<T>;
}

export interface ApplyEventBatchDeps<E extends { eventId: string }, D> {
  decode: (data: Uint8Array) => DecodeResult<E>;
  fold: (events: readonly E[]) => D;
  store: AggregateStore<D>;
}

export class ApplyEventBatchUseCase<E extends { eventId: string }, D> {
  constructor(private readonly deps: ApplyEventBatchDeps<E, D>) {}

  async execute(batch: readonly RawMessage[]): Promise<Decision[]> {
    const decisions: Decision[] = new Array(batch.length);
    // First occurrence of each eventId in this batch; later ones are settled here.
    const firsts = new Map<string, { index: number; event: E; hash: Uint8Array }>();
    const repeats: { index: number; id: string; hash: Uint8Array }[] = [];

    batch.forEach((m, index) => {
      const r = this.deps.decode(m.data);
      if (!r.ok) {
        decisions[index] = { kind: 'invalid', reason: r.reason };
        return;
      }
      const id = r.event.eventId.toLowerCase();
      if (firsts.has(id)) repeats.push({ index, id, hash: r.payloadHash });
      else firsts.set(id, { index, event: r.event, hash: r.payloadHash });
    });

    const entries = [...firsts].map(([eventId, f]) => ({ eventId, payloadHash: f.hash }));
    const outcome = await this.deps.store.transaction(async (tx) => {
      const o = await tx.record(entries);
      const fresh = [...firsts].filter(([id]) => o.fresh.has(id)).map(([, f]) => f.event);
      if (fresh.length > 0) await tx.apply(this.deps.fold(fresh));
      return o;
    });

    for (const [id, f] of firsts) {
      decisions[f.index] = outcome.fresh.has(id)
        ? { kind: 'applied' }
        : outcome.conflicts.has(id)
          ? {
              kind: 'conflict',
              reason: `eventId ${id} was already applied with a different payload`,
            }
          : { kind: 'redelivered' };
    }
    for (const r of repeats) {
      const first = firsts.get(r.id)!;
      const firstDecision = decisions[first.index]!;
      // A byte-identical repeat shares its first copy's fate; a different payload conflicts.
      decisions[r.index] = !sameBytes(first.hash, r.hash)
        ? {
            kind: 'conflict',
            reason: `eventId ${r.id} repeated in the batch with a different payload`,
          }
        : firstDecision.kind === 'conflict'
          ? firstDecision
          : { kind: 'redelivered' };
    }
    return decisions;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
