import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { PrometheusServer } from '../../../lib/observability/metrics/prometheus-server';
import { run, toolAvailable } from '../tools';
import { fixtureGroups } from './alert-fixture';

const hasPromtool = toolAvailable('promtool');
const API = { namespace: 'shop', job: 'api', pod: 'api-5d9c7b8f6-abcde', instance: '10.0.0.1:9090', container: 'api', service: 'api', endpoint: 'metrics' };
const WORKER_POD = { namespace: 'shop', pod: 'worker-7c8d9e6f5-fghij', container: 'worker' };
const PG = { namespace: 'shop', job: 'postgres', pod: 'postgres-0', instance: '10.0.0.5:9187', service: 'postgres' };
const REDIS = { namespace: 'shop', job: 'redis', pod: 'redis-0', instance: '10.0.0.6:9121', service: 'redis' };
const KSM = { namespace: 'shop', job: 'kube-state-metrics' };
const ES = { namespace: 'shop-telemetry', job: 'elasticsearch-exporter', pod: 'elasticsearch-exporter-6b7c8d9f5-qrstu', instance: '10.0.1.2:9114', cluster: 'logs' };
const ES_NODE = { ...ES, name: 'elasticsearch-0', host: '10.0.1.5', mount: '/usr/share/elasticsearch/data (/dev/nvme1n1)', path: '/usr/share/elasticsearch/data' };
const LOGSTASH = { namespace: 'shop-telemetry', job: 'logstash', pod: 'logstash-7d8e9f6a5-vwxyz', instance: '10.0.1.3:9198', container: 'exporter', endpoint: 'metrics' };
const OTEL = { namespace: 'shop-telemetry', job: 'otel-collector', pod: 'otel-collector-5c6d7e8f9-abcde', instance: '10.0.1.4:8888', endpoint: 'metrics' };
const rule = (labels: Record<string, string>) => ({ environment: 'test', ...labels });

type Labels = Record<string, string>;
interface Series { readonly metric: string; readonly labels: Labels; readonly values: string }
interface AlertCase {
  /** The alert under test. */
  readonly alert: string;
  /** Series under which the condition holds long enough. */
  readonly firing: readonly Series[];
  /** When to look, and the labels the alert must carry then. */
  readonly fireAt: string;
  readonly labels: Labels;
  /** A moment in the firing series before `for` has elapsed: pending, not firing. */
  readonly pendingAt: string;
  /** Series under which it must stay silent (below threshold, or other pods'), checked at `fireAt`. */
  readonly silent: readonly Series[];
}

