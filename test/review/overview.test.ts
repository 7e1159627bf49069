import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import type { Endpoint, Flow, WorkloadInfo } from '../../lib/platform';
import { renderOverview } from '../../lib/review/overview';
import { resolveEnvironments, type ResolvedPlatform } from '../../lib/spec';
import { synthesize } from '../../lib/synth';
import { deployment, labels, service, statefulSet, type Obj } from './fixtures';
import { mermaidBlocks, parseFlowchart } from './mermaid';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'Rollout'];

describe('dist/<env>.md of the reference platform', () => {
  const output = synthesize(environmentSources);

  it.each(output.environments.map((e) => e.environment))('%s.md renders: its Mermaid parses and it lists every workload', async (env) => {
    const rendered = output.environments.find((e) => e.environment === env)!;
    const md = output.files.get(`${env}.md`)!;
    const blocks = mermaidBlocks(md);
    expect(blocks).toHaveLength(1);
    const chart = await parseFlowchart(blocks[0]);
    expect(chart.type).toBe('flowchart-v2');
    const workloads = rendered.files.flatMap((f) => f.objects).filter((o) => WORKLOAD_KINDS.includes(o.kind));
    // Every service runs: one Deployment, a Rollout, a blue-green pair or a stable and a canary Deployment.
    for (const svc of ['api', 'dashboard', 'worker']) {
      expect(workloads.filter((w) => (w.spec as any)?.template?.metadata?.labels?.['app.kubernetes.io/name'] === svc).length, `${env} ${svc}`).toBeGreaterThan(0);
    }
    const vertexTexts = [...chart.vertices.values()].map((v) => v.text ?? '');
    for (const w of workloads) {
      expect(md, `${env}.md has no inventory row for ${w.kind}/${w.metadata.name}`).toMatch(new RegExp(`^\\| \\*\\*${w.metadata.name}\\*\\*.*\\| ${w.kind} \\|`, 'm'));
      expect(vertexTexts.some((t) => t.startsWith(`${w.metadata.name}<br>${w.kind}`)), `${env}.md diagram has no node for ${w.metadata.name}`).toBe(true);
    }
  });

  it('draws every declared flow of prod, the services\' dependsOn and the scrapes by Prometheus', async () => {
    const rendered = output.environments.find((e) => e.environment === 'prod')!;
    const chart = await parseFlowchart(mermaidBlocks(output.files.get('prod.md')!)[0]);
    const edges = chart.edges.map((e) => `${e.start} ${e.stroke === 'dotted' ? '-.->' : '-->'} ${e.end} ${e.text ?? ''}`);
    expect(edges).toContain('c_atlas_prod_dashboard --> c_atlas_prod_api http :80');
    expect(edges).toContain('c_atlas_prod_worker --> c_atlas_prod_api http :80');
    expect(edges).toContain('c_atlas_prod_api -.-> ext_prometheus metrics /metrics');
    expect(edges).toContain('c_atlas_prod_dashboard -.-> ext_prometheus metrics /metrics');
    // Components without metrics ports get no scrape arrow.
    expect(edges.filter((e) => e.startsWith('c_atlas_prod_telemetry_kibana -.-> ext_prometheus'))).toEqual([]);
    // Each registered flow between two components is an arrow into the node of its endpoint.
    const nodeOf = (name: string) => {
      const endpoint = rendered.endpoints.find((e) => e.name === name)!;
      return `c_${`${endpoint.namespace}_${endpoint.name}`.replace(/[^A-Za-z0-9]+/g, '_')}`;
    };
    const flows = rendered.flows.filter((f) => f.from.name !== f.to && f.from.name !== 'ingress-controller');
    expect(flows.length).toBeGreaterThan(0);
    for (const flow of flows) expect(chart.edges.some((e) => e.end === nodeOf(flow.to)), `no arrow into ${flow.to}`).toBe(true);
    expect(chart.vertices.get('ext_prometheus')?.text).toBe('Prometheus<br>namespace monitoring');
  });

  it('sizes prod in the inventory from the rendered objects: image, autoscaling bounds, requests and limits per pod', () => {
    const md = output.files.get('prod.md')!;
    const hpa = output.environments.find((e) => e.environment === 'prod')!.files.flatMap((f) => f.objects)
      .find((o) => o.kind === 'HorizontalPodAutoscaler' && (o.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === 'api');
    const bounds = hpa ? `${(hpa.spec as { minReplicas: number }).minReplicas}–${(hpa.spec as { maxReplicas: number }).maxReplicas} (HPA)` : '3';
    expect(md).toContain(`| **api**<br/>HTTP API | Deployment | \`ghcr.io/atlas-platform/api:1.4.2\` | ${bounds} | 500m / 512Mi | 2 / 1Gi |`);
    expect(md).toMatch(/^Capacity: \d+–\d+ pods/m);
  });

  it('is checked by a parser that rejects broken flowcharts', async () => {
    await expect(parseFlowchart('flowchart LR\n  a["unclosed] --> b\n')).rejects.toThrow(/Parse error/);
  });
});

/** A production environment as the other areas will render it: a database, a route, an autoscaler, a collector. */
function richEnvironment() {
  const [prodPlatform] = resolveEnvironments(environmentSources.base, { prod: environmentSources.environments.prod });
  const platform = {
    ...prodPlatform,
    services: prodPlatform.services.map((s) => (s.name === 'api'
      ? { ...s, description: 'Says "hi" | <b>bold</b>', dependsOn: ['postgres', 'cache', 'orders-db'] }
      : s)),
  } as ResolvedPlatform;
  const otlp = [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability:4317' }];
  const collector = { ...deployment('otel-collector', { namespace: 'observability', image: 'otel/opentelemetry-collector-contrib:0.110.0' }) };
  const collectorService = { ...service('otel-collector', [{ name: 'otlp-grpc', port: 4317 }]) };
  (collectorService.metadata as Obj).namespace = 'observability';
  (collectorService.spec as Obj).selector = labels('otel-collector');
  const files: Array<{ path: string; objects: Obj[] }> = [
    { path: 'prod/0200-postgres.k8s.yaml', objects: [statefulSet('postgres'), service('postgres', [{ name: 'postgres', port: 5432 }])] },
    {
      path: 'prod/0200-orders-db.k8s.yaml',
      objects: [{
        apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'orders-db', namespace: 'atlas-prod' },
        spec: {
          instances: 3, imageName: 'ghcr.io/cloudnative-pg/postgresql:16.4', storage: { size: '50Gi', storageClass: 'gp3' },
          resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } },
        },
      }],
    },
    { path: 'prod/0300-api.k8s.yaml', objects: [deployment('api', { env: otlp }), service('api', [{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }])] },
    { path: 'prod/0300-dashboard.k8s.yaml', objects: [deployment('dashboard', { replicas: 2 }), service('dashboard', [{ name: 'http', port: 80 }])] },
    {
      path: 'prod/0300-report.k8s.yaml',
      objects: [{
        apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'atlas-prod' },
        spec: { schedule: '*/30 * * * *', jobTemplate: { spec: { template: (deployment('report').spec as Obj).template } } },
      }],
    },
    {
      path: 'prod/0400-api.k8s.yaml',
      objects: [{
        apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'api', namespace: 'atlas-prod' },
        spec: { rules: [{ host: 'api.atlas.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } }] } }] },
      }],
    },
    {
      path: 'prod/0500-api.k8s.yaml',
      objects: [{
        apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'atlas-prod' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 3, maxReplicas: 12 },
      }],
    },
    { path: 'prod/0600-otel-collector.k8s.yaml', objects: [collector, collectorService] },
  ];
  const port = (name: string, p: number) => ({ name, port: p });
  const endpoints: Endpoint[] = [
    { name: 'postgres', role: 'postgres', namespace: 'atlas-prod', selector: labels('postgres'), serviceName: 'postgres', ports: [port('postgres', 5432)] },
    { name: 'orders-db', role: 'postgres', namespace: 'atlas-prod', selector: { 'cnpg.io/cluster': 'orders-db' }, serviceName: 'orders-db-rw', ports: [port('postgres', 5432)] },
    { name: 'cache', role: 'redis', namespace: 'atlas-prod', selector: labels('cache'), serviceName: 'cache', ports: [port('redis', 6379)] },
    { name: 'api', role: 'service', namespace: 'atlas-prod', selector: labels('api'), serviceName: 'api', ports: [{ name: 'http', port: 8080, servicePort: 80 }, port('metrics', 9090)], metrics: [{ port: 'metrics', path: '/metrics' }] },
    { name: 'dashboard', role: 'service', namespace: 'atlas-prod', selector: labels('dashboard'), serviceName: 'dashboard', ports: [{ name: 'http', port: 3000, servicePort: 80 }] },
    { name: 'otel-collector', role: 'otel-collector', namespace: 'observability', selector: labels('otel-collector'), serviceName: 'otel-collector', ports: [port('otlp-grpc', 4317)] },
  ];
  const workloads: WorkloadInfo[] = [];
  const flows: Flow[] = [
    // Drawn through the Ingress entry point instead.
    { from: { name: 'ingress-controller', namespace: platform.cluster.ingressController.namespace, selector: platform.cluster.ingressController.podLabels }, to: 'api', ports: ['http'] },
    // Replication inside the database is not a dependency.
    { from: { name: 'postgres', namespace: 'atlas-prod', selector: labels('postgres') }, to: 'postgres', ports: ['postgres'] },
    // Pods that are no workload of this environment: drawn as a caller from outside.
    { from: { name: 'pg-backup', namespace: 'backups', selector: labels('pg-backup') }, to: 'postgres', ports: ['postgres'] },
  ];
  return { platform, files, endpoints, workloads, flows };
}

