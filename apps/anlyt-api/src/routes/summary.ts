/** GET /v1/internal/analytics/summary — platform-wide metrics for a window (US-ANLYT-04). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TimeWindow } from '@anlyt/domain';
import { readActiveAccounts, readWindowTotals, type WindowTotals } from '@anlyt/pg';
import type { AnswerCache, BodyOf } from '../answer-cache.js';
import { requireRole, type TokenVerifier } from '../plugins/auth.js';
import { Summary } from '../schemas/bodies.js';
import { SUMMARY_EXAMPLES } from '../schemas/examples.js';
import { ok, problems } from '../schemas/responses.js';
import { freshness } from '../views/freshness.js';
import { avgLatencyMs, deliveryRate, p95 } from '../views/measures.js';
import { windowEcho, windowOf, WindowQuerySchema } from './window-query.js';

export interface RouteDeps {
  /** Every analytics read goes through it (with the connection it reserves). */
  answers: AnswerCache;
  verify: TokenVerifier;
  now: () => number;
  marginSeconds: number;
}

export const summaryRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, d) => {
  app.get(
    '/summary',
    {
      onRequest: requireRole(d.verify, ['admin']),
      schema: {
        operationId: 'getPlatformSummary',
        summary: 'Platform-wide metrics for a window (default: today, UTC)',
        description:
          'Role: admin. Messages, DLR outcomes, cost, active accounts, peak TPS and latency of ' +
          'the whole platform; the window is widened to whole UTC hours (see Window).',
        tags: ['platform'],
        security: [{ bearer: [] }],
        querystring: WindowQuerySchema,
        response: {
          200: ok(Summary, "The platform's measures for the effective window", SUMMARY_EXAMPLES),
          ...problems(400, 401, 403, 500),
        },
      },
    },
    async (req, reply) => {
      const nowMs = d.now();
      const { window, plan } = windowOf(req.query, nowMs);
      const q = { ...plan, marginSeconds: d.marginSeconds };
      return d.answers.send(reply, {
        route: 'summary',
        key: `summary ${window.requestedFrom} ${window.requestedTo}`,
        window,
        nowMs,
        freshness,
        compute: async (sql) => {
          const [t, active] = await Promise.all([
            readWindowTotals(sql, { ...q, scope: 'PLATFORM', scopeId: '*' }),
            readActiveAccounts(sql, q),
          ]);
          return summaryBody(window, t, active);
        },
      });
    },
  );
};

function summaryBody(window: TimeWindow, t: WindowTotals, active: number): BodyOf<typeof Summary> {
  const delivered = Number(t.deliveredMessages);
  const failed = Number(t.failedMessages);
  const latency = p95(t.latencySketch);
  return {
    window: windowEcho(window),
    totalMessages: Number(t.totalMessages),
    deliveredMessages: delivered,
    failedMessages: failed,
    deliveryRate: deliveryRate(delivered, failed),
    totalCost: t.totalCost,
    activeAccounts: active,
    peakTps: t.peakTps,
    avgLatencyMs: avgLatencyMs(t.latencySumMs, t.latencyCount),
    p95LatencyMs: latency.valueMs,
    p95: latency,
  };
}
