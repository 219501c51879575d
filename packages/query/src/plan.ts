// A validated DSL body → one SELECT (contract §6.2). Pure: the clock and the database name
// are passed in. Every identifier comes from the catalog; every value goes through
// @anlyt/clickhouse/escape. Refusals are returned, never thrown:
// - INVALID_REQUEST: a member the dataset does not have, an order member not selected, a
//   filter value that is not one of an enum's values or not a whole hour / a date;
// - INVALID_WINDOW: the time range (contract §4 rules, at most 366 days);
// - FORBIDDEN: a portal caller naming tenantId (it is scoped to X-Account-Id server-side;
//   we refuse rather than ignore, so a portal bug that thinks it sees another tenant fails
//   loudly — docs/decisions.md, "The query DSL").
// The source: the dataset's first cube (coarsest first) that has every measure, dimension and
// filter and whose grain fits the window (an hourly cube takes any window, as windows are widened
// to whole hours; a daily cube only whole days and no `hour`); the facts otherwise. All read
// FINAL (ReplacingMergeTree), and all bucket by the same UTC hour, so their counts and sums
// are the same numbers (quantiles: t-digest over the same latencies, within its error).
import {
  sqlDate,
  sqlDateTime,
  sqlIdentifier,
  sqlList,
  sqlString,
  UnsafeSqlValueError,
} from '@anlyt/clickhouse/escape';
import { DAY_MS, parseWindow, type TimeWindow } from '@anlyt/domain';
import {
  CATALOG,
  ADMIN_ONLY_DIMENSIONS,
  overCube,
  type CubeTable,
  type Dataset,
  type Dimension,
  type DimensionKind,
  type MeasureKind,
} from './catalog.js';
import { DEFAULT_LIMIT, type QueryBody, type QueryFilter } from './schema.js';

export const MAX_WINDOW_DAYS = 366;

export type Scope = { role: 'admin' } | { role: 'portal'; tenantId: string };

export interface OutputColumn {
  /** The member's name in a response row. */
  name: string;
  /** Its alias in the SQL (never a column name: aliases are global in ClickHouse). */
  alias: string;
  render: DimensionKind | MeasureKind;
}

export interface QueryPlan {
  dataset: Dataset;
  source: 'cube' | 'facts';
  /** The table read (a cube's or the facts'). */
  table: string;
  window: TimeWindow;
  limit: number;
  columns: OutputColumn[];
  sql: string;
}

export type PlanResult =
  | { ok: true; plan: QueryPlan }
  | { ok: false; code: 'INVALID_REQUEST' | 'INVALID_WINDOW' | 'FORBIDDEN'; detail: string };

export interface PlanContext {
  nowMs: number;
  database: string;
  /** The statement returns at most this many rows (+1, so that "more" can be told). */
  maxRows: number;
  /** Tests: answer from the facts even where the cube could (the same numbers). */
  source?: 'facts';
}

type Refusal = Extract<PlanResult, { ok: false }>;
const refuse = (code: Refusal['code'], detail: string): Refusal => ({ ok: false, code, detail });
const named = (xs: Iterable<string>) => [...xs].join(', ');

