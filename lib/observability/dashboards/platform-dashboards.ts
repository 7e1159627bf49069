// The platform's dashboards, built with the Grafana foundation SDK. Every query reads the same
// series the alert rules read, with the labels both monitoring modes give them.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { podPattern, type WorkloadKind } from '../metrics/platform-alerts';
import { choiceVariable, datasourceVariable, row, statPanel, timeSeriesPanel } from './prometheus-panels';

/** A scraped component a dashboard shows. */
export interface DashboardTarget {
  /** Component name. */
  readonly name: string;
  readonly namespace: string;
  /** The `job` label of its metrics. */
  readonly job: string;
}

/** A workload whose pods a dashboard shows. */
export interface DashboardWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly kind: WorkloadKind;
}

export interface PlatformDashboardsProps {
  /** Platform name, e.g. `atlas`: prefixes titles and uids. */
  readonly platform: string;
  readonly environment: string;
  /** Web services with HTTP metrics. */
  readonly webServices: readonly DashboardTarget[];
  /** Every workload of the platform. */
  readonly workloads: readonly DashboardWorkload[];
  /** PostgreSQL servers with an exporter. @default none */
  readonly postgres?: readonly DashboardTarget[];
  /** Redis servers with an exporter. @default none */
  readonly redis?: readonly DashboardTarget[];
  /** Names of the HTTP metrics and labels. */
  readonly http: { readonly requests: string; readonly duration: string; readonly statusLabel: string; readonly routeLabel: string };
}

/** One dashboard, as Grafana's JSON model, and the file name it is provisioned under. */
export interface BuiltDashboard {
  /** Short name, e.g. `api-performance`: the ConfigMap key is `<name>.json`. */
  readonly name: string;
  readonly uid: string;
  readonly title: string;
  readonly model: dashboard.Dashboard;
}

