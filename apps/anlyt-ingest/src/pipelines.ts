/**
 * Everything that needs NATS: the connection (waited for, with backoff), the DLQ stream and
 * the durables (waited for too: an upstream stream may not exist yet), one batch loop per
 * source, and the pending-messages poll. Started by app.ts after the HTTP endpoints, so that
 * probes answer (not ready) while this waits.
 */
import type { ClickHouseClient } from '@anlyt/clickhouse';
import {
  connectNats,
  connectionState,
  deadLetterPublisher,
  ensureDurable,
  ensureStream,
  jetstream,
  jetstreamManager,
  loopEventLogger,
  retryUntilReady,
  startBatchLoop,
  streamOriginals,
  waitingLog,
  type BatchLoop,
  type JetStreamManager,
  type NatsConnection,
} from '@anlyt/nats';
import { errorSummary, type Logger } from '@anlyt/observability';
import type { Config } from './config.js';
import { batchHandler } from './handlers/batch-handler.js';
import type { IngestMetrics } from './metrics.js';
import { ingestUseCaseFor, topologyOf, type Source } from './sources.js';

export interface PipelineDeps {
  cfg: Config;
  log: Logger;
  metrics: IngestMetrics;
  ch: ClickHouseClient;
  /** Filled as the loops start; read by readiness and metrics. */
  loops: Map<Source, BatchLoop>;
  signal: AbortSignal;
  onFatal: (err: unknown) => void;
}

export interface Pipelines {
  natsUp(): boolean;
  stop(): Promise<void>;
}

export async function startPipelines(d: PipelineDeps): Promise<Pipelines> {
  const { cfg, log } = d;
  const nc = await connectNats(cfg.NATS_URL, 'anlyt-ingest', {
    signal: d.signal,
    onFailedAttempt: waitingLog(log, 'NATS unreachable, retrying with backoff', {
      url: cfg.NATS_URL,
    }),
  });
  try {
    const jsm = await jetstreamManager(nc);
    const enabled = cfg.SOURCES.split(',') as Source[];
    const wait = {
      signal: d.signal,
      minMs: cfg.RETRY_DELAY_MS,
      maxMs: cfg.RETRY_MAX_DELAY_MS,
      log,
    };
    await retryUntilReady(wait, 'JetStream not ready (DLQ stream, durables), retrying', () =>
      provision(cfg, jsm, enabled),
    );
    for (const name of enabled) {
      const durable = topologyOf(cfg, name).durable;
      const loop = await startSourceLoop(d, nc, name, durable, () =>
        ensureDurable(jsm, durableSpec(cfg, name, durable)),
      );
      loop.done.catch((err: unknown) => {
        log.fatal({ err: String(err), source: name }, 'consume loop failed');
        d.onFatal(err);
      });
      d.loops.set(name, loop);
    }
    const stopPolling = pollPending(d, jsm, enabled);
    const natsUp = connectionState(nc);
    return {
      natsUp,
      async stop() {
        stopPolling();
        // Stop pulling and finish the batch in flight before closing what it writes to.
        await Promise.all([...d.loops.values()].map((l) => l.stop()));
        await nc.drain();
      },
    };
  } catch (err) {
    await nc.close();
    throw err;
  }
}

/**
 * One source's batch loop on `durable`: the normal path (decode, copies lookup, facts insert,
 * dirty-day marks, dead letters), shared by the live durables and the backfill's
 * (backfill/run.ts). `reacquire` puts the durable back if it was deleted while the loop ran.
 */
export async function startSourceLoop(
  d: Pick<PipelineDeps, 'cfg' | 'log' | 'metrics' | 'ch'>,
  nc: NatsConnection,
  name: Source,
  durable: string,
  reacquire: () => Promise<void>,
): Promise<BatchLoop> {
  const { cfg, log, metrics } = d;
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const s = topologyOf(cfg, name);
  const deadLetter = deadLetterPublisher(js, {
    subject: `${cfg.DLQ_SUBJECT_PREFIX}.${name}`,
    maxPayload: nc.info?.max_payload ?? 1024 * 1024,
    idPrefix: 'dlq-ingest',
  });
  return startBatchLoop({
    js,
    stream: s.stream,
    durable,
    batchSize: cfg.BATCH_SIZE,
    lingerMs: cfg.BATCH_LINGER_MS,
    ackWaitMs: cfg.ACK_WAIT_MS,
    stallAfterMs: cfg.STALL_AFTER_MS,
    retry: { minMs: cfg.RETRY_DELAY_MS, maxMs: cfg.RETRY_MAX_DELAY_MS },
    handle: batchHandler({
      source: name,
      useCase: ingestUseCaseFor(name, cfg, d.ch, streamOriginals(jsm, s.stream, deadLetter)),
      deadLetter,
      metrics,
      log: log.child({ source: name }),
      maxDeliver: cfg.MAX_DELIVER,
    }),
    // The durable is ours (contract §1): if it was deleted, put it back; the facts'
    // ReplacingMergeTree and the rebuilt cubes make the replay that follows change nothing.
    reacquire,
    onEvent: loopEventLogger(name, log.child({ source: name }), metrics),
  });
}

export function durableSpec(cfg: Config, name: Source, durable: string) {
  const s = topologyOf(cfg, name);
  return {
    stream: s.stream,
    durable,
    filterSubject: s.subject,
    maxAckPending: cfg.BATCH_SIZE * 4,
    ackWaitMs: cfg.ACK_WAIT_MS,
  };
}

/** The DLQ stream, unless it is provisioned elsewhere (DLQ_PROVISION=false). */
export async function provisionDlq(cfg: Config, jsm: JetStreamManager): Promise<void> {
  if (!cfg.DLQ_PROVISION) return;
  await ensureStream(jsm, {
    name: cfg.DLQ_STREAM,
    subjects: [cfg.DLQ_STREAM_SUBJECTS],
    duplicateWindowMs: cfg.DLQ_DUPLICATE_WINDOW_MS,
  });
}

async function provision(cfg: Config, jsm: JetStreamManager, enabled: readonly Source[]) {
  await provisionDlq(cfg, jsm);
  for (const name of enabled)
    await ensureDurable(jsm, durableSpec(cfg, name, topologyOf(cfg, name).durable));
}

/** num_pending per durable for /metrics; a failing read is logged when it starts failing. */
function pollPending(d: PipelineDeps, jsm: JetStreamManager, enabled: readonly Source[]) {
  let failing = false;
  const poll = async () => {
    try {
      for (const name of enabled) {
        const s = topologyOf(d.cfg, name);
        const info = await jsm.consumers.info(s.stream, s.durable);
        d.metrics.pending.set({ source: name }, info.num_pending);
      }
      if (failing) d.log.info('pending poll recovered');
      failing = false;
    } catch (err) {
      if (!failing) d.log.warn({ err: errorSummary(err) }, 'pending poll failed');
      failing = true;
    }
  };
  const timer = setInterval(() => void poll(), d.cfg.STATUS_POLL_MS);
  timer.unref();
  void poll();
  return () => clearInterval(timer);
}
