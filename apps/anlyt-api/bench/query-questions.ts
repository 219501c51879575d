/**
 * bench:query's questions: typical portal queries over a 30-day window, each as a DSL body
 * for POST /v1/anlyt/query and as the SQL an engineer would write by hand for the same answer
 * (over the cube and over the facts), run straight through @clickhouse/client.
 *
 * To make the API answer a cube question from the facts, the body gets a filter that excludes
 * nothing (`destinationPrefix notIn ['none']`: destinationPrefix is not a cube column, so the
 * planner must read the facts). The hand-written facts SQL carries the same condition, so both
 * read the same columns — as a real facts question (one about destination prefixes) would.
 */
import { sqlDate, sqlDateTime, sqlString } from '@anlyt/clickhouse/escape';
import type { QueryBody } from '@anlyt/query';

export type Source = 'cube' | 'facts';
/** The cube the planner picks: the daily one has no t-digest; latency by day comes from the
 *  (tenant, day) latency cube. */
export type Cube = 'cube_dlr_daily' | 'cube_dlr_latency_daily';

export interface Question {
  key: string;
  name: string;
  /** The sources this question is asked of. */
  sources: readonly Source[];
  body(from: string, to: string, source: Source): QueryBody;
  /** The hand-written SQL, for one tenant and [fromMs, toMs). */
  sql(db: string, source: Source, tenant: string, fromMs: number, toMs: number): string;
  /** Hand-written column → DSL member (for comparing answers). */
  columns: Record<string, string>;
  /** The members that identify a row. */
  keys: readonly string[];
}

const FAILED = "('FAILED', 'EXPIRED', 'REJECTED', 'UNDELIVERABLE')";
const EVERYTHING = { member: 'destinationPrefix', op: 'notIn' as const, values: ['none'] };
const forced = (source: Source) => (source === 'facts' ? { filters: [EVERYTHING] } : {});

function where(source: Source, tenant: string, fromMs: number, toMs: number) {
  return [
    `tenantId = ${sqlString(tenant)}`,
    source === 'cube'
      ? `day >= ${sqlDate(fromMs)} AND day < ${sqlDate(toMs)}`
      : `hour >= ${sqlDateTime(fromMs)} AND hour < ${sqlDateTime(toMs)}`,
    source === 'cube' ? 'dlrs > 0' : `destinationPrefix != 'none'`,
  ].join(' AND ');
}
const table = (db: string, source: Source, cube: Cube) =>
  `${db}.${source === 'cube' ? cube : 'facts_dlr'} FINAL`;
/** The day of a row: a column of the daily cubes, the hour's date in the facts. */
const dayOf = (source: Source) => (source === 'cube' ? 'day' : 'toDate(hour)');

/** count / sumIf per source. */
const n = (source: Source) => (source === 'cube' ? 'sum(dlrs)' : 'count()');
const nIf = (source: Source, cond: string) =>
  source === 'cube' ? `sumIf(dlrs, ${cond})` : `countIf(${cond})`;
const rate = (source: Source) =>
  `${nIf(source, "status = 'DELIVERED'")} / nullIf(${nIf(source, `status = 'DELIVERED' OR status IN ${FAILED}`)}, 0)`;

