/**
 * The audit routes (US-ANLYT-15, contract §6.3), registered on the audit listener only
 * (audit-app.ts: mTLS and the subject allow-list come first). Role `regulator` alone; a
 * regulator may audit any tenant, so the body names it.
 * - POST /query: NDJSON (application/x-ndjson), one fact per line, streamed as ClickHouse
 *   sends it; `x-audit-rows` is the count taken before streaming. A failure after the first
 *   byte cannot change the status any more: the connection is cut (no final chunk), so a
 *   truncated answer never looks complete.
 * - POST /exports → 202 { id }; GET /exports/:id → { status, rows, objectUri } (objectUri
 *   null until DONE).
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiProblem } from '../problem.js';
import { requireRole, type TokenVerifier } from '../plugins/auth.js';
import { isUnavailable } from '../query/unavailable.js';
import { AuditRefused, type AuditQueryUseCase } from './audit-query.use-case.js';
import { ExportsUnavailable, type AuditExportsUseCase } from './audit-exports.use-case.js';
import type { AuditMetrics } from './metrics.js';
import { strictValidator } from '../plugins/strict-validator.js';
import { AuditBodySchema, ExportParamsSchema } from './schemas.js';

export interface AuditRouteDeps {
  verify: TokenVerifier;
  now: () => number;
  query: AuditQueryUseCase;
  exports: AuditExportsUseCase;
  metrics: AuditMetrics;
}

export const NDJSON = 'application/x-ndjson';

/** Refusals and store failures → problem+json; anything else stays a 500 (logged). */
function translate(err: unknown): never {
  if (err instanceof AuditRefused)
    throw new ApiProblem(err.code === 'RESULT_TOO_LARGE' ? 413 : 400, err.code, err.detail);
  if (err instanceof ExportsUnavailable) throw new ApiProblem(503, 'UNAVAILABLE', err.message);
  if (isUnavailable(err))
    throw new ApiProblem(503, 'UNAVAILABLE', 'the analytics store did not answer; retry');
  throw err;
}

export const auditRoutes: FastifyPluginAsyncTypebox<AuditRouteDeps> = async (app, d) => {
  const regulatorOnly = requireRole(d.verify, ['regulator']);
  const strict = { onRequest: regulatorOnly, validatorCompiler: strictValidator };

  app.post('/query', { ...strict, schema: { body: AuditBodySchema } }, async (req, reply) => {
    const opened = await d.query.open(req.body, d.now()).catch(translate);
    const abort = new AbortController();
    // The caller went away (or the response failed): stop reading ClickHouse.
    reply.raw.once('close', () => abort.abort());
    const audit = req.audit!;
    audit.rows = 0;
    const rowsSent = d.metrics.rows.labels({ route: '/v1/anlyt/audit/query' });
    const body = Readable.from(
      (async function* () {
        for await (const c of opened.chunks(abort.signal)) {
          audit.rows! += c.rows;
          rowsSent.inc(c.rows);
          yield c.text;
        }
      })(),
    );
    return reply.type(NDJSON).header('x-audit-rows', String(opened.counted)).send(body);
  });

  app.post('/exports', { ...strict, schema: { body: AuditBodySchema } }, async (req, reply) => {
    const who = { callerSub: req.caller!.sub, certSubject: req.audit!.certSubject };
    const { id } = await d.exports.start(req.body, who, d.now()).catch(translate);
    req.audit!.exportId = id;
    return reply.code(202).send({ id });
  });

  app.get('/exports/:id', { ...strict, schema: { params: ExportParamsSchema } }, async (req) => {
    req.audit!.exportId = req.params.id;
    const x = await d.exports.status(req.params.id);
    if (!x) throw new ApiProblem(404, 'NOT_FOUND', 'no such export');
    req.audit!.rows = x.rows;
    return {
      status: x.status,
      rows: x.rows,
      objectUri: x.status === 'DONE' ? x.objectUri : null,
    };
  });
};
