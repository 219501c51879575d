/** GET /v1/internal/analytics/operators/:id/performance — one MNO over a window (US-ANLYT-05). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readSeries, readWindowTotals, scopeHasData, type SeriesPoint } from '@anlyt/pg';
import { Type } from '@sinclair/typebox';
import type { BodyOf } from '../answer-cache.js';
import { requireRole } from '../plugins/auth.js';
import { ApiProblem } from '../problem.js';
import { OperatorPerformance } from '../schemas/bodies.js';
import { GRANULARITIES, stringEnum } from '../schemas/common.js';
import { OPERATOR_PERFORMANCE_EXAMPLES, PROBLEM_EXAMPLES } from '../schemas/examples.js';
import { ok, problem, problems } from '../schemas/responses.js';
import { freshness } from '../views/freshness.js';
import { avgLatencyMs, deliveryRate, errorRate, p95 } from '../views/measures.js';
import type { RouteDeps } from './summary.js';
import { windowEcho, windowOf, windowQueryProps } from './window-query.js';

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
        operationId: 'getOperatorPerformance',
        summary: 'Delivery rate, latency, error rate, peak TPS and cost of one operator (MNO)',
        description:
          'Role: admin. Totals for the window (widened to whole UTC hours) and a series per ' +
          'UTC hour or day. An operator with data, but none in the window, gets 200 with ' +
          'zeros and an empty series; one never seen at all is 404.',
        tags: ['operators'],
        security: [{ bearer: [] }],
        params: Type.Object({
          id: Type.String({
            pattern: '^[A-Za-z0-9_-]{1,64}$',
            description: 'the operator (MNO) id, e.g. mno-ke-01',
          }),
        }),
        querystring: Type.Object(
          {
            ...windowQueryProps,
            // Optional with a default: omitting it is hourly (a default on a required
            // parameter would document it as required).
            granularity: Type.Optional(
              stringEnum(GRANULARITIES, {
                default: 'hourly',
                description: 'one series point per UTC hour (default) or per UTC day',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: ok(
            OperatorPerformance,
            "The operator's measures for the effective window, with a series",
            OPERATOR_PERFORMANCE_EXAMPLES,
          ),
          ...problems(400, 401, 403, 500),
          404: problem(404, {
            description: 'The operator has no data at all (never seen in any event)',
            examples: PROBLEM_EXAMPLES[404],
          }),
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
        compute: async (sql): Promise<BodyOf<typeof OperatorPerformance>> => {
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
