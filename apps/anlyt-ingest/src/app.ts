/**
 * Wires one anlyt-ingest: the operational HTTP endpoints first (so an orchestrator's probes
 * answer — not ready — while dependencies come up), then the pipelines (pipelines.ts) and the
 * cube builder. main.ts runs it as a process; integration tests run it in-process against
 * their own ClickHouse database and streams.
 */
import { answersPing, createClickHouse, readServerVersion } from '@anlyt/clickhouse';
import type { BatchLoop } from '@anlyt/nats';
import { buildOpsHttp, type Logger, type Registry } from '@anlyt/observability';
import { clickhouseCubes } from './adapters/clickhouse-cubes.js';
import type { Config } from './config.js';
import { startCubeLoop, type CubeLoop } from './cube-loop.js';
import { createIngestMetrics } from './metrics.js';
import { startPipelines, type Pipelines } from './pipelines.js';
import { chTopology, type Source } from './sources.js';
import { BuildCubesUseCase } from './use-cases/build-cubes.use-case.js';

export interface IngestService {
  /** The bound HTTP address (port 0 in tests picks a free one). */
  address: string;
  /** Resolves once NATS is connected and every loop consumes (rejects if startup failed). */
  started: Promise<void>;
  stop(): Promise<void>;
}

export interface ServiceHooks {
  /** The service failed in a way it cannot recover from (a bug): the process should exit. */
  onFatal?: (err: unknown) => void;
}

export async function startIngestService(
  cfg: Config,
  log: Logger,
  registry: Registry,
  hooks: ServiceHooks = {},
): Promise<IngestService> {
  const enabled = cfg.SOURCES.split(',') as Source[];
  const loops = new Map<Source, BatchLoop>();
  const loopStates = () =>
    Object.fromEntries(enabled.map((name) => [name, loops.get(name)?.state() ?? 'starting']));
  const metrics = createIngestMetrics(registry, loopStates);
  const ch = createClickHouse({
    url: cfg.CLICKHOUSE_URL,
    requestTimeoutMs: cfg.CLICKHOUSE_REQUEST_TIMEOUT_MS,
    applicationName: 'anlyt-ingest',
    log: log.child({ component: 'clickhouse' }),
  });
  let pipelines: Pipelines | null = null;
  let cubes: CubeLoop | null = null;

  const http = buildOpsHttp(registry, {
    async ready() {
      const clickhouse = await answersPing(ch);
      const nats = pipelines?.natsUp() ?? false;
      const states = loopStates();
      const ok = clickhouse && nats && Object.values(states).every((s) => s === 'running');
      return { ok, checks: { clickhouse, nats, loops: states } };
    },
  });
  const address = await http.listen({ host: cfg.HTTP_HOST, port: cfg.HTTP_PORT });
  log.info({ address }, 'anlyt-ingest listening');

  const abort = new AbortController();
  const onFatal = (err: unknown) => hooks.onFatal?.(err);
  const running = startPipelines({ cfg, log, metrics, ch, loops, signal: abort.signal, onFatal });
  const started = running.then(async (p) => {
    pipelines = p;
    const version = await readServerVersion(ch).catch(() => null);
    log.info({ address, sources: enabled, clickhouse: version?.text }, 'anlyt-ingest started');
    if (cfg.CUBE_BUILDER_ENABLED && !abort.signal.aborted) {
      const useCase = new BuildCubesUseCase(
        clickhouseCubes(ch, chTopology(cfg), cfg.CUBE_BUILDER_NAME),
        cfg.CUBE_DIRTY_SLACK_S,
      );
      cubes = startCubeLoop(
        useCase,
        cfg.CUBE_REFRESH_MS,
        metrics,
        log.child({ component: 'cubes' }),
      );
    }
  });
  started.catch((err: unknown) => {
    if (abort.signal.aborted) return;
    log.fatal({ err: String(err) }, 'anlyt-ingest could not start');
    onFatal(err);
  });

  return {
    address,
    started,
    async stop() {
      abort.abort();
      await (await running.catch(() => null))?.stop();
      await started.catch(() => undefined);
      await (cubes as CubeLoop | null)?.stop();
      await http.close();
      await ch.close();
      log.info('anlyt-ingest stopped');
    },
  };
}
