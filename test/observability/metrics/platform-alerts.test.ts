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

  it('gives a web service availability, error-rate, latency, resource and crash alerts', () => {
    expect(alertsOf('shop-test.api')).toEqual(['TargetDown', 'HighErrorRate', 'HighResponseTime', 'HighCPUUsage', 'HighMemoryUsage', 'PodCrashLooping']);
  });

  it('gives a worker no HTTP alerts', () => {
    expect(alertsOf('shop-test.worker')).toEqual(['TargetDown', 'HighCPUUsage', 'HighMemoryUsage', 'PodCrashLooping']);
  });

  it('gives data stores their own down, connection and memory alerts instead of the generic ones', () => {
    expect(alertsOf('shop-test.postgres')).toEqual(['PostgreSQLDown', 'DatabaseConnectionFailure', 'PostgreSQLTooManyConnections', 'PostgreSQLMemoryNearMax', 'HighCPUUsage', 'PodCrashLooping']);
    expect(alertsOf('shop-test.redis')).toEqual(['RedisDown', 'DatabaseConnectionFailure', 'RedisTooManyConnections', 'RedisMemoryNearMax', 'HighCPUUsage', 'HighMemoryUsage', 'PodCrashLooping']);
  });

  it('watches autoscalers and volumes once per namespace', () => {
    expect(alertsOf('shop-test.namespace.shop')).toEqual(['HPAAtMaxReplicas', 'PersistentVolumeFillingUp']);
  });

  it('scopes every expression to the component\'s namespace', () => {
    for (const r of fixtureGroups.flatMap((g) => g.rules)) expect(r.expr, r.alert).toContain('namespace="shop"');
  });

  it('reads the metrics kube-prometheus-stack and the exporters expose', () => {
    const names = new Set(fixtureGroups.flatMap((g) => g.rules.flatMap((r) => metricNames(r.expr))));
    expect([...names].sort()).toEqual([
      'container_cpu_usage_seconds_total', 'container_memory_working_set_bytes',
      'http_request_duration_seconds_bucket', 'http_requests_total',
      'kube_horizontalpodautoscaler_spec_max_replicas', 'kube_horizontalpodautoscaler_spec_min_replicas', 'kube_horizontalpodautoscaler_status_current_replicas',
      'kube_pod_container_resource_limits', 'kube_pod_container_status_waiting_reason',
      'kubelet_volume_stats_capacity_bytes', 'kubelet_volume_stats_used_bytes',
      'pg_settings_max_connections', 'pg_stat_database_numbackends', 'pg_up',
      'redis_config_maxclients', 'redis_connected_clients', 'redis_memory_max_bytes', 'redis_memory_used_bytes', 'redis_up',
      'up',
    ]);
  });

  it('uses the configured HTTP metric and status label names', () => {
    const [group] = platformAlertGroups({
      groupPrefix: 'p', namespaces: [], http: { requests: 'requests_total', duration: 'latency_seconds', statusLabel: 'status' },
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
    expect(() => platformAlertGroups({ groupPrefix: 'p', namespaces: [], components: [], thresholds: { errorRatio: 5 } })).toThrow('errorRatio must be a share above 0 and at most 1; received 5');
    expect(() => platformAlertGroups({ groupPrefix: 'p', namespaces: [], components: [], thresholds: { p95LatencySeconds: 0 } })).toThrow('p95LatencySeconds must be above 0; received 0');
  });
});