export const QUESTIONS: readonly Question[] = [
  {
    key: 'a',
    name: 'dlrs + deliveryRate by day × status',
    sources: ['cube', 'facts'],
    body: (from, to, source) => ({
      dataset: 'dlr',
      measures: ['dlrs', 'deliveryRate'],
      dimensions: ['day', 'status'],
      timeRange: { from, to },
      ...forced(source),
    }),
    sql: (db, source, tenant, fromMs, toMs) =>
      `SELECT ${dayOf(source)} AS d, status, ${n(source)} AS n, ${rate(source)} AS rate
       FROM ${table(db, source, 'cube_dlr_daily')}
       WHERE ${where(source, tenant, fromMs, toMs)}
       GROUP BY d, status ORDER BY d, status`,
    columns: { d: 'day', status: 'status', n: 'dlrs', rate: 'deliveryRate' },
    keys: ['day', 'status'],
  },
  {
    key: 'b',
    name: 'dlrs + deliveryRate + avgLatencyMs by mno',
    sources: ['cube', 'facts'],
    body: (from, to, source) => ({
      dataset: 'dlr',
      measures: ['dlrs', 'deliveryRate', 'avgLatencyMs'],
      dimensions: ['mno'],
      timeRange: { from, to },
      ...forced(source),
    }),
    sql: (db, source, tenant, fromMs, toMs) =>
      `SELECT mno, ${n(source)} AS n, ${rate(source)} AS rate,
         ${source === 'cube' ? 'sum(latencySumMs) / sum(dlrs)' : 'avg(latencyMs)'} AS avgLatency
       FROM ${table(db, source, 'cube_dlr_daily')}
       WHERE ${where(source, tenant, fromMs, toMs)}
       GROUP BY mno ORDER BY mno`,
    columns: { mno: 'mno', n: 'dlrs', rate: 'deliveryRate', avgLatency: 'avgLatencyMs' },
    keys: ['mno'],
  },
  {
    key: 'c',
    name: 'p95LatencyMs by day',
    sources: ['cube', 'facts'],
    body: (from, to, source) => ({
      dataset: 'dlr',
      measures: ['p95LatencyMs'],
      dimensions: ['day'],
      timeRange: { from, to },
      ...forced(source),
    }),
    sql: (db, source, tenant, fromMs, toMs) =>
      `SELECT ${dayOf(source)} AS d, ${
        source === 'cube'
          ? 'quantilesTDigestMerge(0.5, 0.95, 0.99)(latencyQuantiles)[2]'
          : 'quantileTDigest(0.95)(latencyMs)'
      } AS p95
       FROM ${table(db, source, 'cube_dlr_latency_daily')}
       WHERE ${where(source, tenant, fromMs, toMs)}
       GROUP BY d ORDER BY d`,
    columns: { d: 'day', p95: 'p95LatencyMs' },
    keys: ['day'],
  },
  {
    key: 'd',
    name: 'dlrs + deliveryRate by destinationPrefix',
    sources: ['facts'],
    body: (from, to) => ({
      dataset: 'dlr',
      measures: ['dlrs', 'deliveryRate'],
      dimensions: ['destinationPrefix'],
      timeRange: { from, to },
    }),
    sql: (db, _source, tenant, fromMs, toMs) =>
      `SELECT destinationPrefix, count() AS n, ${rate('facts')} AS rate
       FROM ${db}.facts_dlr FINAL
       WHERE tenantId = ${sqlString(tenant)}
         AND hour >= ${sqlDateTime(fromMs)} AND hour < ${sqlDateTime(toMs)}
       GROUP BY destinationPrefix ORDER BY destinationPrefix`,
    columns: { destinationPrefix: 'destinationPrefix', n: 'dlrs', rate: 'deliveryRate' },
    keys: ['destinationPrefix'],
  },
];

type Row = Record<string, unknown>;

/**
 * null when two answers agree: the same keys, counts equal, rates and averages within 1e-9
 * (relative), latency quantiles within `quantileTolerance` (t-digests merged from hourly states
 * vs one over the raw latencies are both estimates).
 */
export function compareAnswers(
  q: Question,
  a: readonly Row[],
  b: readonly Row[],
  quantileTolerance: number,
): string | null {
  const key = (r: Row) => q.keys.map((k) => String(r[k])).join('|');
  const mb = new Map(b.map((r) => [key(r), r]));
  if (a.length !== b.length) return `${a.length} rows vs ${b.length}`;
  for (const ra of a) {
    const rb = mb.get(key(ra));
    if (!rb) return `row ${key(ra)} missing`;
    for (const [m, va] of Object.entries(ra)) {
      if (q.keys.includes(m)) continue;
      const x = va === null ? null : Number(va);
      const y = rb[m] === null || rb[m] === undefined ? null : Number(rb[m]);
      if (x === null || y === null) {
        if (x !== y) return `${key(ra)} ${m}: ${String(va)} vs ${String(rb[m])}`;
        continue;
      }
      const tol = m.startsWith('p') && m.endsWith('LatencyMs') ? quantileTolerance : 1e-9;
      if (Math.abs(x - y) > tol * Math.max(1, Math.abs(x), Math.abs(y)))
        return `${key(ra)} ${m}: ${x} vs ${y}`;
    }
  }
  return null;
}

/** A hand-written answer's rows with the DSL's member names (days as YYYY-MM-DD). */
export function asMembers(q: Question, rows: readonly Row[]): Row[] {
  return rows.map((r) =>
    Object.fromEntries(Object.entries(q.columns).map(([col, member]) => [member, r[col]])),
  );
}
