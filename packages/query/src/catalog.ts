// What a query may name (contract §6.1–6.2): per dataset its measures and dimensions, each
// with the SQL it is computed by — from the facts (FINAL) and, where the cube holds it, from
// the cube (FINAL). These strings are the only SQL text the planner ever emits besides
// escaped values: nothing from a request body becomes SQL except through escape.ts.
import {
  COMPLIANCE_VERDICTS,
  DELIVERY_STATUSES,
  DIRECTIONS,
  FAILED_STATUSES,
  LANES,
  SUBMIT_STATUSES,
} from '@anlyt/events';

export const DATASETS = ['dlr', 'cdr', 'compliance'] as const;
export type Dataset = (typeof DATASETS)[number];

/**
 * How a dimension's value looks: `hour` an RFC 3339 instant, `day` a YYYY-MM-DD date, `enum`
 * one of `values`, `text` any string, `optional` a string or null (stored as '' in the SQL).
 */
export type DimensionKind = 'hour' | 'day' | 'enum' | 'text' | 'optional';

export interface Dimension {
  kind: DimensionKind;
  values?: readonly string[];
  /** Over the facts table. */
  facts: string;
  /** Over the dataset's cubes (the same column in each); null when they do not have it. The
   *  time dimensions are answered by each cube's grain instead (`overCube`). */
  cube: string | null;
}

/** An hourly cube answers any hour-aligned window, a daily one only whole days. */
export type CubeGrain = 'hour' | 'day';

export interface CubeTable {
  table: string;
  grain: CubeGrain;
  /** True for a row that holds facts (a rebuild's tombstone holds none). */
  live: string;
  /** Measures and dimensions this cube cannot answer (another cube or the facts do). */
  lacks?: readonly string[];
}

/** How a measure is rendered: an integer, exact money, or a number that may be null. */
export type MeasureKind = 'count' | 'money' | 'number';

export interface Measure {
  kind: MeasureKind;
  facts: string;
  cube: string;
}

export interface DatasetSpec {
  factsTable: string;
  /** Coarsest first: the planner takes the first that can answer. */
  cubes: readonly CubeTable[];
  dimensions: Record<string, Dimension>;
  measures: Record<string, Measure>;
}

/** A dimension's SQL over a cube of this grain; null when that cube cannot answer it. */
export function overCube(d: Dimension, grain: CubeGrain): string | null {
  if (d.kind === 'hour') return grain === 'hour' ? 'hour' : null;
  if (d.kind === 'day') return grain === 'hour' ? 'toDate(hour)' : 'day';
  return d.cube;
}

const list = (xs: readonly string[]) => `(${xs.map((x) => `'${x}'`).join(', ')})`;
const FAILED = list(FAILED_STATUSES);
const Q = 'quantilesTDigest(0.5, 0.95, 0.99)';
const QM = 'quantilesTDigestMerge(0.5, 0.95, 0.99)';
/** null instead of a division by zero. */
const ratio = (num: string, den: string) => `if((${den}) = 0, NULL, (${num}) / (${den}))`;

const common: Record<string, Dimension> = {
  hour: { kind: 'hour', facts: 'hour', cube: null },
  day: { kind: 'day', facts: 'toDate(hour)', cube: null },
  tenantId: { kind: 'text', facts: 'tenantId', cube: 'tenantId' },
  mno: { kind: 'text', facts: 'mno', cube: 'mno' },
  direction: { kind: 'enum', values: DIRECTIONS, facts: 'direction', cube: 'direction' },
  lane: { kind: 'enum', values: LANES, facts: 'lane', cube: 'lane' },
};

const dlrDelivered = {
  facts: "countIf(status = 'DELIVERED')",
  cube: "sumIf(dlrs, status = 'DELIVERED')",
};
const dlrFailed = {
  facts: `countIf(status IN ${FAILED})`,
  cube: `sumIf(dlrs, status IN ${FAILED})`,
};
/** Null, not 0 (an empty t-digest's answer), when no DLR is in the group. */
const quantile = (i: number): Measure => ({
  kind: 'number',
  facts: `if(count() = 0, NULL, ${Q}(latencyMs)[${i}])`,
  cube: `if(sum(dlrs) = 0, NULL, ${QM}(latencyQuantiles)[${i}])`,
});