describe('renderOverview', () => {
  const md = renderOverview(richEnvironment());

  it('shows autoscaling bounds, schedules, storage and the data stores each service uses', () => {
    expect(md).toMatch(/^\| \*\*api\*\*<br\/>Says "hi" \\\| <b>bold<\/b> \| Deployment \| `ghcr.io\/acme\/api:1.0.0` \| 3–12 \(HPA\) \| 250m \/ 256Mi \| 1 \/ 512Mi \| Ingress\/api: api.atlas.example.com<br\/>Service api :80→http, :9090→metrics \| postgres, cache, orders-db \|$/m);
    expect(md).toContain('| **report** | CronJob | `ghcr.io/acme/report:1.0.0` | schedule `*/30 * * * *` |');
    expect(md).toContain('| **postgres** | StatefulSet | `docker.io/library/postgres:16.4` | 3 | 500m / 1Gi | 2 / 2Gi | Service postgres :5432→postgres | data 20Gi (gp3) |');
    expect(md).toContain('| postgres | StatefulSet (postgres) | data 20Gi (gp3) | pg-backup, api |');
    expect(md).toContain('| cache | redis | — | api |');
    // Operator-run: sized from the custom resource, reached through the Service the operator creates.
    expect(md).toContain('| **orders-db** | Cluster (CloudNativePG) | `ghcr.io/cloudnative-pg/postgresql:16.4` | 3 | 1 / 2Gi | 2 / 2Gi | Service orders-db-rw (created by the operator) | data 50Gi (gp3) |');
    expect(md).toContain('| orders-db | Cluster (CloudNativePG) (postgres) | data 50Gi (gp3) | api |');
    expect(md).toContain('| Ingress/api | api.atlas.example.com | api |');
    // Pods: api 3–12, dashboard 2, postgres 3, orders-db 3, collector 1, report 0–1; requests 250m each, postgres 500m, orders-db 1.
    expect(md).toContain('Capacity: 12–22 pods; requests 6–8.5 CPU and 10.5Gi–13Gi memory; limits 18–28 CPU and 15Gi–20Gi memory.');
  });

  it('draws the Internet → entry point → service → data store path and the telemetry flows, and Mermaid parses it', async () => {
    const chart = await parseFlowchart(mermaidBlocks(md)[0]);
    const edges = chart.edges.map((e) => `${e.start} ${e.stroke === 'dotted' ? '-.->' : '-->'} ${e.end}${e.text ? ` ${e.text}` : ''}`);
    expect(edges).toEqual([
      'internet --> e_Ingress_api',
      'e_Ingress_api --> c_atlas_prod_api',
      'ext_backups_pg_backup --> c_atlas_prod_postgres postgres :5432',
      'c_atlas_prod_api --> c_atlas_prod_postgres postgres :5432',
      'c_atlas_prod_api --> c_atlas_prod_cache redis :6379',
      'c_atlas_prod_api --> c_atlas_prod_orders_db postgres :5432',
      'c_atlas_prod_dashboard --> c_atlas_prod_api http :80',
      'c_atlas_prod_api -.-> c_observability_otel_collector OTLP',
      'c_atlas_prod_api -.-> ext_prometheus metrics /metrics',
    ]);
    expect(chart.vertices.get('ext_backups_pg_backup')?.text).toBe('pg-backup<br>namespace backups');
    expect(chart.vertices.get('c_atlas_prod_api')?.text).toBe('api<br>Deployment ×3–12 (HPA)');
    expect(chart.vertices.get('c_atlas_prod_cache')?.text).toBe('cache<br>redis (operator)');
    expect(chart.vertices.get('e_Ingress_api')?.text).toBe('Ingress/api<br>api.atlas.example.com');
    expect(md).toContain('  class c_atlas_prod_postgres,c_atlas_prod_orders_db,c_atlas_prod_cache data');
    expect(md).toContain('  class c_observability_otel_collector,ext_prometheus telemetry');
  });

  it('renders the same bytes every time', () => {
    expect(renderOverview(richEnvironment())).toBe(md);
    expect(md).toMatchSnapshot();
  });
});
