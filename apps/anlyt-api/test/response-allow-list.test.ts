/**
 * The 200 schemas are the serialisation allow-lists, also now that they are named components
 * reached through `$ref`s: whatever a handler puts in a body, only the declared fields leave.
 * Each documented example is served with an msisdn and a message body added to every object
 * in it, and must come back exactly as the example.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  AccountUsage,
  DeliveryBreakdown,
  OperatorPerformance,
  Summary,
  Throughput,
} from '../src/schemas/bodies.js';
import { registerSchemas } from '../src/schemas/components.js';
import {
  ACCOUNT_USAGE_EXAMPLES,
  DELIVERY_BREAKDOWN_EXAMPLES,
  OPERATOR_PERFORMANCE_EXAMPLES,
  SUMMARY_EXAMPLES,
  THROUGHPUT_EXAMPLES,
} from '../src/schemas/examples.js';
import { ok } from '../src/schemas/responses.js';

const LEAKS = { msisdn: '+254712345678', messageBody: 'your code is 4821' };

/** The value with LEAKS added to every object in it, at any depth. */
function withLeaks(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withLeaks);
  if (v === null || typeof v !== 'object') return v;
  return {
    ...Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withLeaks(x)])),
    ...LEAKS,
  };
}

const CASES = [
  ['Summary', Summary, SUMMARY_EXAMPLES],
  ['OperatorPerformance', OperatorPerformance, OPERATOR_PERFORMANCE_EXAMPLES],
  ['AccountUsage', AccountUsage, ACCOUNT_USAGE_EXAMPLES],
  ['Throughput', Throughput, THROUGHPUT_EXAMPLES],
  ['DeliveryBreakdown', DeliveryBreakdown, DELIVERY_BREAKDOWN_EXAMPLES],
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
        expect(res.body).not.toMatch(/msisdn|messageBody|254712345678/);
        expect(res.json()).toEqual(value);
      }
    } finally {
      await app.close();
    }
  });
});
