/**
 * GET /v1/internal/analytics/throughput — BILLED events (the platform's sent messages) as a
 * time series at 1m, 5m or 1h resolution, platform-wide or for one operator (US-ANLYT-07).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readThroughput } from '@anlyt/pg';
import { Type } from '@sinclair/typebox';
import type { BodyOf } from '../answer-cache.js';
import { requireRole } from '../plugins/auth.js';
import { ApiProblem } from '../problem.js';
import { Throughput } from '../schemas/bodies.js';
import { RESOLUTION_NAMES, stringEnum } from '../schemas/common.js';
import { THROUGHPUT_EXAMPLES } from '../schemas/examples.js';
import { ok, problems } from '../schemas/responses.js';
import { billingFreshness } from '../views/projection-freshness.js';
import type { RouteDeps } from './summary.js';
import { windowOf, windowQueryProps } from './window-query.js';

const HOUR_S = 3600;

/**
 * Per resolution: interval length and the longest window it may serve, which caps a response
 * at 1 440 / 2 016 / 2 160 points (and the 5m read at 7 × 86 400 per-second rows).
 */
export const RESOLUTIONS = {
  '1m': { stepSeconds: 60, maxHours: 24 },
  '5m': { stepSeconds: 300, maxHours: 7 * 24 },
  '1h': { stepSeconds: HOUR_S, maxHours: 90 * 24 },
} as const;
export type Resolution = keyof typeof RESOLUTIONS;

const RESOLUTION_DESCRIPTION =
  'Interval length (default 1h). 1m and 5m points are sums (billedMessages) and maxima ' +
  '(peakTps) of the REAL per-UTC-second counters of BILLED events (anlyt.tps_seconds, folded ' +
  'per minute as they are written: anlyt.tps_minutes), not interpolated; 1h points are the ' +
  'hourly aggregates (metrics_hourly billed_count and peak_tps), which hold the same counts. ' +
  'Per-second counters are kept as long as tps_seconds/tps_minutes are (not pruned yet); ' +
  'once retention is introduced, 1m/5m points older than it will be unavailable while 1h ' +
  'points remain. Longest window: 1m 1 day, 5m 7 days, 1h 90 days; a longer one is 400 ' +
  'INVALID_WINDOW.';

export const ThroughputQuerySchema = Type.Object(
  {
    ...windowQueryProps,
    resolution: Type.Optional(
      stringEnum(RESOLUTION_NAMES, { default: '1h', description: RESOLUTION_DESCRIPTION }),
    ),
    operatorId: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,64}$',
        description: 'only this operator (default: platform-wide)',
      }),
    ),
  },
  { additionalProperties: false },
);

const floorTo = (ms: number, step: number) => ms - (((ms % step) + step) % step);
const ceilTo = (ms: number, step: number) => {
  const f = floorTo(ms, step);
  return f === ms ? ms : f + step;
};

/**
 * The requested window (contract §4 rules, 90-day cap) aligned to the resolution's intervals,
 * or INVALID_WINDOW when it is longer than the resolution allows (measured on the requested
 * bounds, as the 90-day rule is).
 */
export function throughputWindow(
  q: { from?: string; to?: string },
  resolution: Resolution,
  nowMs: number,
) {
  const { window } = windowOf(q, nowMs);
  const { stepSeconds, maxHours } = RESOLUTIONS[resolution];
  const reqFrom = Date.parse(window.requestedFrom);
  const reqTo = Date.parse(window.requestedTo);
  const hours = Math.ceil((reqTo - reqFrom) / (HOUR_S * 1000));
  if (hours > maxHours) {
    const days = maxHours / 24;
    throw new ApiProblem(
      400,
      'INVALID_WINDOW',
      `window is ${hours} hours; resolution ${resolution} allows at most ${maxHours} hours ` +
        `(${days} day${days === 1 ? '' : 's'}): narrow the window or use a coarser resolution`,
    );
  }
  const step = stepSeconds * 1000;
  return {
    stepSeconds,
    fromMs: floorTo(reqFrom, step),
    toMs: ceilTo(reqTo, step),
    requestedFrom: window.requestedFrom,
    requestedTo: window.requestedTo,
  };
}

export const throughputRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, d) => {
  app.get(
    '/throughput',
    {
      onRequest: requireRole(d.verify, ['admin']),
      schema: {
        operationId: 'getThroughput',
        summary: 'BILLED events per interval (1m, 5m or 1h), platform-wide or for one operator',
        description:
          'Role: admin. The window is widened to whole intervals of the resolution; only ' +
          'intervals with at least one BILLED event are listed. An unknown operator gets 200 ' +
          'with no points.',
        tags: ['platform'],
        security: [{ bearer: [] }],
        querystring: ThroughputQuerySchema,
        response: {
          200: ok(
            Throughput,
            'BILLED events per interval of the effective window, ascending',
            THROUGHPUT_EXAMPLES,
          ),
          ...problems(400, 401, 403, 500),
        },
      },
    },
    async (req, reply) => {
      const nowMs = d.now();
      const resolution = req.query.resolution ?? '1h';
      const operatorId = req.query.operatorId ?? null;
      const w = throughputWindow(req.query, resolution, nowMs);
      return d.answers.send(reply, {
        route: 'throughput',
        key: `throughput ${resolution} ${operatorId ?? '*'} ${w.requestedFrom} ${w.requestedTo}`,
        window: w,
        nowMs,
        freshness: billingFreshness,
        compute: async (sql): Promise<BodyOf<typeof Throughput>> => {
          const points = await readThroughput(sql, {
            scope: operatorId === null ? 'PLATFORM' : 'OPERATOR',
            scopeId: operatorId ?? '*',
            stepSeconds: w.stepSeconds,
            fromMs: w.fromMs,
            toMs: w.toMs,
          });
          return {
            window: {
              from: new Date(w.fromMs).toISOString(),
              to: new Date(w.toMs).toISOString(),
              requestedFrom: w.requestedFrom,
              requestedTo: w.requestedTo,
            },
            resolution,
            operatorId,
            points: points.map((p) => {
              const billed = Number(p.billedMessages);
              return {
                at: p.at,
                billedMessages: billed,
                avgPerSecond: billed / w.stepSeconds,
                peakTps: p.peakTps,
              };
            }),
          };
        },
      });
    },
  );
};
