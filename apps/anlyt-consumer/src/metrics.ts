import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The consumer's metric families; names and labels are documented in docs/OBSERVABILITY.md.
 * `loopStates` is read at each scrape for anlyt_consumer_loop_up.
 */
export function createConsumerMetrics(
  registry: Registry,
  loopStates: () => Record<string, string> = () => ({}),
) {
  const registers = [registry];
  return {
    events: new Counter({
      name: 'anlyt_consumer_events_total',
      help: 'Events handled, by source and outcome (applied, redelivered, conflict, invalid)',
      labelNames: ['source', 'outcome'] as const,
      registers,
    }),
    deadLetters: new Counter({
      name: 'anlyt_consumer_dead_letters_total',
      help: 'Messages published to the dead-letter subject, by source and reason kind',
      labelNames: ['source', 'reason'] as const,
      registers,
    }),
    batchFailures: new Counter({
      name: 'anlyt_consumer_batch_failures_total',
      help: 'Batch transactions that failed (retried in place, or split to find a rejected event)',
      labelNames: ['source'] as const,
      registers,
    }),
    batchRetries: new Counter({
      name: 'anlyt_consumer_batch_retries_total',
      help: 'Retries of a batch held in place (database outage, failover, DLQ unreachable)',
      labelNames: ['source'] as const,
      registers,
    }),
    resubscribes: new Counter({
      name: 'anlyt_consumer_resubscribes_total',
      help: 'Times a consume loop lost its subscription (durable or stream gone) and made a new one',
      labelNames: ['source'] as const,
      registers,
    }),
    loopUp: new Gauge({
      name: 'anlyt_consumer_loop_up',
      help: '1 while the source consume loop is running; 0 while retrying, resubscribing, stalled or stopped',
      labelNames: ['source'] as const,
      registers,
      collect() {
        for (const [source, state] of Object.entries(loopStates()))
          this.set({ source }, state === 'running' ? 1 : 0);
      },
    }),
    batchDuration: new Histogram({
      name: 'anlyt_consumer_batch_duration_seconds',
      help: 'Time from handing a batch to the use case to its last ack',
      labelNames: ['source'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    batchSize: new Histogram({
      name: 'anlyt_consumer_batch_size',
      help: 'Messages per batch',
      labelNames: ['source'] as const,
      buckets: [1, 10, 100, 500, 1000, 2000, 5000],
      registers,
    }),
    pending: new Gauge({
      name: 'anlyt_consumer_pending_messages',
      help: 'Messages in the stream not yet delivered to the durable consumer (num_pending)',
      labelNames: ['source'] as const,
      registers,
    }),
    dataAsOf: new Gauge({
      name: 'anlyt_consumer_data_as_of_timestamp_seconds',
      help: 'Unix time of the newest occurredAt folded into the projection (dataAsOf)',
      labelNames: ['source'] as const,
      registers,
    }),
    // The CronJobs (rollup, reconcile) cannot be scraped; this long-running service exports
    // what they recorded in the database, for AnlytRollupFailed / AnlytReconciliationDivergence.
    rollupLastSuccess: new Gauge({
      name: 'anlyt_rollup_last_success_timestamp_seconds',
      help: 'Unix time the last successful anlyt-rollup run finished (0 = never)',
      registers,
    }),
    reconciliationDiverged: new Gauge({
      name: 'anlyt_reconciliation_diverged_dates',
      help: 'Days of the last 35 whose latest reconciliation against billing is DIVERGED',
      registers,
    }),
    reconciliationMissing: new Gauge({
      name: 'anlyt_reconciliation_missing_dates',
      help: 'Days of the last 35 whose latest reconciliation is MISSING_BILLING or MISSING_ANALYTICS',
      registers,
    }),
    reconciliationLast: new Gauge({
      name: 'anlyt_reconciliation_last_check_timestamp_seconds',
      help: 'Unix time of the latest reconciliation check (0 = never)',
      registers,
    }),
  };
}

export type ConsumerMetrics = ReturnType<typeof createConsumerMetrics>;
