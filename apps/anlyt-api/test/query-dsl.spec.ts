/**
 * US-ANLYT-14: POST /v1/anlyt/query over the real ClickHouse — answers equal to numbers
 * computed here from @anlyt/traffic's FactsOracle, the same numbers from the cubes and from
 * the facts, tenant scope, exact paging while data arrives, and the refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamDslRows } from '@anlyt/clickhouse';
import {
  CATALOG,
  DATASETS,
  overCube,
  planQuery,
  renderRow,
  type Dataset,
  type QueryBody,
} from '@anlyt/query';
import { defaultTrafficConfig, FactsOracle, generateTraffic } from '@anlyt/traffic';
import { DSL_PREFIX } from '../src/app.js';
import { startDslHarness, type DslHarness } from './dsl-harness.js';
import { token } from './harness.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const WINDOW = { from: '2026-11-20', to: '2026-11-30' };
const FAILED = ['FAILED', 'EXPIRED', 'REJECTED', 'UNDELIVERABLE'];
const QUANTILES = ['p50LatencyMs', 'p95LatencyMs', 'p99LatencyMs'];

function oracleOf(seed: number, messages: number) {
  const oracle = new FactsOracle();
  const cfg = defaultTrafficConfig({
    seed,
    messages,
    accounts: 4,
    operators: 3,
    spanMs: 2 * 86_400_000,
    cdrs: true,
  });
  for (const m of generateTraffic(cfg)) oracle.observe(m);
  return oracle;
}

const oracle = oracleOf(14, 6000);
const dlrs = [...oracle.dlrFacts().values()];
const cdrs = [...oracle.cdrFacts().values()];
const TENANT = dlrs[0]!.tenantId;

let h: DslHarness;
let admin: string;
let portal: string;
beforeAll(async () => {
  h = await startDslHarness({ now: () => NOW });
  await h.load(dlrs, cdrs);
  admin = await token('admin');
  portal = await token('portal', { sub: 'customer-portal' });
});
afterAll(async () => {
  await h?.close();
});

async function query(body: unknown, bearer: string, account?: string) {
  const res = await h.app.inject({
    method: 'POST',
    url: `${DSL_PREFIX}/query`,
    headers: { authorization: `Bearer ${bearer}`, ...(account ? { 'x-account-id': account } : {}) },
    payload: body as object,
  });
  return {
    status: res.statusCode,
    body: res.json() as Record<string, unknown> & { rows: Record<string, unknown>[] },
  };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const hour = (ms: number) => new Date(ms - (ms % 3_600_000)).toISOString();
const inWindow = (ms: number) => ms >= Date.parse('2026-11-20') && ms < Date.parse('2026-12-01');
const money = (m: bigint) => {
  const abs = m < 0n ? -m : m;
  return `${m < 0n ? '-' : ''}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`;
};
const byKey = <T>(items: T[], key: (x: T) => string) => {
  const m = new Map<string, T[]>();
  for (const x of items) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
};
const withoutQuantiles = (rows: Record<string, unknown>[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !QUANTILES.includes(k))));

describe('POST /v1/anlyt/query answers what the facts say', () => {
  it('DLRs of a portal tenant per day, MNO and status (from the cube)', async () => {
    const r = await query(
      {
        dataset: 'dlr',
        measures: ['dlrs', 'delivered', 'failed', 'deliveryRate', 'avgLatencyMs'],
        dimensions: ['day', 'mno', 'status'],
        timeRange: WINDOW,
      },
      portal,
      TENANT,
    );
    expect(r.status).toBe(200);
    const mine = dlrs.filter((f) => f.tenantId === TENANT && inWindow(f.occurredAtMs));
    const groups = byKey(mine, (f) => `${day(f.occurredAtMs)}|${f.mno}|${f.status}`);
    const want = [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, fs]) => {
        const [d, mno, status] = k.split('|');
        const delivered = fs.filter((f) => f.status === 'DELIVERED').length;
        const failed = fs.filter((f) => FAILED.includes(f.status)).length;
        return {
          day: d,
          mno,
          status,
          dlrs: fs.length,
          delivered,
          failed,
          deliveryRate: delivered + failed === 0 ? null : delivered / (delivered + failed),
          avgLatencyMs: fs.reduce((s, f) => s + f.latencyMs, 0) / fs.length,
        };
      });
    expect(want.length).toBeGreaterThan(10);
    expect(r.body.rows.length).toBe(want.length);
    r.body.rows.forEach((row, i) => {
      const w = want[i]!;
      expect({ ...row, avgLatencyMs: undefined }).toEqual({ ...w, avgLatencyMs: undefined });
      expect(row['avgLatencyMs']).toBeCloseTo(w.avgLatencyMs, 6);
    });
    expect(r.body.nextCursor).toBeNull();
    expect(r.body.dataAsOf).toBe(new Date(oracle.maxOccurredAtMs('dlr')!).toISOString());
  });

  it('CDR cost per destination prefix (from the facts), money exact to the micro-unit', async () => {
    const r = await query(
      {
        dataset: 'cdr',
        measures: [
          'cdrs',
          'segments',
          'cost',
          'rejected',
          'throttled',
          'esmeErrors',
          'esmeErrorRate',
        ],
        dimensions: ['destinationPrefix'],
        timeRange: WINDOW,
      },
      portal,
      TENANT,
    );
    expect(r.status).toBe(200);
    const mine = cdrs.filter((f) => f.tenantId === TENANT && inWindow(f.occurredAtMs));
    const want = [...byKey(mine, (f) => f.destinationPrefix).entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([prefix, fs]) => {
        const esme = fs.filter((f) => f.esmeErrorCode !== null).length;
        return {
          destinationPrefix: prefix,
          cdrs: fs.length,
          segments: fs.reduce((s, f) => s + f.segments, 0),
          cost: money(fs.reduce((s, f) => s + f.amountMicros, 0n)),
          rejected: fs.filter((f) => f.submitStatus === 'REJECTED').length,
          throttled: fs.filter((f) => f.submitStatus === 'THROTTLED').length,
          esmeErrors: esme,
          esmeErrorRate: esme / fs.length,
        };
      });
    expect(r.body.rows).toEqual(want);
  });

  it('compliance per hour and rule, a missing rule as null', async () => {
    const r = await query(
      {
        dataset: 'compliance',
        measures: ['checked', 'blocked'],
        dimensions: ['hour', 'rule'],
        timeRange: WINDOW,
      },
      portal,
      TENANT,
    );
    const mine = cdrs.filter((f) => f.tenantId === TENANT && inWindow(f.occurredAtMs));
    const want = [...byKey(mine, (f) => `${hour(f.occurredAtMs)}|${f.rule ?? ''}`).entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, fs]) => ({
        hour: k.split('|')[0],
        rule: fs[0]!.rule,
        checked: fs.length,
        blocked: fs.filter((f) => f.verdict === 'BLOCKED').length,
      }));
    expect(want.some((w) => w.rule === null) && want.some((w) => w.rule !== null)).toBe(true);
    expect(r.body.rows).toEqual(want);
  });

  it('gives the same numbers from every cube and from the facts, for every dataset', async () => {
    for (const dataset of DATASETS) {
      const spec = CATALOG[dataset];
      for (const [i, cube] of spec.cubes.entries()) {
        // Every measure and dimension this cube has; `hour` only where a coarser cube would
        // answer otherwise.
        const body: QueryBody = {
          dataset,
          measures: Object.keys(spec.measures).filter((m) => !cube.lacks?.includes(m)),
          dimensions: Object.entries(spec.dimensions)
            .filter(
              ([n, d]) =>
                overCube(d, cube.grain) !== null &&
                !cube.lacks?.includes(n) &&
                (n !== 'hour' || i > 0),
            )
            .map(([n]) => n),
          timeRange: WINDOW,
        };
        const [fromCube, facts] = await Promise.all([
          run(dataset, body, 'cube', cube.table),
          run(dataset, body, 'facts'),
        ]);
        expect(fromCube.length).toBeGreaterThan(0);
        expect(withoutQuantiles(fromCube)).toEqual(withoutQuantiles(facts));
        fromCube.forEach((row, i) => {
          for (const q of QUANTILES.filter((k) => k in row)) {
            const a = row[q] as number;
            const b = facts[i]![q] as number;
            expect(Math.abs(a - b), `${cube.table} ${q} row ${i}`).toBeLessThanOrEqual(
              Math.max(1, 0.02 * b),
            );
          }
        });
      }
    }
  });

  it('answers the same through the API whether the cube or the facts are read', async () => {
    const body = {
      dataset: 'dlr',
      measures: ['dlrs', 'failed', 'deliveryRate'],
      dimensions: ['day', 'lane'],
      timeRange: WINDOW,
    };
    // A filter on a facts-only dimension that excludes nothing sends the query to the facts.
    const viaFacts = {
      ...body,
      filters: [{ member: 'destinationPrefix', op: 'notIn', values: ['none'] }],
    };
    const [a, b] = await Promise.all([query(body, admin), query(viaFacts, admin)]);
    expect(a.body.rows.length).toBeGreaterThan(0);
    expect(b.body.rows).toEqual(a.body.rows);
  });
});

async function run(dataset: Dataset, body: QueryBody, source: 'cube' | 'facts', table?: string) {
  const p = planQuery(
    body,
    { role: 'admin' },
    {
      nowMs: NOW,
      database: h.t.database,
      maxRows: 100_000,
      ...(source === 'facts' ? { source } : {}),
    },
  );
  if (!p.ok) throw new Error(p.detail);
  expect(p.plan.source, dataset).toBe(source);
  if (table !== undefined) expect(p.plan.table, dataset).toBe(table);
  const out: Record<string, unknown>[] = [];
  for await (const r of streamDslRows(h.ch, p.plan.sql, { maxExecutionTimeS: 30 }))
    out.push(renderRow(p.plan.columns, r));
  return out;
}

describe('tenant scope', () => {
  it('shows a portal caller its own tenant only, an admin every tenant', async () => {
    const body = { dataset: 'dlr', measures: ['dlrs'], timeRange: WINDOW };
    const mine = await query(body, portal, TENANT);
    expect(mine.body.rows).toEqual([
      { dlrs: dlrs.filter((f) => f.tenantId === TENANT && inWindow(f.occurredAtMs)).length },
    ]);
    const all = await query({ ...body, dimensions: ['tenantId'] }, admin);
    const tenants = [...new Set(dlrs.map((f) => f.tenantId))].sort();
    expect(all.body.rows.map((r) => r['tenantId'])).toEqual(tenants);
    expect(tenants.length).toBeGreaterThan(1);
  });

  it('refuses tenantId to a portal caller and a portal call without X-Account-Id (403)', async () => {
    const base = { dataset: 'dlr', measures: ['dlrs'], timeRange: WINDOW };
    for (const body of [
      { ...base, dimensions: ['tenantId'] },
      { ...base, filters: [{ member: 'tenantId', op: 'in', values: ['other'] }] },
    ]) {
      const r = await query(body, portal, TENANT);
      expect([r.status, r.body['code']]).toEqual([403, 'FORBIDDEN']);
    }
    const r = await query(base, portal);
    expect([r.status, r.body['code']]).toEqual([403, 'FORBIDDEN']);
    const regulator = await query(base, await token('regulator'));
    expect(regulator.status).toBe(403);
  });
});

describe('refusals', () => {
  const base = { dataset: 'dlr', measures: ['dlrs'], timeRange: WINDOW };
  it.each([
    ['an unknown top-level member', { ...base, sql: 'SELECT 1' }, 'INVALID_REQUEST'],
    ['an unknown measure', { ...base, measures: ['revenue'] }, 'INVALID_REQUEST'],
    ['a measure of another dataset', { ...base, measures: ['cost'] }, 'INVALID_REQUEST'],
    ['a limit over 100 000', { ...base, limit: 100_001 }, 'INVALID_REQUEST'],
    [
      'an unknown filter operator',
      { ...base, filters: [{ member: 'lane', op: 'like', values: ['OTP'] }] },
      'INVALID_REQUEST',
    ],
    [
      'a window over 366 days',
      { ...base, timeRange: { from: '2025-01-01', to: '2026-11-30' } },
      'INVALID_WINDOW',
    ],
    [
      'from after to',
      { ...base, timeRange: { from: '2026-11-30', to: '2026-11-01' } },
      'INVALID_WINDOW',
    ],
  ])('%s → 400 %s', async (_name, body, code) => {
    const r = await query(body, admin);
    expect([r.status, r.body['code']]).toEqual([400, code]);
  });

  it('answers a query without dimensions with exactly one row, zeros and nulls when nothing matched', async () => {
    const r = await query(
      {
        dataset: 'dlr',
        measures: ['dlrs', 'deliveryRate', 'avgLatencyMs', 'p95LatencyMs'],
        timeRange: { from: '2020-01-01', to: '2020-01-02' },
      },
      admin,
    );
    expect(r.body.rows).toEqual([
      { dlrs: 0, deliveryRate: null, avgLatencyMs: null, p95LatencyMs: null },
    ]);
    const c = await query(
      {
        dataset: 'cdr',
        measures: ['cost', 'esmeErrorRate'],
        timeRange: { from: '2020-01-01', to: '2020-01-02' },
      },
      admin,
    );
    expect(c.body.rows).toEqual([{ cost: '0.000000', esmeErrorRate: null }]);
  });
});

describe('cursor paging', () => {
  const body = {
    dataset: 'dlr',
    measures: ['dlrs', 'deliveryRate'],
    dimensions: ['hour', 'tenantId', 'mno', 'status'],
    order: [{ member: 'dlrs', dir: 'desc' }],
    timeRange: WINDOW,
  };

  it('returns every row exactly once across pages, unmoved by data arriving in between', async () => {
    const whole = await query({ ...body, limit: 100_000 }, admin);
    expect(whole.body.nextCursor).toBeNull();
    const total = whole.body.rows.length;
    expect(total).toBeGreaterThan(150);

    const pages: Record<string, unknown>[][] = [];
    let cursor: string | null = null;
    let first = true;
    do {
      const r = await query({ ...body, limit: 50, cursor }, admin);
      expect(r.status).toBe(200);
      expect(r.body.dataAsOf).toBe(whole.body.dataAsOf);
      pages.push(r.body.rows);
      cursor = r.body.nextCursor as string | null;
      if (first) {
        // More facts for the same hours and tenants arrive after the first page.
        const more = oracleOf(99, 1500);
        await h.load(more.dlrFacts().values(), more.cdrFacts().values());
        first = false;
      }
    } while (cursor !== null);
    expect(pages.slice(0, -1).every((p) => p.length === 50)).toBe(true);
    expect(pages.flat()).toEqual(whole.body.rows);
    // The data did change: a new query sees it.
    const after = await query({ ...body, limit: 100_000 }, admin);
    expect(after.body.rows).not.toEqual(whole.body.rows);
  });

  it('refuses a cursor with another body, another caller, or a changed byte', async () => {
    const portalBody = { ...body, dimensions: ['hour', 'mno', 'status'], limit: 5 };
    const first = await query(portalBody, portal, TENANT);
    const cursor = first.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    const refused = [
      await query({ ...portalBody, dimensions: ['hour', 'mno'], cursor }, portal, TENANT),
      await query({ ...portalBody, cursor }, portal, 'acc_someone_else'),
      await query({ ...portalBody, cursor }, admin),
      await query(
        { ...portalBody, cursor: cursor.slice(0, -2) + (cursor.endsWith('AA') ? 'BB' : 'AA') },
        portal,
        TENANT,
      ),
    ];
    for (const r of refused) expect([r.status, r.body['code']]).toEqual([400, 'INVALID_REQUEST']);
    // The same body with another page size is the same query.
    const next = await query({ ...portalBody, limit: 3, cursor }, portal, TENANT);
    expect(next.status).toBe(200);
    expect(next.body.rows).toHaveLength(3);
  });
});

describe('no MSISDN in any answer', () => {
  it('never returns a phone number', async () => {
    const r = await query(
      {
        dataset: 'dlr',
        measures: ['dlrs'],
        dimensions: ['destinationPrefix', 'mno'],
        timeRange: WINDOW,
      },
      admin,
    );
    expect(JSON.stringify(r.body)).not.toMatch(/\+?\d{9,15}/);
  });
});

describe('a result larger than a stored result may be', () => {
  it('is refused 413 RESULT_TOO_LARGE when it needs more than one page', async () => {
    const small = await startDslHarness({ now: () => NOW, maxResultRows: 20 });
    try {
      await small.load(dlrs.slice(0, 2000), []);
      const body = {
        dataset: 'dlr',
        measures: ['dlrs'],
        dimensions: ['hour', 'tenantId', 'mno'],
        timeRange: WINDOW,
      };
      const paged = await small.app.inject({
        method: 'POST',
        url: `${DSL_PREFIX}/query`,
        headers: { authorization: `Bearer ${admin}` },
        payload: { ...body, limit: 5 },
      });
      expect([paged.statusCode, paged.json()['code']]).toEqual([413, 'RESULT_TOO_LARGE']);
      // A page that holds it all stores nothing, so the cap does not apply to it.
      const whole = await small.app.inject({
        method: 'POST',
        url: `${DSL_PREFIX}/query`,
        headers: { authorization: `Bearer ${admin}` },
        payload: { ...body, limit: 100_000 },
      });
      expect(whole.statusCode).toBe(200);
      const rows = whole.json<{ rows: unknown[]; nextCursor: unknown }>();
      expect(rows.rows.length).toBeGreaterThan(20);
      expect(rows.nextCursor).toBeNull();
    } finally {
      await small.close();
    }
  });
});
