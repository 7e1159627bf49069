// The logs-and-traces part of the spec: Elasticsearch, its lifecycle policy, Logstash, Kibana, the
// node log shipper, Jaeger and the OpenTelemetry Collector gateway.
import * as z from 'zod';
import { vpaSchema } from './autoscaling';
import { byteQuantity, cpuQuantity, dnsLabel, hostname, pinnedImage, positiveInt } from './primitives';

const resources = (requests: { cpu: string; memory: string }, limits: { cpu: string; memory: string }) =>
  z
    .strictObject({
      requests: z.strictObject({ cpu: cpuQuantity, memory: byteQuantity }),
      limits: z.strictObject({ cpu: cpuQuantity, memory: byteQuantity }),
    })
    .default({ requests, limits });

/** Elastic Stack images share one version so the wire protocols and index formats match. */
export const ELASTIC_VERSION = '9.4.1';

export const elasticsearchSchema = z.strictObject({
  /** `statefulset`: Stackwright's own StatefulSet; `eck`: an ECK `Elasticsearch` resource (needs `cluster.capabilities.eck`). */
  provider: z.enum(['statefulset', 'eck']).default('statefulset'),
  /** Elasticsearch image (8.x or 9.x), pinned. */
  image: pinnedImage.default(`docker.elastic.co/elasticsearch/elasticsearch:${ELASTIC_VERSION}`),
  /** Master-eligible data nodes: 1 (no redundancy) or 3 and more (a quorum survives one loss). */
  nodes: positiveInt.max(15).default(1),
  /** Per node; the JVM heap is half the memory limit (at most 31Gi, so compressed pointers stay on). */
  resources: resources({ cpu: '500m', memory: '2Gi' }, { cpu: '1', memory: '2Gi' }),
  /** Data volume per node. */
  storage: z
    .strictObject({
      size: byteQuantity.default('10Gi'),
      /** StorageClass of the data volumes; defaults to `fast-ssd` on cloud providers and the cluster default on `local`. */
      storageClass: dnsLabel.optional(),
    })
    .prefault({}),
  /** prometheus-community elasticsearch_exporter image, pinned: cluster health, JVM and disk metrics for Prometheus. */
  exporterImage: pinnedImage.default('quay.io/prometheuscommunity/elasticsearch-exporter:v1.9.0'),
  /** Secret with the users' passwords: keys `elastic`, `kibana_system`, `remote_monitoring_user`, `logstash_internal`, `grafana`, `jaeger`. */
  credentialsSecret: dnsLabel.default('elasticsearch-credentials'),
  /** Secret with the node certificate (`tls.crt`, `tls.key`, `ca.crt`) for transport and HTTP TLS, e.g. written by cert-manager. */
  tlsSecret: dnsLabel.default('elasticsearch-tls'),
});

export const logLifecycleSchema = z.strictObject({
  /** Name of the ILM policy, the index template and the rollover alias; defaults to `<platform>-logs`. */
  name: dnsLabel.optional(),
  /** Days an index stays hot (written to, full replicas) after rollover. */
  hotDays: positiveInt.max(365).default(7),
  /** Days after rollover when an index is deleted. */
  deleteDays: positiveInt.max(3650).default(30),
  /** Roll over to a new index at this age or primary shard size, whichever comes first. */
  rolloverMaxAgeDays: positiveInt.max(30).default(1),
  rolloverMaxPrimaryShardSizeGb: positiveInt.max(200).default(50),
});

export const logstashSchema = z.strictObject({
  image: pinnedImage.default(`docker.elastic.co/logstash/logstash:${ELASTIC_VERSION}`),
  replicas: positiveInt.max(20).default(1),
  /** The JVM heap is half the memory limit. */
  resources: resources({ cpu: '250m', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }),
  /** kuskoman/logstash-exporter image, pinned: a sidecar serving each pod's pipeline metrics for Prometheus. */
  exporterImage: pinnedImage.default('ghcr.io/kuskoman/logstash-exporter:v1.9.1'),
});

