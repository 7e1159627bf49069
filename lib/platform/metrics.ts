import { recommendedLabels, versionFromImage } from '../core/labels';
import { Wave } from '../core/waves';
import { DashboardConfigMap } from '../observability/dashboards/dashboard-config-map';
import { Grafana } from '../observability/dashboards/grafana';
import { platformDashboards, type BuiltDashboard, type DashboardTarget } from '../observability/dashboards/platform-dashboards';
import { renderRuleGroups, type RenderedGroup } from '../observability/metrics/alert-rule';
import { Alertmanager, ALERTMANAGER_PORT } from '../observability/metrics/alertmanager';
import { KUBE_STATE_METRICS_PORT, KubeStateMetrics } from '../observability/metrics/kube-state-metrics';
import { MetricsMonitor } from '../observability/metrics/metrics-monitor';
import { platformAlertGroups, type AlertedComponent } from '../observability/metrics/platform-alerts';
import { PrometheusDiscoveryRbac } from '../observability/metrics/prometheus-discovery-rbac';
import { PrometheusRuleSet } from '../observability/metrics/prometheus-rule-set';
import { PROMETHEUS_PORT, PrometheusServer } from '../observability/metrics/prometheus-server';
import { metricsMode } from '../spec/rules/metrics';
import type { PlatformContext } from './context';
import { GRAFANA_ELASTICSEARCH_SECRET, buildGrafanaDataSourceConfigMap, registerGrafanaFlows, telemetryDataSources } from './telemetry';

/** What the metrics assembly produced, for tests and later wiring (e.g. Grafana data sources for logs and traces). */
export interface MetricsResult {
  readonly mode: 'operator' | 'standalone';
  /** The rule groups, rendered once per environment. */
  readonly ruleGroups: readonly RenderedGroup[];
  /** The dashboards, built once per environment. */
  readonly dashboards: readonly BuiltDashboard[];
  /** The standalone Prometheus, when standalone. */
  readonly prometheus?: PrometheusServer;
  /** The standalone Alertmanager, when standalone. */
  readonly alertmanager?: Alertmanager;
}

/**
 * Scraping, alert rules and dashboards for everything registered so far: call it after every
 * component that registers endpoints and workloads. Operator mode emits ServiceMonitors/PodMonitors,
 * a PrometheusRule and a sidecar-labelled dashboard ConfigMap; standalone mode deploys Prometheus,
 * Alertmanager, kube-state-metrics and Grafana in `cluster.prometheus.namespace`.
 */
