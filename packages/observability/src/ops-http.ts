import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from './metrics.js';

export interface Probes {
  /** What the service needs to do its work (databases, broker, loops), checked now. */
  ready(): Promise<{ ok: boolean; checks: Record<string, unknown> }>;
}

/** The operational endpoints: liveness, readiness, Prometheus metrics. No business routes. */
export function buildOpsHttp(registry: Registry, probes: Probes): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const r = await probes.ready();
    return reply
      .code(r.ok ? 200 : 503)
      .send({ status: r.ok ? 'ready' : 'not ready', checks: r.checks });
  });
  app.get('/metrics', async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
  return app;
}
