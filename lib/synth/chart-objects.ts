import { ApiObject, Chart, DependencyGraph } from 'cdk8s';

/**
 * What `chart.toJson()` returns for each chart, with the app's dependencies resolved and its
 * constructs validated once. `Chart.toJson()` resolves and validates the whole app again for every
 * chart (cdk8s's `App._synthChart`), which is quadratic in the number of charts; cdk8s's `chartToKube`
 * then orders the chart's own objects by their dependencies, as done here.
 */
export function chartObjects(charts: readonly Chart[]): unknown[][] {
  if (charts.length === 0) return [];
  // The first chart goes through cdk8s itself: that resolves the app's dependencies and validates it.
  const [first, ...rest] = charts;
  return [first.toJson(), ...rest.map(ownObjects)];
}

function ownObjects(chart: Chart): unknown[] {
  return new DependencyGraph(chart.node)
    .topology()
    .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
    .map((o) => o.toJson());
}
