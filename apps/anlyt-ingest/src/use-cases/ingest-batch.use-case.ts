/**
 * One batch of one source into its fact table. Exactly-once is not asked of the insert: a
 * copy inserted twice (crash between insert and ack, two replicas, a replay) is collapsed by
 * ReplacingMergeTree and never reaches a cube, which is rebuilt from the deduplicated facts.
 * What this use case decides is which copy of an event is THE fact (contract §1–2, "keep the
 * first"): by stream sequence, like the Postgres ledger (@anlyt/domain conflict-rule.ts).
 * - invalid payloads → dead-lettered by the handler;
 * - a copy with the payload already stored → duplicate, nothing inserted (unless its sequence
 *   is lower than the stored one's: then its row goes in, to remember that sequence);
 * - a different payload, stored with a lower sequence → conflict, dead-lettered;
 * - a different payload, stored with a higher sequence → this copy is inserted (its `ver`
 *   wins every merge and FINAL read), the stored one is read back from the stream and
 *   dead-lettered as displaced — before the insert, so a crash in between re-does both.
 * Copies are looked up by the fact's sorting key (tenant, hour, eventId): a copy of an event
 * that names another tenant or hour is not seen (docs/decisions.md, "Exact cubes").
 * Days of inserted AND duplicate facts are marked for the cube builder: a duplicate may be a
 * redelivery after a crash that came between the insert and the mark. Then the batch's
 * largest occurredAt is recorded (after the marks: the cube builder's dataAsOf relies on it).
 */
import { judgeRepeat, sameBytes } from '@anlyt/domain';
import type {
  Decision,
  Displaced,
  Fact,
  FactKey,
  FactOf,
  FactStore,
  IngestOutcome,
  OriginalMessages,
  RawMessage,
  StoredCopy,
} from './ports.js';

export interface IngestDeps<R> {
  /** The source's name (dlr, cdr), as conflicts are judged within one source. */
  source: string;
  toFact(data: Uint8Array): FactOf<R>;
  /** The row with its stream sequence set. */
  withSeq(row: R, seq: number): R;
  store: FactStore<R>;
  originals: OriginalMessages;
}

interface Candidate<R> {
  index: number;
  seq: number;
  fact: Fact<R>;
}

const keyOf = (k: FactKey) => `${k.tenantId}|${k.hourMs}|${k.eventId}`;

export class IngestBatchUseCase<R> {
  constructor(private readonly d: IngestDeps<R>) {}

  async execute(batch: readonly RawMessage[]): Promise<IngestOutcome> {
    const decisions: Decision[] = new Array(batch.length);
    const candidates = this.pickCandidates(batch, decisions);
    const stored = await this.d.store.findCopies([...candidates.values()].map((c) => c.fact.key));
    const copies = new Map<string, StoredCopy[]>();
    for (const s of stored) copies.set(keyOf(s), [...(copies.get(keyOf(s)) ?? []), s]);

    const inserts: R[] = [];
    const dirty = new Set<number>();
    let maxOccurredAtMs = -1;
    const displacedSeqs: number[] = [];
    for (const c of candidates.values()) {
      const held = copies.get(keyOf(c.fact.key)) ?? [];
      const verdict = this.judge(c, held);
      decisions[c.index] = verdict.decision;
      if (verdict.decision.kind === 'conflict') continue;
      dirty.add(c.fact.dayMs);
      maxOccurredAtMs = Math.max(maxOccurredAtMs, c.fact.occurredAtMs);
      if (verdict.insert) inserts.push(this.d.withSeq(c.fact.row, c.seq));
      displacedSeqs.push(...verdict.displace);
    }
    const displaced = await this.loadDisplaced(displacedSeqs);
    if (displaced.length > 0) await this.d.originals.retire(displaced);
    await this.d.store.insert(inserts);
    await this.d.store.markDirty([...dirty]);
    if (maxOccurredAtMs >= 0) await this.d.store.recordProgress(maxOccurredAtMs);
    return { decisions, displaced };
  }

  /**
   * Decodes the batch; per event the copy with the lowest sequence goes on, and every other
   * copy is judged against THAT one (not against whichever came first in the batch).
   */
  private pickCandidates(batch: readonly RawMessage[], decisions: Decision[]) {
    const all: Candidate<R>[] = [];
    const candidates = new Map<string, Candidate<R>>();
    batch.forEach((m, index) => {
      const r = this.d.toFact(m.data);
      if (!r.ok) return void (decisions[index] = { kind: 'invalid', reason: r.reason });
      const mine: Candidate<R> = { index, seq: m.seq, fact: r.fact };
      all.push(mine);
      const id = keyOf(r.fact.key);
      const other = candidates.get(id);
      if (other === undefined || mine.seq < other.seq) candidates.set(id, mine);
    });
    for (const c of all) {
      const first = candidates.get(keyOf(c.fact.key))!;
      if (first === c) continue;
      decisions[c.index] = sameBytes(first.fact.payloadHash, c.fact.payloadHash)
        ? { kind: 'duplicate' }
        : {
            kind: 'conflict',
            reason: `eventId ${c.fact.key.eventId} arrived in the same batch with a different payload at stream seq ${first.seq}; the lower stream sequence wins`,
          };
    }
    return candidates;
  }

  /**
   * `insert` is also set for a redelivered payload with a lower sequence than any stored copy:
   * its row (same numbers, higher `ver`) makes the stored sequence the lowest one, so that a
   * later conflicting copy is judged against the right sequence.
   */
  private judge(
    c: Candidate<R>,
    held: StoredCopy[],
  ): { decision: Decision; insert: boolean; displace: number[] } {
    if (held.length === 0) return { decision: { kind: 'inserted' }, insert: true, displace: [] };
    const lowest = held.reduce((a, b) => (b.seq < a.seq ? b : a));
    const incoming = { payloadHash: c.fact.payloadHash, seq: c.seq };
    const stored = { payloadHash: lowest.payloadHash, seq: lowest.seq, source: this.d.source };
    const v = judgeRepeat(c.fact.key.eventId, incoming, stored, this.d.source);
    if (v.kind === 'redelivered')
      return { decision: { kind: 'duplicate' }, insert: v.lowerSeq, displace: [] };
    if (v.kind === 'conflict')
      return { decision: { kind: 'conflict', reason: v.reason }, insert: false, displace: [] };
    const others = held.filter((h) => !sameBytes(h.payloadHash, c.fact.payloadHash));
    return { decision: { kind: 'inserted' }, insert: true, displace: others.map((h) => h.seq) };
  }

  private async loadDisplaced(seqs: number[]): Promise<Displaced[]> {
    const out: Displaced[] = [];
    for (const seq of [...new Set(seqs)]) {
      const m = await this.d.originals.load(seq);
      // Gone from the stream (aged out): nothing left to dead-letter; the new copy still wins.
      if (m !== null)
        out.push({
          ...m,
          reason: 'displaced: a copy with a lower stream sequence arrived later and took its place',
        });
    }
    return out;
  }
}
