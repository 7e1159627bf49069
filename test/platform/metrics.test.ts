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
import { podName, writeAlertTests, type AlertTarget, type Labels } from '../observability/metrics/alert-cases';
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

/** Every panel query of an environment's dashboards, with Grafana's variables given values Prometheus accepts. */
function dashboardQueries(e: string): { dashboard: string; expr: string }[] {
  const cm = (objects(e) as Obj[]).find((o) => o.kind === 'ConfigMap' && o.metadata.name === `atlas-${e}-dashboards`)!;
  return Object.entries(cm.data!).flatMap(([file, json]) => JSON.parse(json).panels
    .flatMap((p: { targets?: { expr: string }[] }) => p.targets ?? [])
    .map((t: { expr: string }) => ({
      dashboard: file.replace(/\.json$/, ''),
      // $__rate_interval is a duration; the template variables ($service, $server) are regex matcher values.
      expr: t.expr.replaceAll('$__rate_interval', '1m').replace(/\$\{?[A-Za-z_]+\}?/g, '.+'),
    })));
}

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

  it('carries the same rule set per service in every environment, autoscaler alerts where an autoscaler runs', () => {
    // The telemetry stack's own components differ by environment; the services' alerts do not, except
    // that HPAAtMaxReplicas follows the autoscalers (prod: api and worker; staging: api; dev: none).
    // A service's alerts are those of all its Deployments: blue-green slots and canary tracks have groups of their own.
    const groupOf = (e: string, name: string) => rulesOf(e).find((g) => g.name === `atlas-${e}.${name}`)?.rules.map((r) => r.alert) ?? [];
    const shape = (e: string) => env(e).platform.services.map((s) => {
      const names = [s.name, ...env(e).workloads.filter((w) => w.service === s.name).map((w) => w.name)];
      return [s.name, [...new Set(names.flatMap((n) => groupOf(e, n)))].filter((a) => a !== 'HPAAtMaxReplicas').sort()];
    });
    expect(shape('prod')).toHaveLength(3);
    expect(shape('dev')).toEqual(shape('prod'));
    expect(shape('staging')).toEqual(shape('prod'));
    // Each slot and track gets the resource alerts of its own pods; the service's group keeps the alerts on its scrape job.
    const resources = ['HighCPUUsage', 'HighMemoryUsage', 'PodCrashLooping'];
    expect(groupOf('staging', 'dashboard-blue')).toEqual(resources);
    expect(groupOf('staging', 'dashboard-green')).toEqual(resources);
    expect(groupOf('staging', 'dashboard')).toEqual(['TargetDown', 'HighErrorRate', 'HighResponseTime']);
    expect(groupOf('prod', 'api-canary')).toEqual(resources);
    const autoscaled = (e: string) => rulesOf(e).filter((g) => g.rules.some((r) => r.alert === 'HPAAtMaxReplicas')).map((g) => g.name);
    expect(autoscaled('prod')).toEqual(['atlas-prod.api', 'atlas-prod.worker']);
    expect(autoscaled('staging')).toEqual(['atlas-staging.api']);
    expect(autoscaled('dev')).toEqual([]);
  });

  it('labels every alert of every environment with its service and environment, for a shared Alertmanager to route on', () => {
    for (const e of ['dev', 'staging', 'prod']) {
      for (const g of rulesOf(e)) {
        for (const r of g.rules) expect(r.labels, `${g.name} ${r.alert}`).toMatchObject({ environment: e, service: g.name.slice(`atlas-${e}.`.length) });
      }
    }
  });

  it('watches every volume the platform claims, under the component that mounts it', () => {
    const claims = (e: string) => Object.fromEntries(rulesOf(e).flatMap((g) => g.rules.filter((r) => r.alert === 'PersistentVolumeFillingUp').map((r) => [g.name, /persistentvolumeclaim=~"([^"]+)"/.exec(r.expr)![1]])));
    expect(claims('prod')).toEqual({
      'atlas-prod.postgres': 'data-postgres-[0-9]+',
      'atlas-prod.redis': 'data-redis-[0-9]+',
      'atlas-prod.postgres-backup': 'postgres-backups',
      'atlas-prod.elasticsearch': 'data-elasticsearch-[0-9]+',
    });
    // Under ECK the claims are the operator's: elasticsearch-data-<StatefulSet>-N.
    expect(claims('staging')['atlas-staging.elasticsearch']).toBe('elasticsearch-data-elasticsearch-es-default-[0-9]+');
  });

  it('gives every web service of every environment TargetDown, the HTTP alerts and API dashboard panels, none being unmonitored', () => {
    for (const e of ['dev', 'staging', 'prod']) {
      const web = env(e).platform.services.filter((s) => s.kind === 'web');
      expect(web.map((s) => s.name), e).toEqual(['api', 'dashboard']);
      for (const svc of web) {
        expect(svc.metricsPort, `${e} ${svc.name}`).toBe('metrics');
        const alerts = rulesOf(e).find((g) => g.name === `atlas-${e}.${svc.name}`)!.rules.map((r) => r.alert);
        expect(alerts, `${e} ${svc.name}`).toEqual(expect.arrayContaining(['TargetDown', 'HighErrorRate', 'HighResponseTime']));
      }
      const cm = (objects(e) as Obj[]).find((o) => o.kind === 'ConfigMap' && o.metadata.name === `atlas-${e}-dashboards`)!;
      // The API dashboard's service variable offers every web service.
      expect(JSON.parse(cm.data!['api-performance.json']).templating.list.find((v: { name: string }) => v.name === 'service').query, e).toBe('api,dashboard');
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
      { from, to: 'prometheus', ports: ['web'] },
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
      prod: { ...environmentSources.environments.prod, metrics: { mode: 'standalone', alertmanager: { pagerduty: {}, egress: [{ cidr: '0.0.0.0/0', port: 443 }] } } },
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
    ctx.registerEndpoint({ name: 'postgres', role: 'postgres', namespace: ctx.namespace, selector, serviceName: 'postgres', ports: [{ name: 'postgres', port: 5432 }, { name: 'metrics', port: 9187 }], metrics: [{ port: 'metrics', path: '/metrics' }] });
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
  it.each(['dev', 'staging', 'prod'])('passes promtool check rules for %s with lint errors fatal (no duplicate rules)', (e) => {
    const dir = mkdtempSync(join(tmpdir(), 'stackwright-env-rules-'));
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: rulesOf(e) }));
    const result = run('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', 'rules.yaml'], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.output).not.toContain('FAILED');
  });

  it.each(['dev', 'staging', 'prod'])('passes promtool check rules for every dashboard query of %s, each as a recording rule', (e) => {
    const dir = mkdtempSync(join(tmpdir(), 'stackwright-env-dashboards-'));
    const rules = dashboardQueries(e).map(({ dashboard, expr }, i) => ({ record: `dashboard:${dashboard.replaceAll('-', '_')}:query_${i}`, expr }));
    expect(rules.length).toBeGreaterThan(10);
    writeFileSync(join(dir, 'dashboards.yaml'), stringify({ groups: [{ name: `atlas-${e}-dashboards`, rules }] }));
    const result = run('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', 'dashboards.yaml'], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it('fails promtool check rules on a dashboard query that does not parse, so the check can fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackwright-env-dashboards-'));
    const [{ expr }] = dashboardQueries('prod');
    writeFileSync(join(dir, 'dashboards.yaml'), stringify({ groups: [{ name: 'broken', rules: [{ record: 'dashboard:broken', expr: `${expr} by (` }] }] }));
    const result = run('promtool', ['check', 'rules', 'dashboards.yaml'], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('FAILED');
  });

  it('fails promtool check rules with lint errors fatal when two groups repeat an alert with the same labels', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackwright-env-rules-'));
    const [group] = rulesOf('prod');
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: [group, { ...group, name: `${group.name}.copy` }] }));
    const result = run('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', 'rules.yaml'], dir);
    expect(result.status).toBe(3);
    expect(result.output).toContain('duplicate rule');
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

