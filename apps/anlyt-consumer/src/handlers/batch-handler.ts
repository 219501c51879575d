/**
 * NATS batch → ApplyEventBatchUseCase → settle every message. Every message ends applied,
 * deduplicated or in the DLQ:
 * - applied / redelivered → ack; invalid → dead-letter, then term; conflict → dead-letter, then
 *   ack (the ledger already holds the winner); a displaced earlier copy was dead-lettered by
 *   the use case before its commit.
 * - delivered more than `maxDeliver` times without being settled → presumed to crash the
 *   process (each crash delivers it again): dead-lettered ("quarantined") before it is read.
 * A failed transaction:
 * - a data error (the database refuses something in the batch), or a plain error of our own
 *   code → split the batch in halves and apply each, down to the single culprit, which is
 *   dead-lettered ("rejected"): one bad event never holds back the others;
 * - anything else (connection lost, failover, timeouts, serialization, the DLQ or the stream
 *   unreachable) → thrown as BatchRetryError: the batch loop retries the same batch in place,
 *   with backoff, for as long as it takes. Nothing is dead-lettered for an outage.
 */
import { ackAll, letterOf, type DeadLetter, type JsMsg } from '@anlyt/nats';
import { classifyDbError } from '@anlyt/pg';
import type { Logger } from '@anlyt/observability';
import { errorSummary } from '../error-summary.js';
import type { ConsumerMetrics } from '../metrics.js';
import type { BatchOutcome, RawMessage } from '../use-cases/apply-event-batch.use-case.js';

export interface BatchHandlerDeps {
  source: 'billing' | 'dlr';
  useCase: { execute(batch: readonly RawMessage[]): Promise<BatchOutcome> };
  deadLetter: (letters: readonly DeadLetter[]) => Promise<void>;
  metrics: ConsumerMetrics;
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

export function createBatchHandler(d: BatchHandlerDeps) {
  const { source, metrics } = d;

  const settle = async (batch: JsMsg[]): Promise<void> => {
    let outcome: BatchOutcome;
    try {
      outcome = await d.useCase.execute(batch); // a JsMsg is a RawMessage (data, seq)
    } catch (err) {
      metrics.batchFailures.inc({ source });
      const failure = failureOf(err);
      d.log.error({ err: errorSummary(err), failure, size: batch.length }, 'batch failed');
      if (failure === 'transient') throw new BatchRetryError(err);
      if (batch.length === 1) {
        const e = errorSummary(err);
        const by = e.code === undefined ? `${e.name ?? 'error'} in the consumer` : 'the database';
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
        letters.push(letterOf(msg, dec.kind, `${dec.kind}: ${dec.reason}`));
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
        `quarantined: delivered ${m.info.deliveryCount} times without being settled (presumed to crash the consumer)`;
      await publish(worn.map((m) => letterOf(m, 'quarantined', reason(m))));
      metrics.deadLetters.inc({ source, reason: 'quarantined' }, worn.length);
      for (const m of worn) m.term();
    }
    await settle(worn.length > 0 ? batch.filter((m) => !worn.includes(m)) : batch);
    end();
  };
}

/**
 * transient: worth the same batch again later. poison: something in the batch itself — the
 * database refuses it (class 22/23), or our own code threw a plain error (no SQLSTATE, not
 * marked retryable) — so find the culprit.
 */
function failureOf(err: unknown): 'transient' | 'poison' {
  const e = err as { retryable?: unknown; code?: unknown };
  if (e?.retryable === true) return 'transient';
  if (e?.retryable === false) return 'poison';
  if (typeof e?.code !== 'string') return 'poison';
  return classifyDbError(err) === 'data' ? 'poison' : 'transient';
}
