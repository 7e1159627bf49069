// Test helper: promtool unit cases for every alert of the catalog, as a function of the component the
// alert watches (its namespace, scrape labels, a pod as Kubernetes names it, its claims and autoscaler).
// The same cases run against the fixture catalog and against the rules each environment ships.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export type Labels = Record<string, string>;

export interface Series {
  readonly metric: string;
  readonly labels: Labels;
  readonly values: string;
}

export interface AlertCase {
  /** The alert under test. */
  readonly alert: string;
  /** Series under which the condition holds long enough. */
  readonly firing: readonly Series[];
  /** When to look, and the exact labels the alert must carry then. */
  readonly fireAt: string;
  readonly labels: Labels;
  /** A moment in the firing series before `for` has elapsed: pending, not firing. */
  readonly pendingAt: string;
  /** Series under which it must stay silent (below threshold, or other components' pods), checked at `fireAt`. */
  readonly silent: readonly Series[];
}

/** What an alert watches, as Prometheus sees it. */
export interface AlertTarget {
  readonly environment: string;
  /** The alert's `service` label: the component whose rule group it is. */
  readonly service: string;
  /** What it is: `web`, `worker`, `postgres`, `redis`, `elasticsearch-exporter`, `logstash`, `otel-collector`… */
  readonly role: string;
  readonly namespace: string;
  /** The labels its scraped series carry (namespace, job, pod, instance, endpoint, service, container), when scraped. */
  readonly scrape?: Labels;
  /** One of its pods, named as Kubernetes names it, and that pod's main container. */
  readonly pod: string;
  readonly container: string;
  /** Pods of other workloads in the namespace whose names start like this one's: its alerts must ignore them. */
  readonly lookalikePods: readonly string[];
  /** One of its PersistentVolumeClaims, as the cluster names it. */
  readonly claim?: string;
  /** The HorizontalPodAutoscaler that owns its replicas (name, and the kind and name it scales). */
  readonly hpa?: { readonly name: string; readonly targetKind: string; readonly targetName: string };
}

/** A pod name as the controller of `kind` names pods of workload `name`. */
export function podName(kind: string, name: string): string {
  switch (kind) {
    case 'StatefulSet': return `${name}-0`;
    case 'DaemonSet':
    case 'Job': return `${name}-x2k9q`;
    case 'CronJob': return `${name}-29345678-x2k9q`;
    default: return `${name}-5d9c7b8f6-x2k9q`;
  }
}

const s = (metric: string, labels: Labels, values: string): Series => ({ metric, labels, values });

