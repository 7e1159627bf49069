// The alert catalog: which rules a platform gets, derived from what it runs. Metric names follow
// the exporters kube-prometheus-stack ships (cAdvisor, kubelet, kube-state-metrics), the community
// postgres_exporter, redis_exporter and elasticsearch_exporter (v1.9), kuskoman/logstash-exporter
// (v1.9) and the OpenTelemetry Collector's own telemetry (its Prometheus reader adds `_total` to counters).
import { Severity, type AlertRule, type RuleGroup } from './alert-rule';

/** Metric and label names of the HTTP instrumentation the services expose. */
export interface HttpMetricNames {
  /** Counter of handled requests. @default 'http_requests_total' */
  readonly requests?: string;
  /** Histogram of request durations in seconds (without `_bucket`). @default 'http_request_duration_seconds' */
  readonly duration?: string;
  /** Label holding the HTTP status code. @default 'code' */
  readonly statusLabel?: string;
}

/** Limits at which the alerts fire. */
export interface AlertThresholds {
  /** Share of 5xx responses. @default 0.05 */
  readonly errorRatio?: number;
  /** p95 latency in seconds. @default 1 */
  readonly p95LatencySeconds?: number;
  /** CPU use as a share of the limit. @default 0.8 */
  readonly cpuOfLimit?: number;
  /** Memory working set as a share of the limit. @default 0.9 */
  readonly memoryOfLimit?: number;
  /** Connections as a share of the server's maximum. @default 0.8 */
  readonly connectionsOfMax?: number;
  /** Used share of a persistent volume. @default 0.85 */
  readonly volumeUsed?: number;
  /** Used share of an exporter's sending queue (OpenTelemetry Collector). @default 0.8 */
  readonly queueOfCapacity?: number;
}

/** Elasticsearch's default disk watermarks: above `low` no new shards land on a node, above `high` shards move away. */
const ES_WATERMARK = { low: 0.85, high: 0.9 } as const;

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob' | 'Job' | 'Rollout';

/** A component the platform runs: its pods, and its scrape job when it has metrics. */
export interface AlertedComponent {
  /** Component name; the `service` label of its alerts. */
  readonly name: string;
  readonly namespace: string;
  /** What it is: `web` (HTTP service), `worker`, `postgres`, `redis`, or anything else. */
  readonly role: string;
  /** Workload kind, which decides how its pods are named. @default 'Deployment' */
  readonly workloadKind?: WorkloadKind;
  /** Name of the workload object. @default the component name */
  readonly workloadName?: string;
  /** The `job` label of its scraped metrics; absent when it is not scraped. */
  readonly job?: string;
  /** An autoscaler (HPA, or KEDA's) owns its replica count: alert when it stays at its maximum. @default false */
  readonly autoscaled?: boolean;
  /** Names of the PersistentVolumeClaims its pods mount, as regular expressions (`data-postgres-[0-9]+`). @default none */
  readonly claims?: readonly string[];
  /**
   * Alert on its own pods (CPU, memory, crash loops). Off for a service whose pods all belong to
   * workloads alerted as components of their own (blue-green slots, canary tracks), so no pod alerts twice. @default true
   */
  readonly podAlerts?: boolean;
}

export interface PlatformAlertsProps {
  /** Prefix of the group names, e.g. `atlas-prod`. */
  readonly groupPrefix: string;
  readonly components: readonly AlertedComponent[];
  /** @default see {@link HttpMetricNames} */
  readonly http?: HttpMetricNames;
  /** @default see {@link AlertThresholds} */
  readonly thresholds?: AlertThresholds;
}

/**
 * One rule group per component; every alert carries the component as its `service` label. Roles add
 * their own alerts: HTTP for `web`, database health for `postgres` and `redis`, cluster health and disk
 * watermarks for `elasticsearch-exporter`, pipeline health for `logstash`, export and intake health for
 * `otel-collector`.
 */
