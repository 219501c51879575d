/**
 * The insights' 200 schemas are serialisation allow-lists (US-ANLYT-19, DESIGN §2.8): each
 * documented example, served with an msisdn and a real MNO id's neighbour fields added to
 * every object in it, comes back exactly as the example.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ADDENDUM_EXAMPLES, MNO_QUALITY_EXAMPLES } from '../src/insights/examples.js';
import { DataShareAddendumState, MnoQualityInsights } from '../src/insights/schemas.js';
import { registerSchemas } from '../src/schemas/components.js';
import { ok } from '../src/schemas/responses.js';

const LEAKS = { msisdn: '+254712345678', operatorId: 'mno-leak-01', tenantId: 'acc_leak' };

/** The value with LEAKS added to every object in it, at any depth (a declared field wins). */
function withLeaks(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withLeaks);
  if (v === null || typeof v !== 'object') return v;
  return { ...LEAKS, ...Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withLeaks(x)])) };
}

const CASES = [
  ['MnoQualityInsights', MnoQualityInsights, MNO_QUALITY_EXAMPLES],
  ['DataShareAddendumState', DataShareAddendumState, ADDENDUM_EXAMPLES],
] as const;

describe('only declared fields leave', () => {
  it.each(CASES)('%s', async (_name, schema, examples) => {
    const app = Fastify();
    registerSchemas(app);
    const values = Object.values(examples).map((e) => e.value);
    app.get<{ Params: { i: string } }>(
      '/:i',
      { schema: { response: { 200: ok(schema, 'test', {}) } } },
      async (req) => withLeaks(values[Number(req.params.i)]),
    );
    try {
      for (const [i, value] of values.entries()) {
        const res = await app.inject({ method: 'GET', url: `/${i}` });
        expect(res.statusCode).toBe(200);
        expect(res.body).not.toMatch(/msisdn|254712345678|leak/);
        expect(res.json()).toEqual(value);
      }
    } finally {
      await app.close();
    }
  });
});
