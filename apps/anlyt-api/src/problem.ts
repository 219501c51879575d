/**
 * RFC 9457 problem+json with the contract's extra `code` member (contract §4). Handlers throw
 * ApiProblem; fastify's own errors (validation, 404, anything unexpected) are mapped here too,
 * and so are the errors raised before any route runs (frameworkErrors, clientErrorHandler),
 * so every error a caller sees has the same shape.
 */
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

export const PROBLEM_CODES = [
  'INVALID_WINDOW',
  'INVALID_REQUEST',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RESULT_TOO_LARGE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export const PROBLEM_JSON = 'application/problem+json';

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail?: string,
    /** Response headers the status needs (a 401's WWW-Authenticate challenge). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail ?? code);
  }
}

function problemBody(status: number, code: ProblemCode, detail?: string) {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    code,
    ...(detail ? { detail } : {}),
  };
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: ProblemCode,
  detail?: string,
  headers: Readonly<Record<string, string>> = {},
) {
  // The media type also picks the route's problem serialiser (response schemas are keyed by it).
  return reply
    .code(status)
    .headers(headers)
    .type(PROBLEM_JSON)
    .send(problemBody(status, code, detail));
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiProblem, req, reply) => {
    if (err instanceof ApiProblem)
      return sendProblem(reply, err.status, err.code, err.detail, err.headers);
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

// Fixed texts: fastify's own messages quote the whole path, which can be kilobytes of junk.
const FRAMEWORK_DETAILS: Record<string, string> = {
  FST_ERR_MAX_PARAM_LENGTH: 'a path parameter is too long',
  FST_ERR_BAD_URL: 'the URL is not valid',
};

/**
 * fastify's `frameworkErrors` option: what the router refuses before any route or hook runs
 * (a path parameter longer than maxParamLength → 414, an undecodable path → 400). Without it
 * fastify answers them as plain JSON of its own shape.
 */
export function frameworkErrors(err: FastifyError, _req: unknown, reply: FastifyReply) {
  const status = err.statusCode ?? 500;
  if (status >= 500) return sendProblem(reply, 500, 'INTERNAL');
  return sendProblem(reply, status, 'INVALID_REQUEST', FRAMEWORK_DETAILS[err.code]);
}

/**
 * fastify's `clientErrorHandler` option: requests Node's HTTP parser refuses (no request
 * object exists, so the answer is written on the socket, which is then closed — as fastify's
 * default does, but as problem+json). Node reports a request line longer than its header
 * limit (16 KiB by default: an overly long URL) as a header overflow; it is answered 414,
 * like a too-long path parameter, and overflowing header fields 431.
 */
export function clientErrorHandler(err: ConnectionError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  let detail = 'the request is not valid HTTP';
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    detail = 'the request was not received in time';
  } else if (err.code === 'HPE_HEADER_OVERFLOW') {
    [status, detail] = requestLineTooLong(err)
      ? [414, 'the URL is too long']
      : [431, 'the request header fields are too large'];
  }
  if (socket.writable) {
    const body = JSON.stringify(problemBody(status, 'INVALID_REQUEST', detail));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_JSON}; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** True when the bytes Node gave up on start a request line that has not ended within the
 *  header limit (fastify types rawPacket as JSON; at run time it is the Buffer parsed). */
function requestLineTooLong(err: ConnectionError): boolean {
  const raw: unknown = err.rawPacket;
  if (!Buffer.isBuffer(raw) || !/^[A-Z]+ /.test(raw.toString('latin1', 0, 16))) return false;
  const eol = raw.indexOf('\r\n');
  return eol === -1 || eol >= maxHeaderSize;
}
