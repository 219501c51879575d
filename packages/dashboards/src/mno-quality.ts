// The NOC's per-MNO quality dashboard (US-ANLYT-16): the last 7 days, one row per MNO (the
// row repeats over `mno`), four panels per row, each linked to its runbook section.
import {
  DashboardBuilder,
  DashboardCursorSync,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  TimePickerBuilder,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {
  GraphDrawStyle,
  GraphThresholdsStyleMode,
  HeatmapCellLayout,
  StackingMode,
  AxisPlacement,
  TooltipDisplayMode,
  LegendDisplayMode,
  LegendPlacement,
  StackingConfigBuilder,
  GraphThresholdsStyleConfigBuilder,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { CLICKHOUSE, target } from './clickhouse-target.js';
import type { QuerySpec } from './query-spec.js';
import { runbookLink } from './runbook.js';
import {
  deliveryRateQuery,
  esmeErrorsQuery,
  latencyP95HeatmapQuery,
  tpsUtilisationQuery,
} from './sql/mno-quality.js';
import { mnoOptionsQuery, prefixOptionsQuery } from './sql/variables.js';
import {
  databaseVariable,
  datasourceVariable,
  laneVariable,
  mnoVariable,
  prefixVariable,
  tpsCapacityVariable,
} from './variables.js';

export const MNO_QUALITY_UID = 'anlyt-mno-quality';

export interface MnoQualityOptions {
  /** Where docs/runbooks/mno-quality.md is served (its anchors are appended). */
  runbookUrl: string;
  /** Default of the `tps_capacity` variable: submit_sm/s one MNO bind may carry. */
  tpsCapacity: number;
}

/** Every query of the dashboard, by what uses it. */
export function mnoQualityQueries(uid = MNO_QUALITY_UID) {
  return {
    variables: { mno: mnoOptionsQuery(uid), prefix: prefixOptionsQuery(uid) },
    panels: {
      deliveryRate: deliveryRateQuery(uid),
      latencyP95: latencyP95HeatmapQuery(uid),
      esmeErrors: esmeErrorsQuery(uid),
      tpsUtilisation: tpsUtilisationQuery(uid),
    },
  } satisfies { variables: Record<string, QuerySpec>; panels: Record<string, QuerySpec> };
}

const legend = () =>
  new VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(LegendDisplayMode.List)
    .placement(LegendPlacement.Bottom);

const thresholds = (steps: { value: number | null; color: string }[]) =>
  new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);

/** A series drawn nowhere but listed in the tooltip (counts behind a rate, say). */
const tooltipOnly = { id: 'custom.hideFrom', value: { viz: true, legend: true, tooltip: false } };

export function buildMnoQualityDashboard(o: MnoQualityOptions): Dashboard {
  const q = mnoQualityQueries();
  const row = new RowBuilder('$mno').repeat('mno').collapsed(false).id(1);

  const deliveryRate = new timeseries.PanelBuilder()
    .id(2)
    .title('Delivery rate')
    .description(
      'DELIVERED / final DLRs (DELIVERED, FAILED, EXPIRED, REJECTED, UNDELIVERABLE) per hour, all ' +
        'tenants. Reads cube_dlr_hourly; with a destination prefix chosen, facts_dlr (slower). ' +
        'The dashed line at 90 % is a visual cue, not an SLO.',
    )
    .datasource(CLICKHOUSE)
    .withTarget(target(q.panels.deliveryRate))
    .interval('1h')
    .unit('percentunit')
    .min(0)
    .max(1)
    .thresholds(
      thresholds([
        { value: null, color: 'red' },
        { value: 0.9, color: 'green' },
      ]),
    )
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
    .spanNulls(false)
    .overrideByName('finalDlrs', [tooltipOnly])
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi))
    .links([runbookLink(o.runbookUrl, 'deliveryRate', 'Delivery rate')]);

  const latencyP95 = new heatmap.PanelBuilder()
    .id(3)
    .title('DLR latency P95 by lane')
    .description(
      'P95 of DLR latency (ms, every status) per hour (x) and lane (y), from the hourly ' +
        "cube's t-digest states merged per cell. With few DLRs in a cell the largest " +
        'latencies set it. Empty cell: no DLR of that lane in the hour, or the lane is filtered out.',
    )
    .datasource(CLICKHOUSE)
    .withTarget(target(q.panels.latencyP95))
    .interval('1h')
    .calculate(false)
    .rowsFrame(new heatmap.RowsHeatmapOptionsBuilder().layout(HeatmapCellLayout.Unknown))
    .color(
      new heatmap.HeatmapColorOptionsBuilder()
        .mode(heatmap.HeatmapColorMode.Scheme)
        .scheme('Oranges')
        .scale(heatmap.HeatmapColorScale.Exponential)
        .exponent(0.5)
        .steps(64)
        .reverse(false),
    )
    .cellValues(new heatmap.CellValuesBuilder().unit('ms'))
    .yAxis(new heatmap.YAxisConfigBuilder().axisLabel('lane'))
    .links([runbookLink(o.runbookUrl, 'latencyP95', 'DLR latency P95')]);

  const esmeErrors = new timeseries.PanelBuilder()
    .id(4)
    .title('ESME errors by code')
    .description(
      'CDRs with an ESME error code (SMPP command_status) per hour, stacked by code. ' +
        'Reads facts_cdr FINAL (only the facts carry the code).',
    )
    .datasource(CLICKHOUSE)
    .withTarget(target(q.panels.esmeErrors))
    .interval('1h')
    .drawStyle(GraphDrawStyle.Bars)
    .fillOpacity(80)
    .lineWidth(0)
    .stacking(new StackingConfigBuilder().mode(StackingMode.Normal).group('A'))
    .displayName('${__field.labels.code}')
    .unit('short')
    .decimals(0)
    .legend(legend())
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi))
    .links([runbookLink(o.runbookUrl, 'esmeErrors', 'ESME error breakdown')]);

  const tpsUtilisation = new timeseries.PanelBuilder()
    .id(5)
    .title('TPS utilisation')
    .description(
      'Busiest second per interval (≥ 1 min): submit_sm PDUs (Σ segments of MT CDRs) over the ' +
        'TPS capacity variable. Reads facts_cdr FINAL. With a lane or prefix chosen, that ' +
        "slice's share of the bind.",
    )
    .datasource(CLICKHOUSE)
    .withTarget(target(q.panels.tpsUtilisation))
    .interval('1m')
    .unit('percentunit')
    .min(0)
    .thresholds(
      thresholds([
        { value: null, color: 'green' },
        { value: 0.8, color: 'orange' },
        { value: 1, color: 'red' },
      ]),
    )
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Line))
    .overrideByName('peakTps', [
      { id: 'unit', value: 'short' },
      { id: 'custom.axisPlacement', value: AxisPlacement.Right },
      { id: 'custom.axisLabel', value: 'peak submit_sm/s' },
    ])
    .legend(legend())
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi))
    .links([runbookLink(o.runbookUrl, 'tpsUtilisation', 'TPS utilisation')]);

  return new DashboardBuilder('MNO quality')
    .uid(MNO_QUALITY_UID)
    .description('Per-MNO delivery, latency, ESME errors and TPS for the NOC (US-ANLYT-16).')
    .tags(['anlyt', 'noc', 'mno-quality'])
    .readonly()
    .timezone('utc')
    .time({ from: 'now-7d', to: 'now' })
    .refresh('5m')
    .timepicker(new TimePickerBuilder().refreshIntervals(['1m', '5m', '15m', '1h']))
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(datasourceVariable())
    .withVariable(databaseVariable())
    .withVariable(mnoVariable(q.variables.mno))
    .withVariable(laneVariable())
    .withVariable(prefixVariable(q.variables.prefix))
    .withVariable(tpsCapacityVariable(o.tpsCapacity))
    .withRow(row)
    .withPanel(deliveryRate.height(8).span(12))
    .withPanel(latencyP95.height(8).span(12))
    .withPanel(esmeErrors.height(8).span(12))
    .withPanel(tpsUtilisation.height(8).span(12))
    .build();
}
