import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PodDisruptionBudget } from '../../autoscaling/pod-disruption-budget';
import { recommendedLabels } from '../../core/labels';
import { joinName } from '../../core/names';
import { AppDeployment, type AppPort } from '../../workloads/app-deployment';
import { configDigest, type ContainerResources } from '../logging/elasticsearch';
import { configYaml } from '../../core/config-yaml';

/** Where Jaeger keeps spans. Enum-like: `JaegerStorage.memory(50000)` or `JaegerStorage.elasticsearch({...})`. */
export class JaegerStorage {
  /** One all-in-one pod keeping the latest traces in memory: for development, lost on restart. */
  public static memory(maxTraces: number): JaegerStorage {
    if (!Number.isInteger(maxTraces) || maxTraces < 1) throw new Error(`maxTraces must be a whole number ≥ 1; received ${maxTraces}`);
    return new JaegerStorage('memory', maxTraces, undefined);
  }

  /** Separate collector and query Deployments on an Elasticsearch cluster. */
  public static elasticsearch(es: JaegerElasticsearch): JaegerStorage {
    return new JaegerStorage('elasticsearch', undefined, es);
  }

  private constructor(
    public readonly kind: 'memory' | 'elasticsearch',
    public readonly maxTraces: number | undefined,
    public readonly es: JaegerElasticsearch | undefined,
  ) {}
}

/** How Jaeger reaches Elasticsearch. */
export interface JaegerElasticsearch {
  /** HTTPS URL, e.g. https://elasticsearch.ns.svc:9200. */
  readonly url: string;
  /** Secret with the `jaeger` user's password (key `jaeger`). */
  readonly credentialsSecret: string;
  /** Secret with `ca.crt`. */
  readonly tlsSecret: string;
  /** Prefix of the span indices, e.g. `atlas-traces`. */
  readonly indexPrefix: string;
  /** Replicas of each span index (0 on a single node). */
  readonly indexReplicas: number;
}

export interface JaegerProps {
  /** Pinned Jaeger v2 image. */
  readonly image: string;
  /** Base object name: `jaeger`, or `jaeger-collector` and `jaeger-query` with Elasticsearch. @default 'jaeger' */
  readonly name?: string;
  /** `app.kubernetes.io/instance` suffix, e.g. the environment. @default none */
  readonly environment?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  readonly storage: JaegerStorage;
  /** Replicas of the collector and of the query Deployment (the all-in-one always runs one). @default 1 */
  readonly replicas?: number;
  /** Per pod. @default 100m/256Mi requested, 500m/512Mi limit */
  readonly resources?: ContainerResources;
}

const OTLP_GRPC = 4317;
const OTLP_HTTP = 4318;
const QUERY_HTTP = 16686;
const QUERY_GRPC = 16685;
const HEALTH = 13133;
const METRICS = 8888;
const CERTS = '/etc/jaeger/certs';
const PASSWORD = '/etc/jaeger/es-password/password';

/** What one Jaeger pod does: receive spans, serve queries, or both. */
type Role = 'all-in-one' | 'collector' | 'query';