export function platformAlertGroups(props: PlatformAlertsProps): RuleGroup[] {
  const t = {
    errorRatio: props.thresholds?.errorRatio ?? 0.05,
    p95LatencySeconds: props.thresholds?.p95LatencySeconds ?? 1,
    cpuOfLimit: props.thresholds?.cpuOfLimit ?? 0.8,
    memoryOfLimit: props.thresholds?.memoryOfLimit ?? 0.9,
    connectionsOfMax: props.thresholds?.connectionsOfMax ?? 0.8,
    volumeUsed: props.thresholds?.volumeUsed ?? 0.85,
    queueOfCapacity: props.thresholds?.queueOfCapacity ?? 0.8,
  };
  for (const [key, value] of Object.entries(t)) {
    if (!(value > 0) || (key !== 'p95LatencySeconds' && value > 1)) {
      throw new Error(`alert threshold ${key} must be ${key === 'p95LatencySeconds' ? 'above 0' : 'a share above 0 and at most 1'}; received ${value}`);
    }
  }
  const http = {
    requests: props.http?.requests ?? 'http_requests_total',
    duration: props.http?.duration ?? 'http_request_duration_seconds',
    status: props.http?.statusLabel ?? 'code',
  };
  const groups: RuleGroup[] = [];
  for (const c of props.components) {
    const rules: AlertRule[] = [];
    const labels = { service: c.name };
    const job = c.job ? sel({ namespace: c.namespace, job: c.job }) : undefined;
    const pods = sel({ namespace: c.namespace, pod: `=~${podPattern(c.workloadName ?? c.name, c.workloadKind ?? 'Deployment')}` });

    if (c.role === 'postgres' || c.role === 'redis') {
      const store = c.role === 'postgres' ? 'PostgreSQL' : 'Redis';
      if (job) {
        rules.push({
          alert: `${store}Down`, expr: `up${job} == 0`, for: '1m', severity: Severity.CRITICAL, labels,
          summary: `${store} ${c.name} in {{ $labels.namespace }} is down`,
          description: `The metrics exporter of {{ $labels.pod }} has not answered for a minute: the ${store} pod is gone or not serving.`,
        });
        const upMetric = c.role === 'postgres' ? 'pg_up' : 'redis_up';
        rules.push({
          alert: 'DatabaseConnectionFailure', expr: `${upMetric}${job} == 0`, for: '1m', severity: Severity.CRITICAL,
          labels: { ...labels, database: c.role },
          summary: `The exporter cannot connect to ${store} ${c.name} ({{ $labels.pod }})`,
          description: `The pod is up but ${store} refuses or drops connections; check its logs, credentials and connection limits.`,
        });
        rules.push(c.role === 'postgres'
          ? {
            alert: 'PostgreSQLTooManyConnections',
            expr: `sum by (namespace, job, pod) (pg_stat_database_numbackends${job})\n  / on (namespace, job, pod)\nmax by (namespace, job, pod) (pg_settings_max_connections${job})\n  > ${t.connectionsOfMax}`,
            for: '5m', severity: Severity.WARNING, labels,
            summary: `PostgreSQL ${c.name} uses {{ $value | humanizePercentage }} of max_connections`,
            description: `Above ${pct(t.connectionsOfMax)} of max_connections for 5 minutes; new clients will soon be refused. Check pool sizes and idle connections.`,
          }
          : {
            alert: 'RedisTooManyConnections',
            expr: `max by (namespace, job, pod) (redis_connected_clients${job})\n  / on (namespace, job, pod)\nmax by (namespace, job, pod) (redis_config_maxclients${job})\n  > ${t.connectionsOfMax}`,
            for: '5m', severity: Severity.WARNING, labels,
            summary: `Redis ${c.name} uses {{ $value | humanizePercentage }} of maxclients`,
            description: `Above ${pct(t.connectionsOfMax)} of maxclients for 5 minutes; new clients will soon be refused.`,
          });
        if (c.role === 'redis') {
          rules.push({
            alert: 'RedisMemoryNearMax',
            expr: `max by (namespace, job, pod) (redis_memory_used_bytes${job})\n  / on (namespace, job, pod)\nmax by (namespace, job, pod) (redis_memory_max_bytes${job} > 0)\n  > ${t.memoryOfLimit}`,
            for: '5m', severity: Severity.WARNING, labels,
            summary: `Redis ${c.name} uses {{ $value | humanizePercentage }} of maxmemory`,
            description: `Above ${pct(t.memoryOfLimit)} of maxmemory for 5 minutes; keys are evicted or writes fail, depending on the eviction policy.`,
          });
        }
      }
      if (c.role === 'postgres') {
        rules.push({
          alert: 'PostgreSQLMemoryNearMax', expr: memoryExpr(pods, t.memoryOfLimit), for: '5m', severity: Severity.WARNING, labels,
          summary: `PostgreSQL ${c.name} ({{ $labels.pod }}) uses {{ $value | humanizePercentage }} of its memory limit`,
          description: `Above ${pct(t.memoryOfLimit)} of the container memory limit for 5 minutes; the OOM killer restarts the database next. Check work_mem and shared_buffers against the limit.`,
        });
      }
    } else if (job) {
      rules.push({
        alert: 'TargetDown', expr: `up${job} == 0`, for: '2m', severity: Severity.CRITICAL, labels,
        summary: `${c.name} pod {{ $labels.pod }} is down or not serving metrics`,
        description: `Prometheus has failed to scrape {{ $labels.instance }} for 2 minutes: the pod is gone, hung, or its metrics port is blocked.`,
      });
      if (c.role === 'web') {
        const all = sel({ namespace: c.namespace, job: c.job! });
        const errors = sel({ namespace: c.namespace, job: c.job!, [http.status]: '=~5..' });
        rules.push({
          alert: 'HighErrorRate',
          expr: `sum by (namespace, job) (rate(${http.requests}${errors}[5m]))\n  /\nsum by (namespace, job) (rate(${http.requests}${all}[5m]))\n  > ${t.errorRatio}`,
          for: '5m', severity: Severity.CRITICAL, labels,
          summary: `${c.name} answers {{ $value | humanizePercentage }} of requests with 5xx`,
          description: `More than ${pct(t.errorRatio)} of requests to ${c.name} failed with a server error for 5 minutes.`,
        });
        rules.push({
          alert: 'HighResponseTime',
          expr: `histogram_quantile(0.95, sum by (namespace, job, le) (rate(${http.duration}_bucket${all}[5m])))\n  > ${t.p95LatencySeconds}`,
          for: '5m', severity: Severity.WARNING, labels,
          summary: `${c.name} p95 latency is {{ $value | humanizeDuration }}`,
          description: `The 95th percentile of ${c.name} response times has been above ${t.p95LatencySeconds}s for 5 minutes.`,
        });
      }
      if (c.role === 'elasticsearch-exporter') rules.push(...elasticsearchRules(job, labels));
      if (c.role === 'logstash') rules.push(...logstashRules(job, labels));
      if (c.role === 'otel-collector') rules.push(...otelCollectorRules(job, labels, t.queueOfCapacity));
    }

    if (c.podAlerts !== false) rules.push(...podRules(c, pods, labels, t));
    if (c.autoscaled) {
      const hpa = (metric: string) => `max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_${metric}${sel({ namespace: c.namespace })})`;
      const target = sel({ namespace: c.namespace, scaletargetref_kind: c.workloadKind ?? 'Deployment', scaletargetref_name: c.workloadName ?? c.name });
      rules.push({
        alert: 'HPAAtMaxReplicas',
        // The HPA whose scale target is this workload, whatever its name (KEDA names its own `keda-hpa-<name>`).
        expr: `${hpa('status_current_replicas')}\n  >= on (namespace, horizontalpodautoscaler)\n${hpa('spec_max_replicas')}\nand on (namespace, horizontalpodautoscaler)\n(\n  ${hpa('spec_max_replicas')}\n    > on (namespace, horizontalpodautoscaler)\n  ${hpa('spec_min_replicas')}\n)\nand on (namespace, horizontalpodautoscaler)\nkube_horizontalpodautoscaler_info${target}`,
        for: '15m', severity: Severity.WARNING, labels,
        summary: `The autoscaler of ${c.name} ({{ $labels.horizontalpodautoscaler }}) has run at its maximum replicas for 15 minutes`,
        description: 'It cannot add capacity: raise maxReplicas, or find why the load grew.',
      });
    }
    if ((c.claims ?? []).length > 0) {
      const claims = sel({ namespace: c.namespace, persistentvolumeclaim: `=~${c.claims!.join('|')}` });
      rules.push({
        alert: 'PersistentVolumeFillingUp',
        expr: `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes${claims})\n  / on (namespace, persistentvolumeclaim)\nmax by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes${claims})\n  > ${t.volumeUsed}`,
        for: '5m', severity: Severity.WARNING, labels,
        summary: `Volume {{ $labels.persistentvolumeclaim }} of ${c.name} is {{ $value | humanizePercentage }} full`,
        description: `More than ${pct(t.volumeUsed)} of the volume is used; expand the claim or clean up before writes fail.`,
      });
    }
    groups.push({ name: `${props.groupPrefix}.${c.name}`, rules });
  }
  return groups;
}

