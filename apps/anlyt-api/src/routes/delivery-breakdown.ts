/**
 * GET /v1/internal/analytics/delivery-breakdown — DLRs per status and per operator for a
 * window (US-ANLYT-07). "Final" DLRs are the delivered and failed ones (contract §3:
 * deliveryRate's denominator); UNKNOWN is counted apart.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TimeWindow } from '@anlyt/domain';
import { readDeliveryBreakdown, type DeliveryBreakdown, type StatusCounts } from '@anlyt/pg';
import { Type } from '@sinclair/typebox';
import type { BodyOf } from '../answer-cache.js';
import { requireRole } from '../plugins/auth.js';
import { ProblemSchema } from '../problem.js';
import { deliveryRate } from '../views/measures.js';
import { DlrFreshnessSchema, dlrFreshness } from '../views/projection-freshness.js';
import type { RouteDeps } from './summary.js';
import { WindowEchoSchema, windowEcho, windowOf, WindowQuerySchema } from './window-query.js';

const Count = Type.Integer({ minimum: 0 });
const Rate = (description: string) =>
  Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description });

export const DeliveryBreakdownSchema = Type.Object({
  window: WindowEchoSchema,
  byStatus: Type.Object(
    {
      DELIVERED: Count,
      FAILED: Count,
      EXPIRED: Count,
      REJECTED: Count,
      UNDELIVERABLE: Count,
      UNKNOWN: Count,
    },
    { description: 'DLRs in the window per deliveryStatus (all operators)' },
  ),
  byOperator: Type.Array(
    Type.Object({
      operatorId: Type.String(),
      delivered: Count,
      failed: Type.Integer({
        minimum: 0,
        description: 'FAILED + EXPIRED + REJECTED + UNDELIVERABLE',
      }),
      unknown: Count,
      total: Type.Integer({ minimum: 1, description: 'delivered + failed + unknown' }),
      deliveryRate: Rate('delivered / (delivered + failed); null without a final DLR'),
      share: Rate(
        "the operator's final DLRs (delivered + failed) / all operators' final DLRs in the window; null when the window has no final DLR at all",
      ),
    }),
    {
      description:
        'operators with at least one DLR in the window, by total descending, then operatorId',
    },
  ),
  ...DlrFreshnessSchema,
});

const n = Number;
const failedOf = (c: StatusCounts) =>
  n(c.failed) + n(c.expired) + n(c.rejected) + n(c.undeliverable);

export const deliveryBreakdownRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, d) => {
  app.get(
    '/delivery-breakdown',
    {
      onRequest: requireRole(d.verify, ['admin']),
      schema: {
        summary: 'DLR counts per status and per operator for a window (default: today, UTC)',
        tags: ['analytics'],
        security: [{ bearer: [] }],
        querystring: WindowQuerySchema,
        response: {
          200: DeliveryBreakdownSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
        },
      },
    },
    async (req, reply) => {
      const nowMs = d.now();
      const { window, plan } = windowOf(req.query, nowMs);
      return d.answers.send(reply, {
        route: 'delivery-breakdown',
        key: `breakdown ${window.requestedFrom} ${window.requestedTo}`,
        window,
        nowMs,
        freshness: dlrFreshness,
        compute: async (sql) =>
          breakdownBody(
            window,
            await readDeliveryBreakdown(sql, { ...plan, marginSeconds: d.marginSeconds }),
          ),
      });
    },
  );
};

function breakdownBody(
  window: TimeWindow,
  b: DeliveryBreakdown,
): BodyOf<typeof DeliveryBreakdownSchema> {
  const rows = b.operators.map((c) => {
    const delivered = n(c.delivered);
    const failed = failedOf(c);
    const unknown = n(c.unknown);
    return { operatorId: c.operatorId, delivered, failed, unknown };
  });
  const allFinal = rows.reduce((s, r) => s + r.delivered + r.failed, 0);
  const byOperator = rows
    .map((r) => ({
      ...r,
      total: r.delivered + r.failed + r.unknown,
      deliveryRate: deliveryRate(r.delivered, r.failed),
      share: allFinal === 0 ? null : (r.delivered + r.failed) / allFinal,
    }))
    // Code-unit order for ties: deterministic, independent of the server's locale.
    .sort(
      (x, y) =>
        y.total - x.total ||
        (x.operatorId < y.operatorId ? -1 : x.operatorId > y.operatorId ? 1 : 0),
    );
  const p = b.platform;
  return {
    window: windowEcho(window),
    byStatus: {
      DELIVERED: n(p.delivered),
      FAILED: n(p.failed),
      EXPIRED: n(p.expired),
      REJECTED: n(p.rejected),
      UNDELIVERABLE: n(p.undeliverable),
      UNKNOWN: n(p.unknown),
    },
    byOperator,
  };
}
