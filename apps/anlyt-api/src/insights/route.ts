/**
 * GET /v1/anlyt/insights/mno-quality (US-ANLYT-19, contract §6.5): authenticates, scopes,
 * parses the window, runs the use case.
 * - Role portal: the tenant is its X-Account-Id (required), whatever the query string says.
 * - Role admin: names the tenant with ?tenantId= (required).
 * - ClickHouse not answering → 503 UNAVAILABLE (retry), like the query DSL.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { ApiProblem } from '../problem.js';
import { requireRole, type TokenVerifier } from '../plugins/auth.js';
import { ok, problem, problems } from '../schemas/responses.js';
import { isUnavailable } from '../query/unavailable.js';
import { INSIGHTS_PROBLEM_EXAMPLES, MNO_QUALITY_EXAMPLES } from './examples.js';
import type { MnoQualityUseCase } from './mno-quality.use-case.js';
import { AccountHeader, InsightsQuery, MnoQualityInsights } from './schemas.js';
import { insightsWindow } from './window.js';

export interface MnoQualityRouteDeps {
  verify: TokenVerifier;
  now: () => number;
  insights?: MnoQualityUseCase;
}

const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const mnoQualityRoute: FastifyPluginAsyncTypebox<MnoQualityRouteDeps> = async (app, d) => {
  app.get(
    '/insights/mno-quality',
    {
      onRequest: requireRole(d.verify, ['portal', 'admin']),
      schema: {
        operationId: 'getMnoQualityInsights',
        tags: ['insights'],
        summary: 'Anonymised quality per MNO of one tenant’s traffic (default: the last 7 days)',
        description: DESCRIPTION,
        security: [{ bearer: [] }],
        headers: AccountHeader,
        querystring: InsightsQuery,
        response: {
          200: ok(
            MnoQualityInsights,
            'The MNOs the tenant’s traffic used in the effective window, in label order',
            MNO_QUALITY_EXAMPLES,
          ),
          400: problem(400, {
            description:
              'INVALID_WINDOW (from ≥ to, over 90 days, outside the supported range, not a date) or INVALID_REQUEST (an admin without tenantId, a malformed tenantId or X-Account-Id)',
            examples: INSIGHTS_PROBLEM_EXAMPLES.insights400,
          }),
          403: problem(403, {
            description:
              'A role other than portal or admin, or a portal caller without X-Account-Id',
            examples: INSIGHTS_PROBLEM_EXAMPLES.insights403,
          }),
          ...problems(401, 500, 503),
        },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req, req.query.tenantId);
      const w = insightsWindow(req.query.from, req.query.to, d.now());
      if (!w.ok) throw new ApiProblem(400, 'INVALID_WINDOW', w.detail);
      if (!d.insights) throw new ApiProblem(503, 'UNAVAILABLE', 'no analytics store is configured');
      try {
        return await d.insights.execute(tenantId, w.window);
      } catch (err) {
        if (isUnavailable(err))
          throw new ApiProblem(503, 'UNAVAILABLE', 'the analytics store did not answer; retry');
        throw err;
      }
    },
  );
};

/** The tenant the answer is about: a portal's X-Account-Id, an admin's ?tenantId=. */
function tenantOf(req: FastifyRequest, tenantId: string | undefined): string {
  if (req.caller!.role === 'admin') {
    if (tenantId === undefined)
      throw new ApiProblem(
        400,
        'INVALID_REQUEST',
        'admin callers must name the tenant: ?tenantId=',
      );
    return tenantId;
  }
  const header = req.headers['x-account-id'];
  if (typeof header !== 'string' || header === '')
    throw new ApiProblem(403, 'FORBIDDEN', 'portal callers must send X-Account-Id');
  if (!ACCOUNT_ID.test(header))
    throw new ApiProblem(
      400,
      'INVALID_REQUEST',
      'X-Account-Id is not an account id ([A-Za-z0-9_-]{1,64})',
    );
  return header;
}

const DESCRIPTION = [
  'Roles: portal (the tenant is its `X-Account-Id`, which it must send; `tenantId` is ignored)',
  'and admin (names the tenant with `tenantId`, required).',
  '',
  '- Lists every MNO that carried at least one DLR or CDR of the tenant in the window, under an',
  '  anonymous label (`MNO-A`, `MNO-B`, … `MNO-Z`, `MNO-AA`, …) that is the same for that MNO',
  '  in every window, for ever, and whose letter reveals nothing about the real id. Entries are',
  '  in label order. `mno` is the real id only while the tenant has a data-share addendum on',
  '  record (set by an admin), else null.',
  '- `sampleSize` is the tenant’s final DLRs on the MNO (delivered + failed). Below the',
  '  configured minimum (default 100) `deliveryRate` and `dlrLatencyP95` are null and',
  '  `suppressed` is true.',
  '- `dlrLatencyP95` (every DLR, any status) merges the hourly cube’s t-digest states: an',
  '  estimate whose rank lies within P94–P96 of the exact sample in our tests.',
  '- Window as everywhere (RFC 3339 or YYYY-MM-DD, half-open, a date-only `to` is the end of',
  '  that day, at most 90 days), default the last 7 days (today and the 6 days before), **widened',
  '  to whole UTC days**: an event belongs to the window when its UTC day does.',
].join('\n');