export const kibanaSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Pinned Kibana image, the Elasticsearch version; with the `eck` provider, an ECK `Kibana` resource runs it. */
  image: pinnedImage.default(`docker.elastic.co/kibana/kibana:${ELASTIC_VERSION}`),
  replicas: positiveInt.max(10).default(1),
  resources: resources({ cpu: '250m', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }),
  /** Secret with `encryptionKey` (32+ characters) for saved objects, reports and sessions. */
  encryptionKeySecret: dnsLabel.default('kibana-encryption-key'),
  /** Outside access through the cluster's ingress controller; absent means reachable only inside the cluster. */
  exposure: z
    .strictObject({
      host: hostname,
      /** Secret with the TLS certificate for the host; cert-manager fills it when installed. */
      tlsSecret: dnsLabel.default('kibana-tls'),
    })
    .optional(),
});

export const logShipperSchema = z.strictObject({
  /** Filebeat image, pinned to the Elastic Stack version (speaks the Beats protocol Logstash reads on 5044). */
  image: pinnedImage.default(`docker.elastic.co/beats/filebeat:${ELASTIC_VERSION}`),
  resources: resources({ cpu: '100m', memory: '128Mi' }, { cpu: '500m', memory: '256Mi' }),
});

export const logsSchema = z.strictObject({
  /** Ship, process and store container logs. */
  enabled: z.boolean().default(true),
  elasticsearch: elasticsearchSchema.prefault({}),
  lifecycle: logLifecycleSchema.prefault({}),
  logstash: logstashSchema.prefault({}),
  kibana: kibanaSchema.prefault({}),
  shipper: logShipperSchema.prefault({}),
});

export const jaegerSchema = z.strictObject({
  /** Jaeger v2 image, pinned. */
  image: pinnedImage.default('jaegertracing/jaeger:2.11.0'),
  /** `all-in-one`: one pod keeping traces in memory (lost on restart); `elasticsearch`: collector and query Deployments on the logs Elasticsearch. */
  storage: z.enum(['all-in-one', 'elasticsearch']).default('all-in-one'),
  /** Traces kept in memory by the all-in-one. */
  maxTraces: positiveInt.max(1_000_000).default(50_000),
  /** Days of span indices kept in Elasticsearch (a daily CronJob deletes older ones). */
  retentionDays: positiveInt.max(90).default(7),
  /** Replicas of the collector and of the query Deployment with Elasticsearch storage. */
  replicas: positiveInt.max(20).default(1),
  resources: resources({ cpu: '100m', memory: '256Mi' }, { cpu: '500m', memory: '512Mi' }),
});

export const otelCollectorSchema = z.strictObject({
  /** `deployment`: Stackwright's gateway Deployment; `operator`: an `OpenTelemetryCollector` resource (needs `cluster.capabilities.opentelemetryOperator`). */
  provider: z.enum(['deployment', 'operator']).default('deployment'),
  /** The contrib distribution: it carries the probabilistic sampler and the Prometheus exporter. */
  image: pinnedImage.default('otel/opentelemetry-collector-contrib:0.139.0'),
  replicas: positiveInt.max(20).default(1),
  resources: resources({ cpu: '100m', memory: '256Mi' }, { cpu: '500m', memory: '512Mi' }),
});

export const tracesSchema = z.strictObject({
  /** Receive, sample and store traces; apps get the OpenTelemetry SDK settings. */
  enabled: z.boolean().default(true),
  /** Share of traces kept, from 0 to 1; defaults to 0.1 in production environments and 1 elsewhere. */
  samplingRatio: z.number().min(0).max(1).optional(),
  collector: otelCollectorSchema.prefault({}),
  jaeger: jaegerSchema.prefault({}),
});

export const telemetrySchema = z.strictObject({
  /** Namespace of the logs and traces stack; defaults to `<platform namespace>-telemetry`. */
  namespace: dnsLabel.optional(),
  /** Namespace of the log shipper, a reasoned Pod Security exception; defaults to `<platform namespace>-log-shipper`. */
  shipperNamespace: dnsLabel.optional(),
  logs: logsSchema.prefault({}),
  traces: tracesSchema.prefault({}),
  /** A VerticalPodAutoscaler for every long-running workload of the stack (needs `cluster.capabilities.vpa`); `Off` only recommends. */
  vpa: vpaSchema.optional(),
});

export type TelemetrySpec = z.output<typeof telemetrySchema>;
