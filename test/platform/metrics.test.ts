import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { environmentSources } from '../../environments';
import { buildPlatform } from '../../lib/platform';
import { buildApps } from '../../lib/platform/apps';
import { PlatformContext } from '../../lib/platform/context';
import { buildMetrics } from '../../lib/platform/metrics';
import { buildNamespaces } from '../../lib/platform/security';
import { resolveEnvironments } from '../../lib/spec';
import { synthesize, type KubeObject } from '../../lib/synth';
import { promqlErrors } from '../observability/promql';
import { run, toolAvailable } from '../observability/tools';

const output = synthesize(environmentSources);
const env = (name: string) => output.environments.find((e) => e.environment === name)!;
const objects = (name: string, file?: string) => env(name).files.filter((f) => file === undefined || f.path.endsWith(file)).flatMap((f) => f.objects);
type Obj = KubeObject & { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec?: any; data?: Record<string, string> };
const find = (name: string, kind: string, objName?: string) => (objects(name) as Obj[]).filter((o) => o.kind === kind && (objName === undefined || o.metadata.name === objName));
const scraped = (name: string) => env(name).platform.services.filter((s) => s.metricsPort !== undefined).map((s) => s.name);
const rulesOf = (name: string): { name: string; rules: { alert: string; expr: string; labels: Record<string, string> }[] }[] => {
  const pr = find(name, 'PrometheusRule')[0];
  if (pr) return pr.spec.groups;
  return parse(find(name, 'ConfigMap', 'prometheus-config')[0].data!['alert-rules.yaml']).groups;
};

