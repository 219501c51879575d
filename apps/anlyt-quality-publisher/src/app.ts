/**
 * Wires one anlyt-quality-publisher: the operational HTTP endpoints first (probes answer, not
 * ready, while dependencies come up), then NATS (and the stream, for local runs), ClickHouse
 * and the schedule. main.ts runs it as a process; tests run it in-process against their own
 * ClickHouse database and stream.
 */
import { answersPing, createClickHouse } from '@anlyt/clickhouse';
import {
  connectNats,
  connectionState,
  ensureStream,
  jetstream,
  jetstreamManager,
  type NatsConnection,
} from '@anlyt/nats';
import { buildOpsHttp, type Logger, type Registry } from '@anlyt/observability';
import { clickhouseQualityStore } from './adapters/clickhouse-quality-store.js';
import { natsQualityBus } from './adapters/nats-quality-bus.js';
import type { Config } from './config.js';
import { createPublisherMetrics } from './metrics.js';
import { startSchedule, type Schedule } from './schedule.js';
import { PublishQualityUseCase } from './use-cases/publish-quality.use-case.js';

const DAY_MS = 86_400_000;

export interface PublisherService {
  address: string;
  /** Resolves once NATS is connected and the schedule runs. */
  started: Promise<void>;
  stop(): Promise<void>;
}

export async function startPublisherService(
  cfg: Config,
  log: Logger,
  registry: Registry,
): Promise<PublisherService> {
  const metrics = createPublisherMetrics(registry);
  const ch = createClickHouse({
    url: cfg.CLICKHOUSE_URL,
    requestTimeoutMs: cfg.CLICKHOUSE_REQUEST_TIMEOUT_MS,
    applicationName: 'anlyt-quality-publisher',
    log: log.child({ component: 'clickhouse' }),
  });
  let nc: NatsConnection | null = null;
  let natsUp = () => false;
  let schedule: Schedule | null = null;
  const http = buildOpsHttp(registry, {
    async ready() {
      const clickhouse = await answersPing(ch);
      const nats = natsUp();
      return { ok: clickhouse && nats && schedule !== null, checks: { clickhouse, nats } };
    },
  });
  const address = await http.listen({ host: cfg.HTTP_HOST, port: cfg.HTTP_PORT });
  log.info({ address }, 'anlyt-quality-publisher listening');

  const abort = new AbortController();
  const started = (async () => {
    nc = await connectNats(cfg.NATS_URL, 'anlyt-quality-publisher', {
      signal: abort.signal,
      onFailedAttempt: (err, attempt) =>
        attempt === 1 && log.warn({ err: String(err) }, 'NATS not reachable yet; retrying'),
    });
    natsUp = connectionState(nc);
    if (cfg.QUALITY_STREAM_PROVISION)
      await ensureStream(await jetstreamManager(nc), {
        name: cfg.QUALITY_STREAM,
        subjects: [cfg.QUALITY_SUBJECT],
        maxAgeMs: DAY_MS,
      });
    if (abort.signal.aborted) return;
    const useCase = new PublishQualityUseCase(
      clickhouseQualityStore(
        ch,
        { database: cfg.CLICKHOUSE_DATABASE, cluster: null },
        cfg.CUBE_BUILDER_NAME,
      ),
      natsQualityBus(jetstream(nc), cfg.QUALITY_SUBJECT),
      { minSample: cfg.QUALITY_MIN_SAMPLE, maxLagMs: cfg.QUALITY_MAX_LAG_S * 1000 },
    );
    schedule = startSchedule(
      cfg.QUALITY_CRON,
      useCase,
      metrics,
      log.child({ component: 'schedule' }),
    );
    log.info(
      { cron: cfg.QUALITY_CRON, stream: cfg.QUALITY_STREAM },
      'anlyt-quality-publisher started',
    );
  })();
  started.catch((err: unknown) => {
    if (!abort.signal.aborted)
      log.fatal({ err: String(err) }, 'anlyt-quality-publisher could not start');
  });

  return {
    address,
    started,
    async stop() {
      abort.abort();
      await started.catch(() => undefined);
      await (schedule as Schedule | null)?.stop();
      await (nc as NatsConnection | null)?.drain().catch(() => undefined);
      await http.close();
      await ch.close();
      log.info('anlyt-quality-publisher stopped');
    },
  };
}
