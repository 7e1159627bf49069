import { describe, expect, it } from 'vitest';
import { prometheusConfig, type PrometheusConfigProps } from '../../../lib/observability/metrics/prometheus-config';

const props: PrometheusConfigProps = {
  externalLabels: { environment: 'dev' },
  targets: [
    { name: 'api', namespace: 'shop', port: 'metrics', serviceName: 'api', selector: { 'app.kubernetes.io/name': 'api' } },
    { name: 'batch', namespace: 'jobs', port: 'metrics', path: '/stats', selector: { 'app.kubernetes.io/name': 'batch', 'app.kubernetes.io/instance': 'batch-dev' } },
  ],
  staticTargets: [{ job: 'kube-state-metrics', address: 'kube-state-metrics.monitoring.svc:8080', honorLabels: true }],
  alertmanagers: ['alertmanager.monitoring.svc:9093'],
  ruleFiles: ['alert-rules.yaml'],
  kubeletNamespaces: ['shop', 'jobs'],
};
type Job = { job_name: string; kubernetes_sd_configs?: { role: string; namespaces?: { names: string[] } }[]; relabel_configs?: Record<string, unknown>[]; metric_relabel_configs?: Record<string, unknown>[]; metrics_path?: string };
const jobs = () => prometheusConfig(props).scrape_configs as Job[];
const job = (name: string) => jobs().find((j) => j.job_name === name)!;

describe('prometheusConfig', () => {
  it('scrapes every target with a 15s interval by default and labels series with the environment', () => {
    const config = prometheusConfig(props);
    expect(config.global).toMatchObject({ scrape_interval: '15s', external_labels: { environment: 'dev' } });
    expect(jobs().map((j) => j.job_name)).toEqual(['shop/api', 'jobs/batch', 'kube-state-metrics', 'kubelet', 'cadvisor']);
  });

  it('discovers a Service\'s endpoints only in its namespace and keeps only its metrics port', () => {
    const api = job('shop/api');
    expect(api.kubernetes_sd_configs).toEqual([{ role: 'endpointslice', namespaces: { names: ['shop'] } }]);
    expect(api.relabel_configs![0]).toEqual({ source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'], regex: 'api;metrics', action: 'keep' });
  });

  it('gives series the labels a ServiceMonitor would, so rules work in both modes', () => {
    const targets = job('shop/api').relabel_configs!.map((r) => r.target_label).filter(Boolean);
    expect(targets).toEqual(['namespace', 'service', 'pod', 'container', 'endpoint', 'job']);
    expect(job('shop/api').relabel_configs!.at(-1)).toEqual({ target_label: 'job', replacement: 'api' });
  });

  it('discovers pods by every selector label when a component has no Service', () => {
    const batch = job('jobs/batch');
    expect(batch.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: ['jobs'] } }]);
    expect(batch.metrics_path).toBe('/stats');
    expect(batch.relabel_configs![0]).toEqual({
      source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_instance', '__meta_kubernetes_pod_label_app_kubernetes_io_name', '__meta_kubernetes_pod_container_port_name'],
      regex: 'batch-dev;batch;metrics',
      action: 'keep',
    });
  });

  it('uses only Kubernetes discovery roles Prometheus knows, always namespaced except for nodes', () => {
    for (const j of jobs()) {
      for (const sd of j.kubernetes_sd_configs ?? []) {
        expect(['node', 'pod', 'service', 'endpoints', 'endpointslice', 'ingress']).toContain(sd.role);
        if (sd.role !== 'node') expect(sd.namespaces?.names.length, j.job_name).toBeGreaterThan(0);
      }
    }
  });

  it('keeps only the kubelet and cAdvisor series the alerts and dashboards read, for the platform\'s namespaces', () => {
    expect(job('cadvisor').metric_relabel_configs).toContainEqual({ source_labels: ['namespace'], regex: 'jobs|shop', action: 'keep' });
    expect(job('kubelet').metric_relabel_configs![0]).toEqual({ source_labels: ['__name__'], regex: 'kubelet_volume_stats_(used|capacity|available)_bytes', action: 'keep' });
  });

  it('fails when two targets would share a job', () => {
    expect(() => prometheusConfig({ ...props, targets: [props.targets[0], props.targets[0]] })).toThrow('scrape job "shop/api" is defined twice');
  });
});
