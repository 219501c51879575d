/**
 * POST /v1/anlyt/query (US-ANLYT-14, contract §6.2): authenticates, scopes, runs the use case.
 * - Roles admin and portal. A portal caller is scoped to its X-Account-Id (required) whatever
 *   the body says; a body naming tenantId is refused 403 (docs/decisions.md, "The query DSL").
 * - The body is validated strictly: an unknown member is a 400, not silently dropped (fastify's
 *   default validator removes them), so this route has its own validator.
 * - ClickHouse not answering (down, timed out, overloaded) is a 503 UNAVAILABLE the caller may
 *   retry; anything else unexpected a 500, logged.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { QueryBodySchema, type Scope } from '@anlyt/query';
import { ApiProblem } from '../problem.js';
import { requireRole, type TokenVerifier } from '../plugins/auth.js';
import { strictValidator } from '../plugins/strict-validator.js';
import { ok, problem, problems } from '../schemas/responses.js';
import { PROBLEM_EXAMPLES } from '../schemas/examples.js';
import { QueryRefused, type RunQueryUseCase } from './run-query.use-case.js';
import { QUERY_REQUEST_EXAMPLES, QUERY_RESPONSE_EXAMPLES, QueryResponse } from './schemas.js';
import { isUnavailable } from './unavailable.js';

export interface QueryRouteDeps {
  verify: TokenVerifier;
  now: () => number;
  runQuery?: RunQueryUseCase;
}

const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const STATUS = {
  INVALID_REQUEST: 400,
  INVALID_WINDOW: 400,
  FORBIDDEN: 403,
  RESULT_TOO_LARGE: 413,
} as const;

export const queryRoutes: FastifyPluginAsyncTypebox<QueryRouteDeps> = async (app, d) => {
  app.post(
    '/query',
    {
      onRequest: requireRole(d.verify, ['admin', 'portal']),
      validatorCompiler: strictValidator,
      schema: {
        operationId: 'runQuery',
        tags: ['query'],
        summary: 'Query the delivery, CDR and compliance data with a typed DSL (no SQL)',
        description: QUERY_DESCRIPTION,
        security: [{ bearer: [] }],
        headers: Type.Object({
          'x-account-id': Type.Optional(
            Type.String({
              description: 'required for portal callers: the tenant every row is scoped to',
            }),
          ),
        }),
        // x-examples: @fastify/swagger publishes them as named examples with their summaries.
        body: { ...QueryBodySchema, 'x-examples': QUERY_REQUEST_EXAMPLES },
        response: {
          200: ok(
            QueryResponse,
            'One page of rows, the cursor to the next, and dataAsOf',
            QUERY_RESPONSE_EXAMPLES,
          ),
          ...problems(401, 500),
          400: problem(400, {
            description:
              'INVALID_REQUEST (the body fails its schema, names a member its dataset lacks, a bad filter value, a bad or foreign cursor) or INVALID_WINDOW (the timeRange: order, format, over 366 days)',
            examples: PROBLEM_EXAMPLES.query400,
          }),
          403: problem(403, {
            description:
              'The role may not query, a portal caller sent no X-Account-Id, or a portal body names tenantId',
            examples: PROBLEM_EXAMPLES.queryForbidden,
          }),
          413: problem(413, {
            description:
              'RESULT_TOO_LARGE: the answer would exceed the rows one stored result may hold (narrow the query); or INVALID_REQUEST: the body is over 1 MiB',
            examples: PROBLEM_EXAMPLES.query413,
          }),
          415: problem(415),
          503: problem(503),
        },
      },
    },
    async (req) => {
      const scope = scopeOf(req.caller!.role, req.headers['x-account-id']);
      if (!d.runQuery) throw new ApiProblem(503, 'UNAVAILABLE', 'no analytics store is configured');
      try {
        return await d.runQuery.execute(req.body, scope, d.now());
      } catch (err) {
        if (err instanceof QueryRefused)
          throw new ApiProblem(STATUS[err.code], err.code, err.detail);
        if (isUnavailable(err))
          throw new ApiProblem(503, 'UNAVAILABLE', 'the analytics store did not answer; retry');
        throw err;
      }
    },
  );
};

function scopeOf(role: string, accountHeader: string | string[] | undefined): Scope {
  if (role === 'admin') return { role: 'admin' };
  if (typeof accountHeader !== 'string')
    throw new ApiProblem(403, 'FORBIDDEN', 'portal callers must send X-Account-Id');
  if (!ACCOUNT_ID.test(accountHeader))
    throw new ApiProblem(
      400,
      'INVALID_REQUEST',
      'X-Account-Id is not an account id ([A-Za-z0-9_-]{1,64})',
    );
  return { role: 'portal', tenantId: accountHeader };
}

const QUERY_DESCRIPTION = [
  'Roles: admin (any tenant; may use `tenantId` as a dimension or filter) and portal (every row',
  'is scoped to `X-Account-Id`, which it must send; a body naming `tenantId` is refused 403).',
  '',
  '- `dataset` `dlr` | `cdr` | `compliance`, its `measures` (at least one) and `dimensions`;',
  '  `filters` (`in` / `notIn`, ANDed; `null` matches "no value" of `esmeErrorCode` / `rule`);',
  '  unknown members → 400 INVALID_REQUEST.',
  '- `timeRange` as everywhere (RFC 3339 or YYYY-MM-DD, half-open, a date-only `to` is the end',
  '  of that day; default today), at most 366 days, **widened to whole UTC hours** (the facts',
  '  are bucketed by hour): an event belongs to the window when its hour does.',
  '- Answered from a cube when the members and the window allow it (daily cubes for whole',
  '  days without `hour`: DLRs by day, MNO, status, lane, direction, and latency quantiles by',
  '  day per tenant; hourly cubes otherwise; the CDR cube is daily) and from the facts',
  '  otherwise (e.g. `destinationPrefix`); counts, sums and rates are the same numbers either',
  '  way.',
  '- `p50/p95/p99LatencyMs` are t-digest estimates (mergeable states in the cubes): within 2 %',
  '  of the exact quantile in our tests, more for tiny or very skewed samples.',
  '- Rows are ordered by `order`, then by every dimension ascending. `limit` rows per page',
  '  (default 1 000, at most 100 000); `nextCursor` (signed, bound to this body and caller, 24 h)',
  '  fetches the next page with the same body. A query of more than one page is computed once',
  '  and its pages read from that result, so pages never shift while data arrives; such a',
  '  result may have at most 1 000 000 rows (413 RESULT_TOO_LARGE beyond: narrow the query).',
].join('\n');