/**
 * What an environment's alert of component `service` watches, derived from the synthesized objects
 * (not from the rule generator): scrape labels as its ServiceMonitor, PodMonitor or standalone scrape
 * job sets them, pods and claims as their controllers (ECK's included) name them, its autoscaler.
 */
function alertTarget(e: string, service: string): AlertTarget {
  const rendered = env(e);
  const all = objects(e) as Obj[];
  // A service run as blue-green slots has no workload of its own name: its first slot stands for it.
  const workload = rendered.workloads.find((w) => (w.component ?? w.name) === service) ?? rendered.workloads.find((w) => w.service === service);
  const endpoint = rendered.endpoints.find((x) => x.name === service);
  const namespace = workload?.namespace ?? endpoint!.namespace;
  const inNs = (kind: string) => all.filter((o) => o.kind === kind && o.metadata.namespace === namespace);
  // A component without a registered workload is run by an operator from a custom resource (the OpenTelemetry collector).
  const operatorCollector = inNs('OpenTelemetryCollector')[0];
  const kind = workload?.kind ?? 'Deployment';
  const name = workload?.name ?? `${operatorCollector!.metadata.name}-collector`;
  const object = all.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
  const containers: { name: string; ports?: { name: string; containerPort: number }[] }[] =
    (kind === 'CronJob' ? object?.spec.jobTemplate.spec.template.spec : object?.spec.template.spec)?.containers ?? [];
  const pod = podName(kind, name);

  let scrape: Labels | undefined;
  const port = endpoint?.metrics?.[0]?.port;
  if (port) {
    const container = containers.find((c) => (c.ports ?? []).some((p) => p.name === port))?.name ?? 'otc-container';
    const number = endpoint!.ports.find((p) => p.name === port)!.port;
    const base = { namespace, pod, instance: `10.0.0.1:${number}`, endpoint: port, container };
    const monitor = [...inNs('ServiceMonitor'), ...inNs('PodMonitor')].find((m) => m.metadata.name === service);
    if (monitor?.kind === 'ServiceMonitor') {
      // The Prometheus Operator's job label is the name of the Service the monitor selects.
      const svc = inNs('Service').find((x) => Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => x.metadata.labels[k] === v) && x.spec.ports.some((p: { name: string }) => p.name === port))!;
      scrape = { ...base, job: svc.metadata.name!, service: svc.metadata.name! };
    } else if (monitor?.kind === 'PodMonitor') {
      scrape = { ...base, job: monitor.spec.podMetricsEndpoints[0].relabelings.find((r: { targetLabel: string }) => r.targetLabel === 'job').replacement };
    } else if (!find(e, 'PrometheusRule').length) {
      const config = parse(find(e, 'ConfigMap', 'prometheus-config')[0].data!['prometheus.yml']);
      const job = config.scrape_configs.find((j: { job_name: string }) => j.job_name === `${namespace}/${service}` || j.job_name === `${namespace}/${service}/${port}`);
      const relabel = (label: string) => job.relabel_configs.find((r: { target_label: string }) => r.target_label === label);
      scrape = { ...base, job: relabel('job').replacement, ...(relabel('service') ? { service: endpoint!.serviceName! } : {}) };
    }
  }

  // Claims as the cluster names them: <template>-<StatefulSet>-<N>, a standalone claim the pod mounts, ECK's node set claims.
  let claim: string | undefined;
  if (kind === 'StatefulSet' && object?.spec.volumeClaimTemplates) claim = `${object.spec.volumeClaimTemplates[0].metadata.name}-${name}-0`;
  if (kind === 'StatefulSet' && !object) {
    const es = inNs('Elasticsearch')[0];
    const nodeSet = es.spec.nodeSets[0];
    if (name === `${es.metadata.name}-es-${nodeSet.name}`) claim = `${nodeSet.volumeClaimTemplates[0].metadata.name}-${name}-0`;
  }
  const mounted = ((kind === 'CronJob' ? object?.spec.jobTemplate.spec.template.spec : object?.spec.template?.spec)?.volumes ?? []).find((v: { persistentVolumeClaim?: unknown }) => v.persistentVolumeClaim);
  if (mounted) claim = mounted.persistentVolumeClaim.claimName;

  const hpa = inNs('HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === name);
  const scaled = inNs('ScaledObject').find((h) => h.spec.scaleTargetRef.name === name);
  const lookalikePods = rendered.workloads
    .filter((w) => w.namespace === namespace && w.name !== name)
    .map((w) => podName(w.kind, w.name))
    .filter((p) => p.startsWith(`${name}-`));
  return {
    environment: e,
    service,
    role: endpoint?.role === 'service' ? rendered.platform.services.find((x) => x.name === service)!.kind : endpoint?.role ?? 'workload',
    namespace,
    scrape,
    pod,
    container: containers[0]?.name ?? 'otc-container',
    lookalikePods,
    claim,
    hpa: hpa ? { name: hpa.metadata.name!, targetKind: kind, targetName: name } : scaled ? { name: `keda-hpa-${scaled.metadata.name}`, targetKind: kind, targetName: name } : undefined,
  };
}

