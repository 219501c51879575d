// A panel target for the grafana-clickhouse-datasource plugin. SDK 0.0.21 has no ClickHouse
// query type, so this is the plugin's own query model (src/types/sql.ts in the plugin):
// raw SQL, editorType `sql`, and the backend's `format` (sqlds: 0 = time series — long rows
// pivoted to one series per label value — 1 = table). Every panel and target points at the
// `${datasource}` variable, so one JSON serves every environment.
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as common from '@grafana/grafana-foundation-sdk/common';
import type { QueryFormat, QuerySpec } from './query-spec.js';

export const CLICKHOUSE_PLUGIN = 'grafana-clickhouse-datasource';

export const CLICKHOUSE: common.DataSourceRef = {
  type: CLICKHOUSE_PLUGIN,
  uid: '${datasource}',
};

const FORMAT: Record<QueryFormat, number> = { timeseries: 0, table: 1 };

export interface ClickHouseQuery extends cog.Dataquery {
  refId: string;
  datasource: common.DataSourceRef;
  editorType: 'sql';
  queryType: 'timeseries' | 'table';
  format: number;
  rawSql: string;
}

export class ClickHouseTargetBuilder implements cog.Builder<cog.Dataquery> {
  constructor(
    private readonly spec: QuerySpec,
    private readonly refId = 'A',
  ) {}

  build(): ClickHouseQuery {
    return {
      refId: this.refId,
      datasource: CLICKHOUSE,
      editorType: 'sql',
      queryType: this.spec.format,
      format: FORMAT[this.spec.format],
      rawSql: this.spec.sql,
      // cog's marker for "a datasource query"; a function, so JSON.stringify drops it.
      _implementsDataqueryVariant() {},
    };
  }
}

export const target = (spec: QuerySpec, refId = 'A') => new ClickHouseTargetBuilder(spec, refId);
