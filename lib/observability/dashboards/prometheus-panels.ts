// Panel building blocks over the Grafana foundation SDK: every panel queries the dashboard's
// `datasource` variable, so one dashboard works against any Prometheus data source.
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** The data source every panel uses: the dashboard's `datasource` variable. */
export const DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** A query: PromQL and the legend shown for each series. */
export interface PanelQuery {
  readonly expr: string;
  readonly legend: string;
}

/** The `datasource` variable: any Prometheus data source, the default one preselected. */
export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus');
}

/** A multi-select variable over fixed values, e.g. the platform's services. */
export function choiceVariable(name: string, label: string, values: readonly string[]): dashboard.CustomVariableBuilder {
  const query = values.join(',');
  return new dashboard.CustomVariableBuilder(name)
    .label(label)
    .values(query)
    .options(values.map((v) => ({ selected: false, text: v, value: v })))
    .multi(true)
    .includeAll(true)
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}

function targets(queries: readonly PanelQuery[]): cog.Builder<cog.Dataquery>[] {
  return queries.map((q, i) => new prometheus.DataqueryBuilder()
    .expr(q.expr)
    .legendFormat(q.legend)
    .range()
    .refId(String.fromCharCode(65 + i)));
}

/** A time series panel of one unit, `width` of 24 grid columns. */
export function timeSeriesPanel(title: string, description: string, unit: string, queries: readonly PanelQuery[], width = 12): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .targets(targets(queries))
    .unit(unit)
    .min(0)
    .lineWidth(1)
    .fillOpacity(10)
    .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Bottom).showLegend(true).calcs(['lastNotNull', 'max']))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .height(8)
    .span(width);
}

/** A single-value panel with red/green thresholds. */
export function statPanel(title: string, description: string, unit: string, query: PanelQuery, thresholds: { readonly red: number; readonly redWhenBelow?: boolean }, width = 6): stat.PanelBuilder {
  const steps: dashboard.Threshold[] = thresholds.redWhenBelow
    ? [{ value: null, color: 'red' }, { value: thresholds.red, color: 'green' }]
    : [{ value: null, color: 'green' }, { value: thresholds.red, color: 'red' }];
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .targets(targets([query]))
    .unit(unit)
    .thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps))
    .colorMode(common.BigValueColorMode.Background)
    .height(4)
    .span(width);
}

/** A row heading the panels after it. */
export function row(title: string): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title);
}