/** The dashboards of a platform: API, infrastructure, autoscaling, and one per data store kind present. */
export function platformDashboards(props: PlatformDashboardsProps): BuiltDashboard[] {
  const out: BuiltDashboard[] = [];
  const make = (name: string, title: string, build: (d: dashboard.DashboardBuilder) => void) => {
    // Grafana uids are at most 40 characters.
    const uid = `${props.platform}-${props.environment}-${name}`.slice(0, 40).replace(/-+$/, '');
    const fullTitle = `${props.platform} ${props.environment} / ${title}`;
    const builder = new dashboard.DashboardBuilder(fullTitle)
      .uid(uid)
      .tags([props.platform, props.environment, 'stackwright'])
      .timezone('browser')
      .refresh('30s')
      .time({ from: 'now-6h', to: 'now' })
      .tooltip(dashboard.DashboardCursorSync.Crosshair)
      .readonly()
      .withVariable(datasourceVariable());
    build(builder);
    out.push({ name, uid, title: fullTitle, model: builder.build() });
  };
  // Each dashboard reads only the namespaces its subjects run in.
  const nsOf = (items: readonly { readonly namespace: string }[]) => `namespace=~"${[...new Set(items.map((i) => i.namespace))].sort().join('|')}"`;

  if (props.webServices.length > 0) {
    const { requests, duration, statusLabel, routeLabel } = props.http;
    const nsMatch = nsOf(props.webServices);
    const sel = `${nsMatch}, job=~"$service"`;
    make('api-performance', 'API performance', (d) => {
      d.withVariable(choiceVariable('service', 'Service', props.webServices.map((s) => s.job)))
        .withRow(row('Traffic'))
        .withPanel(timeSeriesPanel('Request rate by route', 'Requests per second, per service and route.', 'reqps', [
          { expr: `sum by (job, ${routeLabel}) (rate(${requests}{${sel}}[$__rate_interval]))`, legend: `{{job}} {{${routeLabel}}}` },
        ]))
        .withPanel(timeSeriesPanel('5xx error ratio', 'Share of requests answered with a server error; HighErrorRate fires above 5% for 5 minutes.', 'percentunit', [
          { expr: `sum by (job) (rate(${requests}{${sel}, ${statusLabel}=~"5.."}[$__rate_interval]))\n/\nsum by (job) (rate(${requests}{${sel}}[$__rate_interval]))`, legend: '{{job}}' },
        ]))
        .withRow(row('Latency'))
        .withPanel(timeSeriesPanel('p95 latency', '95th percentile of response times; HighResponseTime fires above 1s for 5 minutes.', 's', [
          { expr: `histogram_quantile(0.95, sum by (job, le) (rate(${duration}_bucket{${sel}}[$__rate_interval])))`, legend: '{{job}}' },
        ]))
        .withPanel(timeSeriesPanel('p99 latency', '99th percentile of response times.', 's', [
          { expr: `histogram_quantile(0.99, sum by (job, le) (rate(${duration}_bucket{${sel}}[$__rate_interval])))`, legend: '{{job}}' },
        ]))
        .withRow(row('Capacity'))
        .withPanel(timeSeriesPanel('Ready pods', 'Pods passing their readiness probe, per Deployment.', 'short', [
          { expr: `sum by (deployment) (kube_deployment_status_replicas_available{${nsMatch}, deployment=~"$service"})`, legend: '{{deployment}} ready' },
          { expr: `sum by (deployment) (kube_deployment_spec_replicas{${nsMatch}, deployment=~"$service"})`, legend: '{{deployment}} desired' },
        ], 24));
    });
  }

  if (props.workloads.length > 0) {
    const nsMatch = nsOf(props.workloads);
    const podRegex = props.workloads.map((w) => podPattern(w.name, w.kind)).join('|');
    const pods = `${nsMatch}, pod=~"${podRegex}"`;
    make('infrastructure', 'Infrastructure', (d) => {
      d.withRow(row('CPU and memory'))
        .withPanel(timeSeriesPanel('CPU use of limit', 'CPU used per container as a share of its limit; HighCPUUsage fires above 80% for 10 minutes.', 'percentunit', [
          { expr: `sum by (pod, container) (rate(container_cpu_usage_seconds_total{${pods}, container!="", container!="POD"}[$__rate_interval]))\n/\nsum by (pod, container) (kube_pod_container_resource_limits{${pods}, resource="cpu"})`, legend: '{{pod}} {{container}}' },
        ]))
        .withPanel(timeSeriesPanel('Memory use of limit', 'Working set per container as a share of its limit; HighMemoryUsage fires above 90% for 5 minutes.', 'percentunit', [
          { expr: `sum by (pod, container) (container_memory_working_set_bytes{${pods}, container!="", container!="POD"})\n/\nsum by (pod, container) (kube_pod_container_resource_limits{${pods}, resource="memory"})`, legend: '{{pod}} {{container}}' },
        ]))
        .withRow(row('Network and restarts'))
        .withPanel(timeSeriesPanel('Network received', 'Bytes received per pod.', 'Bps', [
          { expr: `sum by (pod) (rate(container_network_receive_bytes_total{${pods}}[$__rate_interval]))`, legend: '{{pod}}' },
        ], 8))
        .withPanel(timeSeriesPanel('Network sent', 'Bytes sent per pod.', 'Bps', [
          { expr: `sum by (pod) (rate(container_network_transmit_bytes_total{${pods}}[$__rate_interval]))`, legend: '{{pod}}' },
        ], 8))
        .withPanel(timeSeriesPanel('Container restarts', 'Restarts per container in the last hour; PodCrashLooping fires after 15 minutes in CrashLoopBackOff.', 'short', [
          { expr: `sum by (pod, container) (increase(kube_pod_container_status_restarts_total{${pods}}[1h]))`, legend: '{{pod}} {{container}}' },
        ], 8));
    });
    make('autoscaling', 'Autoscaling', (d) => {
      d.withRow(row('Replicas against autoscaler bounds'))
        .withPanel(timeSeriesPanel('Replicas vs. bounds', 'Current and desired replicas of each autoscaler against its minimum and maximum; HPAAtMaxReplicas fires after 15 minutes at the maximum.', 'short', [
          { expr: `max by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{${nsMatch}})`, legend: '{{horizontalpodautoscaler}} current' },
          { expr: `max by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_desired_replicas{${nsMatch}})`, legend: '{{horizontalpodautoscaler}} desired' },
          { expr: `max by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_min_replicas{${nsMatch}})`, legend: '{{horizontalpodautoscaler}} min' },
          { expr: `max by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{${nsMatch}})`, legend: '{{horizontalpodautoscaler}} max' },
        ], 24))
        .withPanel(timeSeriesPanel('Pods per workload', 'Running pods of every workload, autoscaled or not.', 'short', [
          { expr: `sum by (deployment) (kube_deployment_status_replicas{${nsMatch}})`, legend: '{{deployment}}' },
          { expr: `sum by (statefulset) (kube_statefulset_status_replicas{${nsMatch}})`, legend: '{{statefulset}}' },
        ], 24));
    });
  }

  const postgres = props.postgres ?? [];
  if (postgres.length > 0) {
    const sel = `${nsOf(postgres)}, job=~"$server"`;
    make('postgresql', 'PostgreSQL', (d) => {
      d.withVariable(choiceVariable('server', 'Server', postgres.map((p) => p.job)))
        .withRow(row('Availability'))
        .withPanel(statPanel('Accepting connections', 'pg_up: 1 when the exporter can connect.', 'short', { expr: `min(pg_up{${sel}})`, legend: 'up' }, { red: 1, redWhenBelow: true }))
        .withPanel(statPanel('Connections used', 'Backends as a share of max_connections.', 'percentunit', {
          expr: `max(sum by (pod) (pg_stat_database_numbackends{${sel}}) / on (pod) max by (pod) (pg_settings_max_connections{${sel}}))`, legend: 'used',
        }, { red: 0.8 }))
        .withRow(row('Load'))
        .withPanel(timeSeriesPanel('Connections', 'Backends per database against max_connections.', 'short', [
          { expr: `sum by (pod, datname) (pg_stat_database_numbackends{${sel}})`, legend: '{{pod}} {{datname}}' },
          { expr: `max by (pod) (pg_settings_max_connections{${sel}})`, legend: '{{pod}} max_connections' },
        ]))
        .withPanel(timeSeriesPanel('Transactions', 'Commits and rollbacks per second.', 'ops', [
          { expr: `sum by (pod) (rate(pg_stat_database_xact_commit{${sel}}[$__rate_interval]))`, legend: '{{pod}} commits' },
          { expr: `sum by (pod) (rate(pg_stat_database_xact_rollback{${sel}}[$__rate_interval]))`, legend: '{{pod}} rollbacks' },
        ]))
        .withPanel(timeSeriesPanel('Database size', 'On-disk size per database.', 'bytes', [
          { expr: `max by (datname) (pg_database_size_bytes{${sel}})`, legend: '{{datname}}' },
        ]))
        .withPanel(timeSeriesPanel('Deadlocks and conflicts', 'Deadlocks and recovery conflicts per second.', 'ops', [
          { expr: `sum by (pod) (rate(pg_stat_database_deadlocks{${sel}}[$__rate_interval]))`, legend: '{{pod}} deadlocks' },
          { expr: `sum by (pod) (rate(pg_stat_database_conflicts{${sel}}[$__rate_interval]))`, legend: '{{pod}} conflicts' },
        ]));
    });
  }

  const redis = props.redis ?? [];
  if (redis.length > 0) {
    const sel = `${nsOf(redis)}, job=~"$server"`;
    make('redis', 'Redis', (d) => {
      d.withVariable(choiceVariable('server', 'Server', redis.map((r) => r.job)))
        .withRow(row('Availability'))
        .withPanel(statPanel('Up', 'redis_up: 1 when the exporter can connect.', 'short', { expr: `min(redis_up{${sel}})`, legend: 'up' }, { red: 1, redWhenBelow: true }))
        .withPanel(statPanel('Memory of maxmemory', 'Used memory as a share of maxmemory.', 'percentunit', {
          expr: `max(redis_memory_used_bytes{${sel}} / (redis_memory_max_bytes{${sel}} > 0))`, legend: 'used',
        }, { red: 0.9 }))
        .withRow(row('Load'))
        .withPanel(timeSeriesPanel('Clients', 'Connected clients against maxclients.', 'short', [
          { expr: `max by (pod) (redis_connected_clients{${sel}})`, legend: '{{pod}} clients' },
          { expr: `max by (pod) (redis_config_maxclients{${sel}})`, legend: '{{pod}} maxclients' },
        ]))
        .withPanel(timeSeriesPanel('Commands', 'Commands processed per second.', 'ops', [
          { expr: `sum by (pod) (rate(redis_commands_processed_total{${sel}}[$__rate_interval]))`, legend: '{{pod}}' },
        ]))
        .withPanel(timeSeriesPanel('Memory', 'Used memory against maxmemory.', 'bytes', [
          { expr: `max by (pod) (redis_memory_used_bytes{${sel}})`, legend: '{{pod}} used' },
          { expr: `max by (pod) (redis_memory_max_bytes{${sel}})`, legend: '{{pod}} max' },
        ]))
        .withPanel(timeSeriesPanel('Hit ratio', 'Keyspace hits as a share of lookups.', 'percentunit', [
          { expr: `sum by (pod) (rate(redis_keyspace_hits_total{${sel}}[$__rate_interval]))\n/\n(sum by (pod) (rate(redis_keyspace_hits_total{${sel}}[$__rate_interval])) + sum by (pod) (rate(redis_keyspace_misses_total{${sel}}[$__rate_interval])))`, legend: '{{pod}}' },
        ]));
    });
  }
  return out;
}
