/**
 * AnswerCache (src/answer-cache.ts) when a statement fails, on real PostgreSQL: the connection
 * a request reserved goes back to the pool only once every statement the request sent on it
 * has been answered, so the requests after a failed one get their own rows, not its leftovers.
 * One pooled connection (max 1), fresh per case, so the failing request is the first to
 * prepare its statements: the state in which an early release mixed up the answers.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '@anlyt/observability';
import { createSql, type Sql } from '@anlyt/pg';
import { createTestDatabase, type TestDatabase } from '@anlyt/testing';
import { AnswerCache } from '../src/answer-cache.js';
import { registerProblemHandlers } from '../src/problem.js';

const DAY = {
  fromMs: Date.parse('2026-11-20T00:00:00Z'),
  toMs: Date.parse('2026-11-21T00:00:00Z'),
};
// Year 0000 (no such year for PostgreSQL): readWindowVersion's day bounds fail with 22008.
const YEAR_ZERO = {
  fromMs: Date.parse('0000-01-01T00:00:00Z'),
  toMs: Date.parse('0000-01-02T00:00:00Z'),
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** /fail-version: the version read fails; /fail-compute: one of two pipelined reads fails;
 *  /echo/:v: two pipelined reads that answer with v. */
async function appOn(sql: Sql): Promise<FastifyInstance> {
  const app = Fastify();
  registerProblemHandlers(app);
  const answers = new AnswerCache(sql, {
    maxBytes: 0,
    registry: createRegistry('anlyt-api', { defaultMetrics: false }),
  });
  const answer = (route: string, window: typeof DAY, compute: (c: Sql) => Promise<object>) => ({
    route,
    key: route,
    window,
    nowMs: Date.now(),
    freshness: () => ({ dataAsOf: {}, lagSeconds: null }),
    compute,
  });
  app.get('/fail-version', async (_req, reply) =>
    answers.send(
      reply,
      answer('fail-version', YEAR_ZERO, async (c) => {
        const [[r]] = await Promise.all([c<{ v: string }[]>`select ${'never'}::text as v`]);
        return { v: r!.v };
      }),
    ),
  );
  app.get('/fail-compute', async (_req, reply) =>
    answers.send(
      reply,
      answer('fail-compute', DAY, async (c) => {
        const [[n], [t]] = await Promise.all([
          c<{ n: number }[]>`select ${'not a number'}::int as n`,
          c<{ t: string }[]>`select ${'leftover'}::text as t`,
        ]);
        return { n: n!.n, t: t!.t };
      }),
    ),
  );
  app.get<{ Params: { v: string } }>('/echo/:v', async (req, reply) =>
    answers.send(
      reply,
      answer('echo', DAY, async (c) => {
        const [[a], [b]] = await Promise.all([
          c<{ v: string }[]>`select ${req.params.v}::text as v`,
          c<{ len: number }[]>`select length(${req.params.v}::text) as len`,
        ]);
        return { v: a!.v, len: b!.len };
      }),
    ),
  );
  return app;
}

describe('a failed statement does not spill into the next request', () => {
  it.each(['/fail-version', '/fail-compute'])(
    'after %s → 500, every later request gets its own answer',
    async (failing) => {
      const sql = createSql(db.url, { max: 1, applicationName: 'anlyt-test' });
      const app = await appOn(sql);
      try {
        const failed = await app.inject({ method: 'GET', url: failing });
        expect(failed.statusCode).toBe(500);
        expect(failed.json()).toMatchObject({ status: 500, code: 'INTERNAL' });
        for (const v of ['alpha', 'bravo', 'charlie-2', 'delta-three']) {
          const res = await app.inject({ method: 'GET', url: `/echo/${v}` });
          expect(res.statusCode).toBe(200);
          expect(res.json()).toMatchObject({ v, len: v.length });
        }
      } finally {
        await app.close();
        await sql.end({ timeout: 5 });
      }
    },
  );
});
