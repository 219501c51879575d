/**
 * The response of POST /v1/anlyt/query as named components. A row may only carry the names
 * the DSL has (every dataset's measures and dimensions): the schema is the serialiser's
 * allow-list, so nothing else (an msisdn, a column added one day to a fact table) can leave.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { CATALOG, DATASETS, type DimensionKind, type MeasureKind } from '@anlyt/query';
import { Money, ref, stringEnum } from '../schemas/common.js';

/** Each member's value, from the catalog's kinds (a name means the same in every dataset). */
function valueSchema(kind: DimensionKind | MeasureKind, values?: readonly string[]): TSchema {
  switch (kind) {
    case 'hour':
      return Type.String({ format: 'date-time' });
    case 'day':
      return Type.String({ format: 'date' });
    case 'enum':
      return stringEnum(values!);
    case 'text':
      return Type.String();
    case 'optional':
      return Type.Union([Type.String(), Type.Null()]);
    case 'count':
      return Type.Integer({ minimum: 0 });
    case 'money':
      return ref(Money);
    case 'number':
      return Type.Union([Type.Number(), Type.Null()]);
  }
}

const MEMBERS = new Map<string, TSchema>();
for (const d of DATASETS) {
  for (const [name, dim] of Object.entries(CATALOG[d].dimensions))
    MEMBERS.set(name, valueSchema(dim.kind, dim.values));
  for (const [name, m] of Object.entries(CATALOG[d].measures))
    MEMBERS.set(name, valueSchema(m.kind));
}

export const QueryRow = Type.Object(
  Object.fromEntries([...MEMBERS.keys()].sort().map((m) => [m, Type.Optional(MEMBERS.get(m)!)])),
  {
    $id: 'QueryRow',
    additionalProperties: false,
    description:
      'One row: the requested dimensions and measures by name. `hour` is RFC 3339 UTC with ' +
      'milliseconds, `day` YYYY-MM-DD; counts are integers; `cost` is an exact decimal string ' +
      'with 6 decimals; rates, averages and quantiles are numbers, null when undefined (no ' +
      'final DLR, no CDR); `esmeErrorCode` / `rule` are null when the event had none. ' +
      'Quantiles (p50/p95/p99LatencyMs) are t-digest estimates (see the operation).',
  },
);

export const QueryResponse = Type.Object(
  {
    rows: Type.Array(ref(QueryRow)),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description:
        'Send it back with the same body for the next page; null on the last page. Opaque, ' +
        'signed, bound to the body and the caller, valid 24 h.',
    }),
    dataAsOf: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description:
        'The largest occurredAt folded into the data the answer was computed from (the ' +
        'cubes or the facts); on later pages, the first page’s. Null before any data.',
    }),
  },
  { $id: 'QueryResponse', additionalProperties: false },
);

export const QUERY_SCHEMAS = [QueryRow, QueryResponse];

export const QUERY_REQUEST_EXAMPLES = {
  dlrByDay: {
    summary: 'Delivery per day, MNO and status over November, OTP and transactional lanes',
    value: {
      dataset: 'dlr',
      measures: ['dlrs', 'deliveryRate', 'p95LatencyMs'],
      dimensions: ['day', 'mno', 'status'],
      filters: [{ member: 'lane', op: 'in', values: ['OTP', 'TRANSACTIONAL'] }],
      timeRange: { from: '2026-11-01', to: '2026-11-30' },
      order: [{ member: 'dlrs', dir: 'desc' }],
      limit: 1000,
      cursor: null,
    },
  },
  costByPrefix: {
    summary: 'Cost per destination prefix (answered from the facts)',
    value: {
      dataset: 'cdr',
      measures: ['cdrs', 'cost'],
      dimensions: ['destinationPrefix'],
      timeRange: { from: '2026-11-01', to: '2026-11-07' },
    },
  },
};

export const QUERY_RESPONSE_EXAMPLES = {
  dlrByDay: {
    summary: 'A first page with a cursor to the next',
    value: {
      rows: [
        {
          day: '2026-11-01',
          mno: 'safaricom-ke',
          status: 'DELIVERED',
          dlrs: 81234,
          deliveryRate: 1,
          p95LatencyMs: 4210.5,
        },
        {
          day: '2026-11-01',
          mno: 'safaricom-ke',
          status: 'FAILED',
          dlrs: 1890,
          deliveryRate: 0,
          p95LatencyMs: 9120,
        },
      ],
      nextCursor: 'eyJyZXN1bHRJZCI6IjNm…',
      dataAsOf: '2026-12-02T10:41:07.512Z',
    },
  },
  costByPrefix: {
    summary: 'The last page',
    value: {
      rows: [{ destinationPrefix: '+2547', cdrs: 120455, cost: '96364.000000' }],
      nextCursor: null,
      dataAsOf: '2026-12-02T10:41:07.512Z',
    },
  },
};
