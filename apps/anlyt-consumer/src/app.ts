/**
 * Wires one anlyt-consumer: Postgres + NATS clients, the DLQ stream, the durable consumers,
 * one batch loop per source, and the operational HTTP endpoints. main.ts runs it as a
 * process; integration tests run it in-process against their own database and streams.
 */
import {
  connectNats,
  connectionState,
  deadLetterPublisher,
  ensureDurable,
  ensureStream,
  jetstream,
  jetstreamManager,
  startBatchLoop,
  type BatchLoop,
} from '@anlyt/nats';
import type { Logger, Registry } from '@anlyt/observability';
import { createSql, type Sql } from '@anlyt/pg';
import { streamOriginals } from './adapters/stream-originals.js';
import type { Config } from './config.js';
import { createBatchHandler } from './handlers/batch-handler.js';
import { loopEventLogger } from './handlers/loop-events.js';
import { buildHttp } from './http.js';
import { createConsumerMetrics } from './metrics.js';
import { startStatusPolling } from './status-poll.js';
import { applyUseCaseFor, topologyOf, type Source } from './sources.js';

export interface ConsumerService {
  /** The bound HTTP address (port 0 in tests picks a free one). */
  address: string;
  stop(): Promise<void>;
}

export interface ServiceHooks {
  /** A consume loop failed in a way it cannot recover from (a bug): the process should exit. */
  onFatal?: (err: unknown) => void;
}

export async function startConsumerService(
  cfg: Config,
  log: Logger,
  registry: Registry,
  hooks: ServiceHooks = {},
): Promise<ConsumerService> {
  const loops = new Map<Source, BatchLoop>();
  const metrics = createConsumerMetrics(registry, () =>
    Object.fromEntries([...loops].map(([name, l]) => [name, l.state()])),
  );
  const sql = createSql(cfg.DATABASE_URL, {
    max: 4,
    applicationName: 'anlyt-consumer',
    statementTimeoutMs: cfg.PG_STATEMENT_TIMEOUT_MS,
  });
  const nc = await connectNats(cfg.NATS_URL, 'anlyt-consumer');
  const natsUp = connectionState(nc);
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  if (cfg.DLQ_PROVISION) {
    await ensureStream(jsm, {
      name: cfg.DLQ_STREAM,
      subjects: [`${cfg.DLQ_SUBJECT_PREFIX}.>`],
      duplicateWindowMs: cfg.DLQ_DUPLICATE_WINDOW_MS,
    });
  }

  const enabled = cfg.CONSUMERS.split(',') as Source[];
  const sources = { billing: topologyOf(cfg, 'billing'), dlr: topologyOf(cfg, 'dlr') };

  for (const name of enabled) {
    const s = sources[name];
    const deadLetter = deadLetterPublisher(js, {
      subject: `${cfg.DLQ_SUBJECT_PREFIX}.${name}`,
      maxPayload: nc.info?.max_payload ?? 1024 * 1024,
    });
    const originals = streamOriginals(jsm, s.stream, deadLetter);
    const useCase = applyUseCaseFor(name, cfg, sql, originals);
    const durable = () =>
      ensureDurable(jsm, {
        stream: s.stream,
        durable: s.durable,
        filterSubject: s.subject,
        maxAckPending: cfg.BATCH_SIZE * 4,
        ackWaitMs: cfg.ACK_WAIT_MS,
      });
    await durable();
    const loop = await startBatchLoop({
      js,
      stream: s.stream,
      durable: s.durable,
      batchSize: cfg.BATCH_SIZE,
      lingerMs: cfg.BATCH_LINGER_MS,
      ackWaitMs: cfg.ACK_WAIT_MS,
      stallAfterMs: cfg.STALL_AFTER_MS,
      retry: { minMs: cfg.RETRY_DELAY_MS, maxMs: cfg.RETRY_MAX_DELAY_MS },
      handle: createBatchHandler({
        source: name,
        useCase,
        deadLetter,
        metrics,
        log: log.child({ source: name }),
        maxDeliver: cfg.MAX_DELIVER,
      }),
      // The durable is ours (contract §1): if it was deleted, put it back; the ledger makes
      // the replay from the stream's start that follows change nothing.
      reacquire: durable,
      onEvent: loopEventLogger(name, log.child({ source: name }), metrics),
    });
    loop.done.catch((err: unknown) => {
      log.fatal({ err: String(err), source: name }, 'consume loop failed');
      hooks.onFatal?.(err);
    });
    loops.set(name, loop);
  }

  const stopPolling = startStatusPolling({ cfg, sql, jsm, metrics, log, sources, enabled });

  const http = buildHttp(registry, {
    async ready() {
      const postgres = await answers(sql);
      const states = Object.fromEntries([...loops].map(([name, l]) => [name, l.state()]));
      const nats = natsUp();
      const ok = postgres && nats && Object.values(states).every((s) => s === 'running');
      return { ok, checks: { postgres, nats, loops: states } };
    },
  });
  const address = await http.listen({ host: cfg.HTTP_HOST, port: cfg.HTTP_PORT });
  log.info({ address, consumers: enabled }, 'anlyt-consumer started');

  return {
    address,
    async stop() {
      stopPolling();
      // Stop pulling and finish the batch in flight before closing what it writes to.
      await Promise.all([...loops.values()].map((l) => l.stop()));
      await http.close();
      await nc.drain();
      await sql.end({ timeout: 5 });
      log.info('anlyt-consumer stopped');
    },
  };
}

/** Postgres answers within 2 s: a probe must not hang for the driver's connect timeout. */
async function answers(sql: Sql): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 2000)));
  const probe = sql`select 1`.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
