import { describe, expect, it } from 'vitest';
import { platformDashboards, type PlatformDashboardsProps } from '../../../lib/observability/dashboards/platform-dashboards';
import { promqlErrors } from '../promql';

const props: PlatformDashboardsProps = {
  platform: 'shop',
  environment: 'prod',
  webServices: [{ name: 'api', namespace: 'shop-prod', job: 'api' }],
  workloads: [
    { name: 'api', namespace: 'shop-prod', kind: 'Deployment' },
    { name: 'postgres', namespace: 'shop-prod', kind: 'StatefulSet' },
  ],
  postgres: [{ name: 'postgres', namespace: 'shop-prod', job: 'postgres' }],
  redis: [{ name: 'redis', namespace: 'shop-prod', job: 'redis' }],
  http: { requests: 'http_requests_total', duration: 'http_request_duration_seconds', statusLabel: 'code', routeLabel: 'route' },
};

type Panel = { type: string; title: string; datasource?: { uid: string }; gridPos: { x: number; y: number; w: number; h: number }; targets?: { expr: string }[] };
const panels = (d: { model: { panels?: unknown[] } }) => (d.model.panels ?? []) as Panel[];

describe('platformDashboards', () => {
  const dashboards = platformDashboards(props);

  it('builds API, infrastructure, autoscaling, PostgreSQL and Redis dashboards', () => {
    expect(dashboards.map((d) => d.name)).toEqual(['api-performance', 'infrastructure', 'autoscaling', 'postgresql', 'redis']);
  });

  it('writes every panel query as PromQL that the Prometheus grammar parses', () => {
    const exprs = dashboards.flatMap((d) => panels(d).flatMap((p) => (p.targets ?? []).map((t) => t.expr)));
    expect(exprs.length).toBeGreaterThan(25);
    // Grafana substitutes $__rate_interval before the query reaches Prometheus.
    for (const expr of exprs) expect(promqlErrors(expr.replaceAll('$__rate_interval', '1m')), expr).toEqual([]);
  });

  it('shows request rate by route, p95 and p99 latency, 5xx ratio and ready pods for the API', () => {
    const api = dashboards.find((d) => d.name === 'api-performance')!;
    const titles = panels(api).filter((p) => p.type !== 'row').map((p) => p.title);
    expect(titles).toEqual(['Request rate by route', '5xx error ratio', 'p95 latency', 'p99 latency', 'Ready pods']);
    expect(panels(api)[1].targets![0].expr).toContain('sum by (job, route) (rate(http_requests_total{namespace=~"shop-prod", job=~"$service"}[$__rate_interval]))');
  });

  it('queries the dashboard\'s data source variable from every panel', () => {
    for (const d of dashboards) {
      for (const p of panels(d).filter((x) => x.type !== 'row')) expect(p.datasource, `${d.name}/${p.title}`).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect((d.model.templating?.list ?? []).map((v) => v.name)).toContain('datasource');
    }
  });

  it('lays panels out on the 24-column grid without overlaps', () => {
    for (const d of dashboards) {
      const boxes = panels(d).map((p) => p.gridPos);
      for (const b of boxes) expect(b.x + b.w).toBeLessThanOrEqual(24);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `${d.name}: panels ${i} and ${j} overlap`).toBe(false);
        }
      }
    }
  });

  it('gives each dashboard a unique uid Grafana accepts (at most 40 characters)', () => {
    const uids = dashboards.map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const uid of uids) expect(uid).toMatch(/^[a-zA-Z0-9-_]{1,40}$/);
  });

  it('leaves out data store dashboards when there are no data stores', () => {
    expect(platformDashboards({ ...props, postgres: [], redis: [] }).map((d) => d.name)).toEqual(['api-performance', 'infrastructure', 'autoscaling']);
  });

  it('builds the same JSON every time', () => {
    expect(JSON.stringify(platformDashboards(props))).toBe(JSON.stringify(dashboards));
    expect(dashboards.map((d) => d.model)).toMatchSnapshot();
  });
});
