/** The DeadLetterQueue port on the JetStream DLQ stream: one source's subject, in order. */
import { DEAD_LETTER_HEADERS as H, type JetStreamManager } from '@anlyt/nats';
import type { DeadLetterQueue, Letter } from '../use-cases/replay-dead-letters.use-case.js';

export interface DlqRange {
  stream: string;
  subject: string;
  fromSeq?: number;
  toSeq?: number;
}

export function jetStreamDlq(jsm: JetStreamManager, r: DlqRange): DeadLetterQueue {
  return {
    async *letters(): AsyncIterable<Letter> {
      const { state } = await jsm.streams.info(r.stream);
      const from = Math.max(r.fromSeq ?? state.first_seq, state.first_seq);
      const to = Math.min(r.toSeq ?? state.last_seq, state.last_seq);
      // A DLQ holds few messages: reading them one by one keeps this simple and works on
      // every server version (2.9 has no multi-subject or next-by-subject reads).
      for (let seq = from; seq <= to && state.messages > 0; seq++) {
        const m = await jsm.streams.getMessage(r.stream, { seq }).catch(() => null);
        if (m === null || m.subject !== r.subject) continue;
        const reason = m.header.get(H.reason);
        yield {
          dlqSeq: seq,
          kind: m.header.get(H.kind),
          reason,
          originalSeq: Number(m.header.get(H.seq)),
          data: m.header.get(H.truncated) === 'true' ? null : m.data,
        };
      }
    },
    async remove(dlqSeq) {
      await jsm.streams.deleteMessage(r.stream, dlqSeq, false);
    },
  };
}
