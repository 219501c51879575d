// The request body of POST /v1/anlyt/query (contract §6.2) as a TypeBox schema: the API
// validates bodies with it and publishes it in the OpenAPI document. Unknown members are
// refused (additionalProperties: false). Which member names a dataset has is checked after
// this, by validate.ts against the catalog, so the error can name the dataset.
import { Type, type Static } from '@sinclair/typebox';
import { DATASETS } from './catalog.js';

export const MAX_LIMIT = 100_000;
export const DEFAULT_LIMIT = 1_000;
/** Values a filter may list, and characters a value may have: generous for real ids,
 *  small enough that a statement stays far below ClickHouse's max_query_size. */
export const MAX_FILTER_VALUES = 1_000;
export const MAX_VALUE_LENGTH = 200;

const Member = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,39}$' });

export const QueryFilterSchema = Type.Object(
  {
    member: Member,
    op: Type.Union([Type.Literal('in'), Type.Literal('notIn')]),
    values: Type.Array(
      Type.Union([Type.String({ minLength: 1, maxLength: MAX_VALUE_LENGTH }), Type.Null()]),
      { minItems: 1, maxItems: MAX_FILTER_VALUES },
    ),
  },
  { additionalProperties: false },
);

export const QueryBodySchema = Type.Object(
  {
    dataset: Type.Union(DATASETS.map((d) => Type.Literal(d))),
    measures: Type.Array(Member, { minItems: 1, maxItems: 20, uniqueItems: true }),
    dimensions: Type.Optional(Type.Array(Member, { maxItems: 10, uniqueItems: true })),
    filters: Type.Optional(Type.Array(QueryFilterSchema, { maxItems: 20 })),
    timeRange: Type.Optional(
      Type.Object(
        {
          from: Type.Optional(Type.String({ maxLength: 64 })),
          to: Type.Optional(Type.String({ maxLength: 64 })),
        },
        { additionalProperties: false },
      ),
    ),
    order: Type.Optional(
      Type.Array(
        Type.Object(
          {
            member: Member,
            dir: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
          },
          { additionalProperties: false },
        ),
        { maxItems: 10 },
      ),
    ),
    /** Rows per page (default DEFAULT_LIMIT); more than MAX_LIMIT → 400 INVALID_REQUEST. */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT })),
    cursor: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export type QueryBody = Static<typeof QueryBodySchema>;
export type QueryFilter = Static<typeof QueryFilterSchema>;
