/** GET /v1/internal/analytics/summary — platform-wide metrics for a window (US-ANLYT-04). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TimeWindow } from '@anlyt/domain';
import { readActiveAccounts, readWindowTotals, type WindowTotals } from '@anlyt/pg';
import { Type } from '@sinclair/typebox';
import type { AnswerCache, BodyOf } from '../answer-cache.js';
import { requireRole, type TokenVerifier } from '../plugins/auth.js';
import { ProblemSchema } from '../problem.js';
import { freshness, FreshnessSchema } from '../views/freshness.js';
import { avgLatencyMs, deliveryRate, p95, P95Schema } from '../views/measures.js';
import { WindowEchoSchema, windowEcho, windowOf, WindowQuerySchema } from './window-query.js';

export interface RouteDeps {
  /** Every analytics read goes through it (with the connection it reserves). */
  answers: AnswerCache;
  verify: TokenVerifier;
  now: () => number;
  marginSeconds: number;
}

const Count = Type.Integer({ minimum: 0 });
// Allow-list: nothing but these fields can leave (fastify serialises by this schema).
export const SummarySchema = Type.Object({
  window: WindowEchoSchema,
  totalMessages: Type.Integer({ description: 'BILLED − REFUNDED events' }),
  deliveredMessages: Count,
  failedMessages: Count,
  deliveryRate: Type.Union([Type.Number(), Type.Null()]),
  totalCost: Type.String({
    description: 'exact decimal: billed − refunded amounts',
    pattern: '^-?\\d+\\.\\d{6}$',
  }),
  activeAccounts: Count,
  peakTps: Count,
  avgLatencyMs: Type.Union([Type.Number(), Type.Null()]),
  p95LatencyMs: Type.Union([Type.Number(), Type.Null()]),
  p95: P95Schema,
  ...FreshnessSchema,
});

export const summaryRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, d) => {
  app.get(
    '/summary',
    {
      onRequest: requireRole(d.verify, ['admin']),
      schema: {
        summary: 'Platform-wide metrics for a window (default: today, UTC)',
        tags: ['analytics'],
        security: [{ bearer: [] }],
        querystring: WindowQuerySchema,
        response: {
          200: SummarySchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
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

function summaryBody(
  window: TimeWindow,
  t: WindowTotals,
  active: number,
): BodyOf<typeof SummarySchema> {
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
