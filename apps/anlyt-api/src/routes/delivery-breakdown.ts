/**
 * GET /v1/internal/analytics/delivery-breakdown — DLRs per status and per operator for a
 * window (US-ANLYT-07). "Final" DLRs are the delivered and failed ones (contract §3:
 * deliveryRate's denominator); UNKNOWN is counted apart.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TimeWindow } from '@anlyt/domain';
import {
  readDeliveryBreakdown,
  type DeliveryBreakdown as BreakdownRows,
  type StatusCounts,
} from '@anlyt/pg';
import type { BodyOf } from '../answer-cache.js';
import { requireRole } from '../plugins/auth.js';
import { DeliveryBreakdown } from '../schemas/bodies.js';
import { DELIVERY_BREAKDOWN_EXAMPLES } from '../schemas/examples.js';
import { ok, problems } from '../schemas/responses.js';
import { deliveryRate } from '../views/measures.js';
import { dlrFreshness } from '../views/projection-freshness.js';
import type { RouteDeps } from './summary.js';
import { windowEcho, windowOf, WindowQuerySchema } from './window-query.js';

const n = Number;
const failedOf = (c: StatusCounts) =>
  n(c.failed) + n(c.expired) + n(c.rejected) + n(c.undeliverable);

export const deliveryBreakdownRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, d) => {
  app.get(
    '/delivery-breakdown',
    {
      onRequest: requireRole(d.verify, ['admin']),
      schema: {
        operationId: 'getDeliveryBreakdown',
        summary: 'DLR counts per status and per operator for a window (default: today, UTC)',
        description:
          'Role: admin. DLRs of the window (widened to whole UTC hours) per deliveryStatus, ' +
          'and per operator with its delivery rate and share of the final DLRs.',
        tags: ['platform'],
        security: [{ bearer: [] }],
        querystring: WindowQuerySchema,
        response: {
          200: ok(
            DeliveryBreakdown,
            'DLRs of the effective window per status and per operator',
            DELIVERY_BREAKDOWN_EXAMPLES,
          ),
          ...problems(400, 401, 403, 500),
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

function breakdownBody(window: TimeWindow, b: BreakdownRows): BodyOf<typeof DeliveryBreakdown> {
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
