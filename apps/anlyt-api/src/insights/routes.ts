/**
 * The insights area of anlyt-api (US-ANLYT-19), registered under /v1/anlyt: the tenant-facing
 * MNO quality (route.ts; answers 503 without its use case) and the admin endpoints of the
 * data-share addendum (addendum-routes.ts; PostgreSQL only).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Sql } from '@anlyt/pg';
import type { TokenVerifier } from '../plugins/auth.js';
import { pgDataShareAddenda } from './adapters.js';
import { addendumRoutes } from './addendum-routes.js';
import type { MnoQualityUseCase } from './mno-quality.use-case.js';
import { mnoQualityRoute } from './route.js';

export interface InsightsRoutesDeps {
  verify: TokenVerifier;
  now: () => number;
  sql: Sql;
  insights?: MnoQualityUseCase;
}

export const insightsRoutes: FastifyPluginAsyncTypebox<InsightsRoutesDeps> = async (app, d) => {
  await app.register(mnoQualityRoute, {
    verify: d.verify,
    now: d.now,
    ...(d.insights ? { insights: d.insights } : {}),
  });
  await app.register(addendumRoutes, {
    verify: d.verify,
    now: d.now,
    addenda: pgDataShareAddenda(d.sql),
  });
};