/** Cluster health and disk watermarks, from elasticsearch_exporter's series (job `job`). */
function elasticsearchRules(job: string, labels: Record<string, string>): AlertRule[] {
  const status = (color: string) => `max by (namespace, job, cluster) (elasticsearch_cluster_health_status${withMatchers(job, { color })}) == 1`;
  const used = `1 - (\n  max by (namespace, job, cluster, name, path) (elasticsearch_filesystem_data_available_bytes${job})\n    / on (namespace, job, cluster, name, path)\n  max by (namespace, job, cluster, name, path) (elasticsearch_filesystem_data_size_bytes${job})\n)`;
  return [
    {
      alert: 'ElasticsearchClusterRed', expr: status('red'), for: '2m', severity: Severity.CRITICAL, labels,
      summary: 'Elasticsearch cluster {{ $labels.cluster }} is red',
      description: 'At least one primary shard is unassigned: some log indices cannot be written or searched. Check GET _cluster/allocation/explain.',
    },
    {
      alert: 'ElasticsearchClusterYellow', expr: status('yellow'), for: '20m', severity: Severity.WARNING, labels,
      summary: 'Elasticsearch cluster {{ $labels.cluster }} has been yellow for 20 minutes',
      description: 'Replica shards are unassigned: one more node loss can lose data. A restart or relocation that lasts this long is stuck; check GET _cluster/allocation/explain.',
    },
    {
      alert: 'ElasticsearchDiskWatermarkLow', expr: `${used}\n  > ${ES_WATERMARK.low}`, for: '5m', severity: Severity.WARNING, labels,
      summary: 'Elasticsearch node {{ $labels.name }} has used {{ $value | humanizePercentage }} of its data disk',
      description: `Above the low disk watermark (${pct(ES_WATERMARK.low)}) Elasticsearch allocates no new shards to the node; tomorrow's indices may stay unassigned. Expand the volume or shorten the lifecycle.`,
    },
    {
      alert: 'ElasticsearchDiskWatermarkHigh', expr: `${used}\n  > ${ES_WATERMARK.high}`, for: '5m', severity: Severity.CRITICAL, labels,
      summary: 'Elasticsearch node {{ $labels.name }} has used {{ $value | humanizePercentage }} of its data disk',
      description: `Above the high disk watermark (${pct(ES_WATERMARK.high)}) Elasticsearch moves shards off the node, and at 95% it makes indices read-only: log ingestion stops. Expand the volume or delete old indices now.`,
    },
  ];
}

