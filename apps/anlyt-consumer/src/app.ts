/**
 * Wires one anlyt-consumer: the operational HTTP endpoints first (so an orchestrator's probes
 * answer — not ready — while dependencies come up), then the pipelines (pipelines.ts): NATS,
 * the durables, one batch loop per source. main.ts runs it as a process; integration tests
 * run it in-process against their own database and streams.
 */
import type { BatchLoop } from '@anlyt/nats';
import { buildOpsHttp, type Logger, type Registry } from '@anlyt/observability';
import { createSql, type Sql } from '@anlyt/pg';
import type { Config } from './config.js';
import { createConsumerMetrics } from './metrics.js';
import { startPartitionUpkeep } from './partition-upkeep.js';
import { startPipelines, type Pipelines } from './pipelines.js';
import type { Source } from './sources.js';

export interface ConsumerService {
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

export async function startConsumerService(
  cfg: Config,
  log: Logger,
  registry: Registry,
  hooks: ServiceHooks = {},
): Promise<ConsumerService> {
  const enabled = cfg.CONSUMERS.split(',') as Source[];
  const loops = new Map<Source, BatchLoop>();
  const loopStates = () =>
    Object.fromEntries(enabled.map((name) => [name, loops.get(name)?.state() ?? 'starting']));
  const metrics = createConsumerMetrics(registry, loopStates);
  const sql = createSql(cfg.DATABASE_URL, {
    max: 4,
    applicationName: 'anlyt-consumer',
    statementTimeoutMs: cfg.PG_STATEMENT_TIMEOUT_MS,
  });
  let pipelines: Pipelines | null = null;

  const http = buildOpsHttp(registry, {
    async ready() {
      const postgres = await answers(sql);
      const nats = pipelines?.natsUp() ?? false;
      const states = loopStates();
      const ok = postgres && nats && Object.values(states).every((s) => s === 'running');
      return { ok, checks: { postgres, nats, loops: states } };
    },
  });
  const address = await http.listen({ host: cfg.HTTP_HOST, port: cfg.HTTP_PORT });
  log.info({ address }, 'anlyt-consumer listening');

  const stopUpkeep = startPartitionUpkeep(sql, log.child({ component: 'partitions' }));
  const abort = new AbortController();
  const onFatal = (err: unknown) => hooks.onFatal?.(err);
  const running = startPipelines({ cfg, log, metrics, sql, loops, signal: abort.signal, onFatal });
  const started = running.then((p) => {
    pipelines = p;
    log.info({ address, consumers: enabled }, 'anlyt-consumer started');
  });
  started.catch((err: unknown) => {
    if (abort.signal.aborted) return;
    log.fatal({ err: String(err) }, 'anlyt-consumer could not start');
    onFatal(err);
  });

  return {
    address,
    started,
    async stop() {
      abort.abort();
      stopUpkeep();
      await (await running.catch(() => null))?.stop();
      await http.close();
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
