// The dashboards' variables. Query variables run on the ClickHouse datasource chosen in
// `datasource`; every SQL names its tables through the hidden `database` constant.
import {
  ConstantVariableBuilder,
  CustomVariableBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  TextBoxVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { CLICKHOUSE, CLICKHOUSE_PLUGIN } from './clickhouse-target.js';
import type { QuerySpec } from './query-spec.js';
import { ALL_PREFIXES } from './sql/fragments.js';
import { LANES } from './sql/mno-quality.js';

/** The database the ingest writes to (contract §6); a constant so tests can point elsewhere. */
export const DATABASE = 'anlyt';

export const datasourceVariable = () =>
  new DatasourceVariableBuilder('datasource').label('ClickHouse').type(CLICKHOUSE_PLUGIN);

export const databaseVariable = () =>
  new ConstantVariableBuilder('database')
    .value(DATABASE)
    .description('ClickHouse database of the facts and cubes');

const queryVariable = (name: string, label: string, spec: QuerySpec) =>
  new QueryVariableBuilder(name)
    .label(label)
    .datasource(CLICKHOUSE)
    // A string: the plugin's metricFindQuery runs it as raw SQL (first column = the value).
    .query(spec.sql)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true);

/** One row per MNO: the rows repeat over this variable; "All" shows every MNO. */
export const mnoVariable = (spec: QuerySpec) =>
  queryVariable('mno', 'MNO', spec).current({ text: ['All'], value: ['$__all'] });

/** The contract's lanes (§2); "All" expands to all three, so no lane is ever left out. */
export const laneVariable = () =>
  new CustomVariableBuilder('lane')
    .label('Lane')
    .values(LANES.join(','))
    .multi(true)
    .includeAll(true)
    .current({ text: ['All'], value: ['$__all'] });

/**
 * "All" is the literal `'__all'` (a custom all value is inserted unformatted): the panels test
 * for it and read the cubes; chosen prefixes make them read the facts instead.
 */
export const prefixVariable = (spec: QuerySpec) =>
  queryVariable('prefix', 'Destination prefix', spec)
    .allValue(ALL_PREFIXES)
    .current({ text: ['All'], value: ['$__all'] });

/** Submit PDUs per second one MNO bind may carry: per deployment (docs/dashboards.md). */
export const tpsCapacityVariable = (capacity: number) =>
  new TextBoxVariableBuilder('tps_capacity')
    .label('TPS capacity per MNO')
    .description('submit_sm per second one MNO bind may carry (the contracted throughput)')
    .defaultValue(String(capacity))
    .current({ text: String(capacity), value: String(capacity) });
