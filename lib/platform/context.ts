import { App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { platformObjectIdentity, versionFromImage, type ComponentIdentity } from '../core/labels';
import { Wave } from '../core/waves';
import type { ResolvedPlatform, ResolvedService } from '../spec';

/**
 * One component's chart: becomes `dist/<env>/<wave prefix>-<component>.k8s.yaml`, and every object
 * in it carries the same wave as `argocd.argoproj.io/sync-wave`, so Argo CD applies in file order.
 */
export class ComponentChart extends Chart {
  constructor(scope: Construct, public readonly wave: Wave, public readonly component: string, namespace: string | undefined) {
    super(scope, `${wave.prefix}-${component}`, { namespace, disableResourceNameHashes: true });
  }

  /** The file this chart is written to. */
  public get fileName(): string {
    return this.wave.fileName(this.component);
  }
}

/** The object with `argocd.argoproj.io/sync-wave` set to the wave, annotations kept in key order. */
export function withSyncWave(obj: Record<string, any>, wave: Wave): Record<string, any> {
  const { annotations, ...rest } = (obj.metadata ?? {}) as { annotations?: Record<string, string> };
  const merged: Record<string, string> = { ...annotations, [SYNC_WAVE_ANNOTATION]: String(wave.order) };
  const sorted = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
  // `annotations` sorts before every other metadata key, as cdk8s writes them.
  return { ...obj, metadata: { annotations: sorted, ...rest } };
}

/** The annotation Argo CD orders a sync by: lower waves are applied (and healthy) first. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** A port of an endpoint: the name and container port its pods listen on, and the Service port. */
export interface EndpointPort {
  readonly name: string;
  /** Container port: what NetworkPolicies admit. */
  readonly port: number;
  /** Service port clients dial. @default the container port */
  readonly servicePort?: number;
  readonly protocol?: 'TCP' | 'UDP';
}

/**
 * Something in the platform that other components reach: its pods (by selector) and ports.
 * Every component that serves traffic registers one; network policies, scrape targets and the
 * overview derive from these instead of re-reading each area's spec.
 */
export interface Endpoint {
  /** Component name, the target of `dependsOn`, e.g. `api` or `postgres`. */
  readonly name: string;
  /** What it is, for summaries and policies, e.g. `service`, `postgres`, `redis`, `prometheus`. */
  readonly role: string;
  readonly namespace: string;
  /** Labels of its pods (the stable selector subset). */
  readonly selector: Readonly<Record<string, string>>;
  /** DNS name of its client Service, when it has one. */
  readonly serviceName?: string;
  readonly ports: readonly EndpointPort[];
  /** Ports serving Prometheus metrics (one of `ports` each) and their paths; Prometheus scrapes every one. @default none */
  readonly metrics?: readonly EndpointMetrics[];
  /** Version its pods run (the image tag), for objects about it, when no registered workload says it (operator-run pods). @default none */
  readonly version?: string;
  /**
   * Scrape the pods themselves rather than through `serviceName`: the pods are split across several
   * Services (blue-green active and preview, stable and canary), and each must be scraped once. @default false
   */
  readonly scrapePods?: boolean;
}

/** A port of an endpoint that serves Prometheus metrics. */
export interface EndpointMetrics {
  /** Port name, one of the endpoint's `ports`. */
  readonly port: string;
  /** HTTP path of the metrics, e.g. `/metrics`. */
  readonly path: string;
}

/** Names of an endpoint's metrics ports (empty when it has none). */
export function metricsPortNames(endpoint: Pick<Endpoint, 'metrics'>): string[] {
  return (endpoint.metrics ?? []).map((m) => m.port);
}

/** Per-pod CPU and memory, as quantities. */
export interface PodResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/**
 * A workload the platform runs. Disruption budgets, quota sums, autoscaling conflicts and the
 * overview derive from these.
 */
export interface WorkloadInfo {
  /** Object name, e.g. `api`, `postgres`. */
  readonly name: string;
  /** The component (endpoint name) it runs when that differs from the object name, e.g. `elasticsearch` for ECK's `elasticsearch-es-default`. @default the name */
  readonly component?: string;
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob' | 'Job' | 'Rollout';
  readonly namespace: string;
  /** Labels of its pods (the stable selector subset). */
  readonly selector: Readonly<Record<string, string>>;
  /** Fewest and most pods it runs (equal unless an autoscaler owns the count). */
  readonly replicas: { readonly min: number; readonly max: number };
  /** Sum over the pod's containers (init containers excluded). */
  readonly podResources: PodResources;
  /** Images it runs, for the overview. */
  readonly images: readonly string[];
  /** Storage each replica claims (StatefulSet `volumeClaimTemplates`), as quantities. @default none */
  readonly claimsPerReplica?: readonly string[];
  /** Claims it mounts once however many replicas run (a standalone PVC, e.g. a backup volume). @default none */
  readonly sharedClaims?: readonly string[];
  /** Names of its StatefulSet claim templates: replica N's claim is `<template>-<name>-N` (volume alerts select on it). @default none */
  readonly claimTemplateNames?: readonly string[];
  /** Names of the standalone claims it mounts. @default none */
  readonly sharedClaimNames?: readonly string[];
  /**
   * The operator that owns the workload object (e.g. `eck`), when the platform emits a custom resource
   * instead: its pods count against quotas and get alerts, but the platform makes no disruption budget or
   * VPA for it (the operator manages both). @default none (the platform owns it)
   */
  readonly managedBy?: string;
  /** An autoscaler (an HPA, directly or through KEDA) owns its replica count. @default false */
  readonly autoscaled?: boolean;
  /** Extra pods an update runs on top of `replicas.max`: a count, or a percentage of it rounded up. @default 25% of max rounded up for Deployments and Rollouts, else 0 */
  readonly surge?: number | string;
  /** The service it runs, when it is one of several workloads of a service (a blue-green slot, a canary). @default its own name */
  readonly service?: string;
}

/** A namespace a component needs; the security assembly creates it with its quota and limit range. */
export interface NamespaceRequest {
  readonly name: string;
  /** What it holds (`app.kubernetes.io/component`), e.g. `apps`, `telemetry`. */
  readonly component: string;
  /** Pod Security level enforced; anything weaker than restricted carries its reason. */
  readonly podSecurity: 'restricted' | 'baseline' | 'privileged';
  /** Why restricted cannot work there. @default none (restricted) */
  readonly reason?: string;
}

/** A Secret some component reads by name; the security assembly checks the spec declares it with these keys. */
export interface SecretReference {
  /** Secret name, e.g. `postgres-credentials`. */
  readonly name: string;
  readonly namespace: string;
  /** Keys read from it. */
  readonly keys: readonly string[];
  /** The reader, for messages, e.g. `postgres` or `api`. */
  readonly by: string;
}

/** Pods on one side of a flow: where they run and the labels that select them. */
export interface FlowPeer {
  /** Component name, for messages and policy names, e.g. `filebeat`. */
  readonly name: string;
  readonly namespace: string;
  /** Labels of its pods (the stable selector subset). */
  readonly selector: Readonly<Record<string, string>>;
}

/**
 * A connection a platform component opens to a registered endpoint, beyond the services'
 * `dependsOn` edges (e.g. log shipper → Logstash, collector → Jaeger). Network policies admit
 * exactly the declared flows.
 */
export interface Flow {
  readonly from: FlowPeer;
  /** Endpoint name it reaches. */
  readonly to: string;
  /** Names of the endpoint's ports it uses. */
  readonly ports: readonly string[];
}

/** A connection pods open to an address outside the cluster (e.g. backups to object storage). */
export interface ExternalFlow {
  readonly from: FlowPeer;
  /** What is reached, for messages, e.g. `object-storage`. */
  readonly name: string;
  /** Network in CIDR notation. */
  readonly cidr: string;
  /** Sub-networks of `cidr` left out (the cluster's own networks are left out anyway). @default none */
  readonly except?: readonly string[];
  readonly ports: readonly { readonly port: number; readonly protocol?: 'TCP' | 'UDP' }[];
}

/**
 * A connection pods open to the cluster itself: the Kubernetes API server (`cluster.apiServer`) or the
 * kubelets (`cluster.nodeCidrs`). Network policies resolve the addresses from the cluster spec.
 */
export interface ClusterFlow {
  readonly from: FlowPeer;
  readonly to: 'api-server' | 'kubelets';
  /** What for, in a few words, e.g. `leader election (security.rbac)`: the policy graph's reason. */
  readonly why: string;
}

/**
 * Outside HTTPS access to a platform component that is not a spec service (e.g. Kibana). The traffic
 * assembly routes it the way it routes services in the environment: a Gateway listener, certificate
 * and HTTPRoute, or an NGINX Ingress with cert-manager; and admits the ingress controller to its port.
 */
export interface ComponentExposure {
  /** Registered endpoint it exposes; also names the route or Ingress, e.g. `kibana`. */
  readonly endpoint: string;
  /** Port name of the endpoint that serves outside traffic (plain HTTP inside the cluster). */
  readonly port: string;
  /** Label identity of the route or Ingress (its `component` becomes `route` or `ingress`, as for services). */
  readonly identity: ComponentIdentity;
  /** Fully qualified host names. */
  readonly hosts: readonly string[];
  /** Secret with the certificate: cert-manager issues it where the cluster has cert-manager. */
  readonly tlsSecret: string;
  /** Seconds the proxy waits for a whole response. @default 60 */
  readonly timeoutSeconds?: number;
}

/** What every assembly step shares: the app, the resolved platform, and one chart per component. */
export class PlatformContext {
  // Charts and endpoints are collected as assembly runs; later steps (policies, scraping) read them.
  private readonly charts_ = new Map<string, ComponentChart>();
  private readonly endpoints_ = new Map<string, Endpoint>();
  private readonly workloads_ = new Map<string, WorkloadInfo>();
  private readonly flows_: Flow[] = [];
  private readonly secretReferences_: SecretReference[] = [];
  private readonly namespaces_ = new Map<string, NamespaceRequest>();
  private readonly externalFlows_: ExternalFlow[] = [];
  private readonly clusterFlows_: ClusterFlow[] = [];
  private readonly exposures_: ComponentExposure[] = [];

  constructor(public readonly app: App, public readonly platform: ResolvedPlatform) {}

  /** Every chart made so far, in creation order. */
  public get charts(): readonly ComponentChart[] {
    return [...this.charts_.values()];
  }

  /** The application namespace. */
  public get namespace(): string {
    return this.platform.namespace;
  }

  /** The chart of a component in a wave, created on first use; `namespace: null` for cluster-scoped charts. */
  public chart(wave: Wave, component: string, namespace: string | null = this.namespace): ComponentChart {
    const key = wave.fileName(component);
    let chart = this.charts_.get(key);
    if (!chart) {
      chart = new ComponentChart(this.app, wave, component, namespace ?? undefined);
      this.charts_.set(key, chart);
    }
    return chart;
  }

  /** Registers a reachable component; names are unique across the platform. */
  public registerEndpoint(endpoint: Endpoint): void {
    if (this.endpoints_.has(endpoint.name)) throw new Error(`endpoint ${endpoint.name} is registered twice`);
    this.endpoints_.set(endpoint.name, endpoint);
  }

  /** A registered endpoint by name; throws naming the known ones when missing. */
  public endpoint(name: string): Endpoint {
    const found = this.endpoints_.get(name);
    if (!found) throw new Error(`no endpoint named ${name}; registered: ${[...this.endpoints_.keys()].join(', ') || '(none)'}`);
    return found;
  }

  /** Every registered endpoint, in registration order. */
  public get endpoints(): readonly Endpoint[] {
    return [...this.endpoints_.values()];
  }

  /** Registers a workload; `namespace/name` is unique. */
  public registerWorkload(workload: WorkloadInfo): void {
    const key = `${workload.namespace}/${workload.name}`;
    if (this.workloads_.has(key)) throw new Error(`workload ${key} is registered twice`);
    this.workloads_.set(key, workload);
  }

  /** Replaces a registered workload's entry, e.g. when an autoscaler takes over its replica count. */
  public updateWorkload(namespace: string, name: string, update: (w: WorkloadInfo) => WorkloadInfo): void {
    const key = `${namespace}/${name}`;
    const current = this.workloads_.get(key);
    if (!current) throw new Error(`no workload ${key}`);
    this.workloads_.set(key, update(current));
  }

  /** Every registered workload, in registration order. */
  public get workloads(): readonly WorkloadInfo[] {
    return [...this.workloads_.values()];
  }

  /** Declares that `from` connects to an endpoint's ports; the endpoint and ports must be registered already. */
  public registerFlow(flow: Flow): void {
    const to = this.endpoint(flow.to);
    for (const port of flow.ports) {
      if (!to.ports.some((p) => p.name === port)) {
        throw new Error(`flow ${flow.from.name} → ${flow.to}: ${flow.to} has no port named ${port}; it has ${to.ports.map((p) => p.name).join(', ')}`);
      }
    }
    if (this.flows_.some((f) => f.from.namespace === flow.from.namespace && f.from.name === flow.from.name && f.to === flow.to)) {
      throw new Error(`flow ${flow.from.namespace}/${flow.from.name} → ${flow.to} is registered twice`);
    }
    this.flows_.push(flow);
  }

  /** Declares a connection to an outside network; network policies admit exactly the declared ones. */
  public registerExternalFlow(flow: ExternalFlow): void {
    this.externalFlows_.push(flow);
  }

  /** Declares that pods call the API server or the kubelets; network policies admit exactly the declared ones. */
  public registerClusterFlow(flow: ClusterFlow): void {
    if (this.clusterFlows_.some((f) => f.from.namespace === flow.from.namespace && f.from.name === flow.from.name && f.to === flow.to)) {
      throw new Error(`cluster flow ${flow.from.namespace}/${flow.from.name} → ${flow.to} is registered twice`);
    }
    this.clusterFlows_.push(flow);
  }

  /** Every declared connection to the API server or the kubelets, in registration order. */
  public get clusterFlows(): readonly ClusterFlow[] {
    return [...this.clusterFlows_];
  }

  /** Every declared connection to an outside network, in registration order. */
  public get externalFlows(): readonly ExternalFlow[] {
    return [...this.externalFlows_];
  }

  /** Every declared flow between platform components, in registration order. */
  public get flows(): readonly Flow[] {
    return [...this.flows_];
  }

  /** Asks for outside access to a registered endpoint; the traffic assembly builds it. */
  public registerExposure(exposure: ComponentExposure): void {
    const endpoint = this.endpoint(exposure.endpoint);
    if (!endpoint.ports.some((p) => p.name === exposure.port)) {
      throw new Error(`exposure of ${exposure.endpoint}: it has no port named ${exposure.port}; it has ${endpoint.ports.map((p) => p.name).join(', ')}`);
    }
    if (endpoint.serviceName === undefined) throw new Error(`exposure of ${exposure.endpoint}: it has no Service to route to`);
    if (this.exposures_.some((e) => e.endpoint === exposure.endpoint)) throw new Error(`exposure of ${exposure.endpoint} is registered twice`);
    this.exposures_.push(exposure);
  }

  /** Every component exposure, in registration order. */
  public get exposures(): readonly ComponentExposure[] {
    return [...this.exposures_];
  }

  /** Asks for a namespace; names are unique across the platform. */
  public registerNamespace(namespace: NamespaceRequest): void {
    if (this.namespaces_.has(namespace.name)) throw new Error(`namespace ${namespace.name} is registered twice`);
    this.namespaces_.set(namespace.name, namespace);
  }

  /** Every requested namespace, in registration order. */
  public get namespaces(): readonly NamespaceRequest[] {
    return [...this.namespaces_.values()];
  }

  /** Records that a component reads a Secret by name (data stores, apps); checked against `security.secrets`. */
  public referenceSecret(reference: SecretReference): void {
    this.secretReferences_.push(reference);
  }

  /** Every recorded Secret reference, in recording order. */
  public get secretReferences(): readonly SecretReference[] {
    return [...this.secretReferences_];
  }

  /**
   * The label identity of an object that belongs to the platform as a whole (a namespace, quota,
   * network policy, secret reference, the Gateway, a dashboard ConfigMap): its own name, an instance
   * that defaults to `<name>-<environment>`, and the Stackwright release as its version.
   */
  public platformIdentity(name: string, component: string, instance = `${name}-${this.platform.environment}`): ComponentIdentity {
    return platformObjectIdentity({ name, instance, component, partOf: this.platform.name });
  }

  /** The label identity of a service of the platform. */
  public identityOf(service: ResolvedService): ComponentIdentity {
    return {
      name: service.name,
      instance: `${service.name}-${this.platform.environment}`,
      component: service.kind,
      partOf: this.platform.name,
      version: versionFromImage(service.image),
    };
  }
}
