/**
 * Runs the cube builder every CUBE_REFRESH_MS, one pass at a time. A failed pass (ClickHouse
 * away, a mutation refused) is logged when failures start and when they stop, counted, and
 * simply tried again next time: the marks stay until a pass succeeds.
 */
import { errorSummary, type Logger } from '@anlyt/observability';
import type { IngestMetrics } from './metrics.js';
import type { BuildCubesUseCase } from './use-cases/build-cubes.use-case.js';

export interface CubeLoop {
  stop(): Promise<void>;
}

export function startCubeLoop(
  useCase: BuildCubesUseCase,
  everyMs: number,
  metrics: IngestMetrics,
  log: Logger,
): CubeLoop {
  let stopped = false;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const pass = async () => {
    const end = metrics.cubePassDuration.startTimer();
    try {
      const r = await useCase.run();
      metrics.cubeLag.set(r.lagS);
      for (const d of r.rebuilt) metrics.cubeRebuilds.inc({ source: d.source });
      metrics.cubePasses.inc({ outcome: 'ok' });
      metrics.cubeLastSuccess.set(Date.now() / 1000);
      if (failing) log.info('cube builder recovered');
      failing = false;
      if (r.rebuilt.length > 0)
        log.debug({ days: r.rebuilt.length, lagS: r.lagS }, 'cubes rebuilt');
    } catch (err) {
      metrics.cubePasses.inc({ outcome: 'error' });
      if (!failing)
        log.warn({ err: errorSummary(err) }, 'cube builder pass failed; retrying next pass');
      failing = true;
    } finally {
      end();
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = pass().finally(schedule);
    }, everyMs);
  };
  current = pass().finally(schedule);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