describe('metrics on the reference platform', () => {
  it('runs prod and staging in operator mode and dev standalone', () => {
    for (const e of ['prod', 'staging']) {
      expect(find(e, 'ServiceMonitor').length, e).toBeGreaterThan(0);
      expect(find(e, 'StatefulSet').filter((o) => ['prometheus', 'alertmanager'].includes(o.metadata.name ?? '')), e).toEqual([]);
      expect(find(e, 'Deployment').filter((o) => ['grafana', 'kube-state-metrics'].includes(o.metadata.name ?? '')), e).toEqual([]);
    }
    expect(find('dev', 'ServiceMonitor')).toEqual([]);
    expect(find('dev', 'StatefulSet').filter((o) => o.metadata.namespace === 'monitoring').map((o) => o.metadata.name).sort()).toEqual(['alertmanager', 'prometheus']);
    expect(find('dev', 'Deployment').map((o) => o.metadata.name)).toEqual(expect.arrayContaining(['grafana', 'kube-state-metrics']));
  });

  it('scrapes every service\'s metrics port: a ServiceMonitor each in prod, a scrape job each in dev', () => {
    for (const e of ['prod', 'staging']) {
      const monitors = find(e, 'ServiceMonitor');
      // A service whose pods sit behind several Services (a canary's, a Rollout's) is scraped pod by pod.
      const podMonitors = find(e, 'PodMonitor').filter((m) => m.metadata.namespace === `atlas-${e}`);
      expect([...monitors, ...podMonitors].map((m) => m.metadata.name), e).toEqual(expect.arrayContaining(scraped(e)));
      for (const m of podMonitors) {
        const svc = env(e).platform.services.find((s) => s.name === m.metadata.name)!;
        expect(m.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': svc.name, 'app.kubernetes.io/instance': `${svc.name}-${e}` });
        expect(m.spec.podMetricsEndpoints[0]).toMatchObject({ port: svc.metricsPort, relabelings: [{ action: 'replace', targetLabel: 'job', replacement: svc.name }] });
        expect(monitors.map((s) => s.metadata.name), `${e} scrapes ${svc.name} once`).not.toContain(svc.name);
      }
      for (const m of monitors) {
        expect(m.metadata.labels.release).toBe('kube-prometheus-stack');
        // The Service it selects exists in its namespace and carries the selected labels and the port.
        const service = find(e, 'Service', m.metadata.name).find((s) => s.metadata.namespace === m.metadata.namespace)!;
        expect(service.metadata.labels, `${e} ${m.metadata.name}`).toMatchObject(m.spec.selector.matchLabels);
        expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain(m.spec.endpoints[0].port);
        const svc = env(e).platform.services.find((s) => s.name === m.metadata.name);
        if (svc) expect(m.spec.endpoints[0].port).toBe(svc.metricsPort);
      }
    }
    const config = parse(find('dev', 'ConfigMap', 'prometheus-config')[0].data!['prometheus.yml']);
    const jobs = config.scrape_configs.map((j: { job_name: string }) => j.job_name);
    for (const name of scraped('dev')) expect(jobs).toContain(`atlas-dev/${name}`);
  });

  it('carries the same rule set in every environment, labelled with the environment', () => {
    // Per Deployment and per namespace kind; the telemetry stack's own components differ by environment.
    const groups = (e: string, names: string[]) => rulesOf(e)
      .filter((g) => names.some((n) => g.name === `atlas-${e}.${n}`) || g.name === `atlas-${e}.namespace.atlas-${e}`)
      .map((g) => [g.name.replaceAll(`atlas-${e}`, ''), g.rules.map((r) => r.alert)]);
    const shape = (e: string) => groups(e, ['api', 'dashboard', 'worker']);
    expect(shape('prod')).toHaveLength(4);
    expect(shape('dev')).toEqual(shape('prod'));
    // staging runs the dashboard as two blue-green slots: the resource alerts of its Deployment, once per slot.
    const dashboard = shape('prod').find(([name]) => name === '.dashboard')![1];
    expect(groups('staging', ['dashboard-blue', 'dashboard-green']).filter(([name]) => String(name).startsWith('.dashboard-'))).toEqual([['.dashboard-blue', dashboard], ['.dashboard-green', dashboard]]);
    expect(shape('staging')).toEqual(shape('prod').filter(([name]) => name !== '.dashboard'));
    // prod's canary gets the resource alerts of its own pods; the HTTP alerts cover the api's job, canary included.
    expect(groups('prod', ['api-canary']).find(([name]) => name === '.api-canary')![1]).toEqual(['HighCPUUsage', 'HighMemoryUsage', 'PodCrashLooping']);
    for (const e of ['dev', 'staging', 'prod']) {
      for (const r of rulesOf(e).flatMap((g) => g.rules)) expect(r.labels.environment).toBe(e);
    }
  });

  it('writes every PromQL expression of every environment, rules and dashboards, so that it parses', () => {
    for (const e of ['dev', 'staging', 'prod']) {
      for (const r of rulesOf(e).flatMap((g) => g.rules)) expect(promqlErrors(r.expr), `${e} ${r.alert}`).toEqual([]);
      const cm = (objects(e) as Obj[]).find((o) => o.kind === 'ConfigMap' && o.metadata.name === `atlas-${e}-dashboards`)!;
      const exprs = Object.values(cm.data!).flatMap((json) => JSON.parse(json).panels.flatMap((p: { targets?: { expr: string }[] }) => (p.targets ?? []).map((t) => t.expr)));
      expect(exprs.length).toBeGreaterThan(10);
      for (const expr of exprs) expect(promqlErrors(expr.replaceAll('$__rate_interval', '1m')), `${e}: ${expr}`).toEqual([]);
    }
  });

  it('puts prod dashboards where kube-prometheus-stack\'s Grafana sidecar finds them', () => {
    const cm = find('prod', 'ConfigMap', 'atlas-prod-dashboards')[0];
    expect(cm.metadata.namespace).toBe('monitoring');
    expect(cm.metadata.labels.grafana_dashboard).toBe('1');
    expect(cm.metadata.annotations).toEqual({ grafana_folder: 'atlas', 'argocd.argoproj.io/sync-wave': '6' });
    expect(Object.keys(cm.data!).sort()).toEqual(['api-performance.json', 'autoscaling.json', 'infrastructure.json', 'postgresql.json', 'redis.json']);
  });

  it('runs the standalone stack in the Prometheus peer namespace, its pods labelled as network policies expect', () => {
    const { prometheus } = env('dev').platform.cluster;
    const sts = find('dev', 'StatefulSet', 'prometheus')[0];
    expect(sts.metadata.namespace).toBe(prometheus.namespace);
    expect(sts.spec.template.metadata.labels).toMatchObject(prometheus.podLabels);
    const ns = find('dev', 'Namespace', prometheus.namespace)[0];
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('provisions the dev Grafana with Prometheus and the platform\'s Elasticsearch and Jaeger, and declares its flows to them', () => {
    const provisioning = find('dev', 'ConfigMap', 'grafana-provisioning')[0].data!['datasources.yaml'];
    const sources = parse(provisioning).datasources.map((d: { uid: string; url: string }) => [d.uid, d.url]);
    expect(sources).toEqual([
      ['prometheus', 'http://prometheus.monitoring.svc:9090'],
      ['elasticsearch-logs', 'https://elasticsearch.atlas-dev-telemetry.svc:9200'],
      ['jaeger', 'http://jaeger.atlas-dev-telemetry.svc:16686'],
    ]);
    const [dev] = resolveEnvironments(environmentSources.base, { dev: environmentSources.environments.dev });
    const ctx = buildPlatform(dev);
    const from = { name: 'grafana', namespace: 'monitoring', selector: { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': 'grafana-dev' } };
    expect(ctx.flows.filter((f) => f.from.name === 'grafana')).toEqual([
      { from, to: 'elasticsearch', ports: ['https'] },
      { from, to: 'jaeger', ports: ['query'] },
    ]);
  });

  it('hardens every standalone monitoring pod like the application pods', () => {
    const pods = (objects('dev') as Obj[]).filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.namespace === 'monitoring');
    expect(pods).toHaveLength(4);
    for (const w of pods) {
      const spec = w.spec.template.spec;
      expect(spec.securityContext, w.metadata.name).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      for (const c of spec.containers) {
        expect(c.securityContext, w.metadata.name).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
        expect(c.resources.requests && c.resources.limits, w.metadata.name).toBeTruthy();
        expect(c.readinessProbe && c.livenessProbe && c.startupProbe, w.metadata.name).toBeTruthy();
        expect(c.image, w.metadata.name).toMatch(/:[\w.-]+$/);
        expect(c.image).not.toMatch(/:latest$/);
        for (const p of c.ports) expect(p.name.length).toBeLessThanOrEqual(15);
      }
    }
  });

  it('keeps 30 days of samples on production-sized standalone setups and what the overlay says elsewhere', () => {
    const args = find('dev', 'StatefulSet', 'prometheus')[0].spec.template.spec.containers[0].args;
    expect(args).toContain('--storage.tsdb.retention.time=7d');
    const [prodLike] = resolveEnvironments(environmentSources.base, {
      prod: { ...environmentSources.environments.prod, metrics: { mode: 'standalone', alertmanager: { pagerduty: {} } } },
    });
    const ctx = new PlatformContext(new App(), prodLike);
    buildNamespaces(ctx);
    buildApps(ctx);
    expect(buildMetrics(ctx).prometheus!.statefulSet.toJson().spec.template.spec.containers[0].args).toContain('--storage.tsdb.retention.time=30d');
  });

  it('alerts on and charts the data tier\'s exporters as soon as they register', () => {
    const [dev] = resolveEnvironments(environmentSources.base, { dev: environmentSources.environments.dev });
    const ctx = new PlatformContext(new App(), dev);
    buildNamespaces(ctx);
    buildApps(ctx);
    const selector = { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': 'postgres-dev' };
    ctx.registerEndpoint({ name: 'postgres', role: 'postgres', namespace: ctx.namespace, selector, serviceName: 'postgres', ports: [{ name: 'postgres', port: 5432 }, { name: 'metrics', port: 9187 }], metrics: { port: 'metrics', path: '/metrics' } });
    ctx.registerWorkload({
      name: 'postgres', kind: 'StatefulSet', namespace: ctx.namespace, selector, replicas: { min: 1, max: 1 },
      podResources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } }, images: ['docker.io/library/postgres:17.2'],
    });
    const result = buildMetrics(ctx);
    expect(result.ruleGroups.find((g) => g.name === 'atlas-dev.postgres')!.rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['PostgreSQLDown', 'DatabaseConnectionFailure', 'PostgreSQLTooManyConnections', 'PostgreSQLMemoryNearMax']));
    expect(result.dashboards.map((d) => d.name)).toContain('postgresql');
    expect(result.prometheus!.configYaml).toContain('job_name: atlas-dev/postgres');
  });
});

describe.skipIf(!toolAvailable('promtool'))('the reference platform\'s rules and configuration under promtool', () => {
  it.each(['dev', 'staging', 'prod'])('passes promtool check rules for %s', (e) => {
    const dir = mkdtempSync(join(tmpdir(), 'stackwright-env-rules-'));
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: rulesOf(e) }));
    const result = run('promtool', ['check', 'rules', 'rules.yaml'], dir);
    expect(result.status, result.output).toBe(0);
  });

  it('passes promtool check config for the dev Prometheus', () => {
    const data = find('dev', 'ConfigMap', 'prometheus-config')[0].data!;
    const dir = mkdtempSync(join(tmpdir(), 'stackwright-env-config-'));
    mkdirSync(join(dir, 'sa'));
    writeFileSync(join(dir, 'sa', 'token'), '');
    writeFileSync(join(dir, 'sa', 'ca.crt'), '');
    writeFileSync(join(dir, 'targets.json'), '[]');
    // See promtool.test.ts: Debian's promtool lacks Kubernetes discovery; file discovery stands in.
    const config = parse(data['prometheus.yml'].replaceAll('/var/run/secrets/kubernetes.io/serviceaccount/', `${dir}/sa/`));
    for (const job of config.scrape_configs) {
      if (job.kubernetes_sd_configs) {
        delete job.kubernetes_sd_configs;
        job.file_sd_configs = [{ files: ['targets.json'] }];
      }
    }
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    writeFileSync(join(dir, 'alert-rules.yaml'), data['alert-rules.yaml']);
    const result = run('promtool', ['check', 'config', 'prometheus.yml'], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS: 1 rule files found');
  });
});

describe.skipIf(!toolAvailable('amtool'))('the dev Alertmanager configuration under amtool', () => {
  it('passes amtool check-config and routes dev warnings to the dev Slack channel', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackwright-env-am-'));
    writeFileSync(join(dir, 'alertmanager.yml'), find('dev', 'ConfigMap', 'alertmanager-config')[0].data!['alertmanager.yml']);
    const check = run('amtool', ['check-config', 'alertmanager.yml'], dir);
    expect(check.status, check.output).toBe(0);
    expect(run('amtool', ['config', 'routes', 'test', '--config.file=alertmanager.yml', 'severity=warning', 'environment=dev'], dir).stdout.trim()).toBe('slack');
  });
});
