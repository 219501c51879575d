import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient, JsMsg } from '@anlyt/nats';

export interface DeadLetter {
  msg: JsMsg;
  reason: string;
}

/**
 * Publishes dead letters to `<prefix>.<source>` on JetStream (durable: a dead letter must not
 * be lost), the original bytes untouched, the reason and provenance in headers. Awaited
 * before the originals are settled, so a crash in between re-sends rather than loses.
 */
export function deadLetterPublisher(js: JetStreamClient, prefix: string, source: string) {
  const subject = `${prefix}.${source}`;
  return async (letters: readonly DeadLetter[]): Promise<void> => {
    await Promise.all(
      letters.map(({ msg, reason }) => {
        const h = natsHeaders();
        h.set('Anlyt-Reason', reason.slice(0, 1024));
        h.set('Anlyt-Original-Subject', msg.subject);
        h.set('Anlyt-Original-Stream-Seq', String(msg.seq));
        // Idempotent re-publish if we crash after publishing but before settling.
        h.set('Nats-Msg-Id', `dlq-${msg.info.stream}-${msg.seq}`);
        return js.publish(subject, msg.data, { headers: h });
      }),
    );
  };
}