export function buildMetrics(ctx: PlatformContext): MetricsResult {
  const { platform } = ctx;
  const spec = platform.metrics;
  const mode = metricsMode(platform);
  const env = platform.environment;
  const prefix = `${platform.name}-${env}`;
  const monitoringNamespace = platform.cluster.prometheus.namespace;

  const endpoints = ctx.endpoints;
  const workloads = ctx.workloads;
  const scraped = endpoints.filter((e) => e.metrics !== undefined);
  const jobOf = (e: (typeof scraped)[number]) => e.serviceName ?? e.name;
  // Looked up per workload and per endpoint: indexed once (the first of each, as `find` would pick).
  const serviceKinds = firstByKey(platform.services, (s) => s.name);
  const endpointsByWorkload = firstByKey(endpoints, (e) => `${e.namespace}/${e.name}`);
  const workloadsByName = firstByKey(workloads, (w) => `${w.namespace}/${w.name}`);
  const roleOf = (name: string, role: string) => (role === 'service' ? serviceKinds.get(name)?.kind ?? role : role);

  // Every workload gets resource and crash alerts; scraped ones also availability and HTTP alerts.
  const components: AlertedComponent[] = [];
  for (const w of workloads) {
    const endpoint = endpointsByWorkload.get(`${w.namespace}/${w.name}`);
    components.push({
      name: w.name,
      namespace: w.namespace,
      role: endpoint ? roleOf(endpoint.name, endpoint.role) : 'workload',
      workloadKind: w.kind,
      job: endpoint?.metrics ? jobOf(endpoint) : undefined,
    });
  }
  const listed = new Set(components.map((c) => `${c.namespace}/${c.name}`));
  for (const e of scraped) {
    if (listed.has(`${e.namespace}/${e.name}`)) continue;
    listed.add(`${e.namespace}/${e.name}`);
    components.push({ name: e.name, namespace: e.namespace, role: roleOf(e.name, e.role), job: jobOf(e) });
  }
  const namespaces = [...new Set([ctx.namespace, ...components.map((c) => c.namespace)])].sort();
  const ruleGroups = renderRuleGroups(
    platformAlertGroups({ groupPrefix: prefix, components, namespaces, http: spec.http }),
    { environment: env, runbookBaseUrl: spec.runbookBaseUrl },
  );

  const target = (c: AlertedComponent): DashboardTarget => ({ name: c.name, namespace: c.namespace, job: c.job! });
  const dashboards = platformDashboards({
    platform: platform.name,
    environment: env,
    webServices: components.filter((c) => c.role === 'web' && c.job).map(target),
    workloads: workloads.map((w) => ({ name: w.name, namespace: w.namespace, kind: w.kind })),
    postgres: components.filter((c) => c.role === 'postgres' && c.job).map(target),
    redis: components.filter((c) => c.role === 'redis' && c.job).map(target),
    http: spec.http,
  });
  const dashboardsName = `${prefix}-dashboards`;
  const configLabels = (name: string) => recommendedLabels({ name, instance: `${name}-${env}`, component: 'monitoring', partOf: platform.name, version: env });

  if (mode === 'operator') {
    const monitors = ctx.chart(Wave.OBSERVABILITY, 'metrics');
    for (const e of scraped) {
      const workload = workloadsByName.get(`${e.namespace}/${e.name}`);
      new MetricsMonitor(monitors, `monitor-${e.namespace}-${e.name}`, {
        name: e.name,
        namespace: e.namespace,
        selector: e.selector,
        port: e.metrics!.port,
        path: e.metrics!.path,
        interval: spec.scrapeInterval,
        serviceName: e.serviceName,
        labels: {
          ...recommendedLabels({ name: e.name, instance: `${e.name}-${env}`, component: 'monitoring', partOf: platform.name, version: workload ? versionFromImage(workload.images[0]) : env }),
          ...spec.operator.monitorLabels,
        },
      });
    }
    new PrometheusRuleSet(monitors, 'alert-rules', {
      name: `${platform.name}-alerts`,
      labels: { ...configLabels(`${platform.name}-alerts`), ...spec.operator.ruleLabels },
      groups: ruleGroups,
    });
    const dashboardChart = ctx.chart(Wave.OBSERVABILITY, 'dashboards', spec.operator.dashboardNamespace ?? monitoringNamespace);
    new DashboardConfigMap(dashboardChart, 'dashboards', {
      name: dashboardsName,
      dashboards,
      labels: { ...configLabels(dashboardsName), ...spec.operator.dashboardLabels },
      annotations: { [spec.operator.folderAnnotation]: platform.name },
    });
    // Logs and traces in the cluster's Grafana: a sidecar data source ConfigMap, and its connections.
    const grafanaPeer = platform.cluster.grafana;
    buildGrafanaDataSourceConfigMap(ctx, grafanaPeer.namespace, `/etc/secrets/${GRAFANA_ELASTICSEARCH_SECRET}`);
    registerGrafanaFlows(ctx, { name: 'grafana', namespace: grafanaPeer.namespace, selector: grafanaPeer.podLabels });
    return { mode, ruleGroups, dashboards };
  }

  // Standalone: the monitoring namespace, restricted like the application's, with its own quota.
  ctx.registerNamespace({ name: monitoringNamespace, component: 'monitoring', podSecurity: 'restricted' });
  const svc = (name: string, port: number) => `${name}.${monitoringNamespace}.svc:${port}`;
  const common = { partOf: platform.name };

  const ksm = new KubeStateMetrics(ctx.chart(Wave.OBSERVABILITY, 'kube-state-metrics', monitoringNamespace), 'kube-state-metrics', {
    ...common, instance: `kube-state-metrics-${env}`, image: spec.kubeStateMetrics.image, resources: spec.kubeStateMetrics.resources, namespaces,
  });
  const alertmanager = new Alertmanager(ctx.chart(Wave.OBSERVABILITY, 'alertmanager', monitoringNamespace), 'alertmanager', {
    ...common,
    instance: `alertmanager-${env}`,
    image: spec.alertmanager.image,
    environment: env,
    slack: spec.alertmanager.slack,
    pagerduty: spec.alertmanager.pagerduty,
    storage: spec.alertmanager.storage,
    storageClassName: spec.alertmanager.storageClassName,
    resources: spec.alertmanager.resources,
  });
  const prometheus = new PrometheusServer(ctx.chart(Wave.OBSERVABILITY, 'prometheus', monitoringNamespace), 'prometheus', {
    ...common,
    instance: `prometheus-${env}`,
    image: spec.prometheus.image,
    extraPodLabels: platform.cluster.prometheus.podLabels,
    retention: spec.prometheus.retention ?? (platform.production ? '30d' : '15d'),
    storage: spec.prometheus.storage,
    storageClassName: spec.prometheus.storageClassName,
    resources: spec.prometheus.resources,
    ruleGroups,
    config: {
      scrapeInterval: spec.scrapeInterval,
      evaluationInterval: spec.evaluationInterval,
      externalLabels: { environment: env, platform: platform.name },
      targets: scraped.map((e) => ({ name: e.name, namespace: e.namespace, port: e.metrics!.port, path: e.metrics!.path, serviceName: e.serviceName, selector: e.selector })),
      staticTargets: [
        { job: 'prometheus', address: `localhost:${PROMETHEUS_PORT.port}` },
        { job: 'alertmanager', address: svc(alertmanager.name, ALERTMANAGER_PORT.port) },
        // honor_labels: its series describe other pods, whose namespace and pod labels must win.
        { job: 'kube-state-metrics', address: svc(ksm.name, KUBE_STATE_METRICS_PORT.port), honorLabels: true },
      ],
      alertmanagers: [svc(alertmanager.name, ALERTMANAGER_PORT.port)],
      kubeletNamespaces: namespaces,
    },
  });
  new PrometheusDiscoveryRbac(ctx.chart(Wave.OBSERVABILITY, 'prometheus-rbac', null), 'prometheus-rbac', {
    name: `prometheus-${monitoringNamespace}`,
    serviceAccount: { name: prometheus.serviceAccountName, namespace: monitoringNamespace },
    namespaces,
    labels: recommendedLabels({ name: 'prometheus', instance: `prometheus-${env}`, component: 'monitoring', partOf: platform.name, version: versionFromImage(spec.prometheus.image) }),
  });
  const dashboardChart = ctx.chart(Wave.OBSERVABILITY, 'grafana', monitoringNamespace);
  new DashboardConfigMap(dashboardChart, 'dashboards', { name: dashboardsName, dashboards, labels: configLabels(dashboardsName) });
  const telemetrySecretDir = `/etc/grafana/secrets/${GRAFANA_ELASTICSEARCH_SECRET}`;
  const telemetrySources = telemetryDataSources(ctx, telemetrySecretDir);
  const grafana = new Grafana(dashboardChart, 'grafana', {
    ...common,
    instance: `grafana-${env}`,
    image: spec.grafana.image,
    resources: spec.grafana.resources,
    adminSecret: spec.grafana.adminSecret,
    folder: platform.name,
    dashboardConfigMaps: [dashboardsName],
    dataSources: [{
      name: 'Prometheus', uid: 'prometheus', type: 'prometheus', isDefault: true,
      url: `http://${svc(prometheus.name, PROMETHEUS_PORT.port)}`,
      jsonData: { timeInterval: spec.scrapeInterval, httpMethod: 'POST' },
    }, ...telemetrySources],
    secretMounts: telemetrySources.some((d) => d.basicAuth)
      ? [{ name: 'elasticsearch', secretName: GRAFANA_ELASTICSEARCH_SECRET, mountPath: telemetrySecretDir }]
      : [],
  });
  registerGrafanaFlows(ctx, { name: grafana.name, namespace: monitoringNamespace, selector: grafana.selector });
  return { mode, ruleGroups, dashboards, prometheus, alertmanager };
}

/** The first item per key. */
function firstByKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) if (!out.has(key(item))) out.set(key(item), item);
  return out;
}
