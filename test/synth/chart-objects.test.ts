import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { buildPlatform } from '../../lib/platform';
import { resolveEnvironments } from '../../lib/spec';
import { chartObjects } from '../../lib/synth/chart-objects';

describe('chartObjects', () => {
  it.each(resolveEnvironments(environmentSources.base, environmentSources.environments).map((p) => [p.environment, p] as const))(
    'returns what chart.toJson() returns for every chart of %s, in the same order',
    (_, platform) => {
      const charts = buildPlatform(platform).charts;
      const once = chartObjects(charts);
      const perChart = charts.map((chart) => chart.toJson());
      expect(once).toEqual(perChart);
      // The reference platform has StatefulSets that depend on their Services: the order is the dependency order.
      expect(perChart.flat().length).toBeGreaterThan(100);
    },
  );

  it('returns nothing for no charts', () => {
    expect(chartObjects([])).toEqual([]);
  });
});
