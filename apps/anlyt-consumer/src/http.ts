import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from '@anlyt/observability';

export interface Probes {
  /** Ready = the database answers, NATS is connected and every consume loop is running. */
  ready(): Promise<{ ok: boolean; checks: Record<string, unknown> }>;
}

/** The operational endpoints: liveness, readiness, Prometheus metrics. No business routes. */
export function buildHttp(registry: Registry, probes: Probes): FastifyInstance {
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
