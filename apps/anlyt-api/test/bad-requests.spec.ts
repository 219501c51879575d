/**
 * Requests the API must refuse, on real PostgreSQL: windows outside what PostgreSQL and
 * RFC 3339 can both hold (on every route that takes from/to; they used to reach SQL and come
 * back 500, SQLSTATE 22008), and the errors fastify and Node raise before any route runs. Every
 * one is problem+json with a `code` (contract §4), and the API keeps answering afterwards.
 */
import { connect, type AddressInfo } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '@anlyt/observability';
import { createTestDatabase, type TestDatabase } from '@anlyt/testing';
import { API_PREFIX, buildApp } from '../src/app.js';
import { tokenVerifier } from '../src/plugins/auth.js';
import { SECRET, token } from './harness.js';

const ROUTES = [
  '/summary',
  '/throughput',
  '/delivery-breakdown',
  '/accounts/acc_1/usage',
  '/operators/op_x/performance',
];

let db: TestDatabase;
let app: FastifyInstance;
let admin: string;
beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildApp({
    sql: db.sql,
    verify: tokenVerifier({ secret: SECRET }),
    registry: createRegistry('anlyt-api', { defaultMetrics: false }),
    marginSeconds: 0,
    answerCacheBytes: 2 ** 20,
  });
  admin = await token('admin');
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

const get = (url: string) =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } });

function expectProblem(res: {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}) {
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body).toMatchObject({ type: 'about:blank', status: res.statusCode });
  expect(body['code']).toMatch(/^[A-Z_]+$/);
  expect(body['title']).toEqual(expect.any(String));
  return body;
}

describe('from/to outside 1970-01-01T00:00Z to 9999-12-31T23:00Z → 400 INVALID_WINDOW', () => {
  const BAD = [
    '?from=0000-01-01&to=0000-01-02', // year 0000: 22008 in PostgreSQL
    '?from=0000-01-01',
    '?from=0001-01-01&to=0001-01-01',
    '?from=0000-01-01T00:30:00%2B01:00&to=1970-01-01', // year −1 in UTC
    '?from=1969-12-31T23:00:00Z&to=1970-01-01T01:00:00Z',
    '?from=9999-12-30&to=9999-12-31', // to = 10000-01-01T00:00Z
    '?from=9999-12-31T22:00:00Z&to=9999-12-31T23:30:00Z', // its hour widens into 10000
    '?from=2026-02-30', // not a calendar date
    '?from=10000-01-01', // not YYYY-MM-DD
    '?from=%2B275760-09-13T00:00:00Z', // an expanded year: not RFC 3339
    '?from=2026-11-01&to=99999-12-31',
  ];
  const cases = ROUTES.flatMap((route) => BAD.map((q) => [route, q] as const));

  it.each(cases)('%s%s', async (route, query) => {
    const res = await get(`${API_PREFIX}${route}${query}`);
    expect(res.statusCode).toBe(400);
    expect(expectProblem(res)).toMatchObject({ title: 'Bad Request', code: 'INVALID_WINDOW' });
  });

  it.each(ROUTES)(
    '%s still answers at both ends of the range, and after the refusals',
    async (route) => {
      for (const query of [
        '?from=1970-01-01&to=1970-01-01',
        '?from=9999-12-30&to=9999-12-30',
        '?from=9999-12-31T22:00:00Z&to=9999-12-31T23:00:00Z',
        '',
      ]) {
        const res = await get(`${API_PREFIX}${route}${query}`);
        // No operator has data in this database: its 404 comes after its reads ran.
        if (route.startsWith('/operators/')) {
          expect(res.statusCode).toBe(404);
          expect(expectProblem(res)['code']).toBe('NOT_FOUND');
        } else {
          expect(res.statusCode, `${route}${query}: ${res.body}`).toBe(200);
        }
      }
    },
  );
});

describe("fastify's own errors are problem+json with a code", () => {
  const long = 'x'.repeat(101); // fastify's maxParamLength is 100

  it.each([
    ['an operator id longer than maxParamLength', `${API_PREFIX}/operators/${long}/performance`],
    ['an account id longer than maxParamLength', `${API_PREFIX}/accounts/${long}/usage`],
  ])('414 for %s', async (_what, url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(414);
    expect(expectProblem(res)).toMatchObject({
      title: 'URI Too Long',
      code: 'INVALID_REQUEST',
      detail: 'a path parameter is too long',
    });
    expect(res.body).not.toContain(long); // the path is not echoed
  });

  it('400 for a path that does not decode', async () => {
    const res = await get(`${API_PREFIX}/operators/%E0%A4%A/performance`);
    expect(res.statusCode).toBe(400);
    expect(expectProblem(res)['code']).toBe('INVALID_REQUEST');
  });

  it('404 for an unknown route or method (fastify has no 405: a route is path + method)', async () => {
    for (const res of [
      await get('/v1/internal/analytics/nope'),
      await app.inject({ method: 'DELETE', url: `${API_PREFIX}/summary` }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(expectProblem(res)['code']).toBe('NOT_FOUND');
    }
  });

  // No route takes a body, so there is no 415: a body of an unknown media type is just a
  // request for an unknown route. Bodies are still read (and refused) before the 404.
  it.each([
    [400, 'INVALID_REQUEST', 'application/json', '{"not json'],
    [413, 'INVALID_REQUEST', 'application/json', JSON.stringify({ x: 'y'.repeat(1_100_000) })],
    [404, 'NOT_FOUND', 'application/xml', '<a/>'],
  ])('%i %s for a POST body of %s', async (status, code, type, payload) => {
    const res: LightMyRequestResponse = await app.inject({
      method: 'POST',
      url: `${API_PREFIX}/summary`,
      headers: { 'content-type': type },
      payload,
    });
    expect(res.statusCode).toBe(status);
    expect(expectProblem(res)['code']).toBe(code);
  });
});

describe("what Node's HTTP parser refuses, over a real socket", () => {
  let port: number;
  beforeAll(async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });

  /** Sends raw bytes, returns status, headers and body of the (single) response. */
  function raw(
    request: string,
  ): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(request));
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
      socket.on('error', reject);
      socket.on('close', () => {
        const [head = '', body = ''] = text.split('\r\n\r\n');
        const [statusLine = '', ...lines] = head.split('\r\n');
        const headers = Object.fromEntries(
          lines.map((l) => [
            l.slice(0, l.indexOf(':')).toLowerCase(),
            l.slice(l.indexOf(':') + 1).trim(),
          ]),
        );
        resolve({ statusCode: Number(statusLine.split(' ')[1]), headers, body });
      });
    });
  }

  it.each([
    [
      414,
      'a URL longer than the header limit',
      `GET ${API_PREFIX}/summary?from=${'9'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    ],
    [
      431,
      'header fields over the limit',
      `GET ${API_PREFIX}/summary HTTP/1.1\r\nHost: x\r\nX-Pad: ${'p'.repeat(20_000)}\r\n\r\n`,
    ],
    [400, 'a request that is not HTTP', 'HELLO\r\n\r\n'],
  ])('%i for %s', async (status, _what, request) => {
    const res = await raw(request);
    expect(res.statusCode).toBe(status);
    expect(expectProblem(res)['code']).toBe('INVALID_REQUEST');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
  });
});
