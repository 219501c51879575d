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
  /** Over the dataset's cube; null when the cube does not have it. */
  cube: string | null;
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
  cubeTable: string;
  /** The cube's time grain: an hourly cube answers any hour-aligned window, a daily one
   *  only whole days. */
  cubeGrain: 'hour' | 'day';
  /** Over the cube: true for a row that holds facts (a rebuild's tombstone holds none). */
  cubeLive: string;
  dimensions: Record<string, Dimension>;
  measures: Record<string, Measure>;
}

const list = (xs: readonly string[]) => `(${xs.map((x) => `'${x}'`).join(', ')})`;
const FAILED = list(FAILED_STATUSES);
const Q = 'quantilesTDigest(0.5, 0.95, 0.99)';
const QM = 'quantilesTDigestMerge(0.5, 0.95, 0.99)';
/** null instead of a division by zero. */
const ratio = (num: string, den: string) => `if((${den}) = 0, NULL, (${num}) / (${den}))`;

const common = (cubeHour: string | null, cubeDay: string): Record<string, Dimension> => ({
  hour: { kind: 'hour', facts: 'hour', cube: cubeHour },
  day: { kind: 'day', facts: 'toDate(hour)', cube: cubeDay },
  tenantId: { kind: 'text', facts: 'tenantId', cube: 'tenantId' },
  mno: { kind: 'text', facts: 'mno', cube: 'mno' },
  direction: { kind: 'enum', values: DIRECTIONS, facts: 'direction', cube: 'direction' },
  lane: { kind: 'enum', values: LANES, facts: 'lane', cube: 'lane' },
});

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
  cubeTable: 'cube_dlr_hourly',
  cubeGrain: 'hour',
  cubeLive: 'dlrs > 0',
  dimensions: {
    ...common('hour', 'toDate(hour)'),
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
  cubeTable: 'cube_cdr_daily',
  cubeGrain: 'day',
  cubeLive: 'cdrs > 0',
  dimensions: {
    ...common(null, 'day'),
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
  cubeTable: 'cube_compliance_hourly',
  cubeGrain: 'hour',
  cubeLive: 'checked > 0',
  dimensions: {
    ...common('hour', 'toDate(hour)'),
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
