import { recommendedLabels, STACKWRIGHT_VERSION, versionFromImage } from '../core/labels';
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
  const scraped = endpoints.filter((e) => (e.metrics ?? []).length > 0);
  // Pods split across several Services (slots, tracks) are scraped directly, under the component's name.
  const scrapeService = (e: (typeof scraped)[number]) => (e.scrapePods ? undefined : e.serviceName);
  const jobOf = (e: (typeof scraped)[number]) => scrapeService(e) ?? e.name;
  const serviceKinds = firstByKey(platform.services, (s) => s.name);
  const endpointsByName = firstByKey(endpoints, (e) => `${e.namespace}/${e.name}`);
  const workloadsByName = firstByKey(workloads, (w) => `${w.namespace}/${w.name}`);
  // Services run as blue-green slots or canary tracks, whose pods each slot or track alerts on.
  const split = new Set(workloads.flatMap((w) => (w.service ? [`${w.namespace}/${w.service}`] : [])));
  const roleOf = (name: string, role: string) => (role === 'service' ? serviceKinds.get(name)?.kind ?? role : role);

  // Every workload gets resource and crash alerts (and autoscaler and volume alerts where they apply);
  // scraped ones also availability and role alerts.
  const components: AlertedComponent[] = [];
  for (const w of workloads) {
    // Alerts name the component; pod patterns follow the object (ECK's `elasticsearch-es-default` runs `elasticsearch`).
    const name = w.component ?? w.name;
    const endpoint = endpointsByName.get(`${w.namespace}/${name}`);
    const claims = [
      ...(w.claimTemplateNames ?? []).map((t) => `${escapeRegex(`${t}-${w.name}`)}-[0-9]+`),
      ...(w.sharedClaimNames ?? []).map(escapeRegex),
    ];
    components.push({
      name,
      namespace: w.namespace,
      role: endpoint ? roleOf(endpoint.name, endpoint.role) : 'workload',
      workloadKind: w.kind,
      workloadName: w.name,
      job: endpoint?.metrics ? jobOf(endpoint) : undefined,
      autoscaled: w.autoscaled,
      claims: claims.length > 0 ? claims : undefined,
    });
  }
  const listed = new Set(components.map((c) => `${c.namespace}/${c.name}`));
  for (const e of scraped) {
    if (listed.has(`${e.namespace}/${e.name}`)) continue;
    listed.add(`${e.namespace}/${e.name}`);
    // A service run as blue-green slots: each slot alerts on its own pods above; the service keeps the alerts on its job.
    components.push({ name: e.name, namespace: e.namespace, role: roleOf(e.name, e.role), job: jobOf(e), podAlerts: split.has(`${e.namespace}/${e.name}`) ? false : undefined });
  }
  const namespaces = [...new Set([ctx.namespace, ...components.map((c) => c.namespace)])].sort();
  const ruleGroups = renderRuleGroups(
    platformAlertGroups({ groupPrefix: prefix, components, http: spec.http }),
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
  const configLabels = (name: string) => recommendedLabels(ctx.platformIdentity(name, 'monitoring'));

  if (mode === 'operator') {
    const monitors = ctx.chart(Wave.OBSERVABILITY, 'metrics');
    for (const e of scraped) {
      const workload = workloadsByName.get(`${e.namespace}/${e.name}`);
      new MetricsMonitor(monitors, `monitor-${e.namespace}-${e.name}`, {
        name: e.name,
        namespace: e.namespace,
        selector: e.selector,
        endpoints: e.metrics!.map((m) => ({ port: m.port, path: m.path })),
        interval: spec.scrapeInterval,
        serviceName: scrapeService(e),
        labels: {
          ...recommendedLabels({ name: e.name, instance: `${e.name}-${env}`, component: 'monitoring', partOf: platform.name, version: workload ? versionFromImage(workload.images[0]) : e.version ?? STACKWRIGHT_VERSION }),
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
    const secretDir = `/etc/secrets/${GRAFANA_ELASTICSEARCH_SECRET}`;
    buildGrafanaDataSourceConfigMap(ctx, grafanaPeer.namespace, secretDir);
    // The cluster's Grafana mounts it (extraSecretMounts) to read the Elasticsearch data source's password and CA.
    if (telemetryDataSources(ctx, secretDir).some((d) => d.basicAuth)) {
      ctx.referenceSecret({ name: GRAFANA_ELASTICSEARCH_SECRET, namespace: grafanaPeer.namespace, keys: ['password', 'ca.crt'], by: 'grafana' });
    }
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
  // The receivers' credentials, by Secret (one Secret may hold both keys).
  const receiverKeys = [spec.alertmanager.slack?.webhookUrl, spec.alertmanager.pagerduty?.routingKey].filter((k) => k !== undefined);
  for (const name of new Set(receiverKeys.map((k) => k.name))) {
    ctx.referenceSecret({ name, namespace: monitoringNamespace, keys: receiverKeys.filter((k) => k.name === name).map((k) => k.key), by: 'alertmanager' });
  }
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
      // One job per metrics port; a component with several ports gets `<namespace>/<name>/<port>` jobs.
      targets: scraped.flatMap((e) => e.metrics!.map((m) => ({
        name: e.name, namespace: e.namespace, port: m.port, path: m.path, serviceName: scrapeService(e), selector: e.selector,
        jobName: e.metrics!.length > 1 ? `${e.namespace}/${e.name}/${m.port}` : undefined,
      }))),
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
  ctx.referenceSecret({ name: spec.grafana.adminSecret, namespace: monitoringNamespace, keys: ['admin-user', 'admin-password'], by: grafana.name });
  if (telemetrySources.some((d) => d.basicAuth)) {
    ctx.referenceSecret({ name: GRAFANA_ELASTICSEARCH_SECRET, namespace: monitoringNamespace, keys: ['password', 'ca.crt'], by: grafana.name });
  }
  registerStandaloneFlows(ctx, { prometheus, alertmanager, ksm, grafana });
  return { mode, ruleGroups, dashboards, prometheus, alertmanager };
}

/**
 * The standalone stack's endpoints and connections, so its namespace gets default-deny plus exactly
 * these: Grafana → Prometheus; Prometheus → Alertmanager, kube-state-metrics, the API server
 * (discovery) and the kubelets; kube-state-metrics → the API server; Alertmanager → its receivers
 * (`metrics.alertmanager.egress`). Prometheus → every scrape target follows from the endpoints' metrics ports.
 */
function registerStandaloneFlows(
  ctx: PlatformContext,
  stack: { prometheus: PrometheusServer; alertmanager: Alertmanager; ksm: KubeStateMetrics; grafana: Grafana },
): void {
  const { platform } = ctx;
  const namespace = platform.cluster.prometheus.namespace;
  // The scraper the policy graph already knows: the standalone Prometheus carries cluster.prometheus.podLabels.
  const prometheus = { name: 'prometheus', namespace, selector: platform.cluster.prometheus.podLabels };
  const alertmanager = { name: stack.alertmanager.name, namespace, selector: stack.alertmanager.selector };
  const ksm = { name: stack.ksm.name, namespace, selector: stack.ksm.selector };
  ctx.registerEndpoint({ ...prometheus, role: 'prometheus', serviceName: stack.prometheus.name, ports: [{ name: PROMETHEUS_PORT.name, port: PROMETHEUS_PORT.port }] });
  ctx.registerEndpoint({ ...alertmanager, role: 'alertmanager', serviceName: stack.alertmanager.name, ports: [{ name: ALERTMANAGER_PORT.name, port: ALERTMANAGER_PORT.port }] });
  ctx.registerEndpoint({ ...ksm, role: 'kube-state-metrics', serviceName: stack.ksm.name, ports: [{ name: KUBE_STATE_METRICS_PORT.name, port: KUBE_STATE_METRICS_PORT.port }] });
  ctx.registerFlow({ from: { name: stack.grafana.name, namespace, selector: stack.grafana.selector }, to: 'prometheus', ports: [PROMETHEUS_PORT.name] });
  // Alerts go to Alertmanager's API, which Prometheus also scrapes, like kube-state-metrics (static targets).
  ctx.registerFlow({ from: prometheus, to: alertmanager.name, ports: [ALERTMANAGER_PORT.name] });
  ctx.registerFlow({ from: prometheus, to: ksm.name, ports: [KUBE_STATE_METRICS_PORT.name] });
  ctx.registerClusterFlow({ from: prometheus, to: 'api-server', why: 'service discovery of targets and nodes' });
  ctx.registerClusterFlow({ from: prometheus, to: 'kubelets', why: 'volume and cAdvisor metrics' });
  ctx.registerClusterFlow({ from: ksm, to: 'api-server', why: 'watching object state' });
  for (const rule of platform.metrics.alertmanager.egress) {
    ctx.registerExternalFlow({ from: alertmanager, name: 'alert-receivers', cidr: rule.cidr, except: rule.except, ports: [{ port: rule.port, protocol: rule.protocol }] });
  }
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first item per key. */
function firstByKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) if (!out.has(key(item))) out.set(key(item), item);
  return out;
}