/** Logstash's pipelines, from the logstash-exporter sidecar's series (job `job`). */
function logstashRules(job: string, labels: Record<string, string>): AlertRule[] {
  const by = 'namespace, job, pod, pipeline';
  return [
    {
      alert: 'LogstashDown', expr: `max by (namespace, job, pod) (logstash_info_up${job}) == 0`, for: '5m', severity: Severity.CRITICAL, labels,
      summary: 'Logstash in {{ $labels.pod }} does not answer its monitoring API',
      description: 'The exporter beside Logstash cannot read its node stats: Logstash is hung or restarting, and the log shippers are backing up.',
    },
    {
      alert: 'LogstashPipelineStalled',
      expr: `sum by (${by}) (rate(logstash_stats_pipeline_events_in${job}[5m])) > 0\nand on (${by})\nsum by (${by}) (rate(logstash_stats_pipeline_events_out${job}[5m])) == 0`,
      for: '10m', severity: Severity.CRITICAL, labels,
      summary: 'Logstash pipeline {{ $labels.pipeline }} in {{ $labels.pod }} takes events in but sends none out',
      description: 'For 10 minutes events have entered the pipeline and none have left it: the Elasticsearch output is blocked (cluster red, disk watermark, credentials). Logs are queuing on the nodes.',
    },
    {
      alert: 'LogstashEventFailures',
      expr: `sum by (${by}, plugin_id) (rate(logstash_stats_pipeline_plugin_documents_non_retryable_failures${job}[5m])) > 0`,
      for: '5m', severity: Severity.WARNING, labels,
      summary: 'Elasticsearch rejects documents from Logstash pipeline {{ $labels.pipeline }} in {{ $labels.pod }}',
      description: 'Documents fail with non-retryable errors (mapping conflicts, invalid fields) and are dropped. Read the Logstash log for the rejected documents and fix the index template or the parsing.',
    },
  ];
}