const s = (metric: string, labels: Labels, values: string): Series => ({ metric, labels, values });
const sel = (l: Labels) => `{${Object.entries(l).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;

// Every alert of the catalog, with one firing case and one silent case (plus a pending check).
const cases: AlertCase[] = [
  {
    alert: 'TargetDown',
    firing: [s('up', API, '0x10')], pendingAt: '1m', fireAt: '3m',
    labels: { ...API, ...rule({ service: 'api', severity: 'critical' }) },
    // Down for one scrape minute only, then back: a restart, not an outage.
    silent: [s('up', API, '1 0 1 1 1 1')],
  },
  {
    alert: 'HighErrorRate',
    firing: [s('http_requests_total', { ...API, code: '500' }, '0+10x20'), s('http_requests_total', { ...API, code: '200' }, '0+90x20')],
    pendingAt: '4m', fireAt: '15m',
    labels: { namespace: 'shop', job: 'api', ...rule({ service: 'api', severity: 'critical' }) },
    // 1% errors, and 4xx do not count.
    silent: [
      s('http_requests_total', { ...API, code: '500' }, '0+1x20'),
      s('http_requests_total', { ...API, code: '404' }, '0+50x20'),
      s('http_requests_total', { ...API, code: '200' }, '0+49x20'),
    ],
  },
  {
    alert: 'HighResponseTime',
    firing: [
      s('http_request_duration_seconds_bucket', { ...API, le: '0.5' }, '0+10x20'),
      s('http_request_duration_seconds_bucket', { ...API, le: '1' }, '0+20x20'),
      s('http_request_duration_seconds_bucket', { ...API, le: '2.5' }, '0+100x20'),
      s('http_request_duration_seconds_bucket', { ...API, le: '+Inf' }, '0+100x20'),
    ],
    pendingAt: '4m', fireAt: '15m',
    labels: { namespace: 'shop', job: 'api', ...rule({ service: 'api', severity: 'warning' }) },
    silent: [
      s('http_request_duration_seconds_bucket', { ...API, le: '0.5' }, '0+97x20'),
      s('http_request_duration_seconds_bucket', { ...API, le: '1' }, '0+99x20'),
      s('http_request_duration_seconds_bucket', { ...API, le: '2.5' }, '0+100x20'),
      s('http_request_duration_seconds_bucket', { ...API, le: '+Inf' }, '0+100x20'),
    ],
  },
  {
    alert: 'HighCPUUsage',
    // 54 CPU-seconds a minute is 0.9 cores, against a 1-core limit.
    firing: [
      s('container_cpu_usage_seconds_total', { namespace: 'shop', pod: API.pod, container: 'api' }, '0+54x30'),
      s('kube_pod_container_resource_limits', { namespace: 'shop', pod: API.pod, container: 'api', resource: 'cpu', unit: 'core' }, '1x30'),
    ],
    pendingAt: '12m', fireAt: '20m',
    labels: { namespace: 'shop', pod: API.pod, container: 'api', ...rule({ service: 'api', severity: 'warning' }) },
    // Half a core; and a busy pod of another Deployment whose name starts with "api-" is not the api's.
    silent: [
      s('container_cpu_usage_seconds_total', { namespace: 'shop', pod: API.pod, container: 'api' }, '0+30x30'),
      s('kube_pod_container_resource_limits', { namespace: 'shop', pod: API.pod, container: 'api', resource: 'cpu', unit: 'core' }, '1x30'),
      s('container_cpu_usage_seconds_total', { namespace: 'shop', pod: 'api-gateway-5d9c7b8f6-abcde', container: 'gateway' }, '0+60x30'),
      s('kube_pod_container_resource_limits', { namespace: 'shop', pod: 'api-gateway-5d9c7b8f6-abcde', container: 'gateway', resource: 'cpu', unit: 'core' }, '1x30'),
    ],
  },
  {
    alert: 'HighMemoryUsage',
    firing: [
      s('container_memory_working_set_bytes', { ...WORKER_POD }, '950x20'),
      s('kube_pod_container_resource_limits', { ...WORKER_POD, resource: 'memory', unit: 'byte' }, '1000x20'),
    ],
    pendingAt: '3m', fireAt: '10m',
    labels: { ...WORKER_POD, ...rule({ service: 'worker', severity: 'warning' }) },
    silent: [
      s('container_memory_working_set_bytes', { ...WORKER_POD }, '600x20'),
      s('kube_pod_container_resource_limits', { ...WORKER_POD, resource: 'memory', unit: 'byte' }, '1000x20'),
    ],
  },
  {
    alert: 'PodCrashLooping',
    firing: [s('kube_pod_container_status_waiting_reason', { ...WORKER_POD, reason: 'CrashLoopBackOff' }, '1x30')],
    pendingAt: '10m', fireAt: '20m',
    labels: { ...WORKER_POD, ...rule({ service: 'worker', severity: 'warning' }) },
    // Five minutes of back-off that then recovered.
    silent: [s('kube_pod_container_status_waiting_reason', { ...WORKER_POD, reason: 'CrashLoopBackOff' }, '1x5 _x25')],
  },
  {
    alert: 'PostgreSQLDown',
    firing: [s('up', PG, '0x10')], pendingAt: '0m', fireAt: '2m',
    labels: { ...PG, ...rule({ service: 'postgres', severity: 'critical' }) },
    silent: [s('up', PG, '1x10')],
  },
  {
    alert: 'DatabaseConnectionFailure',
    firing: [s('pg_up', PG, '0x10'), s('redis_up', REDIS, '1x10')], pendingAt: '0m', fireAt: '2m',
    labels: { ...PG, ...rule({ service: 'postgres', database: 'postgres', severity: 'critical' }) },
    silent: [s('pg_up', PG, '1x10'), s('redis_up', REDIS, '1x10')],
  },
  {
    alert: 'PostgreSQLTooManyConnections',
    firing: [
      s('pg_stat_database_numbackends', { ...PG, datname: 'app' }, '80x20'),
      s('pg_stat_database_numbackends', { ...PG, datname: 'postgres' }, '5x20'),
      s('pg_settings_max_connections', PG, '100x20'),
    ],
    pendingAt: '3m', fireAt: '10m',
    labels: { namespace: 'shop', job: 'postgres', pod: 'postgres-0', ...rule({ service: 'postgres', severity: 'warning' }) },
    silent: [s('pg_stat_database_numbackends', { ...PG, datname: 'app' }, '40x20'), s('pg_settings_max_connections', PG, '100x20')],
  },
  {
    alert: 'PostgreSQLMemoryNearMax',
    firing: [
      s('container_memory_working_set_bytes', { namespace: 'shop', pod: 'postgres-0', container: 'postgres' }, '950x20'),
      s('kube_pod_container_resource_limits', { namespace: 'shop', pod: 'postgres-0', container: 'postgres', resource: 'memory', unit: 'byte' }, '1000x20'),
    ],
    pendingAt: '3m', fireAt: '10m',
    labels: { namespace: 'shop', pod: 'postgres-0', container: 'postgres', ...rule({ service: 'postgres', severity: 'warning' }) },
    silent: [
      s('container_memory_working_set_bytes', { namespace: 'shop', pod: 'postgres-0', container: 'postgres' }, '500x20'),
      s('kube_pod_container_resource_limits', { namespace: 'shop', pod: 'postgres-0', container: 'postgres', resource: 'memory', unit: 'byte' }, '1000x20'),
    ],
  },
  {
    alert: 'RedisDown',
    firing: [s('up', REDIS, '0x10')], pendingAt: '0m', fireAt: '2m',
    labels: { ...REDIS, ...rule({ service: 'redis', severity: 'critical' }) },
    silent: [s('up', REDIS, '1x10')],
  },
  {
    alert: 'RedisTooManyConnections',
    firing: [s('redis_connected_clients', REDIS, '9000x20'), s('redis_config_maxclients', REDIS, '10000x20')],
    pendingAt: '3m', fireAt: '10m',
    labels: { namespace: 'shop', job: 'redis', pod: 'redis-0', ...rule({ service: 'redis', severity: 'warning' }) },
    silent: [s('redis_connected_clients', REDIS, '100x20'), s('redis_config_maxclients', REDIS, '10000x20')],
  },
  {
    alert: 'RedisMemoryNearMax',
    firing: [s('redis_memory_used_bytes', REDIS, '95x20'), s('redis_memory_max_bytes', REDIS, '100x20')],
    pendingAt: '3m', fireAt: '10m',
    labels: { namespace: 'shop', job: 'redis', pod: 'redis-0', ...rule({ service: 'redis', severity: 'warning' }) },
    // maxmemory 0 means unlimited: no ratio to alert on.
    silent: [s('redis_memory_used_bytes', REDIS, '95x20'), s('redis_memory_max_bytes', REDIS, '0x20')],
  },
  {
    alert: 'HPAAtMaxReplicas',
    firing: [
      s('kube_horizontalpodautoscaler_status_current_replicas', { ...KSM, horizontalpodautoscaler: 'api' }, '10x30'),
      s('kube_horizontalpodautoscaler_spec_max_replicas', { ...KSM, horizontalpodautoscaler: 'api' }, '10x30'),
      s('kube_horizontalpodautoscaler_spec_min_replicas', { ...KSM, horizontalpodautoscaler: 'api' }, '2x30'),
      s('kube_horizontalpodautoscaler_info', { ...KSM, horizontalpodautoscaler: 'api', scaletargetref_api_version: 'apps/v1', scaletargetref_kind: 'Deployment', scaletargetref_name: 'api' }, '1x30'),
    ],
    pendingAt: '10m', fireAt: '20m',
    labels: { namespace: 'shop', horizontalpodautoscaler: 'api', ...rule({ service: 'api', severity: 'warning' }) },
    // Pinned min = max: always "at max", nothing to act on; one below max; and another workload's HPA at max.
    silent: [
      s('kube_horizontalpodautoscaler_status_current_replicas', { ...KSM, horizontalpodautoscaler: 'api' }, '4x30'),
      s('kube_horizontalpodautoscaler_spec_max_replicas', { ...KSM, horizontalpodautoscaler: 'api' }, '4x30'),
      s('kube_horizontalpodautoscaler_spec_min_replicas', { ...KSM, horizontalpodautoscaler: 'api' }, '4x30'),
      s('kube_horizontalpodautoscaler_info', { ...KSM, horizontalpodautoscaler: 'api', scaletargetref_api_version: 'apps/v1', scaletargetref_kind: 'Deployment', scaletargetref_name: 'api' }, '1x30'),
      s('kube_horizontalpodautoscaler_status_current_replicas', { ...KSM, horizontalpodautoscaler: 'api-v2' }, '9x30'),
      s('kube_horizontalpodautoscaler_spec_max_replicas', { ...KSM, horizontalpodautoscaler: 'api-v2' }, '10x30'),
      s('kube_horizontalpodautoscaler_spec_min_replicas', { ...KSM, horizontalpodautoscaler: 'api-v2' }, '2x30'),
      s('kube_horizontalpodautoscaler_info', { ...KSM, horizontalpodautoscaler: 'api-v2', scaletargetref_api_version: 'apps/v1', scaletargetref_kind: 'Deployment', scaletargetref_name: 'api' }, '1x30'),
      s('kube_horizontalpodautoscaler_status_current_replicas', { ...KSM, horizontalpodautoscaler: 'keda-hpa-worker' }, '8x30'),
      s('kube_horizontalpodautoscaler_spec_max_replicas', { ...KSM, horizontalpodautoscaler: 'keda-hpa-worker' }, '8x30'),
      s('kube_horizontalpodautoscaler_spec_min_replicas', { ...KSM, horizontalpodautoscaler: 'keda-hpa-worker' }, '2x30'),
      s('kube_horizontalpodautoscaler_info', { ...KSM, horizontalpodautoscaler: 'keda-hpa-worker', scaletargetref_api_version: 'apps/v1', scaletargetref_kind: 'Deployment', scaletargetref_name: 'worker' }, '1x30'),
    ],
  },
  {
    alert: 'PersistentVolumeFillingUp',
    firing: [
      s('kubelet_volume_stats_used_bytes', { namespace: 'shop', persistentvolumeclaim: 'data-postgres-0', node: 'n1' }, '90x20'),
      s('kubelet_volume_stats_capacity_bytes', { namespace: 'shop', persistentvolumeclaim: 'data-postgres-0', node: 'n1' }, '100x20'),
    ],
    pendingAt: '3m', fireAt: '10m',
    labels: { namespace: 'shop', persistentvolumeclaim: 'data-postgres-0', ...rule({ service: 'postgres', severity: 'warning' }) },
    // 80% used; and a full volume of another claim is not postgres's.
    silent: [
      s('kubelet_volume_stats_used_bytes', { namespace: 'shop', persistentvolumeclaim: 'data-postgres-0', node: 'n1' }, '80x20'),
      s('kubelet_volume_stats_capacity_bytes', { namespace: 'shop', persistentvolumeclaim: 'data-postgres-0', node: 'n1' }, '100x20'),
      s('kubelet_volume_stats_used_bytes', { namespace: 'shop', persistentvolumeclaim: 'data-postgres-archive-0', node: 'n1' }, '99x20'),
      s('kubelet_volume_stats_capacity_bytes', { namespace: 'shop', persistentvolumeclaim: 'data-postgres-archive-0', node: 'n1' }, '100x20'),
    ],
  },
  {
    alert: 'ElasticsearchClusterRed',
    firing: [
      s('elasticsearch_cluster_health_status', { ...ES, color: 'red' }, '1x10'),
      s('elasticsearch_cluster_health_status', { ...ES, color: 'green' }, '0x10'),
    ],
    pendingAt: '1m', fireAt: '4m',
    labels: { namespace: 'shop-telemetry', job: 'elasticsearch-exporter', cluster: 'logs', ...rule({ service: 'elasticsearch-exporter', severity: 'critical' }) },
    silent: [s('elasticsearch_cluster_health_status', { ...ES, color: 'red' }, '0x10'), s('elasticsearch_cluster_health_status', { ...ES, color: 'green' }, '1x10')],
  },
  {
    alert: 'ElasticsearchClusterYellow',
    firing: [s('elasticsearch_cluster_health_status', { ...ES, color: 'yellow' }, '1x40')],
    pendingAt: '15m', fireAt: '30m',
    labels: { namespace: 'shop-telemetry', job: 'elasticsearch-exporter', cluster: 'logs', ...rule({ service: 'elasticsearch-exporter', severity: 'warning' }) },
    // Yellow for ten minutes while a node restarts, then green again.
    silent: [s('elasticsearch_cluster_health_status', { ...ES, color: 'yellow' }, '1x10 0x30')],
  },
  {
    alert: 'ElasticsearchDiskWatermarkLow',
    firing: [
      s('elasticsearch_filesystem_data_available_bytes', ES_NODE, '12x20'),
      s('elasticsearch_filesystem_data_size_bytes', ES_NODE, '100x20'),
    ],
    pendingAt: '3m', fireAt: '10m',
    labels: { namespace: 'shop-telemetry', job: 'elasticsearch-exporter', cluster: 'logs', name: 'elasticsearch-0', path: '/usr/share/elasticsearch/data', ...rule({ service: 'elasticsearch-exporter', severity: 'warning' }) },
    silent: [s('elasticsearch_filesystem_data_available_bytes', ES_NODE, '20x20'), s('elasticsearch_filesystem_data_size_bytes', ES_NODE, '100x20')],
  },
  {
    alert: 'ElasticsearchDiskWatermarkHigh',
    firing: [
      s('elasticsearch_filesystem_data_available_bytes', ES_NODE, '7x20'),
      s('elasticsearch_filesystem_data_size_bytes', ES_NODE, '100x20'),
    ],
    pendingAt: '3m', fireAt: '10m',
    labels: { namespace: 'shop-telemetry', job: 'elasticsearch-exporter', cluster: 'logs', name: 'elasticsearch-0', path: '/usr/share/elasticsearch/data', ...rule({ service: 'elasticsearch-exporter', severity: 'critical' }) },
    // 88% used: past the low watermark, not the high one.
    silent: [s('elasticsearch_filesystem_data_available_bytes', ES_NODE, '12x20'), s('elasticsearch_filesystem_data_size_bytes', ES_NODE, '100x20')],
  },
  {
    alert: 'LogstashDown',
    firing: [s('logstash_info_up', LOGSTASH, '0x10')],
    pendingAt: '3m', fireAt: '7m',
    labels: { namespace: 'shop-telemetry', job: 'logstash', pod: LOGSTASH.pod, ...rule({ service: 'logstash', severity: 'critical' }) },
    silent: [s('logstash_info_up', LOGSTASH, '0x2 1x8')],
  },
  {
    alert: 'LogstashPipelineStalled',
    firing: [
      s('logstash_stats_pipeline_events_in', { ...LOGSTASH, pipeline: 'main' }, '0+600x30'),
      s('logstash_stats_pipeline_events_out', { ...LOGSTASH, pipeline: 'main' }, '5000x30'),
    ],
    pendingAt: '10m', fireAt: '20m',
    labels: { namespace: 'shop-telemetry', job: 'logstash', pod: LOGSTASH.pod, pipeline: 'main', ...rule({ service: 'logstash', severity: 'critical' }) },
    // Events flow out as they come in; and an idle pipeline (nothing in, nothing out) is not stalled.
    silent: [
      s('logstash_stats_pipeline_events_in', { ...LOGSTASH, pipeline: 'main' }, '0+600x30'),
      s('logstash_stats_pipeline_events_out', { ...LOGSTASH, pipeline: 'main' }, '0+600x30'),
      s('logstash_stats_pipeline_events_in', { ...LOGSTASH, pipeline: 'idle' }, '100x30'),
      s('logstash_stats_pipeline_events_out', { ...LOGSTASH, pipeline: 'idle' }, '100x30'),
    ],
  },
  {
    alert: 'LogstashEventFailures',
    firing: [s('logstash_stats_pipeline_plugin_documents_non_retryable_failures', { ...LOGSTASH, pipeline: 'main', plugin_type: 'output', plugin: 'elasticsearch', plugin_id: 'es' }, '0+5x20')],
    pendingAt: '3m', fireAt: '12m',
    labels: { namespace: 'shop-telemetry', job: 'logstash', pod: LOGSTASH.pod, pipeline: 'main', plugin_id: 'es', ...rule({ service: 'logstash', severity: 'warning' }) },
    silent: [s('logstash_stats_pipeline_plugin_documents_non_retryable_failures', { ...LOGSTASH, pipeline: 'main', plugin_type: 'output', plugin: 'elasticsearch', plugin_id: 'es' }, '3x20')],
  },
  {
    alert: 'OtelcolExporterSendFailed',
    firing: [s('otelcol_exporter_send_failed_spans_total', { ...OTEL, exporter: 'otlp/jaeger' }, '0+100x30')],
    pendingAt: '8m', fireAt: '20m',
    labels: { namespace: 'shop-telemetry', job: 'otel-collector', pod: OTEL.pod, exporter: 'otlp/jaeger', ...rule({ service: 'otel-collector', severity: 'warning' }) },
    // A burst of failures that stopped: the counter stays flat.
    silent: [s('otelcol_exporter_send_failed_spans_total', { ...OTEL, exporter: 'otlp/jaeger' }, '0+100x3 300x27')],
  },
  {
    alert: 'OtelcolReceiverRefused',
    firing: [s('otelcol_receiver_refused_spans_total', { ...OTEL, receiver: 'otlp', transport: 'http' }, '0+50x30')],
    pendingAt: '8m', fireAt: '20m',
    labels: { namespace: 'shop-telemetry', job: 'otel-collector', pod: OTEL.pod, receiver: 'otlp', ...rule({ service: 'otel-collector', severity: 'warning' }) },
    silent: [s('otelcol_receiver_refused_spans_total', { ...OTEL, receiver: 'otlp', transport: 'http' }, '0x30'), s('otelcol_receiver_accepted_spans_total', { ...OTEL, receiver: 'otlp', transport: 'http' }, '0+500x30')],
  },
  {
    alert: 'OtelcolExporterQueueNearCapacity',
    firing: [
      s('otelcol_exporter_queue_size', { ...OTEL, exporter: 'otlp/jaeger', data_type: 'traces' }, '4500x20'),
      s('otelcol_exporter_queue_capacity', { ...OTEL, exporter: 'otlp/jaeger', data_type: 'traces' }, '5000x20'),
    ],
    pendingAt: '3m', fireAt: '10m',
    labels: { namespace: 'shop-telemetry', job: 'otel-collector', pod: OTEL.pod, exporter: 'otlp/jaeger', ...rule({ service: 'otel-collector', severity: 'warning' }) },
    silent: [
      s('otelcol_exporter_queue_size', { ...OTEL, exporter: 'otlp/jaeger', data_type: 'traces' }, '100x20'),
      s('otelcol_exporter_queue_capacity', { ...OTEL, exporter: 'otlp/jaeger', data_type: 'traces' }, '5000x20'),
    ],
  },
];

/** A second DatabaseConnectionFailure case: the same alert, raised for Redis. */
const redisConnection: AlertCase = {
  alert: 'DatabaseConnectionFailure',
  firing: [s('redis_up', REDIS, '0x10'), s('pg_up', PG, '1x10')], pendingAt: '0m', fireAt: '2m',
  labels: { ...REDIS, ...rule({ service: 'redis', database: 'redis', severity: 'critical' }) },
  silent: [s('redis_up', REDIS, '1x10')],
};

function unitTests(all: readonly AlertCase[]) {
  const series = (list: readonly Series[]) => list.map((x) => ({ series: `${x.metric}${sel(x.labels)}`, values: x.values }));
  return all.flatMap((c) => [
    {
      name: `${c.alert} fires once its condition has held for its duration`,
      interval: '1m',
      input_series: series(c.firing),
      alert_rule_test: [
        { eval_time: c.pendingAt, alertname: c.alert, exp_alerts: [] },
        { eval_time: c.fireAt, alertname: c.alert, exp_alerts: [{ exp_labels: c.labels }] },
      ],
    },
    {
      name: `${c.alert} stays silent when its condition does not hold`,
      interval: '1m',
      input_series: series(c.silent),
      alert_rule_test: [{ eval_time: c.fireAt, alertname: c.alert, exp_alerts: [] }],
    },
  ]);
}

function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'stackwright-promtool-'));
}

describe.skipIf(!hasPromtool)('alert rules under promtool', () => {
  it('covers every alert of the catalog with a firing and a silent case', () => {
    const alerts = new Set(fixtureGroups.flatMap((g) => g.rules.map((r) => r.alert)));
    expect(new Set(cases.map((c) => c.alert))).toEqual(alerts);
  });

  it('passes promtool check rules with lint errors fatal', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: fixtureGroups }));
    const result = run('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', 'rules.yaml'], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
    expect(result.output).not.toContain('FAILED');
  });

  it('passes promtool test rules: each alert fires when its condition holds long enough and stays silent otherwise', () => {
    const dir = workdir();
    // Annotations are template text checked by `check rules`; the unit tests are about when alerts fire.
    const groups = fixtureGroups.map((g) => ({ name: g.name, rules: g.rules.map(({ annotations: _, ...r }) => r) }));
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups }));
    writeFileSync(join(dir, 'tests.yaml'), stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests: unitTests([...cases, redisConnection]) }));
    const result = run('promtool', ['test', 'rules', 'tests.yaml'], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('fails promtool test rules when an expectation is wrong, so the suite can fail', () => {
    const dir = workdir();
    const groups = fixtureGroups.map((g) => ({ name: g.name, rules: g.rules.map(({ annotations: _, ...r }) => r) }));
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups }));
    // The silent series of TargetDown, expected to fire.
    const wrong = { ...cases[0], firing: cases[0].silent };
    writeFileSync(join(dir, 'tests.yaml'), stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests: unitTests([wrong]) }));
    const result = run('promtool', ['test', 'rules', 'tests.yaml'], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('TargetDown');
  });

  it('passes promtool check config on the standalone Prometheus configuration, rule file included', () => {
    const chart = Testing.chart();
    const server = new PrometheusServer(chart, 'prometheus', {
      image: 'quay.io/prometheus/prometheus:v3.5.0',
      ruleGroups: fixtureGroups,
      config: {
        externalLabels: { environment: 'test' },
        targets: [
          { name: 'api', namespace: 'shop', port: 'metrics', serviceName: 'api', selector: { 'app.kubernetes.io/name': 'api' } },
          { name: 'batch', namespace: 'shop', port: 'metrics', selector: { 'app.kubernetes.io/name': 'batch', 'app.kubernetes.io/instance': 'batch-test' } },
        ],
        staticTargets: [{ job: 'kube-state-metrics', address: 'kube-state-metrics.monitoring.svc:8080', honorLabels: true }],
        alertmanagers: ['alertmanager.monitoring.svc:9093'],
        kubeletNamespaces: ['shop'],
      },
    });
    const dir = workdir();
    mkdirSync(join(dir, 'sa'));
    writeFileSync(join(dir, 'sa', 'token'), '');
    writeFileSync(join(dir, 'sa', 'ca.crt'), '');
    // Debian builds Prometheus without Kubernetes service discovery, so its promtool rejects
    // `kubernetes_sd_configs`; file discovery stands in for it (the SD blocks are checked in
    // prometheus-config.test.ts), and the service-account files point into the work dir.
    const config = server.configYaml
      .replaceAll('/var/run/secrets/kubernetes.io/serviceaccount/', `${dir}/sa/`)
      .replace(/kubernetes_sd_configs:\n(\s+)- role: \w+\n(\1  namespaces:\n\1    names:\n(\1      - .*\n)+)?/g, (_m, indent: string) => `file_sd_configs:\n${indent}- files: [targets.json]\n`);
    expect(config).not.toContain('kubernetes_sd_configs');
    writeFileSync(join(dir, 'targets.json'), '[]');
    writeFileSync(join(dir, 'prometheus.yml'), config);
    writeFileSync(join(dir, 'alert-rules.yaml'), server.rulesYaml);
    const result = run('promtool', ['check', 'config', 'prometheus.yml'], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS: 1 rule files found');
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
  });
});
