/**
 * Everything that needs NATS: the connection (waited for, with backoff, if NATS is not up
 * yet), the DLQ stream and the durables (waited for too: an upstream stream may not exist
 * yet), one batch loop per source, and the status poll. Started by app.ts after the HTTP
 * endpoints, so that probes answer (not ready) while this waits.
 */
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
import type { Logger } from '@anlyt/observability';
import type { Sql } from '@anlyt/pg';
import type { Config } from './config.js';
import { batchHandler } from './handlers/batch-handler.js';
import type { ConsumerMetrics } from './metrics.js';
import { applyUseCaseFor, topologyOf, type Source } from './sources.js';
import { startStatusPolling } from './status-poll.js';

export interface PipelineDeps {
  cfg: Config;
  log: Logger;
  metrics: ConsumerMetrics;
  sql: Sql;
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
  const nc = await connectNats(cfg.NATS_URL, 'anlyt-consumer', {
    signal: d.signal,
    onFailedAttempt: waitingLog(log, 'NATS unreachable, retrying with backoff', {
      url: cfg.NATS_URL,
    }),
  });
  if (nc.info) log.info({ server: nc.info.server_name }, 'NATS connected');
  try {
    const jsm = await jetstreamManager(nc);
    const enabled = cfg.CONSUMERS.split(',') as Source[];
    const sources = { billing: topologyOf(cfg, 'billing'), dlr: topologyOf(cfg, 'dlr') };
    await retryUntilReady(
      waitOptions(d),
      'JetStream not ready (DLQ stream, durables), retrying',
      () => provision(d.cfg, jsm, enabled),
    );
    for (const name of enabled) {
      const durable = sources[name].durable;
      const loop = await startSourceLoop(d, nc, name, durable, () =>
        ensureDurable(jsm, durableSpec(cfg, name, durable)),
      );
      loop.done.catch((err: unknown) => {
        log.fatal({ err: String(err), source: name }, 'consume loop failed');
        d.onFatal(err);
      });
      d.loops.set(name, loop);
    }
    const stopPolling = startStatusPolling({ ...d, jsm, sources, enabled });
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
 * One source's batch loop on `durable`: the normal idempotent path (decode, fold, ledger,
 * dead letters), shared by the live durables and the backfill's (backfill/run.ts).
 * `reacquire` puts the durable back if it was deleted while the loop ran.
 */
export async function startSourceLoop(
  d: Pick<PipelineDeps, 'cfg' | 'log' | 'metrics' | 'sql'>,
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
  });
  const originals = streamOriginals(jsm, s.stream, deadLetter);
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
      useCase: applyUseCaseFor(name, cfg, d.sql, originals),
      deadLetter,
      metrics,
      log: log.child({ source: name }),
      maxDeliver: cfg.MAX_DELIVER,
    }),
    // The durable is ours (contract §1): if it was deleted, put it back; the ledger makes
    // the replay from the stream's start that follows change nothing.
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
    subjects: [`${cfg.DLQ_SUBJECT_PREFIX}.>`],
    duplicateWindowMs: cfg.DLQ_DUPLICATE_WINDOW_MS,
  });
}

async function provision(cfg: Config, jsm: JetStreamManager, enabled: readonly Source[]) {
  await provisionDlq(cfg, jsm);
  for (const name of enabled)
    await ensureDurable(jsm, durableSpec(cfg, name, topologyOf(cfg, name).durable));
}

function waitOptions(d: PipelineDeps) {
  return {
    signal: d.signal,
    minMs: d.cfg.RETRY_DELAY_MS,
    maxMs: d.cfg.RETRY_MAX_DELAY_MS,
    log: d.log,
  };
}
