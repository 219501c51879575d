/**
 * The OriginalMessages port on JetStream: a displaced message is read back from its stream by
 * sequence (the streams keep 7 days, the ledger's horizon) and dead-lettered.
 */
import type { DeadLetter, JetStreamManager } from '@anlyt/nats';
import type { OriginalMessages } from '../use-cases/apply-event-batch.use-case.js';

/** The stream did not answer: the batch is retried, nothing is decided without the original. */
export class OriginalUnavailableError extends Error {
  readonly code = 'ORIGINAL_UNAVAILABLE';
  readonly retryable = true;
  constructor(stream: string, seq: number, cause: unknown) {
    super(`could not read ${stream} seq ${seq}`, { cause });
    this.name = 'OriginalUnavailableError';
  }
}

export function streamOriginals(
  jsm: JetStreamManager,
  stream: string,
  deadLetter: (letters: readonly DeadLetter[]) => Promise<void>,
): OriginalMessages {
  return {
    async load(seq) {
      try {
        const m = await jsm.streams.getMessage(stream, { seq });
        return m === null ? null : { seq: m.seq, subject: m.subject, data: m.data };
      } catch (err) {
        // "no message found": purged or aged out. Anything else is the server not answering.
        if (/no message found/i.test(String((err as Error)?.message))) return null;
        throw new OriginalUnavailableError(stream, seq, err);
      }
    },
    retire: (displaced) => deadLetter(displaced.map((x) => ({ ...x, stream, kind: 'displaced' }))),
  };
}
