/**
 * US-ANLYT-14 security: random DSL bodies — random members, operators, hostile strings in
 * values (quotes, backslashes, `--`, NUL, unicode, lone surrogates, 10 kB) — through the real
 * route onto the real ClickHouse. Every request answers 200 or 400/403, never 500; a portal
 * caller never sees a value only the other tenant has; and ClickHouse's own query log holds
 * no DSL statement the planner did not shape (each one equals the planner's text for a body
 * that was answered).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, rows } from '@anlyt/clickhouse';
import { CATALOG, DATASETS, planQuery, type QueryBody, type Scope } from '@anlyt/query';
import type { CdrFact, DlrFact } from '@anlyt/traffic';
import { DSL_PREFIX } from '../src/app.js';
import { startDslHarness, type DslHarness } from './dsl-harness.js';
import { token } from './harness.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const A = 'acc_fuzz_a';
const B = 'acc_fuzz_b';
/** Values only tenant B's facts have: a portal caller of A must never see one. */
const B_ONLY = [B, 'mno-b-only', '+222', 'ESME_B'];

function facts(tenant: string, mark: 'a' | 'b') {
  const dlrs: DlrFact[] = [];
  const cdrs: CdrFact[] = [];
  for (let i = 0; i < 120; i++) {
    const occurredAtMs = Date.parse('2026-11-27T00:00:00Z') + i * 1_234_567;
    const base = {
      eventId: `${mark === 'a' ? 'aaaaaaaa' : 'bbbbbbbb'}-0000-4000-8000-${String(i).padStart(12, '0')}`,
      tenantId: tenant,
      mno: mark === 'a' ? `mno-a-${i % 2}` : 'mno-b-only',
      messageId: `m-${mark}-${i}`,
      occurredAtMs,
      direction: 'MT' as const,
      lane: (['OTP', 'TRANSACTIONAL', 'PROMOTIONAL'] as const)[i % 3]!,
      destinationPrefix: mark === 'a' ? '+111' : '+222',
    };
    dlrs.push({
      ...base,
      status: (['DELIVERED', 'FAILED', 'UNKNOWN'] as const)[i % 3]!,
      errorCode: null,
      latencyMs: 100 + i * 7,
      submittedAtMs: occurredAtMs - 1000,
    });
    cdrs.push({
      ...base,
      senderId: 'ACME',
      segments: 1 + (i % 2),
      amountMicros: 800_000n,
      currency: 'USD',
      submitStatus: i % 5 === 0 ? 'REJECTED' : 'ACCEPTED',
      esmeErrorCode: i % 4 === 0 ? (mark === 'a' ? 'ESME_A' : 'ESME_B') : null,
      verdict: i % 6 === 0 ? 'BLOCKED' : 'ALLOWED',
      rule: i % 6 === 0 ? (mark === 'a' ? 'DND' : 'OPT_OUT') : null,
    });
  }
  return { dlrs, cdrs };
}

let h: DslHarness;
let admin: string;
let portal: string;
beforeAll(async () => {
  h = await startDslHarness({ now: () => NOW });
  const a = facts(A, 'a');
  const b = facts(B, 'b');
  await h.load([...a.dlrs, ...b.dlrs], [...a.cdrs, ...b.cdrs]);
  admin = await token('admin');
  portal = await token('portal');
});
afterAll(async () => {
  await h?.close();
});

const MEMBERS = [
  ...new Set(
    DATASETS.flatMap((d) => [
      ...Object.keys(CATALOG[d].dimensions),
      ...Object.keys(CATALOG[d].measures),
    ]),
  ),
];
const hostile = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    "'",
    "\\'",
    '\\',
    '--',
    '\0',
    "'; DROP TABLE facts_dlr; --",
    "x' OR '1'='1",
    'é😀\u202e',
    '\uD800',
    'x'.repeat(10_000),
  ),
);
const value = fc.oneof(
  hostile,
  fc.constant(null),
  fc.constantFrom(
    'OTP',
    'DELIVERED',
    'REJECTED',
    'BLOCKED',
    'DND',
    'mno-a-0',
    'mno-b-only',
    '+222',
    B,
    '2026-11-27',
    '2026-11-27T05:00:00.000Z',
  ),
);
const member = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MEMBERS) },
  { weight: 1, arbitrary: hostile },
);

/** A body built from the dataset's own members (so that many are answered), its filter
 *  values hostile, then now and then broken in one more way. */
