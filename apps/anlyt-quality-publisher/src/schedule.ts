/**
 * Runs the use case on the cron schedule (croner, UTC, no overlapping runs: a tick still
 * running when the next fires makes that one skip). Failures are logged when they start and
 * when they stop, and counted; a stale window is logged the same way.
 */
import { Cron } from 'croner';
import { errorSummary, type Logger } from '@anlyt/observability';
import type { PublisherMetrics } from './metrics.js';
import type { PublishQualityUseCase } from './use-cases/publish-quality.use-case.js';

export interface Schedule {
  stop(): Promise<void>;
}

export function startSchedule(
  pattern: string,
  useCase: PublishQualityUseCase,
  metrics: PublisherMetrics,
  log: Logger,
): Schedule {
  let state: 'ok' | 'stale' | 'error' = 'ok';
  let current: Promise<void> = Promise.resolve();
  const tick = async () => {
    const end = metrics.tickDuration.startTimer();
    try {
      const r = await useCase.run(Date.now());
      metrics.ticks.inc({ outcome: r.outcome });
      const windowEnd = new Date(r.window.endMs).toISOString();
      if (r.outcome === 'stale') {
        if (state !== 'stale') {
          const asOf = r.dlrAsOfMs === null ? null : new Date(r.dlrAsOfMs).toISOString();
          log.warn({ windowEnd, dataAsOf: asOf }, 'cubes lag: windows skipped until they catch up');
        }
        state = 'stale';
        return;
      }
      metrics.events.inc({ result: 'published' }, r.published);
      metrics.events.inc({ result: 'duplicate' }, r.duplicates);
      metrics.lastWindowEnd.set(r.window.endMs / 1000);
      if (state !== 'ok') log.info({ windowEnd }, 'publishing again');
      state = 'ok';
      log.debug({ windowEnd, published: r.published, duplicates: r.duplicates }, 'window done');
    } catch (err) {
      metrics.ticks.inc({ outcome: 'error' });
      if (state !== 'error')
        log.warn({ err: errorSummary(err) }, 'tick failed; nothing published for its window');
      state = 'error';
    } finally {
      end();
    }
  };
  const job = new Cron(pattern, { timezone: 'UTC', protect: true }, () => {
    current = tick();
    return current;
  });
  return {
    async stop() {
      job.stop();
      await current;
    },
  };
}
