// Finance's per-MNO cost vs quality (US-ANLYT-18): yesterday (UTC) by default, refreshed daily.
// One bubble per MNO: X = average cost per delivered SMS, Y = delivery rate, size = messages;
// the table beside it shows the same rows (from the scatter's query, not a second one), with
// the exact total cost.
import {
  DashboardBuilder,
  TimePickerBuilder,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {
  LegendDisplayMode,
  LegendPlacement,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import * as datasource from '@grafana/grafana-foundation-sdk/datasource';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as xychart from '@grafana/grafana-foundation-sdk/xychart';
import { CLICKHOUSE, target } from './clickhouse-target.js';
import type { QuerySpec } from './query-spec.js';
import { runbookLink } from './runbook.js';
import { costVsQualityQuery } from './sql/finance.js';
import { databaseVariable, datasourceVariable } from './variables.js';

export const FINANCE_UID = 'anlyt-finance';

export interface FinanceOptions {
  runbookUrl: string;
}

export function financeQueries(uid = FINANCE_UID) {
  return {
    variables: {},
    panels: { costVsQuality: costVsQualityQuery(uid) },
  } satisfies { variables: Record<string, QuerySpec>; panels: Record<string, QuerySpec> };
}

/** Which result column each axis of the scatter plots. */
export const SCATTER_FIELDS = {
  x: 'costPerDeliveredSms',
  y: 'deliveryRate',
  size: 'messages',
} as const;

const SCATTER_ID = 1;
const byName = (name: string) => ({ matcher: { id: 'byName', options: name } });

/** Grafana's built-in "-- Dashboard --" datasource: another panel's result, not a query. */
const DASHBOARD_DS = { type: 'datasource', uid: '-- Dashboard --' };

export function buildFinanceDashboard(o: FinanceOptions): Dashboard {
  const q = financeQueries();
  const scatter = new xychart.PanelBuilder()
    .id(SCATTER_ID)
    .title('Cost vs quality per MNO')
    .description(
      'One bubble per MNO over the chosen UTC days (default: yesterday). X: cost per delivered ' +
        'SMS = Σ CDR cost (cube_cdr_daily, exact Int64 micro-units) / delivered DLRs ' +
        '(cube_dlr_daily). Y: delivery rate. Size: messages (CDRs). Reads the daily cubes only.',
    )
    .datasource(CLICKHOUSE)
    .withTarget(target(q.panels.costVsQuality))
    .mapping(xychart.SeriesMapping.Manual)
    .series([
      new xychart.XYSeriesConfigBuilder()
        .name({ fixed: 'MNO' })
        .x(byName(SCATTER_FIELDS.x))
        .y(byName(SCATTER_FIELDS.y))
        .size(byName(SCATTER_FIELDS.size)),
    ])
    .show(xychart.XYShowMode.Points)
    .pointSize({ min: 6, max: 40 })
    .overrideByName(SCATTER_FIELDS.x, [
      { id: 'decimals', value: 4 },
      { id: 'custom.axisLabel', value: 'avg cost per delivered SMS (settlement currency)' },
    ])
    .overrideByName(SCATTER_FIELDS.y, [
      { id: 'unit', value: 'percentunit' },
      { id: 'custom.axisLabel', value: 'delivery rate' },
    ])
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Single))
    .links([runbookLink(o.runbookUrl, 'costVsQuality', 'Cost vs quality')]);

  const byMno = new table.PanelBuilder()
    .id(2)
    .title('Cost and quality by MNO')
    .description("The scatter's rows; totalCost is the exact sum (6 decimals).")
    .datasource(DASHBOARD_DS)
    .withTarget(
      new datasource.DataqueryBuilder().refId('A').datasource(DASHBOARD_DS).panelId(SCATTER_ID),
    )
    .overrideByName(SCATTER_FIELDS.y, [{ id: 'unit', value: 'percentunit' }])
    .overrideByName(SCATTER_FIELDS.x, [{ id: 'decimals', value: 6 }])
    .links([runbookLink(o.runbookUrl, 'costVsQuality', 'Cost vs quality')]);

  return new DashboardBuilder('MNO cost vs quality')
    .uid(FINANCE_UID)
    .description('Per-MNO cost per delivered SMS against delivery rate, for finance (US-ANLYT-18).')
    .tags(['anlyt', 'finance', 'mno-quality'])
    .readonly()
    .timezone('utc')
    .time({ from: 'now-1d/d', to: 'now-1d/d' })
    .refresh('1d')
    .timepicker(new TimePickerBuilder().refreshIntervals(['1h', '1d']))
    .withVariable(datasourceVariable())
    .withVariable(databaseVariable())
    .withPanel(scatter.height(14).span(14))
    .withPanel(byMno.height(14).span(10))
    .build();
}