/** The promtool case of `alert` for `t`; throws for an alert the catalog does not know. */
export function alertCase(alert: string, t: AlertTarget): AlertCase {
  const rule = (severity: string, extra: Labels = {}) => ({ ...extra, service: t.service, environment: t.environment, severity });
  const ns = { namespace: t.namespace };
  const scrape = () => {
    if (!t.scrape) throw new Error(`${t.service}: ${alert} needs scraped series, and it has no scrape job`);
    return t.scrape;
  };
  const job = () => ({ namespace: t.namespace, job: scrape().job });
  const pod = { namespace: t.namespace, pod: t.pod, container: t.container };
  const lookalikes = (metric: string, values: string, extra: Labels = {}) =>
    t.lookalikePods.map((p) => s(metric, { namespace: t.namespace, pod: p, container: 'other', ...extra }, values));
  const limit = (labels: Labels, resource: string, value: string) => s('kube_pod_container_resource_limits', { ...labels, resource, unit: resource === 'cpu' ? 'core' : 'byte', job: 'kube-state-metrics' }, value);

  switch (alert) {
    case 'TargetDown':
    case 'PostgreSQLDown':
    case 'RedisDown':
      return {
        alert,
        firing: [s('up', scrape(), '0x10')],
        pendingAt: alert === 'TargetDown' ? '1m' : '0m', fireAt: '3m',
        labels: { ...scrape(), ...rule('critical') },
        // Down for one scrape only, then back: a restart, not an outage.
        silent: [s('up', scrape(), '1 0 1 1 1 1 1 1 1 1')],
      };
    case 'HighErrorRate': {
      const sc = scrape();
      return {
        alert,
        firing: [s('http_requests_total', { ...sc, code: '500' }, '0+10x20'), s('http_requests_total', { ...sc, code: '200' }, '0+90x20')],
        pendingAt: '4m', fireAt: '15m',
        labels: { ...job(), ...rule('critical') },
        // 1% errors, and 4xx do not count.
        silent: [
          s('http_requests_total', { ...sc, code: '500' }, '0+1x20'),
          s('http_requests_total', { ...sc, code: '404' }, '0+50x20'),
          s('http_requests_total', { ...sc, code: '200' }, '0+49x20'),
        ],
      };
    }
    case 'HighResponseTime': {
      const sc = scrape();
      const buckets = (counts: readonly number[]) => ['0.5', '1', '2.5', '+Inf'].map((le, i) => s('http_request_duration_seconds_bucket', { ...sc, le }, `0+${counts[i]}x20`));
      return {
        alert,
        firing: buckets([10, 20, 100, 100]),
        pendingAt: '4m', fireAt: '15m',
        labels: { ...job(), ...rule('warning') },
        silent: buckets([97, 99, 100, 100]),
      };
    }
    case 'HighCPUUsage':
      return {
        alert,
        // 54 CPU-seconds a minute is 0.9 cores, against a 1-core limit.
        firing: [s('container_cpu_usage_seconds_total', pod, '0+54x30'), limit(pod, 'cpu', '1x30')],
        pendingAt: '8m', fireAt: '20m',
        labels: { ...pod, ...rule('warning') },
        // Half a core; and busy pods of other workloads whose names start like this one's.
        silent: [
          s('container_cpu_usage_seconds_total', pod, '0+30x30'), limit(pod, 'cpu', '1x30'),
          ...lookalikes('container_cpu_usage_seconds_total', '0+60x30'),
          ...t.lookalikePods.map((p) => limit({ namespace: t.namespace, pod: p, container: 'other' }, 'cpu', '1x30')),
        ],
      };
    case 'HighMemoryUsage':
    case 'PostgreSQLMemoryNearMax':
      return {
        alert,
        firing: [s('container_memory_working_set_bytes', pod, '950x20'), limit(pod, 'memory', '1000x20')],
        pendingAt: '3m', fireAt: '10m',
        labels: { ...pod, ...rule('warning') },
        silent: [
          s('container_memory_working_set_bytes', pod, '600x20'), limit(pod, 'memory', '1000x20'),
          ...lookalikes('container_memory_working_set_bytes', '990x20'),
          ...t.lookalikePods.map((p) => limit({ namespace: t.namespace, pod: p, container: 'other' }, 'memory', '1000x20')),
        ],
      };
    case 'PodCrashLooping': {
      const waiting = { ...pod, reason: 'CrashLoopBackOff', job: 'kube-state-metrics' };
      return {
        alert,
        firing: [s('kube_pod_container_status_waiting_reason', waiting, '1x30')],
        pendingAt: '10m', fireAt: '20m',
        labels: { ...pod, ...rule('warning') },
        // Five minutes of back-off that then recovered; and other workloads' pods crash-looping.
        silent: [
          s('kube_pod_container_status_waiting_reason', waiting, '1x5 _x25'),
          ...lookalikes('kube_pod_container_status_waiting_reason', '1x30', { reason: 'CrashLoopBackOff', job: 'kube-state-metrics' }),
        ],
      };
    }
    case 'DatabaseConnectionFailure': {
      const metric = t.role === 'postgres' ? 'pg_up' : 'redis_up';
      return {
        alert,
        firing: [s(metric, scrape(), '0x10')], pendingAt: '0m', fireAt: '2m',
        labels: { ...scrape(), ...rule('critical', { database: t.role }) },
        silent: [s(metric, scrape(), '1x10')],
      };
    }
    case 'PostgreSQLTooManyConnections': {
      const sc = scrape();
      return {
        alert,
        firing: [
          s('pg_stat_database_numbackends', { ...sc, datname: 'app' }, '80x20'),
          s('pg_stat_database_numbackends', { ...sc, datname: 'postgres' }, '5x20'),
          s('pg_settings_max_connections', sc, '100x20'),
        ],
        pendingAt: '3m', fireAt: '10m',
        labels: { ...job(), pod: sc.pod, ...rule('warning') },
        silent: [s('pg_stat_database_numbackends', { ...sc, datname: 'app' }, '40x20'), s('pg_settings_max_connections', sc, '100x20')],
      };
    }
    case 'RedisTooManyConnections': {
      const sc = scrape();
      return {
        alert,
        firing: [s('redis_connected_clients', sc, '9000x20'), s('redis_config_maxclients', sc, '10000x20')],
        pendingAt: '3m', fireAt: '10m',
        labels: { ...job(), pod: sc.pod, ...rule('warning') },
        silent: [s('redis_connected_clients', sc, '100x20'), s('redis_config_maxclients', sc, '10000x20')],
      };
    }
    case 'RedisMemoryNearMax': {
      const sc = scrape();
      return {
        alert,
        firing: [s('redis_memory_used_bytes', sc, '95x20'), s('redis_memory_max_bytes', sc, '100x20')],
        pendingAt: '3m', fireAt: '10m',
        labels: { ...job(), pod: sc.pod, ...rule('warning') },
        // maxmemory 0 means unlimited: no ratio to alert on.
        silent: [s('redis_memory_used_bytes', sc, '95x20'), s('redis_memory_max_bytes', sc, '0x20')],
      };
    }
    case 'HPAAtMaxReplicas': {
      if (!t.hpa) throw new Error(`${t.service}: HPAAtMaxReplicas needs the autoscaler that owns it`);
      const ksm = { namespace: t.namespace, job: 'kube-state-metrics' };
      const hpa = (name: string, targetName: string, current: number, max: number, min: number) => {
        const labels = { ...ksm, horizontalpodautoscaler: name };
        return [
          s('kube_horizontalpodautoscaler_status_current_replicas', labels, `${current}x30`),
          s('kube_horizontalpodautoscaler_spec_max_replicas', labels, `${max}x30`),
          s('kube_horizontalpodautoscaler_spec_min_replicas', labels, `${min}x30`),
          s('kube_horizontalpodautoscaler_info', { ...labels, scaletargetref_api_version: 'apps/v1', scaletargetref_kind: t.hpa!.targetKind, scaletargetref_name: targetName }, '1x30'),
        ];
      };
      return {
        alert,
        firing: hpa(t.hpa.name, t.hpa.targetName, 10, 10, 2),
        pendingAt: '10m', fireAt: '20m',
        labels: { namespace: t.namespace, horizontalpodautoscaler: t.hpa.name, ...rule('warning') },
        // One below max; pinned min = max (always "at max", nothing to act on); another workload's HPA at max.
        silent: [
          ...hpa(t.hpa.name, t.hpa.targetName, 9, 10, 2),
          ...hpa(`${t.hpa.name}-pinned`, t.hpa.targetName, 4, 4, 4),
          ...hpa(`${t.hpa.name}-elsewhere`, `${t.hpa.targetName}-elsewhere`, 10, 10, 2),
        ],
      };
    }
    case 'PersistentVolumeFillingUp': {
      if (!t.claim) throw new Error(`${t.service}: PersistentVolumeFillingUp needs one of its claims`);
      const volume = (claim: string, used: number) => [
        s('kubelet_volume_stats_used_bytes', { ...ns, persistentvolumeclaim: claim, node: 'node-1', job: 'kubelet' }, `${used}x20`),
        s('kubelet_volume_stats_capacity_bytes', { ...ns, persistentvolumeclaim: claim, node: 'node-1', job: 'kubelet' }, '100x20'),
      ];
      return {
        alert,
        firing: volume(t.claim, 90),
        pendingAt: '3m', fireAt: '10m',
        labels: { ...ns, persistentvolumeclaim: t.claim, ...rule('warning') },
        // 80% used; and a full volume of a claim that is not the component's.
        silent: [...volume(t.claim, 80), ...volume(`other-${t.claim}`, 99)],
      };
    }
    case 'ElasticsearchClusterRed':
    case 'ElasticsearchClusterYellow': {
      const health = { ...scrape(), cluster: 'logs' };
      const color = alert === 'ElasticsearchClusterRed' ? 'red' : 'yellow';
      return alert === 'ElasticsearchClusterRed'
        ? {
          alert,
          firing: [s('elasticsearch_cluster_health_status', { ...health, color: 'red' }, '1x10'), s('elasticsearch_cluster_health_status', { ...health, color: 'green' }, '0x10')],
          pendingAt: '1m', fireAt: '4m',
          labels: { ...job(), cluster: 'logs', ...rule('critical') },
          silent: [s('elasticsearch_cluster_health_status', { ...health, color: 'red' }, '0x10'), s('elasticsearch_cluster_health_status', { ...health, color: 'green' }, '1x10')],
        }
        : {
          alert,
          firing: [s('elasticsearch_cluster_health_status', { ...health, color }, '1x40')],
          pendingAt: '15m', fireAt: '30m',
          labels: { ...job(), cluster: 'logs', ...rule('warning') },
          // Yellow for ten minutes while a node restarts, then green again.
          silent: [s('elasticsearch_cluster_health_status', { ...health, color }, '1x10 0x30')],
        };
    }
    case 'ElasticsearchDiskWatermarkLow':
    case 'ElasticsearchDiskWatermarkHigh': {
      const node = { ...scrape(), cluster: 'logs', name: 'elasticsearch-0', host: '10.0.1.5', mount: '/usr/share/elasticsearch/data (/dev/nvme1n1)', path: '/usr/share/elasticsearch/data' };
      const disk = (available: number) => [s('elasticsearch_filesystem_data_available_bytes', node, `${available}x20`), s('elasticsearch_filesystem_data_size_bytes', node, '100x20')];
      const high = alert === 'ElasticsearchDiskWatermarkHigh';
      return {
        alert,
        firing: disk(high ? 7 : 12),
        pendingAt: '3m', fireAt: '10m',
        labels: { ...job(), cluster: 'logs', name: 'elasticsearch-0', path: node.path, ...rule(high ? 'critical' : 'warning') },
        // Below the watermark (88% used is past the low one, not the high one).
        silent: disk(high ? 12 : 20),
      };
    }
    case 'LogstashDown':
      return {
        alert,
        firing: [s('logstash_info_up', scrape(), '0x10')],
        pendingAt: '3m', fireAt: '7m',
        labels: { ...job(), pod: scrape().pod, ...rule('critical') },
        silent: [s('logstash_info_up', scrape(), '0x2 1x8')],
      };
    case 'LogstashPipelineStalled': {
      const main = { ...scrape(), pipeline: 'main' };
      const idle = { ...scrape(), pipeline: 'idle' };
      return {
        alert,
        firing: [s('logstash_stats_pipeline_events_in', main, '0+600x30'), s('logstash_stats_pipeline_events_out', main, '5000x30')],
        pendingAt: '10m', fireAt: '20m',
        labels: { ...job(), pod: scrape().pod, pipeline: 'main', ...rule('critical') },
        // Events flow out as they come in; and an idle pipeline (nothing in, nothing out) is not stalled.
        silent: [
          s('logstash_stats_pipeline_events_in', main, '0+600x30'), s('logstash_stats_pipeline_events_out', main, '0+600x30'),
          s('logstash_stats_pipeline_events_in', idle, '100x30'), s('logstash_stats_pipeline_events_out', idle, '100x30'),
        ],
      };
    }
    case 'LogstashEventFailures': {
      const output = { ...scrape(), pipeline: 'main', plugin_type: 'output', plugin: 'elasticsearch', plugin_id: 'es' };
      return {
        alert,
        firing: [s('logstash_stats_pipeline_plugin_documents_non_retryable_failures', output, '0+5x20')],
        pendingAt: '3m', fireAt: '12m',
        labels: { ...job(), pod: scrape().pod, pipeline: 'main', plugin_id: 'es', ...rule('warning') },
        silent: [s('logstash_stats_pipeline_plugin_documents_non_retryable_failures', output, '3x20')],
      };
    }
    case 'OtelcolExporterSendFailed': {
      const exporter = { ...scrape(), exporter: 'otlp/jaeger' };
      return {
        alert,
        firing: [s('otelcol_exporter_send_failed_spans_total', exporter, '0+100x30')],
        pendingAt: '8m', fireAt: '20m',
        labels: { ...job(), pod: scrape().pod, exporter: 'otlp/jaeger', ...rule('warning') },
        // A burst of failures that stopped: the counter stays flat.
        silent: [s('otelcol_exporter_send_failed_spans_total', exporter, '0+100x3 300x27')],
      };
    }
    case 'OtelcolReceiverRefused': {
      const receiver = { ...scrape(), receiver: 'otlp', transport: 'http' };
      return {
        alert,
        firing: [s('otelcol_receiver_refused_spans_total', receiver, '0+50x30')],
        pendingAt: '8m', fireAt: '20m',
        labels: { ...job(), pod: scrape().pod, receiver: 'otlp', ...rule('warning') },
        silent: [s('otelcol_receiver_refused_spans_total', receiver, '0x30'), s('otelcol_receiver_accepted_spans_total', receiver, '0+500x30')],
      };
    }
    case 'OtelcolExporterQueueNearCapacity': {
      const queue = { ...scrape(), exporter: 'otlp/jaeger', data_type: 'traces' };
      return {
        alert,
        firing: [s('otelcol_exporter_queue_size', queue, '4500x20'), s('otelcol_exporter_queue_capacity', queue, '5000x20')],
        pendingAt: '3m', fireAt: '10m',
        labels: { ...job(), pod: scrape().pod, exporter: 'otlp/jaeger', ...rule('warning') },
        silent: [s('otelcol_exporter_queue_size', queue, '100x20'), s('otelcol_exporter_queue_capacity', queue, '5000x20')],
      };
    }
    default:
      throw new Error(`no promtool case for alert ${alert}; add one to test/observability/metrics/alert-cases.ts`);
  }
}

