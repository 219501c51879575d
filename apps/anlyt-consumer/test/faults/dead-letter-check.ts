/**
 * What the DLQ must hold after a row, from the generator's own labels (never from the
 * consumer's output): every invalid message; every conflicting payload — the generator always
 * publishes a conflict after its original, so by the lower-sequence rule the conflict loses;
 * never a winning (valid) message. A byte-identical re-send of a winner may be dead-lettered
 * too, when it arrived while a displaced conflict was still held: replaying it changes nothing.
 */
import type { JetStreamManager } from '@anlyt/nats';
import type { TrafficMessage } from '@anlyt/traffic';
import { STREAMS } from './topology.js';

export interface DeadLetterFigures {
  letters: number;
  invalid: number;
  conflicts: number;
  winnerCopies: number;
  /** Letters carrying only the first bytes of an oversize original. */
  truncated: number;
  /** Everything that breaks the rules above; empty when the row passed. */
  problems: string[];
}

const streamOf = (m: TrafficMessage) =>
  m.kind === 'billed' ? STREAMS.billing.stream : STREAMS.dlr.stream;
const key = (stream: string, seq: number) => `${stream}#${seq}`;
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/**
 * Every publish made exactly one stream message (unique Nats-Msg-Ids, resends without one),
 * so a message's stream sequence is its position among the messages of its kind.
 */
export async function deadLetterCheck(
  jsm: JetStreamManager,
  dlqStream: string,
  messages: readonly TrafficMessage[],
): Promise<DeadLetterFigures> {
  const bySeq = new Map<string, TrafficMessage>();
  const next = { [STREAMS.billing.stream]: 1, [STREAMS.dlr.stream]: 1 } as Record<string, number>;
  for (const m of messages) bySeq.set(key(streamOf(m), next[streamOf(m)]!++), m);

  const out: DeadLetterFigures = {
    ...{ letters: 0, invalid: 0, conflicts: 0, winnerCopies: 0, truncated: 0 },
    problems: [],
  };
  const lettered = new Set<string>();
  const letteredPayloads = new Set<string>();
  const info = await jsm.streams.info(dlqStream);
  for (
    let seq = info.state.first_seq;
    seq <= info.state.last_seq && info.state.messages > 0;
    seq++
  ) {
    const l = await jsm.streams.getMessage(dlqStream, { seq });
    if (l === null) continue;
    out.letters++;
    if (l.header.get('Anlyt-Truncated') === 'true') out.truncated++;
    const k = key(
      l.header.get('Anlyt-Original-Stream'),
      Number(l.header.get('Anlyt-Original-Stream-Seq')),
    );
    if (lettered.has(k)) out.problems.push(`${k} dead-lettered twice`);
    lettered.add(k);
    const m = bySeq.get(k);
    if (m === undefined) {
      out.problems.push(`${k}: not a published message`);
      continue;
    }
    letteredPayloads.add(hex(m.data));
    if (m.class === 'invalid') out.invalid++;
    else if (m.class === 'conflict') out.conflicts++;
    else if (m.class === 'duplicate') out.winnerCopies++;
    else
      out.problems.push(
        `${k}: a winning message was dead-lettered (${l.header.get('Anlyt-Reason')})`,
      );
  }
  for (const [k, m] of bySeq) {
    if (m.class === 'invalid' && !lettered.has(k))
      out.problems.push(`${k}: invalid, not in the DLQ`);
    if (m.class === 'conflict' && !letteredPayloads.has(hex(m.data)))
      out.problems.push(`${k}: conflicting payload not in the DLQ`);
  }
  return out;
}
