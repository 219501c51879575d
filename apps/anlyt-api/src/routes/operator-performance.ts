/** GET /v1/internal/analytics/operators/:id/performance — one MNO over a window (US-ANLYT-05). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readSeries, readWindowTotals, scopeHasData, type SeriesPoint } from '@anlyt/pg';
import { Type } from '@sinclair/typebox';
import type { BodyOf } from '../answer-cache.js';
import { requireRole } from '../plugins/auth.js';
import { ApiProblem, ProblemSchema } from '../problem.js';
import { freshness, FreshnessSchema } from '../views/freshness.js';
import { avgLatencyMs, deliveryRate, errorRate, p95, P95Schema } from '../views/measures.js';
import type { RouteDeps } from './summary.js';
import { WindowEchoSchema, windowEcho, windowOf, windowQueryProps } from './window-query.js';

const Rate = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]);
const Measures = {
  totalMessages: Type.Integer({ description: 'BILLED − REFUNDED events routed to the operator' }),
  deliveredMessages: Type.Integer({ minimum: 0 }),
  failedMessages: Type.Integer({ minimum: 0 }),
  deliveryRate: Rate,
  errorRate: Rate,
  avgLatencyMs: Type.Union([Type.Number(), Type.Null()]),
  p95LatencyMs: Type.Union([Type.Number(), Type.Null()]),
  p95: P95Schema,
  peakTps: Type.Integer({ minimum: 0 }),
  totalCost: Type.String({ pattern: '^-?\\d+\\.\\d{6}$' }),
};

export const OperatorPerformanceSchema = Type.Object({
  operatorId: Type.String(),
  window: WindowEchoSchema,
  granularity: Type.Union([Type.Literal('hourly'), Type.Literal('daily')]),
  ...Measures,
  series: Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }), ...Measures }), {
    description: 'one point per UTC hour or day that has data, ascending',
  }),
  ...FreshnessSchema,
});

/** The derived measures of one set of summed state (a window total or a series point). */
function measures(t: Omit<SeriesPoint, 'at'>) {
  const delivered = Number(t.deliveredMessages);
  const failed = Number(t.failedMessages);
  const latency = p95(t.latencySketch);
  return {
    totalMessages: Number(t.totalMessages),
    deliveredMessages: delivered,
    failedMessages: failed,
    deliveryRate: deliveryRate(delivered, failed),
    errorRate: errorRate(delivered, failed),
    avgLatencyMs: avgLatencyMs(t.latencySumMs, t.latencyCount),
    p95LatencyMs: latency.valueMs,
    p95: latency,
    peakTps: t.peakTps,
    totalCost: t.totalCost,
  };
}

export const operatorPerformanceRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, d) => {
  app.get(
    '/operators/:id/performance',
    {
      onRequest: requireRole(d.verify, ['admin']),
      schema: {
        summary: 'Delivery rate, latency, error rate, peak TPS and cost of one operator (MNO)',
        tags: ['analytics'],
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }),
        querystring: Type.Object(
          {
            ...windowQueryProps,
            granularity: Type.Union([Type.Literal('hourly'), Type.Literal('daily')], {
              default: 'hourly',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: OperatorPerformanceSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (req, reply) => {
      const nowMs = d.now();
      const { window, plan } = windowOf(req.query, nowMs);
      const operatorId = req.params.id;
      const granularity = req.query.granularity ?? 'hourly';
      const q = {
        ...plan,
        marginSeconds: d.marginSeconds,
        scope: 'OPERATOR' as const,
        scopeId: operatorId,
      };
      return d.answers.send(reply, {
        route: 'operator-performance',
        key: `operator ${operatorId} ${granularity} ${window.requestedFrom} ${window.requestedTo}`,
        window,
        nowMs,
        freshness,
        // Inside: an answer is cached only once the operator has data, and data never goes away.
        compute: async (sql): Promise<BodyOf<typeof OperatorPerformanceSchema>> => {
          // All three at once (pipelined on one connection); the 404 check decides after.
          const [known, totals, series] = await Promise.all([
            scopeHasData(sql, 'OPERATOR', operatorId),
            readWindowTotals(sql, q),
            readSeries(sql, {
              ...q,
              granularity: granularity === 'hourly' ? 'hour' : 'day',
              fromMs: window.fromMs,
              toMs: window.toMs,
            }),
          ]);
          if (!known) throw new ApiProblem(404, 'NOT_FOUND', `no data for operator ${operatorId}`);
          return {
            operatorId,
            window: windowEcho(window),
            granularity,
            ...measures(totals),
            series: series.map((p) => ({ at: p.at, ...measures(p) })),
          };
        },
      });
    },
  );
};
