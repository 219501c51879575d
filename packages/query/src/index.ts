// @anlyt/query: the query DSL of POST /v1/anlyt/query (contract §6.2) — body schema, catalog,
// planner (cube or facts) and SQL, row rendering, cursors. No I/O.
export { ADMIN_ONLY_DIMENSIONS, CATALOG, DATASETS, overCube } from './catalog.js';
export type {
  CubeGrain,
  CubeTable,
  Dataset,
  DatasetSpec,
  Dimension,
  DimensionKind,
  Measure,
  MeasureKind,
} from './catalog.js';
export { bindingOf, openCursor, signCursor } from './cursor.js';
export type { CursorState, OpenedCursor } from './cursor.js';
export { MAX_WINDOW_DAYS, planQuery } from './plan.js';
export type { OutputColumn, PlanContext, PlanResult, QueryPlan, Scope } from './plan.js';
export { renderRow } from './render.js';
export type { ResponseRow, ResponseValue } from './render.js';
export {
  DEFAULT_LIMIT,
  MAX_FILTER_VALUES,
  MAX_LIMIT,
  MAX_VALUE_LENGTH,
  QueryBodySchema,
  QueryFilterSchema,
} from './schema.js';
export type { QueryBody, QueryFilter } from './schema.js';
