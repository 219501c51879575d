/**
 * The data-share addendum of a tenant (US-ANLYT-19 AC3), admin only: with one on record the
 * tenant's insights show the real MNO ids. GET reads it with its history; PUT records (or
 * replaces) it; DELETE revokes it (404 when none is on record). Every PUT and DELETE appends
 * who, when and what to an append-only history in the same transaction; reads are not logged.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DataShareAddendumChange, DataShareAddendum as Row } from '@anlyt/pg';
import { ApiProblem } from '../problem.js';
import { requireRole, type TokenVerifier } from '../plugins/auth.js';
import { strictValidator } from '../plugins/strict-validator.js';
import { ok, problem, problems } from '../schemas/responses.js';
import {
  ADDENDUM_EXAMPLES,
  ADDENDUM_REQUEST_EXAMPLES,
  INSIGHTS_PROBLEM_EXAMPLES,
} from './examples.js';
import { AddendumBody, DataShareAddendumState, TenantParams } from './schemas.js';

/** Port: the addenda on record and their history (adapters.ts: PostgreSQL). */
export interface DataShareAddenda {
  read(tenantId: string): Promise<Row | null>;
  history(tenantId: string): Promise<DataShareAddendumChange[]>;
  set(a: { tenantId: string; reference: string; signedAt: Date; actor: string }): Promise<Row>;
  /** The revoked addendum, or null when none was on record (nothing is written then). */
  revoke(tenantId: string, actor: string): Promise<Row | null>;
}

export interface AddendumRouteDeps {
  verify: TokenVerifier;
  now: () => number;
  addenda: DataShareAddenda;
}

const PATH = '/admin/tenants/:tenantId/data-share-addendum';
/** A reference and a timestamp: anything near this is not an addendum. */
const BODY_LIMIT = 4096;

export const addendumRoutes: FastifyPluginAsyncTypebox<AddendumRouteDeps> = async (app, d) => {
  const adminOnly = requireRole(d.verify, ['admin']);
  const common = { tags: ['insights'], security: [{ bearer: [] }], params: TenantParams };
  const state = async (tenantId: string) => {
    const [addendum, history] = await Promise.all([
      d.addenda.read(tenantId),
      d.addenda.history(tenantId),
    ]);
    return {
      tenantId,
      addendum: addendum && {
        reference: addendum.reference,
        signedAt: addendum.signedAt.toISOString(),
        recordedBy: addendum.recordedBy,
        recordedAt: addendum.recordedAt.toISOString(),
      },
      history: history.map((h) => ({
        ...h,
        signedAt: h.signedAt.toISOString(),
        at: h.at.toISOString(),
      })),
    };
  };
  const okState = (description: string) =>
    ok(DataShareAddendumState, description, ADDENDUM_EXAMPLES);
  const adminProblems = {
    400: problem(400, {
      description: 'INVALID_REQUEST: a tenantId that is not an account id ([A-Za-z0-9_-]{1,64})',
      examples: INSIGHTS_PROBLEM_EXAMPLES.addendum400,
    }),
    403: problem(403, {
      description: 'A role other than admin',
      examples: INSIGHTS_PROBLEM_EXAMPLES.adminOnly,
    }),
    ...problems(401, 500),
  };

  app.get(
    PATH,
    {
      onRequest: adminOnly,
      schema: {
        ...common,
        operationId: 'getDataShareAddendum',
        summary: 'A tenant’s data-share addendum and its history',
        description:
          'Role: admin. The addendum on record (null when none is) and every set and revoke.',
        response: {
          200: okState('The addendum on record, if any, and its history'),
          ...adminProblems,
        },
      },
    },
    async (req) => state(req.params.tenantId),
  );

  app.put(
    PATH,
    {
      onRequest: adminOnly,
      validatorCompiler: strictValidator,
      bodyLimit: BODY_LIMIT,
      schema: {
        ...common,
        operationId: 'setDataShareAddendum',
        summary: 'Record (or replace) a tenant’s data-share addendum',
        description:
          'Role: admin. From now on the tenant’s MNO quality insights show the real MNO ids. ' +
          'The change (token `sub`, time, reference, signedAt) is appended to the history.',
        body: { ...AddendumBody, 'x-examples': ADDENDUM_REQUEST_EXAMPLES },
        response: {
          200: okState('The addendum now on record, and the history with this change'),
          ...adminProblems,
          400: problem(400, {
            description:
              'INVALID_REQUEST: the body fails its schema (unknown members too), signedAt is in the future or before 1970, or a bad tenantId',
            examples: INSIGHTS_PROBLEM_EXAMPLES.addendumBody400,
          }),
          413: problem(413, {
            description: `INVALID_REQUEST: the body is over ${BODY_LIMIT} bytes`,
            examples: INSIGHTS_PROBLEM_EXAMPLES.addendum413,
          }),
          415: problem(415),
        },
      },
    },
    async (req) => {
      const signedAtMs = Date.parse(req.body.signedAt);
      if (!(signedAtMs >= 0 && signedAtMs <= d.now()))
        throw new ApiProblem(
          400,
          'INVALID_REQUEST',
          'signedAt must be an RFC 3339 instant between 1970 and now',
        );
      await d.addenda.set({
        tenantId: req.params.tenantId,
        reference: req.body.reference,
        signedAt: new Date(signedAtMs),
        actor: req.caller!.sub,
      });
      return state(req.params.tenantId);
    },
  );

  app.delete(
    PATH,
    {
      onRequest: adminOnly,
      schema: {
        ...common,
        operationId: 'revokeDataShareAddendum',
        summary: 'Revoke a tenant’s data-share addendum',
        description:
          'Role: admin. From now on the tenant’s insights show null instead of real MNO ids. ' +
          'The revocation (token `sub`, time, the reference revoked) is appended to the history.',
        response: {
          200: okState('No addendum on record any more, and the history with the revocation'),
          ...adminProblems,
          404: problem(404, {
            description: 'NOT_FOUND: the tenant has no addendum on record (nothing is written)',
            examples: INSIGHTS_PROBLEM_EXAMPLES.addendum404,
          }),
        },
      },
    },
    async (req) => {
      const revoked = await d.addenda.revoke(req.params.tenantId, req.caller!.sub);
      if (!revoked)
        throw new ApiProblem(404, 'NOT_FOUND', 'the tenant has no data-share addendum on record');
      return state(req.params.tenantId);
    },
  );
};
