import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOG, DATASETS, planQuery, type QueryBody, type Scope } from '../src/index.js';

const NOW = Date.parse('2026-12-02T10:30:00Z');
const ctx = { nowMs: NOW, database: 'anlyt', maxRows: 1_000_000 };
const admin: Scope = { role: 'admin' };
const portal: Scope = { role: 'portal', tenantId: 'acc_1' };
const base: QueryBody = {
  dataset: 'dlr',
  measures: ['dlrs', 'deliveryRate', 'p95LatencyMs'],
  dimensions: ['day', 'mno', 'status'],
  timeRange: { from: '2026-11-01', to: '2026-11-30' },
};
const plan = (body: QueryBody, scope: Scope = portal, extra = {}) => {
  const r = planQuery(body, scope, { ...ctx, ...extra });
  if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
  return r.plan;
};
const refusal = (body: QueryBody, scope: Scope = portal) => {
  const r = planQuery(body, scope, ctx);
  return r.ok ? 'planned' : r.code;
};

describe('planQuery: which table answers', () => {
  it('reads the daily DLR cube for whole days, the hourly one otherwise, the facts for destinationPrefix', () => {
    const daily = { ...base, measures: ['dlrs', 'deliveryRate', 'avgLatencyMs'] };
    expect(plan(daily).source).toBe('cube');
    expect(plan(daily).table).toBe('cube_dlr_daily');
    expect(plan(daily).sql).toContain('FROM anlyt.cube_dlr_daily FINAL');
    expect(plan(daily).sql).toContain("day >= toDate('2026-11-01') AND day < toDate('2026-12-01')");
    // Latency by day alone: the (tenant, day) latency cube.
    const latency = plan({ ...base, measures: ['dlrs', 'p95LatencyMs'], dimensions: ['day'] });
    expect(latency.table).toBe('cube_dlr_latency_daily');
    expect(latency.sql).toContain("WHERE tenantId = 'acc_1' AND day >= toDate('2026-11-01')");
    // A quantile by MNO or status (neither daily cube has both), an hour dimension, an hour
    // filter or a window that is not whole days: the hourly cube.
    for (const body of [
      base,
      { ...daily, dimensions: ['hour', 'status'] },
      { ...daily, filters: [{ member: 'hour', op: 'in', values: ['2026-11-02T10:00:00Z'] }] },
      { ...daily, timeRange: { from: '2026-11-01T05:00:00Z', to: '2026-11-30' } },
    ] satisfies QueryBody[]) {
      const p = plan(body);
      expect(p.table).toBe('cube_dlr_hourly');
      expect(p.sql).toContain('FROM anlyt.cube_dlr_hourly FINAL');
      expect(p.sql).toContain('hour >= toDateTime(');
    }
    // A day filter over the hourly cube is on the hour's date.
    expect(
      plan({
        ...base,
        dimensions: ['hour'],
        filters: [{ member: 'day', op: 'in', values: ['2026-11-02'] }],
      }).sql,
    ).toContain("toDate(hour) IN (toDate('2026-11-02'))");
    const byPrefix = plan({ ...base, dimensions: ['destinationPrefix'] });
    expect(byPrefix.source).toBe('facts');
    expect(byPrefix.sql).toContain('FROM anlyt.facts_dlr FINAL');
    // A filter on a facts-only dimension also sends the query to the facts.
    const filtered = plan({
      ...base,
      filters: [{ member: 'destinationPrefix', op: 'in', values: ['+2547'] }],
    });
    expect(filtered.source).toBe('facts');
  });

  it('reads the daily CDR cube only for whole days without an hour dimension', () => {
    const cdr: QueryBody = {
      dataset: 'cdr',
      measures: ['cdrs', 'cost'],
      dimensions: ['day'],
      timeRange: { from: '2026-11-01', to: '2026-11-02' },
    };
    expect(plan(cdr).source).toBe('cube');
    expect(plan(cdr).sql).toContain("day >= toDate('2026-11-01') AND day < toDate('2026-11-03')");
    expect(plan({ ...cdr, dimensions: ['hour'] }).source).toBe('facts');
    expect(
      plan({ ...cdr, timeRange: { from: '2026-11-01T05:00:00Z', to: '2026-11-02' } }).source,
    ).toBe('facts');
    expect(plan({ ...cdr, dimensions: ['esmeErrorCode'] }).source).toBe('facts');
  });

  it('answers compliance from its cube whatever the dimensions', () => {
    const q: QueryBody = {
      dataset: 'compliance',
      measures: ['checked', 'blocked'],
      dimensions: ['hour', 'rule', 'verdict'],
    };
    expect(plan(q).source).toBe('cube');
  });

  it('answers from the facts when told to, with the same columns', () => {
    const cube = plan(base);
    const facts = plan(base, portal, { source: 'facts' });
    expect(facts.source).toBe('facts');
    expect(facts.columns).toEqual(cube.columns);
  });
});