const body = fc
  .constantFrom(...DATASETS)
  .chain((dataset) => {
    const dims = Object.keys(CATALOG[dataset].dimensions);
    const measures = Object.keys(CATALOG[dataset].measures);
    return fc.record({
      dataset: fc.constant(dataset as string),
      measures: fc.uniqueArray(fc.constantFrom(...measures), { minLength: 1, maxLength: 3 }),
      dimensions: fc.uniqueArray(fc.constantFrom(...dims), { maxLength: 2 }),
      filters: fc.array(
        fc.record({
          member: fc.constantFrom(...dims),
          op: fc.constantFrom('in', 'notIn'),
          values: fc.array(value, { minLength: 1, maxLength: 3 }),
        }),
        { maxLength: 2 },
      ),
      timeRange: fc.constant({ from: '2026-11-20', to: '2026-11-30' }),
      limit: fc.integer({ min: 1, max: 50 }),
    });
  })
  .chain((b) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(b as Record<string, unknown>) },
      { weight: 1, arbitrary: member.map((m) => ({ ...b, measures: [...b.measures, m] })) },
      { weight: 1, arbitrary: member.map((m) => ({ ...b, dimensions: [...b.dimensions, m] })) },
      {
        weight: 1,
        arbitrary: fc
          .record({ member, dir: fc.constantFrom('asc', 'desc') })
          .map((o) => ({ ...b, order: [o] })),
      },
      { weight: 1, arbitrary: hostile.map((d) => ({ ...b, dataset: d })) },
      {
        weight: 1,
        arbitrary: fc.record({ from: hostile, to: hostile }).map((t) => ({ ...b, timeRange: t })),
      },
      {
        weight: 1,
        arbitrary: hostile.map((op) => ({
          ...b,
          filters: [{ member: 'lane', op, values: ['OTP'] }],
        })),
      },
      { weight: 1, arbitrary: hostile.map((x) => ({ ...b, sql: x })) },
      { weight: 1, arbitrary: fc.constant({ ...b, limit: 100_001 }) },
    ),
  );

/** The planner's statement for a body, as the server logs it (the client adds FORMAT). */
function plannedSql(b: unknown, scope: Scope): string | null {
  const p = planQuery(b as QueryBody, scope, {
    nowMs: NOW,
    database: h.t.database,
    maxRows: 1_000_000,
  });
  return p.ok ? p.plan.sql : null;
}

describe('the query DSL under random and hostile bodies', () => {
  it('answers 200, 400 or 403 — never 500, never the other tenant, never an unplanned statement', async () => {
    const planned = new Set<string>();
    const answered = { 200: 0, 400: 0, 403: 0 } as Record<number, number>;
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (b, asPortal) => {
        const res = await h.app.inject({
          method: 'POST',
          url: `${DSL_PREFIX}/query`,
          headers: {
            authorization: `Bearer ${asPortal ? portal : admin}`,
            ...(asPortal ? { 'x-account-id': A } : {}),
          },
          payload: b,
        });
        expect([200, 400, 403], res.body.slice(0, 300)).toContain(res.statusCode);
        answered[res.statusCode] = (answered[res.statusCode] ?? 0) + 1;
        if (res.statusCode !== 200) {
          expect(res.json()).toMatchObject({ status: res.statusCode, code: expect.any(String) });
          return;
        }
        const scope: Scope = asPortal ? { role: 'portal', tenantId: A } : { role: 'admin' };
        const sql = plannedSql(b, scope);
        expect(sql, 'a 200 for a body the planner refuses').not.toBeNull();
        planned.add(sql!);
        if (asPortal) {
          const values = res
            .json<{ rows: Record<string, unknown>[] }>()
            .rows.flatMap((r) => Object.values(r));
          for (const v of B_ONLY) expect(values).not.toContain(v);
        }
      }),
      { numRuns: 250, seed: 20261203 },
    );
    // The run exercised every kind of answer.
    expect(answered[200]).toBeGreaterThan(10);
    expect(answered[400]).toBeGreaterThan(10);

    await exec(h.ch, 'SYSTEM FLUSH LOGS');
    const logged = await rows<{ query: string }>(
      h.ch,
      `SELECT DISTINCT query FROM system.query_log
       WHERE query LIKE '%${h.t.database}.%' AND query NOT LIKE '%system.query_log%'`,
    );
    expect(logged.length).toBeGreaterThan(0);
    for (const { query } of logged) {
      const statement = query.replace(/\s*FORMAT JSONEachRow\s*$/, '');
      expect(planned.has(statement), `not shaped by the planner: ${statement.slice(0, 300)}`).toBe(
        true,
      );
    }
  });
});
