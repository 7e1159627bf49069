// prometheus.yml for a standalone Prometheus, as data. Scraped series get the same labels a
// Prometheus Operator ServiceMonitor gives them (namespace, service, pod, container, endpoint, job),
// so one set of alert rules and dashboards works in both modes.

/** A component whose metrics port is scraped. */
export interface ScrapeTarget {
  /** Component name. */
  readonly name: string;
  readonly namespace: string;
  /** Port name serving metrics. */
  readonly port: string;
  /** @default '/metrics' */
  readonly path?: string;
  /** Its Service: endpoints of that Service are scraped; pods by selector when absent. */
  readonly serviceName?: string;
  /** Labels of its pods. */
  readonly selector: Readonly<Record<string, string>>;
  /** Scrape job name (one per component and port). @default `<namespace>/<name>` */
  readonly jobName?: string;
}

/** A fixed target inside the monitoring namespace, e.g. kube-state-metrics. */
export interface StaticScrapeTarget {
  readonly job: string;
  /** `host:port`. */
  readonly address: string;
  /** Keep the target's own `namespace`/`pod` labels (exporters about other objects). @default false */
  readonly honorLabels?: boolean;
}

export interface PrometheusConfigProps {
  /** @default '15s' */
  readonly scrapeInterval?: string;
  /** @default '30s' */
  readonly evaluationInterval?: string;
  /** Labels on every series and alert leaving this Prometheus, e.g. `environment`. */
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly targets: readonly ScrapeTarget[];
  readonly staticTargets: readonly StaticScrapeTarget[];
  /** Alertmanager addresses, `host:port`. */
  readonly alertmanagers: readonly string[];
  /** Rule file paths, relative to the config file. */
  readonly ruleFiles: readonly string[];
  /** Namespaces whose container and volume metrics are kept from the kubelets. */
  readonly kubeletNamespaces: readonly string[];
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The prometheus.yml object. */
export function prometheusConfig(props: PrometheusConfigProps): Record<string, unknown> {
  const jobs = new Set<string>();
  const claim = (job: string) => {
    if (jobs.has(job)) throw new Error(`scrape job "${job}" is defined twice`);
    jobs.add(job);
    return job;
  };
  const namespaces = [...new Set(props.kubeletNamespaces)].sort();
  const nsRegex = namespaces.map(escapeRegex).join('|');
  // Kubelet serving certificates are self-signed on most clusters (kind, k3s, kubeadm defaults).
  const kubeletTls = { ca_file: `${SA_DIR}/ca.crt`, insecure_skip_verify: true };
  return {
    global: {
      scrape_interval: props.scrapeInterval ?? '15s',
      scrape_timeout: '10s',
      evaluation_interval: props.evaluationInterval ?? '30s',
      external_labels: { ...props.externalLabels },
    },
    alerting: { alertmanagers: [{ static_configs: [{ targets: [...props.alertmanagers] }] }] },
    rule_files: [...props.ruleFiles],
    scrape_configs: [
      ...props.targets.map((t) => targetJob(t, claim(t.jobName ?? `${t.namespace}/${t.name}`))),
      ...props.staticTargets.map((s) => ({
        job_name: claim(s.job),
        ...(s.honorLabels ? { honor_labels: true } : {}),
        static_configs: [{ targets: [s.address] }],
      })),
      {
        job_name: claim('kubelet'),
        scheme: 'https',
        authorization: { credentials_file: `${SA_DIR}/token` },
        tls_config: kubeletTls,
        kubernetes_sd_configs: [{ role: 'node' }],
        relabel_configs: [{ source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' }],
        // Only the volume statistics the PVC alert needs, only for the platform's namespaces.
        metric_relabel_configs: [
          { source_labels: ['__name__'], regex: 'kubelet_volume_stats_(used|capacity|available)_bytes', action: 'keep' },
          { source_labels: ['namespace'], regex: nsRegex, action: 'keep' },
        ],
      },
      {
        job_name: claim('cadvisor'),
        scheme: 'https',
        metrics_path: '/metrics/cadvisor',
        authorization: { credentials_file: `${SA_DIR}/token` },
        tls_config: kubeletTls,
        kubernetes_sd_configs: [{ role: 'node' }],
        relabel_configs: [{ source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' }],
        // cAdvisor exposes thousands of series per node: keep what the alerts and dashboards read.
        metric_relabel_configs: [
          { source_labels: ['__name__'], regex: 'container_(cpu_usage_seconds_total|memory_working_set_bytes|network_(receive|transmit)_bytes_total|cpu_cfs_(throttled_)?periods_total)', action: 'keep' },
          { source_labels: ['namespace'], regex: nsRegex, action: 'keep' },
        ],
      },
    ],
  };
}

function targetJob(t: ScrapeTarget, jobName: string): Record<string, unknown> {
  const common = [
    { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
    { target_label: 'endpoint', replacement: t.port },
    { target_label: 'job', replacement: t.serviceName ?? t.name },
  ];
  if (t.serviceName) {
    return {
      job_name: jobName,
      metrics_path: t.path ?? '/metrics',
      scheme: 'http',
      kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: [t.namespace] } }],
      relabel_configs: [
        { source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'], regex: `${escapeRegex(t.serviceName)};${escapeRegex(t.port)}`, action: 'keep' },
        ...common.slice(0, 1),
        { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
        ...common.slice(1),
      ],
    };
  }
  const keys = Object.keys(t.selector).sort();
  return {
    job_name: jobName,
    metrics_path: t.path ?? '/metrics',
    scheme: 'http',
    kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [t.namespace] } }],
    relabel_configs: [
      {
        source_labels: [...keys.map((k) => `__meta_kubernetes_pod_label_${k.replace(/[^a-zA-Z0-9_]/g, '_')}`), '__meta_kubernetes_pod_container_port_name'],
        regex: [...keys.map((k) => escapeRegex(t.selector[k])), escapeRegex(t.port)].join(';'),
        action: 'keep',
      },
      { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Succeeded|Failed', action: 'drop' },
      ...common,
    ],
  };
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