/** The OpenTelemetry Collector's own telemetry (job `job`, its `metrics` port). */
function otelCollectorRules(job: string, labels: Record<string, string>, queueOfCapacity: number): AlertRule[] {
  const queue = (metric: string) => `max by (namespace, job, pod, exporter) (otelcol_exporter_queue_${metric}${job})`;
  return [
    {
      alert: 'OtelcolExporterSendFailed',
      expr: `sum by (namespace, job, pod, exporter) (rate(${nameMatch(job, 'otelcol_exporter_send_failed_(spans|metric_points|log_records)_total')}[5m])) > 0`,
      for: '10m', severity: Severity.WARNING, labels,
      summary: 'Collector {{ $labels.pod }} fails to send through {{ $labels.exporter }}',
      description: 'For 10 minutes the exporter has failed to deliver data to its backend (Jaeger): once retries run out, traces are dropped. Check the backend and the network path.',
    },
    {
      alert: 'OtelcolReceiverRefused',
      expr: `sum by (namespace, job, pod, receiver) (rate(${nameMatch(job, 'otelcol_receiver_refused_(spans|metric_points|log_records)_total')}[5m])) > 0`,
      for: '10m', severity: Severity.WARNING, labels,
      summary: 'Collector {{ $labels.pod }} refuses data on {{ $labels.receiver }}',
      description: 'The collector turns senders away, usually because the memory limiter is above its limit: applications retry and then drop telemetry. Scale the collector out or raise its memory.',
    },
    {
      alert: 'OtelcolExporterQueueNearCapacity',
      expr: `${queue('size')}\n  / on (namespace, job, pod, exporter)\n${queue('capacity')}\n  > ${queueOfCapacity}`,
      for: '5m', severity: Severity.WARNING, labels,
      summary: 'The sending queue of {{ $labels.exporter }} in {{ $labels.pod }} is {{ $value | humanizePercentage }} full',
      description: `Above ${pct(queueOfCapacity)} of the queue for 5 minutes: the backend is slower than the intake. A full queue drops new batches.`,
    },
  ];
}

