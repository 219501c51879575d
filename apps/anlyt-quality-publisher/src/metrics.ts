import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from '@anlyt/observability';

export interface PublisherMetrics {
  ticks: Counter<'outcome'>;
  events: Counter<'result'>;
  lastWindowEnd: Gauge;
  tickDuration: Histogram;
}

export function createPublisherMetrics(registry: Registry): PublisherMetrics {
  return {
    ticks: new Counter({
      name: 'anlyt_quality_ticks_total',
      help: 'Publisher ticks by outcome: published, stale (cubes lag: nothing published), error',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    events: new Counter({
      name: 'anlyt_quality_events_total',
      help: 'operator.quality.v1 events by result: published, duplicate (another replica was first)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    lastWindowEnd: new Gauge({
      name: 'anlyt_quality_last_window_end_seconds',
      help: 'windowEnd (epoch s) of the newest window published; alert when it falls behind',
      registers: [registry],
    }),
    tickDuration: new Histogram({
      name: 'anlyt_quality_tick_duration_seconds',
      help: 'One tick: the freshness check, the cube read and the publishes',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}
