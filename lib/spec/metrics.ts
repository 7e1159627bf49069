import * as z from 'zod';
import { isQualifiedName, isLabelValue } from '../core/names';
import { egressRuleSchema } from './data';
import { byteQuantity, cpuQuantity, dnsLabel, pinnedImage } from './primitives';

/** A Prometheus duration such as 15s, 5m or 30d. */
const promDuration = z.string().refine((v) => /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/.test(v) && /[1-9]/.test(v), {
  error: 'expected a Prometheus duration such as "15s", "5m" or "30d"',
});

/** Kubernetes labels: keys and values the API server accepts. */
const labels = z.record(
  z.string().refine(isQualifiedName, { error: 'expected a label key: an optional DNS prefix and "/", then at most 63 of [A-Za-z0-9-_.]' }),
  z.string().refine(isLabelValue, { error: 'expected a label value: at most 63 of [A-Za-z0-9-_.], starting and ending alphanumeric' }),
);

/** A Prometheus metric or label name. */
const promName = z.string().refine((v) => /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(v), { error: 'expected a Prometheus metric or label name ([a-zA-Z_:][a-zA-Z0-9_:]*)' });

const resources = (request: [string, string], limit: [string, string]) =>
  z
    .strictObject({
      requests: z.strictObject({ cpu: cpuQuantity, memory: byteQuantity }),
      limits: z.strictObject({ cpu: cpuQuantity, memory: byteQuantity }),
    })
    .default({ requests: { cpu: request[0], memory: request[1] }, limits: { cpu: limit[0], memory: limit[1] } });

/** A key of a Secret the cluster operator creates; Stackwright only references it. */
const secretKey = (name: string, key: string) =>
  z.strictObject({
    name: dnsLabel.default(name),
    key: z.string().refine((v) => /^[-._a-zA-Z0-9]+$/.test(v) && v.length <= 253, { error: 'expected a Secret key: letters, digits, "-", "_" and "."' }).default(key),
  }).prefault({});

export const metricsSchema = z.strictObject({
  /**
   * `operator` emits ServiceMonitors, a PrometheusRule and sidecar-labelled dashboards for the
   * cluster's Prometheus Operator; `standalone` deploys Prometheus, Alertmanager, kube-state-metrics
   * and Grafana; `auto` picks operator when `cluster.capabilities.prometheusOperator` is set.
   */
  mode: z.enum(['auto', 'operator', 'standalone']).default('auto'),
  /** How often every target is scraped. */
  scrapeInterval: promDuration.default('15s'),
  /** How often rules are evaluated (standalone Prometheus). */
  evaluationInterval: promDuration.default('30s'),
  /** Base URL of the runbooks: each alert links `<base>/<alert name in lowercase>`. */
  runbookBaseUrl: z.string().refine((v) => URL.canParse(v) && new URL(v).protocol === 'https:', { error: 'expected an https:// URL' }).optional(),
  /** Names of the HTTP metrics the web services expose (Prometheus client conventions by default). */
  http: z
    .strictObject({
      requests: promName.default('http_requests_total'),
      duration: promName.default('http_request_duration_seconds'),
      statusLabel: promName.default('code'),
      routeLabel: promName.default('route'),
    })
    .prefault({}),
  /** Operator mode: the label selectors the cluster's Prometheus and Grafana expect. */
  operator: z
    .strictObject({
      /** Labels the Prometheus `serviceMonitorSelector`/`podMonitorSelector` match. */
      monitorLabels: labels.default({ release: 'kube-prometheus-stack' }),
      /** Labels the Prometheus `ruleSelector` matches. */
      ruleLabels: labels.default({ release: 'kube-prometheus-stack' }),
      /** Label the Grafana dashboard sidecar looks for (`sidecar.dashboards.label`/`labelValue`). */
      dashboardLabels: labels.default({ grafana_dashboard: '1' }),
      /** Annotation naming the folder a dashboard goes in (`sidecar.dashboards.folderAnnotation`). */
      folderAnnotation: z.string().default('grafana_folder'),
      /** Namespace the sidecar watches for dashboards; defaults to `cluster.prometheus.namespace`. */
      dashboardNamespace: dnsLabel.optional(),
    })
    .prefault({}),
  /** Standalone mode: Prometheus itself. */
  prometheus: z
    .strictObject({
      image: pinnedImage.default('quay.io/prometheus/prometheus:v3.5.0'),
      /** How long samples are kept; defaults to 30d on production platforms and 15d elsewhere. */
      retention: promDuration.optional(),
      /** Size of the data volume. */
      storage: byteQuantity.default('20Gi'),
      /** StorageClass of the data volume; the cluster default when absent. */
      storageClassName: dnsLabel.optional(),
      resources: resources(['250m', '1Gi'], ['1', '2Gi']),
    })
    .prefault({}),
  /** Standalone mode: Alertmanager and where notifications go. */
  alertmanager: z
    .strictObject({
      image: pinnedImage.default('quay.io/prometheus/alertmanager:v0.28.1'),
      storage: byteQuantity.default('1Gi'),
      storageClassName: dnsLabel.optional(),
      resources: resources(['50m', '64Mi'], ['200m', '128Mi']),
      /** Slack notifications for warnings and criticals; the webhook URL is read from a Secret file. */
      slack: z.strictObject({ channel: z.string().refine((v) => /^#[a-z0-9][a-z0-9_-]*$/.test(v), { error: 'expected a Slack channel such as "#alerts"' }), webhookUrl: secretKey('alertmanager-receivers', 'slack-webhook-url') }).optional(),
      /** PagerDuty pages for criticals; the Events v2 routing key is read from a Secret file. */
      pagerduty: z.strictObject({ routingKey: secretKey('alertmanager-receivers', 'pagerduty-routing-key') }).optional(),
      /**
       * Where the receivers are, for Alertmanager's egress network policy (Slack's and PagerDuty's
       * HTTPS APIs publish no stable address ranges: typically 0.0.0.0/0 on 443, less the cluster's
       * own networks, which are excepted anyway). Required with a receiver when network policies are on.
       */
      egress: z.array(egressRuleSchema).default([]),
    })
    .prefault({}),
  /** Standalone mode: kube-state-metrics, for the pod, workload and autoscaler alerts. */
  kubeStateMetrics: z
    .strictObject({
      image: pinnedImage.default('registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.16.0'),
      resources: resources(['20m', '64Mi'], ['200m', '128Mi']),
    })
    .prefault({}),
  /** Standalone mode: Grafana with the platform's data sources and dashboards provisioned. */
  grafana: z
    .strictObject({
      image: pinnedImage.default('docker.io/grafana/grafana:12.1.1'),
      resources: resources(['50m', '128Mi'], ['500m', '256Mi']),
      /** Secret with the admin user name and password (keys `admin-user`, `admin-password`). */
      adminSecret: dnsLabel.default('grafana-admin'),
    })
    .prefault({}),
});

export type MetricsSpec = z.output<typeof metricsSchema>;
