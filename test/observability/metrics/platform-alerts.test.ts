import { describe, expect, it } from 'vitest';
import { platformAlertGroups, podPattern } from '../../../lib/observability/metrics/platform-alerts';
import { metricNames, promqlErrors } from '../promql';
import { fixtureGroups } from './alert-fixture';

const alertsOf = (group: string) => fixtureGroups.find((g) => g.name === group)!.rules.map((r) => r.alert);

describe('platformAlertGroups', () => {
  it('writes every expression as PromQL that the Prometheus grammar parses', () => {
    const rules = fixtureGroups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(20);
    for (const r of rules) expect(promqlErrors(r.expr), `${r.alert}: ${r.expr}`).toEqual([]);
  });

  it('gives an autoscaled web service availability, error-rate, latency, resource, crash and autoscaler alerts', () => {
    expect(alertsOf('shop-test.api')).toEqual(['TargetDown', 'HighErrorRate', 'HighResponseTime', 'HighCPUUsage', 'HighMemoryUsage', 'PodCrashLooping', 'HPAAtMaxReplicas']);
  });

  it('gives a worker no HTTP alerts', () => {
    expect(alertsOf('shop-test.worker')).toEqual(['TargetDown', 'HighCPUUsage', 'HighMemoryUsage', 'PodCrashLooping']);
  });

  it('leaves the pod alerts of a service run as blue-green slots to the slots, so no pod alerts twice', () => {
    const groups = platformAlertGroups({
      groupPrefix: 'shop-test',
      components: [
        { name: 'web', namespace: 'shop', role: 'web', job: 'web', podAlerts: false },
        { name: 'web-blue', namespace: 'shop', role: 'workload' },
      ],
    });
    expect(groups.map((g) => [g.name, g.rules.map((r) => r.alert)])).toEqual([
      ['shop-test.web', ['TargetDown', 'HighErrorRate', 'HighResponseTime']],
      ['shop-test.web-blue', ['HighCPUUsage', 'HighMemoryUsage', 'PodCrashLooping']],
    ]);
  });

  it('gives data stores their own down, connection and memory alerts instead of the generic ones', () => {
    expect(alertsOf('shop-test.postgres')).toEqual(['PostgreSQLDown', 'DatabaseConnectionFailure', 'PostgreSQLTooManyConnections', 'PostgreSQLMemoryNearMax', 'HighCPUUsage', 'PodCrashLooping', 'PersistentVolumeFillingUp']);
    expect(alertsOf('shop-test.redis')).toEqual(['RedisDown', 'DatabaseConnectionFailure', 'RedisTooManyConnections', 'RedisMemoryNearMax', 'HighCPUUsage', 'HighMemoryUsage', 'PodCrashLooping']);
  });

  it('gives the logs and traces stack health alerts of their own: cluster health and disk, pipelines, export and intake', () => {
    expect(alertsOf('shop-test.elasticsearch-exporter')).toEqual(['TargetDown', 'ElasticsearchClusterRed', 'ElasticsearchClusterYellow', 'ElasticsearchDiskWatermarkLow', 'ElasticsearchDiskWatermarkHigh', 'HighCPUUsage', 'HighMemoryUsage', 'PodCrashLooping']);
    expect(alertsOf('shop-test.logstash')).toEqual(['TargetDown', 'LogstashDown', 'LogstashPipelineStalled', 'LogstashEventFailures', 'HighCPUUsage', 'HighMemoryUsage', 'PodCrashLooping']);
    expect(alertsOf('shop-test.otel-collector')).toEqual(['TargetDown', 'OtelcolExporterSendFailed', 'OtelcolReceiverRefused', 'OtelcolExporterQueueNearCapacity', 'HighCPUUsage', 'HighMemoryUsage', 'PodCrashLooping']);
  });

  it('watches autoscalers and volumes per component, so each alert names its service', () => {
    const rule = (group: string, alert: string) => fixtureGroups.find((g) => g.name === group)!.rules.find((r) => r.alert === alert)!;
    expect(rule('shop-test.api', 'HPAAtMaxReplicas').labels).toMatchObject({ service: 'api', environment: 'test' });
    expect(rule('shop-test.api', 'HPAAtMaxReplicas').expr).toContain('kube_horizontalpodautoscaler_info{namespace="shop", scaletargetref_kind="Deployment", scaletargetref_name="api"}');
    expect(rule('shop-test.postgres', 'PersistentVolumeFillingUp').labels).toMatchObject({ service: 'postgres', environment: 'test' });
    expect(rule('shop-test.postgres', 'PersistentVolumeFillingUp').expr).toContain('persistentvolumeclaim=~"data-postgres-[0-9]+"');
    // Neither is made for a component without an autoscaler or volumes.
    expect(alertsOf('shop-test.worker')).not.toContain('HPAAtMaxReplicas');
    expect(alertsOf('shop-test.worker')).not.toContain('PersistentVolumeFillingUp');
  });

  it('labels every alert with its service and environment', () => {
    for (const g of fixtureGroups) for (const r of g.rules) expect(r.labels, `${g.name} ${r.alert}`).toMatchObject({ service: g.name.slice('shop-test.'.length), environment: 'test' });
  });

  it('scopes every expression to the component\'s namespace', () => {
    for (const g of fixtureGroups) {
      const namespace = g.name.endsWith('exporter') || g.name.endsWith('logstash') || g.name.endsWith('collector') ? 'shop-telemetry' : 'shop';
      for (const r of g.rules) expect(r.expr, r.alert).toContain(`namespace="${namespace}"`);
    }
  });

  it('reads the metrics kube-prometheus-stack and the exporters expose', () => {
    const names = new Set(fixtureGroups.flatMap((g) => g.rules.flatMap((r) => metricNames(r.expr))));
    expect([...names].sort()).toEqual([
      'container_cpu_usage_seconds_total', 'container_memory_working_set_bytes',
      'elasticsearch_cluster_health_status', 'elasticsearch_filesystem_data_available_bytes', 'elasticsearch_filesystem_data_size_bytes',
      'http_request_duration_seconds_bucket', 'http_requests_total',
      'kube_horizontalpodautoscaler_info', 'kube_horizontalpodautoscaler_spec_max_replicas', 'kube_horizontalpodautoscaler_spec_min_replicas', 'kube_horizontalpodautoscaler_status_current_replicas',
      'kube_pod_container_resource_limits', 'kube_pod_container_status_waiting_reason',
      'kubelet_volume_stats_capacity_bytes', 'kubelet_volume_stats_used_bytes',
      'logstash_info_up', 'logstash_stats_pipeline_events_in', 'logstash_stats_pipeline_events_out', 'logstash_stats_pipeline_plugin_documents_non_retryable_failures',
      'otelcol_exporter_queue_capacity', 'otelcol_exporter_queue_size',
      'pg_settings_max_connections', 'pg_stat_database_numbackends', 'pg_up',
      'redis_config_maxclients', 'redis_connected_clients', 'redis_memory_max_bytes', 'redis_memory_used_bytes', 'redis_up',
      'up',
    ]);
  });

  it('uses the configured HTTP metric and status label names', () => {
    const [group] = platformAlertGroups({
      groupPrefix: 'p', http: { requests: 'requests_total', duration: 'latency_seconds', statusLabel: 'status' },
      components: [{ name: 'api', namespace: 'ns', role: 'web', job: 'api' }],
    });
    const exprs = group.rules.map((r) => r.expr).join('\n');
    expect(exprs).toContain('requests_total{namespace="ns", job="api", status=~"5.."}');
    expect(exprs).toContain('latency_seconds_bucket{');
  });

  it('matches only the pods of the named workload', () => {
    const deployment = new RegExp(`^${podPattern('api', 'Deployment')}$`);
    expect(deployment.test('api-5d9c7b8f6-abcde')).toBe(true);
    expect(deployment.test('api-gateway-5d9c7b8f6-abcde')).toBe(false);
    const statefulSet = new RegExp(`^${podPattern('postgres', 'StatefulSet')}$`);
    expect(statefulSet.test('postgres-0')).toBe(true);
    expect(statefulSet.test('postgres-exporter-0')).toBe(false);
  });

  it('keeps the alert rules stable', () => {
    expect(fixtureGroups).toMatchSnapshot();
  });

  it('fails on a threshold outside its range', () => {
    expect(() => platformAlertGroups({ groupPrefix: 'p', components: [], thresholds: { errorRatio: 5 } })).toThrow('errorRatio must be a share above 0 and at most 1; received 5');
    expect(() => platformAlertGroups({ groupPrefix: 'p', components: [], thresholds: { p95LatencySeconds: 0 } })).toThrow('p95LatencySeconds must be above 0; received 0');
  });
});
