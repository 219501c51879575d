/**
 * The consumer's batch handler: @anlyt/nats's settling handler (every message ends applied,
 * deduplicated or in the DLQ) around ApplyEventBatchUseCase, with Postgres's idea of a poison
 * batch: the database refuses the data (SQLSTATE class 22/23), or our own code threw a plain
 * error (no SQLSTATE, not marked retryable). Anything else is worth the same batch again.
 */
import { createSettlingHandler, type DeadLetter } from '@anlyt/nats';
import type { Logger } from '@anlyt/observability';
import { classifyDbError } from '@anlyt/pg';
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

export function batchHandler(d: BatchHandlerDeps) {
  return createSettlingHandler({
    source: d.source,
    execute: (batch) => d.useCase.execute(batch),
    deadLetter: d.deadLetter,
    classify: failureOf,
    storeName: 'the database',
    metrics: d.metrics,
    log: d.log,
    maxDeliver: d.maxDeliver,
  });
}

function failureOf(err: unknown): 'transient' | 'poison' {
  const e = err as { retryable?: unknown; code?: unknown };
  if (e?.retryable === true) return 'transient';
  if (e?.retryable === false) return 'poison';
  if (typeof e?.code !== 'string') return 'poison';
  return classifyDbError(err) === 'data' ? 'poison' : 'transient';
}
