/**
 * A stream's own messages, read back by sequence: when the conflict rule takes an applied
 * copy back out ("displaced" — a lower stream sequence of the same eventId arrived later),
 * its original is read from the stream (the streams keep 7 days) and dead-lettered.
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import type { DeadLetter } from './dead-letter.js';

/** A message of the stream, as stored there. */
export interface OriginalMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
}

/** An applied message that the conflict rule took back out. */
export interface Displaced extends OriginalMessage {
  reason: string;
}

/** The stream a batch came from. */
export interface OriginalMessages {
  /** The message at `seq`, or null when the stream no longer has it. */
  load(seq: number): Promise<OriginalMessage | null>;
  /** Dead-letters displaced messages; must be durable when it resolves. */
  retire(displaced: readonly Displaced[]): Promise<void>;
}

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