describe('planQuery: scope and refusals', () => {
  it('scopes a portal query to its tenant, and not an admin one', () => {
    expect(plan(base).sql).toContain("tenantId = 'acc_1'");
    expect(plan(base, admin).sql).not.toContain('tenantId =');
  });

  it('refuses tenantId to a portal caller anywhere in the body, and allows it to an admin', () => {
    expect(refusal({ ...base, dimensions: ['tenantId'] })).toBe('FORBIDDEN');
    expect(
      refusal({ ...base, filters: [{ member: 'tenantId', op: 'in', values: ['acc_2'] }] }),
    ).toBe('FORBIDDEN');
    expect(refusal({ ...base, dimensions: ['tenantId'] }, admin)).toBe('planned');
    expect(
      plan({ ...base, filters: [{ member: 'tenantId', op: 'in', values: ['acc_2'] }] }, admin).sql,
    ).toContain("tenantId IN ('acc_2')");
  });

  it('refuses members the dataset does not have and orders by what was not asked', () => {
    expect(refusal({ ...base, measures: ['cdrs'] })).toBe('INVALID_REQUEST');
    expect(refusal({ ...base, dimensions: ['verdict'] })).toBe('INVALID_REQUEST');
    expect(refusal({ ...base, order: [{ member: 'failed', dir: 'desc' }] })).toBe(
      'INVALID_REQUEST',
    );
    expect(refusal({ ...base, filters: [{ member: 'status', op: 'in', values: ['LOST'] }] })).toBe(
      'INVALID_REQUEST',
    );
    expect(refusal({ ...base, filters: [{ member: 'status', op: 'in', values: [null] }] })).toBe(
      'INVALID_REQUEST',
    );
    expect(
      refusal({
        ...base,
        filters: [{ member: 'hour', op: 'in', values: ['2026-11-01T13:30:00Z'] }],
      }),
    ).toBe('INVALID_REQUEST');
    expect(
      refusal({ ...base, filters: [{ member: 'day', op: 'in', values: ['2026-02-30'] }] }),
    ).toBe('INVALID_REQUEST');
  });

  it('takes windows up to 366 days', () => {
    expect(refusal({ ...base, timeRange: { from: '2025-12-01', to: '2026-11-30' } })).toBe(
      'planned',
    );
    expect(refusal({ ...base, timeRange: { from: '2025-11-01', to: '2026-11-30' } })).toBe(
      'INVALID_WINDOW',
    );
    expect(refusal({ ...base, timeRange: { from: '2026-11-30', to: '2026-11-01' } })).toBe(
      'INVALID_WINDOW',
    );
  });

  it('widens the window to whole hours and defaults to today', () => {
    const p = plan({
      ...base,
      timeRange: { from: '2026-11-01T13:20:00Z', to: '2026-11-01T15:10:00Z' },
    });
    expect([p.window.fromMs, p.window.toMs]).toEqual([
      Date.parse('2026-11-01T13:00:00Z'),
      Date.parse('2026-11-01T16:00:00Z'),
    ]);
    const today = plan({ ...base, timeRange: undefined });
    expect([today.window.fromMs, today.window.toMs]).toEqual([
      Date.parse('2026-12-02T00:00:00Z'),
      Date.parse('2026-12-02T11:00:00Z'),
    ]);
  });

  it('orders by the order members, then every dimension ascending', () => {
    const p = plan({ ...base, order: [{ member: 'dlrs', dir: 'desc' }, { member: 'mno' }] });
    expect(p.sql).toContain('ORDER BY m_dlrs DESC, d_mno ASC, d_day ASC, d_status ASC');
    const none = plan({ ...base, dimensions: [] });
    expect(none.sql).not.toContain('GROUP BY');
  });
});

// Hostile values can only ever end up inside string literals: take every literal out of the
// statement and what is left must be the same for any value of the same shape.
const LITERAL = /'(?:[^'\\]|\\.)*'/g;
const hostile = fc.oneof(
  fc.string({ minLength: 1, maxLength: 200, unit: 'binary' }),
  fc.constantFrom(
    "'",
    "\\'",
    '\\',
    "'; DROP TABLE facts_dlr; --",
    '\0',
    "x' OR 1=1 --",
    '\u202e',
    'é😀',
  ),
);

describe('planQuery: values never become SQL', () => {
  it('keeps every filter value inside one literal (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DATASETS),
        fc.array(hostile, { minLength: 1, maxLength: 5 }),
        hostile,
        (dataset, values, tenant) => {
          const spec = CATALOG[dataset];
          const textDims = Object.entries(spec.dimensions)
            .filter(([n, d]) => (d.kind === 'text' || d.kind === 'optional') && n !== 'tenantId')
            .map(([n]) => n);
          const body: QueryBody = {
            dataset,
            measures: [Object.keys(spec.measures)[0]!],
            dimensions: ['mno'],
            filters: textDims.map((member) => ({ member, op: 'in' as const, values })),
          };
          const r = planQuery(body, { role: 'portal', tenantId: tenant }, ctx);
          const shape = (vs: string[], t: string) => {
            const p = planQuery(
              {
                ...body,
                filters: textDims.map((member) => ({ member, op: 'in' as const, values: vs })),
              },
              { role: 'portal', tenantId: t },
              ctx,
            );
            return p.ok ? p.plan.sql.replace(LITERAL, "''") : p.code;
          };
          // A lone UTF-16 surrogate cannot be sent to ClickHouse: refused, never thrown.
          if (!r.ok)
            return r.code === 'INVALID_REQUEST' && values.some((v) => /[\uD800-\uDFFF]/u.test(v));
          // Same structure as with harmless values, literal for literal.
          const distinct = [...new Set(values)];
          const harmless = values.map((v) => `v${distinct.indexOf(v)}`);
          expect(r.plan.sql.replace(LITERAL, "''")).toBe(shape(harmless, 'acc'));
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});
