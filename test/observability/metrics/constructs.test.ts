import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KubeStateMetrics } from '../../../lib/observability/metrics/kube-state-metrics';
import { MetricsMonitor } from '../../../lib/observability/metrics/metrics-monitor';
import { PrometheusDiscoveryRbac } from '../../../lib/observability/metrics/prometheus-discovery-rbac';
import { PrometheusRuleSet } from '../../../lib/observability/metrics/prometheus-rule-set';
import { PrometheusServer } from '../../../lib/observability/metrics/prometheus-server';
import { fixtureGroups } from './alert-fixture';

const selector = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api-prod' };

describe('MetricsMonitor', () => {
  it('emits a ServiceMonitor selecting the Service by its stable labels, on the metrics port, in its namespace only', () => {
    const chart = Testing.chart();
    const m = new MetricsMonitor(chart, 'api', { namespace: 'shop', selector, endpoints: [{ port: 'metrics' }], serviceName: 'api', labels: { release: 'kube-prometheus-stack' } });
    const [obj] = Testing.synth(chart);
    expect(obj.kind).toBe('ServiceMonitor');
    expect(obj.metadata).toMatchObject({ name: 'api', namespace: 'shop', labels: { release: 'kube-prometheus-stack' } });
    expect(obj.spec).toEqual({
      selector: { matchLabels: selector },
      namespaceSelector: { matchNames: ['shop'] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '15s', scheme: 'http' }],
    });
    expect(m.job).toBe('api');
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('scrapes every metrics port of a component under one job, each its own endpoint', () => {
    const chart = Testing.chart();
    new MetricsMonitor(chart, 'collector', { namespace: 'shop', selector, endpoints: [{ port: 'metrics' }, { port: 'prom-exporter', path: '/federate' }], serviceName: 'collector' });
    const [obj] = Testing.synth(chart);
    expect(obj.spec.endpoints.map((e: { port: string; path: string }) => `${e.port} ${e.path}`)).toEqual(['metrics /metrics', 'prom-exporter /federate']);
    expect(() => new MetricsMonitor(Testing.chart(), 'c', { namespace: 'shop', selector, endpoints: [{ port: 'metrics' }, { port: 'metrics' }] })).toThrow('metrics port "metrics" is listed twice');
    expect(() => new MetricsMonitor(Testing.chart(), 'c', { namespace: 'shop', selector, endpoints: [] })).toThrow('name at least one metrics port');
  });

  it('emits a PodMonitor relabelled to the component name when there is no Service', () => {
    const chart = Testing.chart();
    const m = new MetricsMonitor(chart, 'batch', { namespace: 'shop', selector, endpoints: [{ port: 'metrics' }] });
    const [obj] = Testing.synth(chart);
    expect(obj.kind).toBe('PodMonitor');
    expect(obj.spec.podMetricsEndpoints[0].relabelings).toEqual([{ action: 'replace', targetLabel: 'job', replacement: 'batch' }]);
    expect(m.job).toBe('batch');
  });

  it('fails on an empty selector, which would scrape every pod of the namespace', () => {
    expect(() => new MetricsMonitor(Testing.chart(), 'api', { namespace: 'shop', selector: {}, endpoints: [{ port: 'metrics' }] })).toThrow('empty selector');
  });

  it('fails on an invalid port name or interval', () => {
    expect(() => new MetricsMonitor(Testing.chart(), 'api', { namespace: 'shop', selector, endpoints: [{ port: 'Metrics_Port' }] })).toThrow('"Metrics_Port"');
    expect(() => new MetricsMonitor(Testing.chart(), 'api', { namespace: 'shop', selector, endpoints: [{ port: 'metrics' }], interval: '15' })).toThrow('received "15"');
  });
});

describe('PrometheusRuleSet', () => {
  it('carries every rule group with its labels for the operator\'s ruleSelector', () => {
    const chart = Testing.chart();
    new PrometheusRuleSet(chart, 'rules', { name: 'shop-alerts', labels: { release: 'kube-prometheus-stack' }, groups: fixtureGroups });
    const [obj] = Testing.synth(chart);
    expect(obj).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'shop-alerts', labels: { release: 'kube-prometheus-stack' } } });
    expect(obj.spec.groups.map((g: { name: string }) => g.name)).toEqual(fixtureGroups.map((g) => g.name));
    expect(obj.spec.groups[0].rules[0]).toEqual(fixtureGroups[0].rules[0]);
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('fails without rule groups', () => {
    expect(() => new PrometheusRuleSet(Testing.chart(), 'rules', { labels: {}, groups: [] })).toThrow('at least one rule group');
  });
});