const selector = (l: Labels) => `{${Object.entries(l).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
const inputSeries = (list: readonly Series[]) => list.map((x) => ({ series: `${x.metric}${selector(x.labels)}`, values: x.values }));

/** promtool unit-test groups: for each case, one that fires (after a pending check) and one that stays silent. */
export function unitTests(cases: readonly AlertCase[], prefix = '') {
  return cases.flatMap((c) => [
    {
      name: `${prefix}${c.alert} fires once its condition has held for its duration`,
      interval: '1m',
      input_series: inputSeries(c.firing),
      alert_rule_test: [
        { eval_time: c.pendingAt, alertname: c.alert, exp_alerts: [] },
        { eval_time: c.fireAt, alertname: c.alert, exp_alerts: [{ exp_labels: c.labels }] },
      ],
    },
    {
      name: `${prefix}${c.alert} stays silent when its condition does not hold`,
      interval: '1m',
      input_series: inputSeries(c.silent),
      alert_rule_test: [{ eval_time: c.fireAt, alertname: c.alert, exp_alerts: [] }],
    },
  ]);
}

/**
 * The same tests with cases bundled, for speed: cases whose series share no metric name share one
 * firing group and one silent group (an alert then sees only its own case's series, so the result is
 * the same as one group per case, at a fraction of promtool's time).
 */
export function bundledUnitTests(cases: readonly AlertCase[], prefix = '') {
  const bundle = (pick: (c: AlertCase) => readonly Series[]) => {
    const bundles: { cases: AlertCase[]; metrics: Set<string> }[] = [];
    for (const c of cases) {
      const metrics = new Set(pick(c).map((x) => x.metric));
      const fit = bundles.find((b) => [...metrics].every((m) => !b.metrics.has(m)));
      if (fit) {
        fit.cases.push(c);
        for (const m of metrics) fit.metrics.add(m);
      } else {
        bundles.push({ cases: [c], metrics });
      }
    }
    return bundles.map((b) => b.cases);
  };
  return [
    ...bundle((c) => c.firing).map((group) => ({
      name: `${prefix}${group.map((c) => c.alert).join(', ')} fire once their conditions have held for their durations`,
      interval: '1m',
      input_series: inputSeries(group.flatMap((c) => c.firing)),
      alert_rule_test: group.flatMap((c) => [
        { eval_time: c.pendingAt, alertname: c.alert, exp_alerts: [] },
        { eval_time: c.fireAt, alertname: c.alert, exp_alerts: [{ exp_labels: c.labels }] },
      ]),
    })),
    ...bundle((c) => c.silent).map((group) => ({
      name: `${prefix}${group.map((c) => c.alert).join(', ')} stay silent when their conditions do not hold`,
      interval: '1m',
      input_series: inputSeries(group.flatMap((c) => c.silent)),
      alert_rule_test: group.map((c) => ({ eval_time: c.fireAt, alertname: c.alert, exp_alerts: [] })),
    })),
  ];
}

/** A rule group as a rule file carries it. */
export interface RuleFileGroup {
  readonly name: string;
  readonly rules: readonly { readonly alert: string; readonly annotations?: unknown }[];
}

/**
 * Writes, per rule group, a rule file with that group alone and a promtool test file with a firing
 * and a silent case for each of its alerts (built for `targetOf(group)`), into `dir`; returns the
 * test file names. One group per file: other components' rules do not see a case's series.
 */
export function writeAlertTests(dir: string, groups: readonly RuleFileGroup[], targetOf: (group: RuleFileGroup) => AlertTarget): string[] {
  return groups.map((group, i) => {
    const target = targetOf(group);
    // Annotations are template text checked by `check rules`; the unit tests are about when alerts fire.
    const rules = group.rules.map(({ annotations: _, ...r }) => r);
    const rulesFile = `rules-${i}.yaml`;
    const testFile = `tests-${i}.yaml`;
    writeFileSync(join(dir, rulesFile), stringify({ groups: [{ name: group.name, rules }] }));
    const cases = [...new Set(group.rules.map((r) => r.alert))].map((alert) => alertCase(alert, target));
    writeFileSync(join(dir, testFile), stringify({ rule_files: [rulesFile], evaluation_interval: '1m', tests: bundledUnitTests(cases, `${group.name}: `) }));
    return testFile;
  });
}
