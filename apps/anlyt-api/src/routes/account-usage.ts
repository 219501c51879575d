/**
 * GET /v1/internal/analytics/accounts/:id/usage — one account's usage over a window, with a
 * daily breakdown (US-ANLYT-06). Admins may ask for any account; a portal caller only for the
 * account it names in X-Account-Id (contract §4).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  averageCostPerMessage,
  formatMicros,
  parseCount,
  parseTotalMicros,
  type TimeWindow,
} from '@anlyt/domain';
import { readSeries, type SeriesPoint } from '@anlyt/pg';
import { Type } from '@sinclair/typebox';
import type { BodyOf } from '../answer-cache.js';
import { assertAccountAccess, requireRole } from '../plugins/auth.js';
import { AccountUsage } from '../schemas/bodies.js';
import { ACCOUNT_USAGE_EXAMPLES, PROBLEM_EXAMPLES } from '../schemas/examples.js';
import { ok, problem, problems } from '../schemas/responses.js';
import { freshness } from '../views/freshness.js';
import { deliveryRate } from '../views/measures.js';
import type { RouteDeps } from './summary.js';
import { windowEcho, windowOf, WindowQuerySchema } from './window-query.js';

const ParamsSchema = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'the account id' }),
});

export const accountUsageRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, d) => {
  app.get(
    '/accounts/:id/usage',
    {
      // Authenticate before anything else: an unauthenticated caller learns nothing, not
      // even whether its path or window would have been valid.
      onRequest: requireRole(d.verify, ['admin', 'portal']),
      schema: {
        summary: "An account's usage for a window (default: today, UTC), with a daily breakdown",
        description:
          'Roles: admin (any account) or portal (must send X-Account-Id equal to :id, else ' +
          '403). An account with no data in the window is not an error: the answer is 200 ' +
          'with zero counts, totalCost "0.000000", null rates and averages, and an empty ' +
          '`daily` — an account exists whether or not it sent anything, and analytics ' +
          'cannot tell an idle account from an unknown one. The response never carries an ' +
          'MSISDN or a message body.',
        operationId: 'getAccountUsage',
        tags: ['accounts'],
        security: [{ bearer: [] }],
        params: ParamsSchema,
        querystring: WindowQuerySchema,
        headers: Type.Object({
          'x-account-id': Type.Optional(
            Type.String({ description: 'required for portal callers; must equal :id' }),
          ),
        }),
        response: {
          200: ok(
            AccountUsage,
            "The account's usage for the effective window, totals and one entry per UTC day",
            ACCOUNT_USAGE_EXAMPLES,
          ),
          ...problems(400, 401, 500),
          403: problem(403, {
            description:
              'The role may not call this operation, or a portal caller sent no X-Account-Id ' +
              'or one that differs from :id',
            examples: PROBLEM_EXAMPLES.accountForbidden,
          }),
        },
      },
    },
    async (req, reply) => {
      const accountId = req.params.id;
      assertAccountAccess(req, accountId);
      const nowMs = d.now();
      const { window, plan } = windowOf(req.query, nowMs);
      return d.answers.send(reply, {
        route: 'account-usage',
        // The account id is in the key: an answer is only ever reused for the same account,
        // and only after assertAccountAccess let this caller see that account.
        key: `account ${accountId} ${window.requestedFrom} ${window.requestedTo}`,
        window,
        nowMs,
        freshness,
        compute: async (sql) =>
          usageBody(
            accountId,
            window,
            await readSeries(sql, {
              ...plan,
              scope: 'ACCOUNT',
              scopeId: accountId,
              marginSeconds: d.marginSeconds,
              granularity: 'day',
              latency: false, // usage has no latency measures: don't merge sketches
              fromMs: window.fromMs,
              toMs: window.toMs,
            }),
          ),
      });
    },
  );
};

interface Usage {
  sent: bigint;
  delivered: bigint;
  failed: bigint;
  costMicros: bigint;
}

function usageDay(p: SeriesPoint): Usage & { day: string } {
  return {
    day: p.at.slice(0, 10),
    sent: parseCount(p.totalMessages),
    delivered: parseCount(p.deliveredMessages),
    failed: parseCount(p.failedMessages),
    costMicros: parseTotalMicros(p.totalCost),
  };
}

function measures(u: Usage) {
  const delivered = Number(u.delivered);
  const failed = Number(u.failed);
  return {
    messagesSent: Number(u.sent),
    messagesDelivered: delivered,
    messagesFailed: failed,
    deliveryRate: deliveryRate(delivered, failed),
    totalCost: formatMicros(u.costMicros),
  };
}

function usageBody(
  accountId: string,
  window: TimeWindow,
  points: readonly SeriesPoint[],
): BodyOf<typeof AccountUsage> {
  // The totals are the sum of the days, from the same statement (one snapshot), so they
  // always agree with the breakdown; money and counts are summed as bigints.
  const days = points.map(usageDay);
  const total = days.reduce(
    (a, x) => ({
      sent: a.sent + x.sent,
      delivered: a.delivered + x.delivered,
      failed: a.failed + x.failed,
      costMicros: a.costMicros + x.costMicros,
    }),
    { sent: 0n, delivered: 0n, failed: 0n, costMicros: 0n },
  );
  return {
    accountId,
    window: windowEcho(window),
    ...measures(total),
    avgCostPerMessage: averageCostPerMessage(total.costMicros, total.sent),
    daily: days.map((x) => ({ day: x.day, ...measures(x) })),
  };
}