const DLR: DatasetSpec = {
  factsTable: 'facts_dlr',
  // Daily by everything, daily latency by tenant, hourly by everything: the first that has
  // every member answers (plan.ts).
  cubes: [
    {
      table: 'cube_dlr_daily',
      grain: 'day',
      live: 'dlrs > 0',
      lacks: ['p50LatencyMs', 'p95LatencyMs', 'p99LatencyMs'], // no t-digest: storage budget
    },
    {
      table: 'cube_dlr_latency_daily', // by tenant and day only
      grain: 'day',
      live: 'dlrs > 0',
      lacks: ['mno', 'direction', 'lane', 'status', 'delivered', 'failed', 'deliveryRate'],
    },
    { table: 'cube_dlr_hourly', grain: 'hour', live: 'dlrs > 0' },
  ],
  dimensions: {
    ...common,
    status: { kind: 'enum', values: DELIVERY_STATUSES, facts: 'status', cube: 'status' },
    destinationPrefix: { kind: 'text', facts: 'destinationPrefix', cube: null },
  },
  measures: {
    dlrs: { kind: 'count', facts: 'count()', cube: 'sum(dlrs)' },
    delivered: { kind: 'count', ...dlrDelivered },
    failed: { kind: 'count', ...dlrFailed },
    deliveryRate: {
      kind: 'number',
      facts: ratio(dlrDelivered.facts, `${dlrDelivered.facts} + ${dlrFailed.facts}`),
      cube: ratio(dlrDelivered.cube, `${dlrDelivered.cube} + ${dlrFailed.cube}`),
    },
    avgLatencyMs: {
      kind: 'number',
      facts: ratio('sum(latencyMs)', 'count()'),
      cube: ratio('sum(latencySumMs)', 'sum(dlrs)'),
    },
    p50LatencyMs: quantile(1),
    p95LatencyMs: quantile(2),
    p99LatencyMs: quantile(3),
  },
};

const cdrCount = (status: string) => ({
  kind: 'count' as const,
  facts: `countIf(submitStatus = '${status}')`,
  cube: `sumIf(cdrs, submitStatus = '${status}')`,
});
const esmeErrors = { facts: 'countIf(esmeErrorCode IS NOT NULL)', cube: 'sum(esmeErrors)' };

const CDR: DatasetSpec = {
  factsTable: 'facts_cdr',
  cubes: [{ table: 'cube_cdr_daily', grain: 'day', live: 'cdrs > 0' }],
  dimensions: {
    ...common,
    submitStatus: {
      kind: 'enum',
      values: SUBMIT_STATUSES,
      facts: 'submitStatus',
      cube: 'submitStatus',
    },
    esmeErrorCode: { kind: 'optional', facts: "ifNull(esmeErrorCode, '')", cube: null },
    destinationPrefix: { kind: 'text', facts: 'destinationPrefix', cube: null },
  },
  measures: {
    cdrs: { kind: 'count', facts: 'count()', cube: 'sum(cdrs)' },
    segments: { kind: 'count', facts: 'sum(segments)', cube: 'sum(segments)' },
    cost: { kind: 'money', facts: 'sum(amountMicros)', cube: 'sum(costMicros)' },
    rejected: cdrCount('REJECTED'),
    throttled: cdrCount('THROTTLED'),
    esmeErrors: { kind: 'count', ...esmeErrors },
    esmeErrorRate: {
      kind: 'number',
      facts: ratio(esmeErrors.facts, 'count()'),
      cube: ratio(esmeErrors.cube, 'sum(cdrs)'),
    },
  },
};

const COMPLIANCE: DatasetSpec = {
  factsTable: 'facts_cdr',
  cubes: [{ table: 'cube_compliance_hourly', grain: 'hour', live: 'checked > 0' }],
  dimensions: {
    ...common,
    verdict: { kind: 'enum', values: COMPLIANCE_VERDICTS, facts: 'verdict', cube: 'verdict' },
    // The cube stores a missing rule as '' (18.16 cannot sort by a Nullable column).
    rule: { kind: 'optional', facts: "ifNull(rule, '')", cube: 'rule' },
  },
  measures: {
    checked: { kind: 'count', facts: 'count()', cube: 'sum(checked)' },
    blocked: {
      kind: 'count',
      facts: "countIf(verdict = 'BLOCKED')",
      cube: "sumIf(checked, verdict = 'BLOCKED')",
    },
  },
};

export const CATALOG: Record<Dataset, DatasetSpec> = { dlr: DLR, cdr: CDR, compliance: COMPLIANCE };

/** Dimensions only an admin may name: a portal caller is scoped to its own tenant. */
export const ADMIN_ONLY_DIMENSIONS: readonly string[] = ['tenantId'];