describe.skipIf(!toolAvailable('promtool'))('the rules each environment ships, under promtool test rules', () => {
  it.each(['dev', 'staging', 'prod'])('fire in %s for each alert of each component when its condition holds long enough, on the real pod names, claims and scrape jobs, and stay silent otherwise', (e) => {
    const groups = rulesOf(e);
    const dir = mkdtempSync(join(tmpdir(), 'stackwright-env-rule-tests-'));
    const files = writeAlertTests(dir, groups, (g) => alertTarget(e, g.name.slice(`atlas-${e}.`.length)));
    const result = run('promtool', ['test', 'rules', ...files], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output.match(/SUCCESS/g)?.length).toBe(files.length);
  });

  it('derives the real names the rules must match: DaemonSet, CronJob and ECK pods, ECK claims, KEDA\'s autoscaler, PodMonitor jobs', () => {
    expect(alertTarget('prod', 'filebeat')).toMatchObject({ pod: 'filebeat-x2k9q', namespace: 'atlas-prod-log-shipper' });
    expect(alertTarget('prod', 'postgres-backup')).toMatchObject({ pod: 'postgres-backup-29345678-x2k9q', claim: 'postgres-backups' });
    // Every pod whose name starts like the server's: the roles Job (named by its SQL's digest), backups, restores.
    expect(alertTarget('prod', 'postgres').lookalikePods).toEqual([
      expect.stringMatching(/^postgres-roles-[0-9a-f]{8}-x2k9q$/), 'postgres-backup-29345678-x2k9q', 'postgres-restore-29345678-x2k9q',
    ]);
    expect(alertTarget('prod', 'worker').hpa).toEqual({ name: 'keda-hpa-worker', targetKind: 'Deployment', targetName: 'worker' });
    // prod's api runs a canary beside its stable track: its pods sit behind two Services, so a PodMonitor scrapes them once.
    expect(alertTarget('prod', 'api').scrape).toEqual(expect.objectContaining({ job: 'api', endpoint: 'metrics' }));
    expect(alertTarget('prod', 'api').scrape).not.toHaveProperty('service');
    expect(alertTarget('prod', 'dashboard').scrape).toMatchObject({ job: 'dashboard', service: 'dashboard', endpoint: 'metrics' });
    expect(alertTarget('staging', 'elasticsearch')).toMatchObject({ pod: 'elasticsearch-es-default-0', claim: 'elasticsearch-data-elasticsearch-es-default-0' });
    expect(alertTarget('staging', 'kibana').pod).toBe('kibana-kb-5d9c7b8f6-x2k9q');
    expect(alertTarget('staging', 'otel-collector').scrape).toMatchObject({ job: 'otel-collector', pod: 'otel-collector-5d9c7b8f6-x2k9q' });
    expect(alertTarget('dev', 'logstash').scrape).toMatchObject({ job: 'logstash', service: 'logstash', container: 'exporter' });
  });

  it('fails promtool test rules when a rule stops matching the real pods, so the suite can fail', () => {
    const [api] = rulesOf('prod').filter((g) => g.name === 'atlas-prod.api');
    // The pod regex of a Deployment, as if it were a StatefulSet's.
    const broken = { ...api, rules: api.rules.map((r) => ({ ...r, expr: r.expr.replaceAll('api-[a-z0-9]+-[a-z0-9]{5}', 'api-[0-9]+') })) };
    const dir = mkdtempSync(join(tmpdir(), 'stackwright-env-rule-tests-'));
    const files = writeAlertTests(dir, [broken], () => alertTarget('prod', 'api'));
    const result = run('promtool', ['test', 'rules', ...files], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('HighCPUUsage');
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
