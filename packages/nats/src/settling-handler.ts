/**
 * NATS batch → a use case → settle every message. Shared by every deployable that consumes a
 * stream into a store (anlyt-consumer → Postgres, anlyt-ingest → ClickHouse). Every message
 * ends stored, deduplicated or in the DLQ:
 * - stored / deduplicated → ack; invalid → dead-letter, then term; conflict → dead-letter,
 *   then ack (the store already holds the winner); a displaced earlier copy was dead-lettered
 *   by the use case before it resolved.
 * - delivered more than `maxDeliver` times without being settled → presumed to crash the
 *   process (each crash delivers it again): dead-lettered ("quarantined") before it is read.
 * A failed batch:
 * - poison (the store refuses something in the batch, or our own code threw a plain error)
 *   → split the batch in halves and apply each, down to the single culprit, which is
 *   dead-lettered ("rejected"): one bad event never holds back the others;
 * - transient (connection lost, failover, timeouts, the DLQ or the stream unreachable) →
 *   thrown as BatchRetryError: the batch loop retries the same batch in place, with backoff,
 *   for as long as it takes. Nothing is dead-lettered for an outage.
 */
import { errorSummary, type Logger } from '@anlyt/observability';
import { ackAll, type JsMsg } from './batch-loop.js';
import { letterOf, type DeadLetter } from './dead-letter.js';
import type { Displaced } from './originals.js';

/** What the use case decided for one message. Kinds other than these two are acked. */
export type SettleDecision =
  | { kind: 'invalid'; reason: string }
  | { kind: 'conflict'; reason: string }
  | { kind: string; reason?: string };

export interface SettleOutcome {
  /** One per message of the batch, in batch order. */
  decisions: SettleDecision[];
  /** Stored earlier, taken back out now: already dead-lettered when the outcome resolves. */
  displaced: Displaced[];
}

/** Labels are `{source, outcome}` / `{source, reason}` / `{source}`; prom-client fits. */
export interface SettlingMetrics {
  events: { inc(labels: { source: string; outcome: string }): void };
  deadLetters: { inc(labels: { source: string; reason: string }, n?: number): void };
  batchFailures: { inc(labels: { source: string }): void };
  batchDuration: { startTimer(labels: { source: string }): () => unknown };
  batchSize: { observe(labels: { source: string }, value: number): void };
}

export interface SettlingHandlerDeps {
  source: string;
  /** A JsMsg is what it reads: `data` and `seq`. */
  execute(batch: readonly JsMsg[]): Promise<SettleOutcome>;
  deadLetter: (letters: readonly DeadLetter[]) => Promise<void>;
  /** poison: something in the batch itself; transient: worth the same batch again later. */
  classify(err: unknown): 'transient' | 'poison';
  /** Names the store in a rejected message's reason ("rejected by the database: …"). */
  storeName: string;
  metrics: SettlingMetrics;
  log: Logger;
  maxDeliver: number;
}

/** The batch could not be settled now; the loop retries it. */
export class BatchRetryError extends Error {
  readonly code = 'BATCH_RETRY';
  readonly retryable = true;
  constructor(cause: unknown) {
    super(`batch to be retried: ${errorSummary(cause).message}`, { cause });
    this.name = 'BatchRetryError';
  }
}

export function createSettlingHandler(d: SettlingHandlerDeps) {
  const { source, metrics } = d;

  const settle = async (batch: JsMsg[]): Promise<void> => {
    let outcome: SettleOutcome;
    try {
      outcome = await d.execute(batch);
    } catch (err) {
      metrics.batchFailures.inc({ source });
      const failure = d.classify(err);
      d.log.error({ err: errorSummary(err), failure, size: batch.length }, 'batch failed');
      if (failure === 'transient') throw new BatchRetryError(err);
      if (batch.length === 1) {
        const e = errorSummary(err);
        const by = e.code === undefined ? `${e.name ?? 'error'} in the service` : d.storeName;
        return deadLetterAndTerm(batch, 'rejected', `rejected by ${by}: ${e.message}`);
      }
      const half = Math.ceil(batch.length / 2);
      await settle(batch.slice(0, half));
      await settle(batch.slice(half));
      return;
    }
    const letters: DeadLetter[] = [];
    const toTerm: JsMsg[] = [];
    const toAck: JsMsg[] = [];
    outcome.decisions.forEach((dec, i) => {
      const msg = batch[i]!;
      if (dec.kind === 'invalid' || dec.kind === 'conflict') {
        letters.push(letterOf(msg, dec.kind, `${dec.kind}: ${dec.reason ?? ''}`));
        (dec.kind === 'invalid' ? toTerm : toAck).push(msg);
      } else toAck.push(msg);
    });
    if (letters.length > 0) await publish(letters);
    // Counted once the batch is settled: a retried batch would count twice otherwise.
    outcome.decisions.forEach((dec) => metrics.events.inc({ source, outcome: dec.kind }));
    for (const l of letters) metrics.deadLetters.inc({ source, reason: l.kind });
    if (outcome.displaced.length > 0) {
      metrics.deadLetters.inc({ source, reason: 'displaced' }, outcome.displaced.length);
      d.log.warn(
        { count: outcome.displaced.length, seqs: outcome.displaced.slice(0, 3).map((x) => x.seq) },
        'displaced by a lower stream sequence: taken out and dead-lettered',
      );
    }
    ackAll(toAck);
    for (const m of toTerm) m.term();
  };

  const publish = async (letters: DeadLetter[]) => {
    d.log.warn(
      { count: letters.length, reasons: letters.slice(0, 3).map((l) => l.reason) },
      'dead-lettered',
    );
    try {
      await d.deadLetter(letters);
    } catch (err) {
      throw new BatchRetryError(err);
    }
  };

  const deadLetterAndTerm = async (msgs: JsMsg[], kind: string, reason: string) => {
    await publish(msgs.map((m) => letterOf(m, kind, reason)));
    metrics.deadLetters.inc({ source, reason: kind }, msgs.length);
    for (const m of msgs) m.term();
  };

  return async (batch: JsMsg[]): Promise<void> => {
    const end = metrics.batchDuration.startTimer({ source });
    metrics.batchSize.observe({ source }, batch.length);
    const worn = batch.filter((m) => m.info.deliveryCount > d.maxDeliver);
    if (worn.length > 0) {
      const reason = (m: JsMsg) =>
        `quarantined: delivered ${m.info.deliveryCount} times without being settled (presumed to crash the service)`;
      await publish(worn.map((m) => letterOf(m, 'quarantined', reason(m))));
      metrics.deadLetters.inc({ source, reason: 'quarantined' }, worn.length);
      for (const m of worn) m.term();
    }
    await settle(worn.length > 0 ? batch.filter((m) => !worn.includes(m)) : batch);
    end();
  };
}