/** A selector with extra matchers appended, e.g. `{namespace="x", job="y", color="red"}`. */
function withMatchers(selector: string, matchers: Record<string, string>): string {
  return `${selector.slice(0, -1)}, ${sel(matchers).slice(1)}`;
}

/** A selector on a metric-name regex, e.g. `{__name__=~"a_(b|c)_total", namespace="x", job="y"}`. */
function nameMatch(selector: string, nameRegex: string): string {
  return `{__name__=~${quote(nameRegex)}, ${selector.slice(1)}`;
}

/** The names a workload's pods get: PromQL regexes are anchored, so this matches only its pods. */
export function podPattern(name: string, kind: WorkloadKind): string {
  switch (kind) {
    case 'StatefulSet': return `${name}-[0-9]+`;
    case 'DaemonSet': return `${name}-[a-z0-9]{5}`;
    case 'Job': return `${name}-[a-z0-9]{5}`;
    case 'CronJob': return `${name}-[0-9]+-[a-z0-9]{5}`;
    default: return `${name}-[a-z0-9]+-[a-z0-9]{5}`;
  }
}

/** A label selector `{a="x", b=~"y"}`: values starting with `=~` are regex matches. */
function sel(matchers: Record<string, string>): string {
  const parts = Object.entries(matchers).map(([k, v]) => (v.startsWith('=~') ? `${k}=~${quote(v.slice(2))}` : `${k}=${quote(v)}`));
  return `{${parts.join(', ')}}`;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

function withContainer(selector: string): string {
  return `${selector.slice(0, -1)}, container!="", container!="POD"}`;
}

function withResource(selector: string, resource: string): string {
  return `${selector.slice(0, -1)}, resource="${resource}"}`;
}

function memoryExpr(pods: string, threshold: number): string {
  return `sum by (namespace, pod, container) (container_memory_working_set_bytes${withContainer(pods)})\n  /\nsum by (namespace, pod, container) (kube_pod_container_resource_limits${withResource(pods, 'memory')})\n  > ${threshold}`;
}

function pct(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/** CPU, memory (not for PostgreSQL, which sizes its own memory) and crash loops of a component's pods. */
function podRules(c: AlertedComponent, pods: string, labels: Record<string, string>, t: { cpuOfLimit: number; memoryOfLimit: number }): AlertRule[] {
  const rules: AlertRule[] = [];
  rules.push({
    alert: 'HighCPUUsage',
    expr: `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total${withContainer(pods)}[5m]))\n  /\nsum by (namespace, pod, container) (kube_pod_container_resource_limits${withResource(pods, 'cpu')})\n  > ${t.cpuOfLimit}`,
    for: '10m', severity: Severity.WARNING, labels,
    summary: `${c.name} container {{ $labels.container }} in {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its CPU limit`,
    description: `Above ${pct(t.cpuOfLimit)} of the CPU limit for 10 minutes: it is being throttled. Scale out or raise the limit.`,
  });
  if (c.role !== 'postgres') {
    rules.push({
      alert: 'HighMemoryUsage', expr: memoryExpr(pods, t.memoryOfLimit), for: '5m', severity: Severity.WARNING, labels,
      summary: `${c.name} container {{ $labels.container }} in {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit`,
      description: `Above ${pct(t.memoryOfLimit)} of the memory limit for 5 minutes; the OOM killer restarts it next.`,
    });
  }
  rules.push({
    alert: 'PodCrashLooping',
    expr: `max by (namespace, pod, container) (max_over_time(kube_pod_container_status_waiting_reason${sel({ namespace: c.namespace, pod: `=~${podPattern(c.workloadName ?? c.name, c.workloadKind ?? 'Deployment')}`, reason: 'CrashLoopBackOff' })}[5m]))\n  >= 1`,
    for: '15m', severity: Severity.WARNING, labels,
    summary: `${c.name} container {{ $labels.container }} in {{ $labels.pod }} is crash-looping`,
    description: 'The container has been in CrashLoopBackOff for 15 minutes; read its previous logs (kubectl logs --previous).',
  });
  return rules;
}
