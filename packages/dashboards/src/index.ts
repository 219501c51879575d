// @anlyt/dashboards: the Grafana dashboards of EP-ANLYT-03 as code (grafana-foundation-sdk),
// generated into the repository's dashboards/ folder (`generate`), and every query they run.
export {
  buildDashboards,
  listQueries,
  DEFAULT_OPTIONS,
  type DashboardFile,
  type GenerateOptions,
  type ListedQuery,
} from './dashboards.js';
export { buildMnoQualityDashboard, MNO_QUALITY_UID, mnoQualityQueries } from './mno-quality.js';
export { buildFinanceDashboard, FINANCE_UID, financeQueries, SCATTER_FIELDS } from './finance.js';
export { RUNBOOK_ANCHORS, RUNBOOK_PATH } from './runbook.js';
export { CLICKHOUSE, CLICKHOUSE_PLUGIN, type ClickHouseQuery } from './clickhouse-target.js';
export { LANES } from './sql/mno-quality.js';
export { ALL_PREFIXES } from './sql/fragments.js';
export { toPrettyJson } from './json.js';
export type { ColumnKind, ColumnSpec, QueryFormat, QuerySpec } from './query-spec.js';
