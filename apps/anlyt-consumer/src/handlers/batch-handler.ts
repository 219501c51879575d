/**
 * NATS batch → ApplyEventBatchUseCase → settle every message.
 * applied/redelivered → ack; invalid → dead-letter then term; conflict → dead-letter then ack.
 * A failed transaction:
 * - a data error (one event the database refuses) → split the batch in halves and apply each,
 *   down to the single culprit, which is dead-lettered: one bad event never holds back others;
 * - otherwise → nak(delay), except on the last allowed delivery, where the message is
 *   dead-lettered ("gave up") and terminated: neither lost nor redelivered forever.
 */
import { ackAll, type JsMsg } from '@anlyt/nats';
import { classifyDbError } from '@anlyt/pg';
import type { Logger } from '@anlyt/observability';
import type { DeadLetter } from '../adapters/dead-letter.js';
import type { ConsumerMetrics } from '../metrics.js';
import type { ApplyEventBatchUseCase, Decision } from '../use-cases/apply-event-batch.use-case.js';

export interface BatchHandlerDeps {
  source: 'billing' | 'dlr';
  useCase: Pick<ApplyEventBatchUseCase<{ eventId: string }, unknown>, 'execute'>;
  deadLetter: (letters: readonly DeadLetter[]) => Promise<void>;
  metrics: ConsumerMetrics;
  log: Logger;
  maxDeliver: number;
  retryDelayMs: number;
}

export function createBatchHandler(d: BatchHandlerDeps) {
  const { source, metrics } = d;
  const handle = async (batch: JsMsg[]): Promise<void> => {
    let decisions: Decision[];
    try {
      decisions = await d.useCase.execute(batch);
    } catch (err) {
      metrics.batchFailures.inc({ source });
      const failure = classifyDbError(err);
      d.log.error({ err: errorSummary(err), failure, size: batch.length }, 'batch failed');
      if (failure !== 'data') return giveUpOrRetry(d, batch, err);
      if (batch.length === 1)
        return deadLetterAndTerm(
          d,
          batch,
          `rejected by the database: ${errorSummary(err).message}`,
          'rejected',
        );
      const half = Math.ceil(batch.length / 2);
      await handle(batch.slice(0, half));
      await handle(batch.slice(half));
      return;
    }
    const letters: DeadLetter[] = [];
    const toTerm: JsMsg[] = [];
    const toAck: JsMsg[] = [];
    decisions.forEach((dec, i) => {
      const msg = batch[i]!;
      metrics.events.inc({ source, outcome: dec.kind });
      if (dec.kind === 'invalid' || dec.kind === 'conflict') {
        letters.push({ msg, reason: `${dec.kind}: ${dec.reason}` });
        metrics.deadLetters.inc({ source, reason: dec.kind });
        (dec.kind === 'invalid' ? toTerm : toAck).push(msg);
      } else toAck.push(msg);
    });
    if (letters.length > 0) {
      d.log.warn(
        { count: letters.length, reasons: letters.slice(0, 3).map((l) => l.reason) },
        'dead-lettered',
      );
      await d.deadLetter(letters);
    }
    ackAll(toAck);
    for (const m of toTerm) m.term();
  };
  return async (batch: JsMsg[]): Promise<void> => {
    const end = metrics.batchDuration.startTimer({ source });
    metrics.batchSize.observe({ source }, batch.length);
    await handle(batch);
    end();
  };
}

async function giveUpOrRetry(d: BatchHandlerDeps, batch: JsMsg[], err: unknown) {
  const last = batch.filter((m) => m.info.deliveryCount >= d.maxDeliver);
  const retry = batch.filter((m) => m.info.deliveryCount < d.maxDeliver);
  for (const m of retry) m.nak(d.retryDelayMs);
  if (last.length === 0) return;
  const reason = `gave up after ${d.maxDeliver} deliveries: ${errorSummary(err).message}`;
  await deadLetterAndTerm(d, last, reason, 'gave_up');
}

async function deadLetterAndTerm(d: BatchHandlerDeps, msgs: JsMsg[], reason: string, kind: string) {
  await d.deadLetter(msgs.map((msg) => ({ msg, reason })));
  d.metrics.deadLetters.inc({ source: d.source, reason: kind }, msgs.length);
  for (const m of msgs) m.term();
}

/** Error code and message only: never the SQL parameters, which could carry event data. */
function errorSummary(err: unknown): { code?: string; message: string } {
  const e = err as { code?: string; message?: string };
  return { code: e?.code, message: String(e?.message ?? err).slice(0, 300) };
}
