import { Construct } from 'constructs';
import {
  OpenTelemetryCollectorV1Beta1,
  OpenTelemetryCollectorV1Beta1SpecMode,
  OpenTelemetryCollectorV1Beta1SpecResourcesLimits,
  OpenTelemetryCollectorV1Beta1SpecResourcesRequests,
} from '../../../imports/opentelemetrycollectors-opentelemetry.io';
import { recommendedLabels, versionFromImage, type ComponentIdentity } from '../../core/labels';
import { parseQuantity } from '../../core/quantity';
import { DEFAULT_UID, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../core/security';
import type { ContainerResources } from '../logging/elasticsearch';
import { OTEL_PORTS, otelCollectorConfig } from './otel-collector-config';
import { TraceSampling } from './sampling';

export interface OtelCollectorResourceProps {
  /** Pinned collector image (contrib distribution). */
  readonly image: string;
  /** Namespace it runs in: the operator labels pods `app.kubernetes.io/instance: <namespace>.<name>`. */
  readonly namespace: string;
  /** Name of the resource; the operator names the Deployment and Service `<name>-collector`. @default 'otel' */
  readonly name?: string;
  /** `app.kubernetes.io/part-of` of the resource. @default the name */
  readonly partOf?: string;
  /** `app.kubernetes.io/instance` of the resource. @default the name */
  readonly instance?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default 100m/256Mi requested, 500m/512Mi limit */
  readonly resources?: ContainerResources;
  /** Jaeger's OTLP gRPC endpoint, `host:port`. */
  readonly tracesEndpoint: string;
  /** Share of traces kept. @default TraceSampling.all() */
  readonly sampling?: TraceSampling;
}

/**
 * The collector gateway as an OpenTelemetry Operator `OpenTelemetryCollector` (v1beta1) in
 * deployment mode: the same pipeline as the plain Deployment, with the operator owning the
 * Deployment and the `<name>-collector` Service (so apps dial the same `otel-collector` name).
 */
export class OtelCollectorResource extends Construct {
  public readonly name: string;
  /** Service (and Deployment) name the operator creates. */
  public readonly serviceName: string;
  public readonly identity: ComponentIdentity;
  public readonly collector: OpenTelemetryCollectorV1Beta1;
  public readonly config: Record<string, unknown>;
  /** Labels the operator puts on the collector pods. */
  public readonly selector: Record<string, string>;
  /** The ports the Service offers, by name. */
  public readonly ports: readonly { name: string; port: number }[];

  constructor(scope: Construct, id: string, props: OtelCollectorResourceProps) {
    super(scope, id);
    this.name = props.name ?? 'otel';
    this.serviceName = `${this.name}-collector`;
    this.identity = {
      name: this.name,
      instance: props.instance ?? this.name,
      component: 'tracing',
      partOf: props.partOf ?? this.name,
      version: versionFromImage(props.image),
    };
    const resources = props.resources ?? { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
    const budget = Math.floor((parseQuantity(resources.limits.memory) * 0.8) / 2 ** 20);
    if (budget < 100) throw new Error(`${this.name}: the collector needs a memory limit of at least 128Mi; received ${resources.limits.memory}`);
    this.config = otelCollectorConfig({ tracesEndpoint: props.tracesEndpoint, sampling: props.sampling ?? TraceSampling.all(), memoryLimitMib: budget });
    this.selector = { 'app.kubernetes.io/name': this.serviceName, 'app.kubernetes.io/instance': `${props.namespace}.${this.name}` };
    this.ports = [
      { name: 'otlp-grpc', port: OTEL_PORTS.otlpGrpc },
      { name: 'otlp-http', port: OTEL_PORTS.otlpHttp },
      { name: 'prom-exporter', port: OTEL_PORTS.promExporter },
      { name: 'metrics', port: OTEL_PORTS.selfMetrics },
    ];
    const runAs = { user: DEFAULT_UID, group: DEFAULT_UID, fsGroup: DEFAULT_UID };
    const config = this.config as { receivers: unknown; exporters: unknown; service: never; processors: unknown; extensions: unknown };

    this.collector = new OpenTelemetryCollectorV1Beta1(this, 'collector', {
      metadata: { name: this.name, labels: recommendedLabels(this.identity) },
      spec: {
        mode: OpenTelemetryCollectorV1Beta1SpecMode.DEPLOYMENT,
        image: props.image,
        replicas: props.replicas ?? 1,
        config,
        // The receivers' ports come from the config; the Prometheus exporter's must be listed.
        ports: [{ name: 'prom-exporter', port: OTEL_PORTS.promExporter, protocol: 'TCP' }],
        env: [{ name: 'GOMEMLIMIT', value: `${budget}MiB` }],
        resources: {
          requests: {
            cpu: OpenTelemetryCollectorV1Beta1SpecResourcesRequests.fromString(resources.requests.cpu),
            memory: OpenTelemetryCollectorV1Beta1SpecResourcesRequests.fromString(resources.requests.memory),
          },
          limits: {
            cpu: OpenTelemetryCollectorV1Beta1SpecResourcesLimits.fromString(resources.limits.cpu),
            memory: OpenTelemetryCollectorV1Beta1SpecResourcesLimits.fromString(resources.limits.memory),
          },
        },
        podSecurityContext: restrictedPodSecurityContext(runAs) as never,
        securityContext: restrictedContainerSecurityContext(runAs) as never,
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: this.selector } },
        ],
        // Isolation comes from the platform's derived policies.
        networkPolicy: { enabled: false },
        observability: { metrics: { enableMetrics: false } },
      },
    });
  }
}