export function planQuery(body: QueryBody, scope: Scope, ctx: PlanContext): PlanResult {
  const spec = CATALOG[body.dataset];
  const dims = body.dimensions ?? [];
  const filters = body.filters ?? [];
  const order = body.order ?? [];

  for (const m of body.measures)
    if (!(m in spec.measures))
      return refuse(
        'INVALID_REQUEST',
        `dataset ${body.dataset} has no measure ${m}; its measures: ${named(Object.keys(spec.measures))}`,
      );
  for (const d of [...dims, ...filters.map((f) => f.member)])
    if (!(d in spec.dimensions))
      return refuse(
        'INVALID_REQUEST',
        `dataset ${body.dataset} has no dimension ${d}; its dimensions: ${named(Object.keys(spec.dimensions))}`,
      );
  const selected = new Set([...body.measures, ...dims]);
  for (const o of order)
    if (!selected.has(o.member))
      return refuse(
        'INVALID_REQUEST',
        `order names ${o.member}, which is neither a requested measure nor a dimension`,
      );
  if (scope.role === 'portal') {
    const named = [...dims, ...filters.map((f) => f.member), ...order.map((o) => o.member)];
    const forbidden = named.find((n) => ADMIN_ONLY_DIMENSIONS.includes(n));
    if (forbidden !== undefined)
      return refuse(
        'FORBIDDEN',
        `${forbidden} is an admin dimension; a portal query is scoped to its X-Account-Id`,
      );
  }

  const w = parseWindow(body.timeRange?.from, body.timeRange?.to, ctx.nowMs, MAX_WINDOW_DAYS);
  if (!w.ok) return refuse('INVALID_WINDOW', w.detail);
  const window = w.window;

  const dayAligned = window.fromMs % DAY_MS === 0 && window.toMs % DAY_MS === 0;
  const grouped = [...dims, ...filters.map((f) => f.member)];
  const cube: CubeTable | undefined =
    ctx.source === 'facts'
      ? undefined
      : spec.cubes.find(
          (c) =>
            (c.grain === 'hour' || dayAligned) &&
            ![...body.measures, ...grouped].some((m) => c.lacks?.includes(m)) &&
            grouped.every((d) => overCube(spec.dimensions[d]!, c.grain) !== null),
        );
  const source = cube === undefined ? 'facts' : 'cube';
  const exprOf = (d: Dimension) => (cube === undefined ? d.facts : overCube(d, cube.grain)!);

  const where: string[] = [];
  if (scope.role === 'portal') where.push(`tenantId = ${sqlString(scope.tenantId)}`);
  where.push(...timeCondition(cube?.grain === 'day', window));
  if (cube !== undefined) where.push(cube.live);
  for (const f of filters) {
    const cond = filterCondition(f, spec.dimensions[f.member]!, exprOf(spec.dimensions[f.member]!));
    if (typeof cond !== 'string') return cond;
    where.push(cond);
  }

  const columns: OutputColumn[] = [];
  const select: string[] = [];
  for (const d of dims) {
    const dim = spec.dimensions[d]!;
    columns.push({ name: d, alias: `d_${d}`, render: dim.kind });
    select.push(`${outputOf(dim, exprOf(dim))} AS d_${sqlIdentifier(d)}`);
  }
  for (const m of body.measures) {
    const measure = spec.measures[m]!;
    columns.push({ name: m, alias: `m_${m}`, render: measure.kind });
    select.push(`${source === 'cube' ? measure.cube : measure.facts} AS m_${sqlIdentifier(m)}`);
  }
  const aliasOf = (member: string) => (dims.includes(member) ? `d_${member}` : `m_${member}`);
  const orderBy = [
    ...order.map((o) => `${aliasOf(o.member)} ${o.dir === 'desc' ? 'DESC' : 'ASC'}`),
    ...dims.filter((d) => !order.some((o) => o.member === d)).map((d) => `d_${d} ASC`),
  ];
  const table = cube?.table ?? spec.factsTable;
  const sql = [
    `SELECT ${select.join(', ')}`,
    `FROM ${sqlIdentifier(ctx.database)}.${table} FINAL`,
    `WHERE ${where.join(' AND ')}`,
    dims.length > 0 ? `GROUP BY ${dims.map((d) => `d_${d}`).join(', ')}` : '',
    orderBy.length > 0 ? `ORDER BY ${orderBy.join(', ')}` : '',
    `LIMIT ${ctx.maxRows + 1}`,
  ]
    .filter((l) => l !== '')
    .join('\n');
  return {
    ok: true,
    plan: {
      dataset: body.dataset,
      source,
      table,
      window,
      limit: body.limit ?? DEFAULT_LIMIT,
      columns,
      sql,
    },
  };
}

/** The window on the table's time column (windows are whole hours; a daily cube's whole days). */
function timeCondition(daily: boolean, w: TimeWindow): string[] {
  if (daily) return [`day >= ${sqlDate(w.fromMs)}`, `day < ${sqlDate(w.toMs)}`];
  return [`hour >= ${sqlDateTime(w.fromMs)}`, `hour < ${sqlDateTime(w.toMs)}`];
}

/** What a dimension is in a response row's SQL: epoch seconds, a date text, a name. */
function outputOf(d: Dimension, expr: string): string {
  if (d.kind === 'hour') return `toUnixTimestamp(${expr})`;
  if (d.kind === 'day' || d.kind === 'enum') return `toString(${expr})`;
  return expr;
}

const WHOLE_HOUR = /^\d{4}-\d{2}-\d{2}T\d{2}:00:00(\.0+)?Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function filterCondition(f: QueryFilter, d: Dimension, expr: string): string | Refusal {
  const literals: string[] = [];
  for (const v of f.values) {
    if (v === null) {
      if (d.kind !== 'optional')
        return refuse('INVALID_REQUEST', `filter on ${f.member}: null is not a value it can have`);
      literals.push("''");
    } else if (d.kind === 'hour') {
      const ms = Date.parse(v);
      if (!WHOLE_HOUR.test(v) || Number.isNaN(ms) || ms < 0)
        return refuse(
          'INVALID_REQUEST',
          `filter on hour: ${JSON.stringify(v.slice(0, 40))} is not a whole UTC hour like 2026-11-01T13:00:00.000Z`,
        );
      literals.push(sqlDateTime(ms));
    } else if (d.kind === 'day') {
      const ms = Date.parse(`${v}T00:00:00Z`);
      if (
        !DATE.test(v) ||
        Number.isNaN(ms) ||
        ms < 0 ||
        new Date(ms).toISOString().slice(0, 10) !== v
      )
        return refuse(
          'INVALID_REQUEST',
          `filter on day: ${JSON.stringify(v.slice(0, 40))} is not a date like 2026-11-01`,
        );
      literals.push(sqlDate(ms));
    } else if (d.kind === 'enum') {
      if (!d.values!.includes(v))
        return refuse(
          'INVALID_REQUEST',
          `filter on ${f.member}: ${JSON.stringify(v.slice(0, 40))} is not one of ${named(d.values!)}`,
        );
      literals.push(sqlString(v));
    } else {
      try {
        literals.push(sqlString(v));
      } catch (err) {
        if (!(err instanceof UnsafeSqlValueError)) throw err;
        return refuse(
          'INVALID_REQUEST',
          `filter on ${f.member}: a value has a lone UTF-16 surrogate`,
        );
      }
    }
  }
  return `${expr} ${f.op === 'notIn' ? 'NOT IN' : 'IN'} ${sqlList([...new Set(literals)])}`;
}
