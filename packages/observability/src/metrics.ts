import { Registry, collectDefaultMetrics } from 'prom-client';

export type { Registry };

/**
 * A registry per service (never prom-client's global one), with the process metrics and a
 * `service` label on every series. Metrics are created by the app against this registry.
 */
export function createRegistry(service: string, opts: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}
