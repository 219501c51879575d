/**
 * The value schemas the routes share, each a named component of the OpenAPI document
 * (`#/components/schemas/<$id>`, registered by components.ts). Routes never copy them: they
 * point at them with `ref()`, so a client generator gets one type per concept (Money, Window,
 * P95Latency …) and fastify serialises every response through the same definitions.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { PROBLEM_CODES } from '../problem.js';

/**
 * A reference to a named component, typed as the schema it names. With a description it is
 * `allOf: [{ $ref }]` + description: @fastify/swagger drops the siblings of a bare `$ref`, and
 * a field's meaning (which amounts a Money sums) belongs to the field.
 */
export function ref<T extends TSchema>(schema: T, description?: string) {
  if (!schema.$id) throw new Error('ref() needs a schema with an $id (a named component)');
  const target = { $ref: schema.$id };
  return Type.Unsafe<Static<T>>(description ? { allOf: [target], description } : target);
}

export const MONEY_PATTERN = '^-?\\d+\\.\\d{6}$';

export const Money = Type.String({
  $id: 'Money',
  pattern: MONEY_PATTERN,
  description:
    'An exact amount in the settlement currency: a decimal string with exactly 6 decimals ' +
    '(never a JSON number, so no precision is lost); negative when refunds exceed billings.',
  examples: ['1234.567800'],
});

export const Count = Type.Integer({
  $id: 'Count',
  minimum: 0,
  description: 'A number of events (messages, DLRs): a non-negative integer.',
  examples: [82458],
});

export const NetMessageCount = Type.Integer({
  $id: 'NetMessageCount',
  description:
    'BILLED events minus REFUNDED events (contract §3); negative when a window holds more ' +
    'refunds than billings.',
  examples: [94851],
});

export const Rate = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
  $id: 'Rate',
  description:
    'A fraction in [0, 1]; null when its denominator is 0 (no final DLR in the window: ' +
    'DELIVERED, FAILED, EXPIRED, REJECTED and UNDELIVERABLE are final, UNKNOWN is not).',
  examples: [0.9234956153613547],
});

export const LatencyMs = Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
  $id: 'LatencyMs',
  description: 'Milliseconds from submission to DLR; null when the window holds no DLR.',
  examples: [2671.012821287517],
});

export const P95Latency = Type.Object(
  {
    valueMs: ref(LatencyMs),
    relativeErrorBound: Type.Number({
      minimum: 0,
      description: 'valueMs is within this fraction of the exact P95',
      examples: [0.01],
    }),
    sampleSize: ref(Count, 'DLR latencies the sketch was built from'),
  },
  {
    $id: 'P95Latency',
    description:
      'P95 latency from the merged per-bucket DDSketch state of the window (never an average ' +
      'of per-hour P95s), with its error bound and the sample it came from.',
  },
);

export const Window = Type.Object(
  {
    from: Type.String({ format: 'date-time', description: 'effective start (inclusive)' }),
    to: Type.String({ format: 'date-time', description: 'effective end (exclusive)' }),
    requestedFrom: Type.String({
      format: 'date-time',
      description: 'the requested start as parsed (default: today 00:00Z)',
    }),
    requestedTo: Type.String({
      format: 'date-time',
      description: 'the requested end as parsed; a date-only `to` is the end of that day',
    }),
  },
  {
    $id: 'Window',
    description:
      'The half-open window [from, to) the answer covers: the requested bounds widened ' +
      'outward to whole UTC hours (the aggregates are hourly), or to whole intervals of the ' +
      'resolution for /throughput; the requested bounds are echoed beside it.',
  },
);

export const AsOf = Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
  $id: 'AsOf',
  description:
    'The largest occurredAt folded into a projection the answer was computed from ' +
    '(contract §3); null before any event of it was folded.',
  examples: ['2026-11-28T14:36:59.801Z'],
});

export const DataAsOf = Type.Object(
  { billing: ref(AsOf), dlr: ref(AsOf) },
  {
    $id: 'DataAsOf',
    description: 'dataAsOf per projection, for answers drawn from billing and DLR aggregates',
  },
);

export const BillingDataAsOf = Type.Object(
  { billing: ref(AsOf) },
  { $id: 'BillingDataAsOf', description: 'dataAsOf of the billing aggregates (the only input)' },
);

export const DlrDataAsOf = Type.Object(
  { dlr: ref(AsOf) },
  { $id: 'DlrDataAsOf', description: 'dataAsOf of the DLR aggregates (the only input)' },
);

export const LagSeconds = Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
  $id: 'LagSeconds',
  description:
    'Seconds between now and the oldest dataAsOf of the projections used (how stale the least ' +
    'fresh input is); null before any event was folded.',
  examples: [1.83],
});

/** The freshness fields, last in every 200 body (answer-cache.ts splices them in). */
export const freshnessProps = { dataAsOf: ref(DataAsOf), lagSeconds: ref(LagSeconds) };
export const billingFreshnessProps = {
  dataAsOf: ref(BillingDataAsOf),
  lagSeconds: ref(LagSeconds),
};
export const dlrFreshnessProps = { dataAsOf: ref(DlrDataAsOf), lagSeconds: ref(LagSeconds) };

/** A string enum as `{ type: string, enum }` (a Union of Literals documents as anyOf). */
export function stringEnum<const V extends readonly string[]>(values: V, options: object = {}) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });
}

export const GRANULARITIES = ['hourly', 'daily'] as const;
export const Granularity = stringEnum(GRANULARITIES, {
  $id: 'Granularity',
  description: 'One series point per UTC hour or per UTC day',
});

export const RESOLUTION_NAMES = ['1m', '5m', '1h'] as const;
export const Resolution = stringEnum(RESOLUTION_NAMES, {
  $id: 'Resolution',
  description: 'Throughput interval length',
});

export const Problem = Type.Object(
  {
    type: Type.String({
      description: 'always about:blank: the status code and `code` say what happened',
      examples: ['about:blank'],
    }),
    title: Type.String({ description: 'the HTTP reason phrase of the status' }),
    status: Type.Integer({ minimum: 400, maximum: 599, description: 'the HTTP status code' }),
    code: stringEnum(PROBLEM_CODES, { description: 'the machine-readable reason (contract §4)' }),
    detail: Type.Optional(Type.String({ description: 'what was wrong, for a human' })),
  },
  {
    $id: 'Problem',
    description: 'An RFC 9457 problem, sent as application/problem+json, with a `code` member',
  },
);

/** Every shared component, in the order they are registered. */
export const COMMON_SCHEMAS: readonly TSchema[] = [
  Money,
  Count,
  NetMessageCount,
  Rate,
  LatencyMs,
  P95Latency,
  Window,
  AsOf,
  DataAsOf,
  BillingDataAsOf,
  DlrDataAsOf,
  LagSeconds,
  Granularity,
  Resolution,
  Problem,
];
