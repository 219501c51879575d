import { Registry, collectDefaultMetrics } from 'prom-client';

export type { Registry };

/**
 * prom-client's defaults that break Prometheus naming (`promtool check metrics`: a gauge named
 * `_total`). Each duplicates a kept gauge — `nodejs_active_handles{type}` and its siblings —
 * whose sum over `type` is the same number, so nothing is lost by dropping them.
 */
const MISNAMED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * A registry per service (never prom-client's global one), with a `service` label on every
 * series and prom-client's process / Node.js metrics (event-loop lag, heap, GC, CPU, open
 * file descriptors: what an SRE reads first when a process misbehaves), minus the misnamed
 * ones. Metrics are created by the app against this registry.
 */
export function createRegistry(service: string, opts: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (opts.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
  }
  return registry;
}