describe('PrometheusServer', () => {
  const build = (props: Partial<ConstructorParameters<typeof PrometheusServer>[2]> = {}) => {
    const chart = Testing.chart();
    const server = new PrometheusServer(chart, 'prometheus', {
      image: 'quay.io/prometheus/prometheus:v3.5.0',
      instance: 'prometheus-dev',
      extraPodLabels: { 'monitoring.example.com/scraper': 'true' },
      ruleGroups: fixtureGroups,
      retention: '30d',
      storage: '20Gi',
      config: { externalLabels: { environment: 'dev' }, targets: [], staticTargets: [], alertmanagers: ['alertmanager:9093'], kubeletNamespaces: ['shop'] },
      ...props,
    });
    return { server, objects: Testing.synth(chart) };
  };

  it('keeps its data on a persistent volume, with retention by time and by 85% of the volume', () => {
    const { objects } = build();
    const sts = objects.find((o) => o.kind === 'StatefulSet');
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } });
    expect(sts.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--storage.tsdb.retention.time=30d', '--storage.tsdb.retention.size=17408MB']));
  });

  it('runs hardened, as nobody, with the peer labels network policies admit it by', () => {
    const { objects } = build();
    const pod = objects.find((o) => o.kind === 'StatefulSet').spec.template;
    expect(pod.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'prometheus', 'monitoring.example.com/scraper': 'true' });
    expect(pod.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } });
    const c = pod.spec.containers[0];
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/-/ready', port: 'web', scheme: 'HTTP' });
    expect(objects).toMatchSnapshot();
  });

  it('ships the rules beside the config that loads them', () => {
    const { server, objects } = build();
    const cm = objects.find((o) => o.kind === 'ConfigMap');
    expect(parse(cm.data['prometheus.yml']).rule_files).toEqual(['alert-rules.yaml']);
    expect(parse(cm.data['alert-rules.yaml']).groups).toEqual(fixtureGroups);
    expect(server.rulesYaml).toBe(cm.data['alert-rules.yaml']);
  });

  it('fails when an extra pod label contradicts its own labels', () => {
    expect(() => build({ extraPodLabels: { 'app.kubernetes.io/name': 'prom' } })).toThrow('contradicts the component\'s own app.kubernetes.io/name=prometheus');
  });

  it('fails on a retention that is not a duration or a volume under 1Gi', () => {
    expect(() => build({ retention: '30 days' })).toThrow('received "30 days"');
    expect(() => build({ storage: '512Mi' })).toThrow('received "512Mi"');
  });
});

describe('PrometheusDiscoveryRbac', () => {
  it('grants cluster-wide only node metrics, and pod/Service/EndpointSlice reads only in the scraped namespaces', () => {
    const chart = Testing.chart();
    new PrometheusDiscoveryRbac(chart, 'rbac', { name: 'prometheus-monitoring', serviceAccount: { name: 'prometheus', namespace: 'monitoring' }, namespaces: ['shop', 'jobs'], labels: {} });
    const objects = Testing.synth(chart);
    const clusterRole = objects.find((o) => o.kind === 'ClusterRole');
    expect(clusterRole.rules).toEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
    ]);
    expect(objects.filter((o) => o.kind === 'Role').map((r) => r.metadata.namespace)).toEqual(['jobs', 'shop']);
    const verbs = objects.flatMap((o) => (o.rules ?? []).flatMap((r: { verbs: string[] }) => r.verbs));
    expect(verbs.filter((v) => !['get', 'list', 'watch'].includes(v))).toEqual([]);
    expect(objects.filter((o) => o.kind.endsWith('Binding')).every((b) => b.subjects[0].namespace === 'monitoring')).toBe(true);
    expect(objects).toMatchSnapshot();
  });

  it('fails without namespaces', () => {
    expect(() => new PrometheusDiscoveryRbac(Testing.chart(), 'rbac', { name: 'p', serviceAccount: { name: 'p', namespace: 'm' }, namespaces: [], labels: {} })).toThrow('at least one namespace');
  });
});

describe('KubeStateMetrics', () => {
  it('reports only on the platform\'s namespaces, with read-only Roles there and nothing cluster-wide', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'monitoring' });
    new KubeStateMetrics(chart, 'ksm', { image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.16.0', namespaces: ['shop'] });
    const objects = Testing.synth(chart);
    expect(objects.some((o) => o.kind.startsWith('Cluster'))).toBe(false);
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.containers[0].args).toEqual(['--port=8080', '--telemetry-port=8081', '--namespaces=shop', '--resources=deployments,horizontalpodautoscalers,pods,statefulsets']);
    const binding = objects.find((o) => o.kind === 'RoleBinding');
    expect(binding.metadata.namespace).toBe('shop');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kube-state-metrics', namespace: 'monitoring' }]);
    expect(objects).toMatchSnapshot();
  });

  it('fails outside a namespaced chart, where its RoleBindings could not name its ServiceAccount', () => {
    expect(() => new KubeStateMetrics(Testing.chart(), 'ksm', { image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.16.0', namespaces: ['shop'] })).toThrow('put it in a chart with a namespace');
  });
});
