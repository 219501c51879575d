/**
 * The dead-letter path every consumer of this repo shares: a message that will not be applied
 * goes to `<prefix>.<source>` on JetStream (durable: a dead letter must not be lost) with its
 * reason and provenance in headers. Publishing is awaited before the original is settled, so
 * a crash in between re-sends rather than loses; Nats-Msg-Id makes that re-send a no-op.
 */
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';

/** Header names, for whoever reads the DLQ (the replay command, an operator). */
export const DEAD_LETTER_HEADERS = {
  reason: 'Anlyt-Reason',
  /** One word for the reason, to filter on: invalid, conflict, displaced, rejected, quarantined. */
  kind: 'Anlyt-Reason-Kind',
  subject: 'Anlyt-Original-Subject',
  stream: 'Anlyt-Original-Stream',
  seq: 'Anlyt-Original-Stream-Seq',
  size: 'Anlyt-Original-Size',
  /** Present ("true") when the body is only the first bytes of the original. */
  truncated: 'Anlyt-Truncated',
} as const;

export interface DeadLetter {
  stream: string;
  seq: number;
  subject: string;
  data: Uint8Array;
  kind: string;
  reason: string;
}

export const letterOf = (msg: JsMsg, kind: string, reason: string): DeadLetter => ({
  stream: msg.info.stream,
  seq: msg.seq,
  subject: msg.subject,
  data: msg.data,
  kind,
  reason,
});

/** The DLQ could not take a letter (stream missing, NATS down, timeout): retry later. */
export class DeadLetterPublishError extends Error {
  readonly code = 'DLQ_PUBLISH_FAILED';
  readonly retryable = true;
  constructor(failed: number, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`${failed} dead letter(s) not published: ${why}`, { cause });
    this.name = 'DeadLetterPublishError';
  }
}

/** A truncated body keeps this much of the original: enough to see what it was. */
const TRUNCATED_BODY_BYTES = 64 * 1024;
/** Room left for the protocol line and anything the client adds to the headers. */
const SLACK_BYTES = 512;

export interface DeadLetterOptions {
  subject: string;
  /** The server's max_payload (headers + body must fit): nc.info.max_payload. */
  maxPayload: number;
  /**
   * Nats-Msg-Id prefix (default `dlq`): `<prefix>-<stream>-<seq>`. Each deployable that reads
   * a stream dead-letters for its own store under its own prefix, so one's letter never
   * swallows the other's in the DLQ's duplicate window.
   */
  idPrefix?: string;
}

/**
 * Returns a function that publishes letters to `opts.subject`. A letter whose original does
 * not fit in one message next to its headers (an oversize payload) carries the first bytes
 * of the body only, flagged; the whole original stays readable in its stream at its seq.
 */
export function deadLetterPublisher(js: JetStreamClient, opts: DeadLetterOptions) {
  return async (letters: readonly DeadLetter[]): Promise<void> => {
    const results = await Promise.allSettled(
      letters.map((l) => {
        const h = letterHeaders(l);
        const room = opts.maxPayload - headerBytes(h) - SLACK_BYTES;
        let body = l.data;
        if (body.byteLength > room) {
          body = body.subarray(0, Math.max(0, Math.min(room, TRUNCATED_BODY_BYTES)));
          h.set(DEAD_LETTER_HEADERS.truncated, 'true');
        }
        return js.publish(opts.subject, body, {
          headers: h,
          // Idempotent re-publish if we crash after publishing but before settling.
          msgID: `${opts.idPrefix ?? 'dlq'}-${l.stream}-${l.seq}`,
        });
      }),
    );
    const failures = results.filter((r) => r.status === 'rejected');
    if (failures.length > 0) throw new DeadLetterPublishError(failures.length, failures[0]!.reason);
  };
}

function letterHeaders(l: DeadLetter): MsgHdrs {
  const h = natsHeaders();
  h.set(DEAD_LETTER_HEADERS.kind, headerValue(l.kind));
  h.set(DEAD_LETTER_HEADERS.reason, headerValue(l.reason).slice(0, 1024));
  h.set(DEAD_LETTER_HEADERS.subject, l.subject);
  h.set(DEAD_LETTER_HEADERS.stream, l.stream);
  h.set(DEAD_LETTER_HEADERS.seq, String(l.seq));
  h.set(DEAD_LETTER_HEADERS.size, String(l.data.byteLength));
  return h;
}

/** Header values are one line of text. */
const headerValue = (s: string) => s.replace(/[\r\n]+/g, ' ');

/** Encoded size of the headers, with the Nats-Msg-Id the publish adds. */
function headerBytes(h: MsgHdrs): number {
  let n = 'NATS/1.0\r\n\r\n'.length + 'Nats-Msg-Id: dlq-\r\n'.length + 64;
  for (const [k, vs] of h) for (const v of vs) n += Buffer.byteLength(`${k}: ${v}\r\n`);
  return n;
}