/** The Jaeger v2 (OpenTelemetry Collector based) configuration of one role. */
export function jaegerConfig(role: Role, storage: JaegerStorage): Record<string, unknown> {
  const receives = role !== 'query';
  const queries = role !== 'collector';
  const backend = storage.kind === 'memory'
    ? { memory: { max_traces: storage.maxTraces } }
    : { elasticsearch: elasticsearchBackend(storage.es!) };
  return {
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: `0.0.0.0:${HEALTH}`, status: { enabled: true, path: '/status' } } },
      jaeger_storage: { backends: { traces: backend } },
      ...(queries
        ? {
          jaeger_query: {
            storage: { traces: 'traces' },
            http: { endpoint: `0.0.0.0:${QUERY_HTTP}` },
            grpc: { endpoint: `0.0.0.0:${QUERY_GRPC}` },
          },
        }
        : {}),
    },
    receivers: receives
      ? { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP_GRPC}` }, http: { endpoint: `0.0.0.0:${OTLP_HTTP}` } } } }
      : { nop: {} },
    processors: { batch: {} },
    exporters: receives ? { jaeger_storage_exporter: { trace_storage: 'traces' } } : { nop: {} },
    service: {
      extensions: ['jaeger_storage', ...(queries ? ['jaeger_query'] : []), 'healthcheckv2'],
      pipelines: {
        traces: {
          receivers: [receives ? 'otlp' : 'nop'],
          processors: ['batch'],
          exporters: [receives ? 'jaeger_storage_exporter' : 'nop'],
        },
      },
      telemetry: {
        resource: { 'service.name': role === 'all-in-one' ? 'jaeger' : `jaeger-${role}` },
        logs: { level: 'info', encoding: 'json' },
        metrics: { level: 'normal', readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: METRICS } } } }] },
      },
    },
  };
}

function elasticsearchBackend(es: JaegerElasticsearch): Record<string, unknown> {
  const index = { date_layout: '2006-01-02', rollover_frequency: 'day', shards: 1, replicas: es.indexReplicas };
  return {
    server_urls: [es.url],
    auth: { basic: { username: 'jaeger', password_file: PASSWORD } },
    tls: { ca_file: `${CERTS}/ca.crt` },
    indices: { index_prefix: es.indexPrefix, spans: index, services: index, dependencies: index, sampling: index },
  };
}

/**
 * Jaeger v2: with memory storage one all-in-one pod (OTLP in, UI and API out); with Elasticsearch
 * a collector Deployment (OTLP in) and a query Deployment (UI and API), each with a Service, a
 * disruption budget when replicated, and the Elasticsearch password mounted as a file.
 */
export class Jaeger extends Construct {
  /** Deployment name of the component receiving spans (its Service has the same name). */
  public readonly collectorName: string;
  /** Deployment name of the component serving the UI and API. */
  public readonly queryName: string;
  public readonly collector: AppDeployment;
  public readonly query: AppDeployment;
  public readonly otlpGrpcPort = OTLP_GRPC;
  public readonly queryPort = QUERY_HTTP;

  constructor(scope: Construct, id: string, props: JaegerProps) {
    super(scope, id);
    const name = props.name ?? 'jaeger';
    const resources = props.resources ?? { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
    if (props.storage.kind === 'memory') {
      this.collectorName = this.queryName = name;
      this.collector = this.query = this.component('all-in-one', name, props, resources, 1);
    } else {
      this.collectorName = joinName(name, 'collector');
      this.queryName = joinName(name, 'query');
      const replicas = props.replicas ?? 1;
      this.collector = this.component('collector', this.collectorName, props, resources, replicas);
      this.query = this.component('query', this.queryName, props, resources, replicas);
    }
  }

  private component(role: Role, name: string, props: JaegerProps, resources: ContainerResources, replicas: number): AppDeployment {
    const config = jaegerConfig(role, props.storage);
    const files = { 'config.yaml': configYaml(config) };
    const ports: AppPort[] = [
      ...(role !== 'query' ? [{ name: 'otlp-grpc', port: OTLP_GRPC }, { name: 'otlp-http', port: OTLP_HTTP }] : []),
      ...(role !== 'collector' ? [{ name: 'query', port: QUERY_HTTP }, { name: 'query-grpc', port: QUERY_GRPC }] : []),
      { name: 'metrics', port: METRICS },
      { name: 'health', port: HEALTH },
    ];
    const deployment = new AppDeployment(this, role, {
      name,
      image: props.image,
      instance: props.environment ? `${name}-${props.environment}` : name,
      component: 'tracing',
      partOf: props.partOf,
      replicas,
      ports,
      args: ['--config', '/etc/jaeger/config.yaml'],
      resources,
      readinessProbe: { path: '/status', port: 'health' },
      livenessProbe: { path: '/status', port: 'health', periodSeconds: 20 },
      runAsUser: 10001,
      writablePaths: ['/tmp'],
      podAnnotations: { 'stackwright.io/config-sha': configDigest(files) },
    });
    const labels = recommendedLabels(deployment.identity);
    const configMap = new k8s.KubeConfigMap(this, `${role}-config`, { metadata: { name, labels }, data: files });
    deployment.addVolume({ name: 'config', configMap: { name: configMap.name, defaultMode: 0o444 } }, { mountPath: '/etc/jaeger/config.yaml', subPath: 'config.yaml' });
    const es = props.storage.es;
    if (es) {
      deployment.addVolume({ name: 'certs', secret: { secretName: es.tlsSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } }, { mountPath: CERTS });
      // A file, not a variable: Jaeger watches it, so a rotated password needs no restart.
      deployment.addVolume({ name: 'es-password', secret: { secretName: es.credentialsSecret, items: [{ key: 'jaeger', path: 'password' }], defaultMode: 0o440 } }, { mountPath: '/etc/jaeger/es-password' });
    }
    new k8s.KubeService(this, `${role}-service`, {
      metadata: { name, labels },
      spec: {
        type: 'ClusterIP',
        selector: deployment.selector,
        ports: ports.filter((p) => p.name !== 'health').map((p) => ({
          name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP',
          ...(p.name.endsWith('grpc') ? { appProtocol: 'grpc' } : {}),
        })),
      },
    });
    if (replicas > 1) {
      new PodDisruptionBudget(this, `${role}-pdb`, { name, selector: deployment.selector, labels, minReplicas: replicas });
    }
    return deployment;
  }
}
