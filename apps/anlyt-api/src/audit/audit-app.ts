/**
 * The compliance audit's own listener (US-ANLYT-15, contract §6.3): a second fastify
 * instance, HTTPS only, that serves the audit routes and nothing else (no DSL, no internal
 * routes, no /healthz, /metrics or docs: the plain listener has those; every path here needs a
 * client certificate, which probes do not have).
 * - TLS: a client certificate signed by the configured CA is required at the handshake
 *   (`requestCert`, `rejectUnauthorized`): none, an expired one or another CA's never gets to
 *   HTTP. Only that CA is trusted for clients (not the system's roots).
 * - Then its subject CN must be on the allow-list (else 403 FORBIDDEN), then the bearer token
 *   must be valid (401) and of role `regulator` (403) — plugins/auth.ts as everywhere.
 * - Every request that reaches HTTP, refused or not, is appended to the audit log once its
 *   response is over (sent whole: COMPLETED, connection closed first: ABORTED), with the
 *   token's sub, the certificate's subject, the route, the body, the status and the rows.
 */
import type { TLSSocket } from 'node:tls';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { Logger, Registry } from '@anlyt/observability';
import type { TokenVerifier } from '../plugins/auth.js';
import {
  ApiProblem,
  clientErrorHandler,
  frameworkErrors,
  registerProblemHandlers,
} from '../problem.js';
import type { AuditLogWriter } from './adapters.js';
import type { AuditExportsUseCase } from './audit-exports.use-case.js';
import type { AuditQueryUseCase } from './audit-query.use-case.js';
import { auditMetrics, type AuditMetrics } from './metrics.js';
import { auditRoutes } from './routes.js';

export const AUDIT_PREFIX = '/v1/anlyt/audit';

/** What a request on the audit listener leaves for its audit-log entry. */
export interface AuditTrail {
  certSubject: string;
  rows: number | null;
  exportId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    audit?: AuditTrail;
  }
}

export interface AuditAppDeps {
  /** PEM: the listener's certificate and key, and the CA its clients' certificates chain to. */
  tls: { cert: string | Buffer; key: string | Buffer; ca: string | Buffer };
  clientSubjects: readonly string[];
  verify: TokenVerifier;
  query: AuditQueryUseCase;
  exports: AuditExportsUseCase;
  auditLog: AuditLogWriter;
  registry: Registry;
  /** Default: created on `registry` (pass them when the process has them already). */
  metrics?: AuditMetrics;
  log?: Logger;
  now?: () => number;
}

export async function buildAuditApp(d: AuditAppDeps) {
  const metrics = d.metrics ?? auditMetrics(d.registry);
  const app = Fastify({
    https: { ...d.tls, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    loggerInstance: d.log as FastifyBaseLogger | undefined,
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors,
    clientErrorHandler,
    // Audit bodies are four short members.
    bodyLimit: 4096,
  }).withTypeProvider<TypeBoxTypeProvider>();
  registerProblemHandlers(app);
  app.server.on('tlsClientError', () => metrics.tlsRefused.inc());

  const allowed = new Set(d.clientSubjects);
  app.addHook('onRequest', async (req, reply) => {
    const certSubject = peerSubject(req.raw.socket as TLSSocket);
    req.audit = { certSubject: certSubject ?? '', rows: null, exportId: null };
    reply.raw.once('close', () => {
      const route = req.routeOptions.url ?? '(no route)';
      metrics.requests.inc({ route, status: String(reply.statusCode) });
      const entry = {
        callerSub: req.caller?.sub ?? null,
        certSubject: req.audit!.certSubject,
        method: req.method,
        route,
        body: req.method === 'GET' ? (req.params ?? null) : (req.body ?? null),
        status: reply.statusCode,
        outcome: reply.raw.writableFinished ? 'COMPLETED' : 'ABORTED',
        rows: req.audit!.rows,
        exportId: req.audit!.exportId,
      };
      d.auditLog(entry).catch((err: unknown) => {
        metrics.logFailures.inc();
        req.log.error({ err: String(err), entry }, 'could not append to the audit log');
      });
    });
    if (certSubject === null || !allowed.has(certSubject))
      throw new ApiProblem(
        403,
        'FORBIDDEN',
        "the client certificate's subject may not call the audit API",
      );
  });

  await app.register(auditRoutes, {
    prefix: AUDIT_PREFIX,
    verify: d.verify,
    now: d.now ?? Date.now,
    query: d.query,
    exports: d.exports,
    metrics,
  });
  return app;
}

export type AuditApp = Awaited<ReturnType<typeof buildAuditApp>>;

/** The verified peer certificate's single subject CN; null when absent or ambiguous. */
function peerSubject(socket: TLSSocket): string | null {
  if (!socket.authorized) return null; // never true here: the handshake refused it
  const cn: unknown = socket.getPeerCertificate().subject?.CN;
  return typeof cn === 'string' && cn !== '' ? cn : null;
}
