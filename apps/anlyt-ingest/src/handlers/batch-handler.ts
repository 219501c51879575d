/**
 * The ingest's batch handler: @anlyt/nats's settling handler (every message ends inserted,
 * deduplicated or in the DLQ) around IngestBatchUseCase. Poison = ClickHouse refuses the data
 * itself, or our own code threw (TypeError, RangeError…); anything else (ClickHouse or NATS
 * away, a timeout, a table not created yet, a replica read-only without ZooKeeper) is worth
 * the same batch again.
 * The lag of each message — publication to acknowledged insert — is observed here.
 */
import { classifyClickHouseError } from '@anlyt/clickhouse';
import { createSettlingHandler, type DeadLetter } from '@anlyt/nats';
import type { Logger } from '@anlyt/observability';
import type { IngestMetrics } from '../metrics.js';
import type { RawMessage, IngestOutcome } from '../use-cases/ports.js';

export interface BatchHandlerDeps {
  source: 'dlr' | 'cdr';
  useCase: { execute(batch: readonly RawMessage[]): Promise<IngestOutcome> };
  deadLetter: (letters: readonly DeadLetter[]) => Promise<void>;
  metrics: IngestMetrics;
  log: Logger;
  maxDeliver: number;
}

export function batchHandler(d: BatchHandlerDeps) {
  const { source, metrics } = d;
  return createSettlingHandler({
    source,
    async execute(batch) {
      const outcome = await d.useCase.execute(batch);
      const now = Date.now();
      for (const m of batch)
        metrics.lag.observe({ source }, (now - m.info.timestampNanos / 1e6) / 1000);
      return outcome;
    },
    deadLetter: d.deadLetter,
    classify: failureOf,
    storeName: 'ClickHouse',
    metrics,
    log: d.log,
    maxDeliver: d.maxDeliver,
  });
}

function failureOf(err: unknown): 'transient' | 'poison' {
  const e = err as { retryable?: unknown };
  if (e?.retryable === true) return 'transient';
  if (e?.retryable === false) return 'poison';
  return classifyClickHouseError(err) === 'transient' ? 'transient' : 'poison';
}
