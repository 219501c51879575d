import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * anlyt-ingest's metric families; names and labels are documented in docs/OBSERVABILITY.md.
 * `loopStates` is read at each scrape for anlyt_ingest_loop_up.
 */
export function createIngestMetrics(
  registry: Registry,
  loopStates: () => Record<string, string> = () => ({}),
) {
  const registers = [registry];
  const bySource = ['source'] as const;
  return {
    events: new Counter({
      name: 'anlyt_ingest_events_total',
      help: 'Events handled, by source and outcome (inserted, duplicate, conflict, invalid)',
      labelNames: ['source', 'outcome'] as const,
      registers,
    }),
    deadLetters: new Counter({
      name: 'anlyt_ingest_dead_letters_total',
      help: 'Messages published to the dead-letter subject, by source and reason kind',
      labelNames: ['source', 'reason'] as const,
      registers,
    }),
    batchFailures: new Counter({
      name: 'anlyt_ingest_batch_failures_total',
      help: 'Batches that failed (retried in place, or split to find a rejected event)',
      labelNames: bySource,
      registers,
    }),
    batchRetries: new Counter({
      name: 'anlyt_ingest_batch_retries_total',
      help: 'Retries of a batch held in place (ClickHouse or NATS unreachable)',
      labelNames: bySource,
      registers,
    }),
    resubscribes: new Counter({
      name: 'anlyt_ingest_resubscribes_total',
      help: 'Times a consume loop lost its subscription (durable or stream gone) and made a new one',
      labelNames: bySource,
      registers,
    }),
    loopUp: new Gauge({
      name: 'anlyt_ingest_loop_up',
      help: '1 while the source consume loop is running; 0 while retrying, resubscribing, stalled or stopped',
      labelNames: bySource,
      registers,
      collect() {
        for (const [source, state] of Object.entries(loopStates()))
          this.set({ source }, state === 'running' ? 1 : 0);
      },
    }),
    batchDuration: new Histogram({
      name: 'anlyt_ingest_batch_duration_seconds',
      help: 'Time from handing a batch to the use case to its last ack',
      labelNames: bySource,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    batchSize: new Histogram({
      name: 'anlyt_ingest_batch_size',
      help: 'Messages per batch',
      labelNames: bySource,
      buckets: [1, 10, 100, 1000, 2500, 5000, 10000],
      registers,
    }),
    lag: new Histogram({
      name: 'anlyt_ingest_lag_seconds',
      help: 'Per message: from its publication to JetStream to ClickHouse acknowledging its insert',
      labelNames: bySource,
      buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
      registers,
    }),
    pending: new Gauge({
      name: 'anlyt_ingest_pending_messages',
      help: 'Messages in the stream not yet delivered to the durable consumer (num_pending)',
      labelNames: bySource,
      registers,
    }),
    cubeLag: new Gauge({
      name: 'anlyt_ingest_cube_lag_seconds',
      help: 'Age of the oldest fact insert not yet in the cubes, at the start of the last builder pass (0 = none)',
      registers,
    }),
    cubePasses: new Counter({
      name: 'anlyt_ingest_cube_passes_total',
      help: 'Cube builder passes, by outcome (ok, error)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    cubeRebuilds: new Counter({
      name: 'anlyt_ingest_cube_rebuilds_total',
      help: 'Cube partitions (one UTC day of the cubes a source feeds) rebuilt from the facts, by source',
      labelNames: bySource,
      registers,
    }),
    cubePassDuration: new Histogram({
      name: 'anlyt_ingest_cube_pass_duration_seconds',
      help: 'Duration of one cube builder pass',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    cubeLastSuccess: new Gauge({
      name: 'anlyt_ingest_cube_last_success_timestamp_seconds',
      help: 'Unix time the last successful cube builder pass finished (0 = never)',
      registers,
    }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
