import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PodDisruptionBudget } from '../../autoscaling/pod-disruption-budget';
import { recommendedLabels } from '../../core/labels';
import { parseQuantity } from '../../core/quantity';
import { AppDeployment } from '../../workloads/app-deployment';
import { configDigest, type ContainerResources } from '../logging/elasticsearch';
import { OTEL_PORTS, otelCollectorConfig } from './otel-collector-config';
import { TraceSampling } from './sampling';
import { configYaml } from '../../core/config-yaml';

export interface OtelCollectorProps {
  /** Pinned collector image (the contrib distribution: probabilistic sampler, Prometheus exporter). */
  readonly image: string;
  /** Object name of the Deployment, Service and ConfigMap. @default 'otel-collector' */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default 100m/256Mi requested, 500m/512Mi limit */
  readonly resources?: ContainerResources;
  /** Jaeger's OTLP gRPC endpoint, `host:port`. */
  readonly tracesEndpoint: string;
  /** Share of traces kept. @default TraceSampling.all() */
  readonly sampling?: TraceSampling;
}

/** Soft limits at 80% of the container's memory, leaving room for the runtime. */
function memoryBudgetMib(limit: string): number {
  return Math.floor((parseQuantity(limit) * 0.8) / 2 ** 20);
}

/**
 * The OpenTelemetry Collector as a gateway Deployment behind a Service: apps send OTLP over gRPC or
 * HTTP; traces are sampled on the trace id and exported to Jaeger; metrics are exposed for
 * Prometheus on `prom-exporter` (the collector's own metrics on `metrics`).
 */
export class OtelCollector extends Construct {
  public readonly name: string;
  public readonly deployment: AppDeployment;
  public readonly serviceName: string;
  public readonly sampling: TraceSampling;
  public readonly config: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: OtelCollectorProps) {
    super(scope, id);
    this.name = props.name ?? 'otel-collector';
    this.serviceName = this.name;
    this.sampling = props.sampling ?? TraceSampling.all();
    const replicas = props.replicas ?? 1;
    const resources = props.resources ?? { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
    const budget = memoryBudgetMib(resources.limits.memory);
    if (budget < 100) throw new Error(`${this.name}: the collector needs a memory limit of at least 128Mi; received ${resources.limits.memory}`);
    this.config = otelCollectorConfig({ tracesEndpoint: props.tracesEndpoint, sampling: this.sampling, memoryLimitMib: budget });
    const files = { 'collector.yaml': configYaml(this.config) };

    this.deployment = new AppDeployment(this, 'deployment', {
      name: this.name,
      image: props.image,
      instance: props.instance,
      component: 'tracing',
      partOf: props.partOf,
      replicas,
      ports: [
        { name: 'otlp-grpc', port: OTEL_PORTS.otlpGrpc },
        { name: 'otlp-http', port: OTEL_PORTS.otlpHttp },
        { name: 'prom-exporter', port: OTEL_PORTS.promExporter },
        { name: 'metrics', port: OTEL_PORTS.selfMetrics },
        { name: 'health', port: OTEL_PORTS.health },
      ],
      args: ['--config=/conf/collector.yaml'],
      // The Go runtime collects garbage before the memory limiter or the kernel has to step in.
      env: { GOMEMLIMIT: `${budget}MiB` },
      resources,
      readinessProbe: { path: '/', port: 'health' },
      livenessProbe: { path: '/', port: 'health', periodSeconds: 20 },
      runAsUser: 10001,
      writablePaths: [],
      podAnnotations: { 'stackwright.io/config-sha': configDigest(files) },
    });
    const labels = recommendedLabels(this.deployment.identity);
    const configMap = new k8s.KubeConfigMap(this, 'config', { metadata: { name: this.name, labels }, data: files });
    this.deployment.addVolume({ name: 'config', configMap: { name: configMap.name, defaultMode: 0o444 } }, { mountPath: '/conf' });

    new k8s.KubeService(this, 'service', {
      metadata: { name: this.serviceName, labels },
      spec: {
        type: 'ClusterIP',
        selector: this.deployment.selector,
        ports: [
          { name: 'otlp-grpc', port: OTEL_PORTS.otlpGrpc, targetPort: k8s.IntOrString.fromString('otlp-grpc'), protocol: 'TCP', appProtocol: 'grpc' },
          { name: 'otlp-http', port: OTEL_PORTS.otlpHttp, targetPort: k8s.IntOrString.fromString('otlp-http'), protocol: 'TCP' },
          { name: 'prom-exporter', port: OTEL_PORTS.promExporter, targetPort: k8s.IntOrString.fromString('prom-exporter'), protocol: 'TCP' },
          { name: 'metrics', port: OTEL_PORTS.selfMetrics, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' },
        ],
      },
    });
    if (replicas > 1) {
      new PodDisruptionBudget(this, 'pdb', { name: this.name, selector: this.deployment.selector, labels, minReplicas: replicas });
    }
  }

  /** The OTLP/HTTP base URL apps in any namespace send to. */
  public otlpHttpUrl(namespace: string): string {
    return `http://${this.serviceName}.${namespace}.svc:${OTEL_PORTS.otlpHttp}`;
  }
}
