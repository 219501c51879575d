/**
 * RFC 9457 problem+json with the contract's extra `code` member (contract §4). Handlers throw
 * ApiProblem; fastify's own errors (validation, 404, anything unexpected) are mapped here too,
 * so every error a caller sees has the same shape.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';

export type ProblemCode =
  'INVALID_WINDOW' | 'INVALID_REQUEST' | 'NOT_FOUND' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'INTERNAL';

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail?: string,
  ) {
    super(detail ?? code);
  }
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: ProblemCode,
  detail?: string,
) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      code,
      ...(detail ? { detail } : {}),
    });
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiProblem, req, reply) => {
    if (err instanceof ApiProblem) return sendProblem(reply, err.status, err.code, err.detail);
    if ((err as FastifyError).validation)
      return sendProblem(reply, 400, 'INVALID_REQUEST', err.message);
    const status = (err as FastifyError).statusCode ?? 500;
    if (status < 500) return sendProblem(reply, status, 'INVALID_REQUEST', err.message);
    req.log.error(
      { err: { message: err.message, code: (err as FastifyError).code } },
      'request failed',
    );
    return sendProblem(reply, 500, 'INTERNAL');
  });
  app.setNotFoundHandler((_req, reply) => sendProblem(reply, 404, 'NOT_FOUND', 'no such route'));
}

/** The problem+json body, for OpenAPI. */
export const ProblemSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
  },
  required: ['type', 'title', 'status', 'code'],
} as const;
