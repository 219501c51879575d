/**
 * Wires one anlyt-consumer: Postgres + NATS clients, the DLQ stream, the durable consumers,
 * one batch loop per source, and the operational HTTP endpoints. main.ts runs it as a
 * process; integration tests run it in-process against their own database and streams.
 */
import { decodeBilled, decodeDlr } from '@anlyt/events';
import { foldBilling, foldDlr } from '@anlyt/domain';
import {
  connectNats,
  ensureDurable,
  ensureStream,
  jetstream,
  jetstreamManager,
  startBatchLoop,
  type BatchLoop,
} from '@anlyt/nats';
import type { Logger, Registry } from '@anlyt/observability';
import { createSql, readJobStatus, readWatermarks } from '@anlyt/pg';
import { deadLetterPublisher } from './adapters/dead-letter.js';
import { billingStore, dlrStore } from './adapters/pg-stores.js';
import type { Config } from './config.js';
import { createBatchHandler } from './handlers/batch-handler.js';
import { buildHttp } from './http.js';
import { createConsumerMetrics } from './metrics.js';
import { ApplyEventBatchUseCase } from './use-cases/apply-event-batch.use-case.js';

export interface ConsumerService {
  /** The bound HTTP address (port 0 in tests picks a free one). */
  address: string;
  stop(): Promise<void>;
}

export async function startConsumerService(
  cfg: Config,
  log: Logger,
  registry: Registry,
): Promise<ConsumerService> {
  const metrics = createConsumerMetrics(registry);
  const sql = createSql(cfg.DATABASE_URL, {
    max: 4,
    applicationName: 'anlyt-consumer',
    statementTimeoutMs: 60_000,
  });
  const nc = await connectNats(cfg.NATS_URL, 'anlyt-consumer');
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  if (cfg.DLQ_PROVISION) {
    await ensureStream(jsm, { name: cfg.DLQ_STREAM, subjects: [`${cfg.DLQ_SUBJECT_PREFIX}.>`] });
  }

  const sources = {
    billing: {
      stream: cfg.BILLING_STREAM,
      subject: cfg.BILLING_SUBJECT,
      durable: cfg.BILLING_DURABLE,
      useCase: new ApplyEventBatchUseCase({
        decode: (data) => decodeBilled(data, cfg.ANLYT_SETTLEMENT_CURRENCY),
        fold: foldBilling,
        store: billingStore(sql),
      }),
    },
    dlr: {
      stream: cfg.DLR_STREAM,
      subject: cfg.DLR_SUBJECT,
      durable: cfg.DLR_DURABLE,
      useCase: new ApplyEventBatchUseCase({
        decode: decodeDlr,
        fold: foldDlr,
        store: dlrStore(sql),
      }),
    },
  } as const;

  const loops: BatchLoop[] = [];
  const enabled = cfg.CONSUMERS.split(',') as (keyof typeof sources)[];
  for (const name of enabled) {
    const s = sources[name];
    await ensureDurable(jsm, {
      stream: s.stream,
      durable: s.durable,
      filterSubject: s.subject,
      maxAckPending: cfg.BATCH_SIZE * 4,
      ackWaitMs: cfg.ACK_WAIT_MS,
      maxDeliver: cfg.MAX_DELIVER,
    });
    const handle = createBatchHandler({
      source: name,
      useCase: s.useCase,
      deadLetter: deadLetterPublisher(js, cfg.DLQ_SUBJECT_PREFIX, name),
      metrics,
      log: log.child({ source: name }),
      maxDeliver: cfg.MAX_DELIVER,
      retryDelayMs: cfg.RETRY_DELAY_MS,
    });
    loops.push(
      await startBatchLoop({
        js,
        stream: s.stream,
        durable: s.durable,
        batchSize: cfg.BATCH_SIZE,
        lingerMs: cfg.BATCH_LINGER_MS,
        retryDelayMs: cfg.RETRY_DELAY_MS,
        handle,
        onError: (err) => log.error({ err: String(err), source: name }, 'batch loop error'),
      }),
    );
  }

  // For /metrics: how far the durables are behind, how fresh the data is, and what the
  // rollup/reconcile CronJobs last recorded.
  const pollStatus = async () => {
    for (const name of enabled) {
      const info = await jsm.consumers
        .info(sources[name].stream, sources[name].durable)
        .catch(() => null);
      if (info) metrics.pending.set({ source: name }, info.num_pending);
    }
    const marks = await readWatermarks(sql).catch(() => new Map<string, string>());
    for (const [projection, iso] of marks)
      metrics.dataAsOf.set({ source: projection }, Date.parse(iso) / 1000);
    const jobs = await readJobStatus(sql).catch(() => null);
    if (jobs) {
      metrics.rollupLastSuccess.set(jobs.lastRollupSuccess ?? 0);
      metrics.reconciliationDiverged.set(jobs.divergedDays);
      metrics.reconciliationMissing.set(jobs.missingDays);
      metrics.reconciliationLast.set(jobs.lastReconciliation ?? 0);
    }
  };
  const statusTimer = setInterval(() => void pollStatus(), cfg.STATUS_POLL_MS);
  statusTimer.unref();
  void pollStatus();

  const http = buildHttp(registry, {
    async ready() {
      const db = await sql`select 1`.then(
        () => true,
        () => false,
      );
      const checks = { postgres: db, nats: !nc.isClosed(), loops: loops.length === enabled.length };
      return { ok: Object.values(checks).every(Boolean), checks };
    },
  });
  const address = await http.listen({ host: cfg.HTTP_HOST, port: cfg.HTTP_PORT });
  log.info({ address, consumers: enabled }, 'anlyt-consumer started');

  return {
    address,
    async stop() {
      clearInterval(statusTimer);
      // Stop pulling and finish the batch in flight before closing what it writes to.
      await Promise.all(loops.map((l) => l.stop()));
      await http.close();
      await nc.drain();
      await sql.end({ timeout: 5 });
      log.info('anlyt-consumer stopped');
    },
  };
}
