/**
 * ReplayDeadLettersUseCase: once the cause of some dead letters is fixed (a decoder or schema
 * fix deployed, a setting corrected, a database constraint relaxed, a crash-looping release
 * rolled back), run them through the same ApplyEventBatchUseCase as live traffic, with their
 * ORIGINAL stream sequences — so the ledger still absorbs anything already applied and the
 * conflict rule still decides by stream position. A letter that is now applied (or found to
 * be a duplicate) is removed from the DLQ; one still refused stays, with the new reason shown.
 */
import type { BatchOutcome, RawMessage } from './ports.js';

/** One dead letter as the DLQ holds it. */
export interface Letter {
  /** Its sequence in the DLQ stream. */
  dlqSeq: number;
  /** The reason's kind: invalid, conflict, displaced, rejected, quarantined. */
  kind: string;
  reason: string;
  originalSeq: number;
  /** The original's bytes, or null when the letter holds a truncated copy only. */
  data: Uint8Array | null;
}

export interface DeadLetterQueue {
  letters(): AsyncIterable<Letter>;
  /** Removes a letter whose message is now applied. */
  remove(dlqSeq: number): Promise<void>;
}

export interface ReplayDeps {
  dlq: DeadLetterQueue;
  /** Reads an original back from its stream (truncated letters), null when it is gone. */
  original(seq: number): Promise<Uint8Array | null>;
  apply: (batch: readonly RawMessage[]) => Promise<BatchOutcome>;
}

export interface ReplayOptions {
  kinds: ReadonlySet<string> | null;
  dryRun: boolean;
  batchSize: number;
}

export interface ReplayReport {
  seen: number;
  applied: number;
  duplicates: number;
  stillRefused: { dlqSeq: number; reason: string }[];
  unreadable: number[];
  /** --dry-run: the letters a replay would take, nothing applied or removed. */
  selected: { dlqSeq: number; originalSeq: number; reason: string }[];
}

export class ReplayDeadLettersUseCase {
  constructor(private readonly deps: ReplayDeps) {}

  async execute(o: ReplayOptions): Promise<ReplayReport> {
    const report: ReplayReport = {
      seen: 0,
      applied: 0,
      duplicates: 0,
      stillRefused: [],
      unreadable: [],
      selected: [],
    };
    let batch: { letter: Letter; data: Uint8Array }[] = [];
    const flush = async () => {
      if (batch.length > 0) await this.replay(batch, report);
      batch = [];
    };
    for await (const letter of this.deps.dlq.letters()) {
      if (o.kinds !== null && !o.kinds.has(letter.kind)) continue;
      report.seen++;
      const data = letter.data ?? (await this.deps.original(letter.originalSeq));
      if (data === null) {
        report.unreadable.push(letter.dlqSeq);
        continue;
      }
      if (o.dryRun) {
        const { dlqSeq, originalSeq, reason } = letter;
        report.selected.push({ dlqSeq, originalSeq, reason });
        continue;
      }
      batch.push({ letter, data });
      if (batch.length >= o.batchSize) await flush();
    }
    await flush();
    return report;
  }

  private async replay(batch: { letter: Letter; data: Uint8Array }[], report: ReplayReport) {
    const out = await this.deps.apply(
      batch.map((b) => ({ data: b.data, seq: b.letter.originalSeq })),
    );
    for (const [i, d] of out.decisions.entries()) {
      const { letter } = batch[i]!;
      if (d.kind === 'applied' || d.kind === 'redelivered') {
        report[d.kind === 'applied' ? 'applied' : 'duplicates']++;
        await this.deps.dlq.remove(letter.dlqSeq);
      } else report.stillRefused.push({ dlqSeq: letter.dlqSeq, reason: `${d.kind}: ${d.reason}` });
    }
  }
}
