import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Rollout, toJson_RolloutSpecStrategy, type RolloutSpecStrategy } from '../../imports/rollouts-argoproj.io';
import { recommendedLabels, selectorLabels, versionFromImage, type ComponentIdentity } from '../core/labels';
import { isPortName } from '../core/names';
import { parseQuantity } from '../core/quantity';
import { KubeObject } from '../core/kube-object';
import { DEFAULT_UID, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/security';

/** A container port. */
export interface AppPort {
  /** Port name (≤15 characters), used by probes, Services and policies. */
  readonly name: string;
  /** Port the container listens on. */
  readonly port: number;
  /** Port the Service offers. @default the container port */
  readonly servicePort?: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** A probe: exactly one of `path` (HTTP GET), `command` (exec) or `tcp`. */
export interface AppProbe {
  /** HTTP GET path. */
  readonly path?: string;
  /** Port name to probe. @default the first port */
  readonly port?: string;
  /** Exec command. */
  readonly command?: readonly string[];
  /** TCP connect to `port`. */
  readonly tcp?: boolean;
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

/** An environment variable as Kubernetes JSON: a value, or a reference such as `valueFrom.secretKeyRef`. */
export interface EnvVarJson {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: Record<string, unknown>;
}

/** A pod volume as Kubernetes JSON, e.g. `{ name, configMap: { name } }` or `{ name, secret: { secretName } }`. */
export interface VolumeJson {
  readonly name: string;
  readonly [source: string]: unknown;
}

/** Where a volume appears in the container. */
export interface VolumeMountJson {
  readonly mountPath: string;
  /** One file or folder of the volume. @default the whole volume */
  readonly subPath?: string;
  /** @default true */
  readonly readOnly?: boolean;
}

/** CPU and memory amounts as Kubernetes quantities. */
export interface AppResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface AppDeploymentProps {
  /** Container image, pinned by tag or digest. */
  readonly image: string;
  /** Object name of the Deployment, ServiceAccount and container. @default the construct id */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/component`. @default 'app' */
  readonly component?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** `app.kubernetes.io/version`. @default the image tag */
  readonly version?: string;
  /** Desired replicas; ignored once an autoscaler owns the count. @default 1 */
  readonly replicas?: number;
  /** Container ports. @default none */
  readonly ports?: readonly AppPort[];
  /** Entrypoint override. @default the image's */
  readonly command?: readonly string[];
  /** Arguments. @default the image's */
  readonly args?: readonly string[];
  /** Plain environment variables (no secrets). @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Requests and limits. @default 100m/128Mi requested, 500m/256Mi limit */
  readonly resources?: AppResources;
  /** Startup probe. @default liveness probe with 30 failures allowed, 2s apart */
  readonly startupProbe?: AppProbe;
  /** Readiness probe. @default HTTP GET /readyz on the first port */
  readonly readinessProbe?: AppProbe;
  /** Liveness probe. @default HTTP GET /livez on the first port */
  readonly livenessProbe?: AppProbe;
  /** Non-root uid (and gid, fsGroup). @default 10001 */
  readonly runAsUser?: number;
  /** Writable paths, each an emptyDir; the root filesystem is read-only. @default ['/tmp'] */
  readonly writablePaths?: readonly string[];
  /** Mount the ServiceAccount token (only for workloads that call the API). @default false */
  readonly automountServiceAccountToken?: boolean;
  /** Seconds between SIGTERM and SIGKILL. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** Seconds the preStop hook waits so endpoints drain before SIGTERM. @default 5 */
  readonly preStopSleepSeconds?: number;
  /** Use the native `sleep` lifecycle action (Kubernetes ≥ 1.30) instead of exec `sleep`. @default true */
  readonly nativeSleepAction?: boolean;
  /** Extra pod annotations. @default none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * Object name of the Deployment when several run one component (a blue-green slot `api-blue`, a
   * canary `api-canary`); labels, container and ServiceAccount keep `name`. @default the name
   */
  readonly workloadName?: string;
  /** Labels telling this workload's pods from the component's other workloads (a slot, a track): on the pods and in the selector. @default none */
  readonly trackLabels?: Readonly<Record<string, string>>;
  /** Create the ServiceAccount `name`; false when another workload of the component creates it. @default true */
  readonly createServiceAccount?: boolean;
  /** How pods are replaced (`RollingUpdate` with its surge and unavailability, or `Recreate`). @default Kubernetes' (rolling, 25% surge, 25% unavailable) */
  readonly updateStrategy?: k8s.DeploymentStrategy;
  /** Seconds a new pod must stay ready before it counts as available. @default Kubernetes' (0) */
  readonly minReadySeconds?: number;
  /** Seconds an update may make no progress before it is reported as failed. @default Kubernetes' (600) */
  readonly progressDeadlineSeconds?: number;
  /**
   * Run the pods under an Argo Rollouts `Rollout` with this strategy instead of a Deployment (the
   * same selector and pod template; `updateStrategy` does not apply). @default a Deployment
   */
  readonly argoRolloutStrategy?: RolloutSpecStrategy;
}

/** A helper container in the same pod, e.g. a metrics exporter reading the main container over localhost. */
export interface AppSidecar {
  /** Container name, unique in the pod. */
  readonly name: string;
  /** Pinned image. */
  readonly image: string;
  /** @default the image's */
  readonly args?: readonly string[];
  /** Plain environment variables. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Its ports; names must differ from the main container's. @default none */
  readonly ports?: readonly AppPort[];
  /** Its own requests and limits (pods are sized and quota-checked with them). */
  readonly resources: AppResources;
  /** HTTP or TCP probes on its own port. */
  readonly readinessProbe: AppProbe;
  readonly livenessProbe: AppProbe;
  /** User it runs as (non-root). @default the pod's */
  readonly runAsUser?: number;
}

const DEFAULT_RESOURCES: AppResources = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
};

/**
 * A hardened Deployment and its ServiceAccount: restricted Pod Security, read-only root with
 * emptyDirs for writable paths, explicit resources, three probes, a preStop pause for draining,
 * spread across zones and nodes, and selectors on the stable label subset.
 */
/** The label identity of an app named `name`: the props' instance, component, part-of and version, or their defaults. */
export function appIdentity(name: string, props: Pick<AppDeploymentProps, 'instance' | 'component' | 'partOf' | 'version' | 'image'>): ComponentIdentity {
  return {
    name,
    instance: props.instance ?? name,
    component: props.component ?? 'app',
    partOf: props.partOf ?? name,
    version: props.version ?? versionFromImage(props.image),
  };
}

export class AppDeployment extends Construct {
  public readonly name: string;
  /** Name of the Deployment (or Rollout) object. */
  public readonly workloadName: string;
  /** `Deployment`, or `Rollout` under Argo Rollouts. */
  public readonly kind: 'Deployment' | 'Rollout';
  /** The API version of `kind`, for scale targets. */
  public readonly apiVersion: string;
  public readonly identity: ComponentIdentity;
  /** The Deployment (or Rollout), as final JSON: patches apply to what is written. */
  public readonly deployment: ApiObject;
  /** The ServiceAccount, unless another workload of the component creates it. */
  public readonly serviceAccount?: kplus.ServiceAccount;
  public readonly ports: readonly AppPort[];
  /** The image the container runs. */
  public readonly image: string;
  /** Replicas written (until an autoscaler owns the count). */
  public readonly replicas: number;
  private readonly trackLabels: Readonly<Record<string, string>>;
  private readonly envNames: Set<string>;
  private readonly volumeNames: Set<string>;
  private readonly sidecars: AppSidecar[] = [];
  private readonly uid: number;
  private autoscaled = false;

  constructor(scope: Construct, id: string, props: AppDeploymentProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.workloadName = props.workloadName ?? this.name;
    this.image = props.image;
    this.replicas = props.replicas ?? 1;
    this.trackLabels = { ...(props.trackLabels ?? {}) };
    const ports = props.ports ?? [];
    this.ports = ports;
    for (const port of ports) {
      if (!isPortName(port.name)) throw new Error(`${this.name}: port name "${port.name}" is not a valid port name (≤15 chars, lowercase, a letter)`);
    }
    const resources = props.resources ?? DEFAULT_RESOURCES;
    for (const r of ['cpu', 'memory'] as const) {
      if (parseQuantity(resources.limits[r]) < parseQuantity(resources.requests[r])) {
        throw new Error(`${this.name}: ${r} limit ${resources.limits[r]} is below the request ${resources.requests[r]}`);
      }
    }
    this.identity = appIdentity(this.name, props);
    const labels = { ...recommendedLabels(this.identity), ...this.trackLabels };
    const uid = props.runAsUser ?? DEFAULT_UID;
    const runAs = { user: uid, group: uid, fsGroup: uid };
    const automount = props.automountServiceAccountToken ?? false;

    if (props.createServiceAccount ?? true) {
      this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
        metadata: { name: this.name, labels: recommendedLabels(this.identity) },
        automountToken: automount,
      });
    }

    const firstPort = ports[0]?.name;
    const readiness = props.readinessProbe ?? { path: '/readyz' };
    const liveness = props.livenessProbe ?? { path: '/livez' };
    const startup = props.startupProbe ?? { ...liveness, periodSeconds: 2, failureThreshold: 30, initialDelaySeconds: 0 };
    const writable = (props.writablePaths ?? ['/tmp']).map((path) => ({ path, volume: volumeName(path) }));
    const env = Object.entries(props.env ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => ({ name, value }));
    this.envNames = new Set(env.map((e) => e.name));
    this.volumeNames = new Set(writable.map((w) => w.volume));
    this.uid = uid;

    const container: k8s.Container = {
      name: this.name,
      image: props.image,
      imagePullPolicy: 'IfNotPresent',
      command: props.command ? [...props.command] : undefined,
      args: props.args ? [...props.args] : undefined,
      ports: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })),
      env: env.length > 0 ? env : undefined,
      resources: {
        requests: { cpu: k8s.Quantity.fromString(resources.requests.cpu), memory: k8s.Quantity.fromString(resources.requests.memory) },
        limits: { cpu: k8s.Quantity.fromString(resources.limits.cpu), memory: k8s.Quantity.fromString(resources.limits.memory) },
      },
      startupProbe: renderProbe(startup, firstPort, this.name),
      readinessProbe: renderProbe(readiness, firstPort, this.name),
      livenessProbe: renderProbe(liveness, firstPort, this.name),
      securityContext: restrictedContainerSecurityContext(runAs),
      volumeMounts: writable.map((w) => ({ name: w.volume, mountPath: w.path })),
      terminationMessagePolicy: 'FallbackToLogsOnError',
    };

    for (const [field, value] of [['minReadySeconds', props.minReadySeconds], ['progressDeadlineSeconds', props.progressDeadlineSeconds]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw new Error(`${this.workloadName}: ${field} must be a whole number of seconds ≥ 0; received ${value}`);
    }
    if (props.minReadySeconds !== undefined && props.progressDeadlineSeconds !== undefined && props.progressDeadlineSeconds <= props.minReadySeconds) {
      throw new Error(`${this.workloadName}: progressDeadlineSeconds (${props.progressDeadlineSeconds}) must exceed minReadySeconds (${props.minReadySeconds})`);
    }
    const deploymentProps: k8s.KubeDeploymentProps = {
      metadata: { name: this.workloadName, labels },
      spec: {
        replicas: this.replicas,
        revisionHistoryLimit: 5,
        minReadySeconds: props.minReadySeconds,
        progressDeadlineSeconds: props.progressDeadlineSeconds,
        strategy: props.argoRolloutStrategy ? undefined : props.updateStrategy,
        selector: { matchLabels: this.selector },
        template: {
          metadata: { labels, annotations: props.podAnnotations ? { ...props.podAnnotations } : undefined },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: automount,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(runAs),
            terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 30,
            containers: [container],
            volumes: writable.map((w) => ({ name: w.volume, emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } })),
            // Spread each version on its own: Argo Rollouts labels its ReplicaSets' pods with its own hash key.
            topologySpreadConstraints: [
              spread('topology.kubernetes.io/zone', this.selector, props.argoRolloutStrategy ? 'rollouts-pod-template-hash' : 'pod-template-hash'),
              spread('kubernetes.io/hostname', this.selector, props.argoRolloutStrategy ? 'rollouts-pod-template-hash' : 'pod-template-hash'),
            ],
          },
        },
      },
    };
    if (props.argoRolloutStrategy) {
      // Same selector and pod template as the Deployment would have; Argo Rollouts replaces its strategy.
      const json = k8s.toJson_KubeDeploymentProps(deploymentProps) as { metadata: unknown; spec: Record<string, unknown> };
      const spec = { ...json.spec, strategy: toJson_RolloutSpecStrategy(props.argoRolloutStrategy) };
      this.deployment = new KubeObject(this, 'rollout', Rollout.GVK, (p: Record<string, unknown>) => p, { metadata: json.metadata, spec });
      this.kind = 'Rollout';
      this.apiVersion = Rollout.GVK.apiVersion;
    } else {
      this.deployment = new KubeObject(this, 'deployment', k8s.KubeDeployment.GVK, k8s.toJson_KubeDeploymentProps, deploymentProps);
      this.kind = 'Deployment';
      this.apiVersion = k8s.KubeDeployment.GVK.apiVersion;
    }

    const sleepSeconds = props.preStopSleepSeconds ?? 5;
    if (sleepSeconds > 0) {
      // The native sleep action needs no `sleep` binary in the image; older clusters get exec.
      const preStop = (props.nativeSleepAction ?? true) ? { sleep: { seconds: sleepSeconds } } : { exec: { command: ['sleep', String(sleepSeconds)] } };
      this.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/lifecycle', { preStop }));
    }
  }

  /** The stable labels that select this workload's pods (with its slot or track label, if any). */
  public get selector(): Record<string, string> {
    return { ...selectorLabels(this.identity), ...this.trackLabels };
  }

  /** The labels every workload of the component shares: the stable subset without slot or track. */
  public get componentSelector(): Record<string, string> {
    return selectorLabels(this.identity);
  }

  /** Leaves the replica count to an autoscaler (HPA, KEDA): `spec.replicas` is not written. */
  public markAutoscaled(): void {
    if (this.autoscaled) return;
    this.autoscaled = true;
    this.deployment.addJsonPatch(JsonPatch.remove('/spec/replicas'));
  }

  /**
   * Mounts a volume (Kubernetes JSON form: ConfigMap, Secret, emptyDir…) into the container,
   * read-only unless `mount.readOnly` is false, e.g. a configuration file or TLS material.
   */
  public addVolume(volume: VolumeJson, mount: VolumeMountJson): void {
    if (this.volumeNames.has(volume.name)) throw new Error(`${this.name}: volume ${volume.name} is added twice`);
    const first = this.volumeNames.size === 0;
    this.deployment.addJsonPatch(first ? JsonPatch.add('/spec/template/spec/volumes', [volume]) : JsonPatch.add('/spec/template/spec/volumes/-', volume));
    const volumeMount = { name: volume.name, mountPath: mount.mountPath, subPath: mount.subPath, readOnly: mount.readOnly ?? true };
    if (volumeMount.subPath === undefined) delete volumeMount.subPath;
    this.deployment.addJsonPatch(first
      ? JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', [volumeMount])
      : JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', volumeMount));
    this.volumeNames.add(volume.name);
  }

  /**
   * Adds a sidecar container hardened like the main one: restricted security context (non-root,
   * no privilege escalation, all capabilities dropped, read-only root), its own resources and probes.
   */
  public addSidecar(sidecar: AppSidecar): void {
    const taken = new Set([this.name, ...this.sidecars.map((c) => c.name)]);
    if (taken.has(sidecar.name)) throw new Error(`${this.name}: container ${sidecar.name} is added twice`);
    const portNames = new Set([...this.ports, ...this.sidecars.flatMap((c) => c.ports ?? [])].map((p) => p.name));
    for (const port of sidecar.ports ?? []) {
      if (!isPortName(port.name)) throw new Error(`${this.name}: sidecar ${sidecar.name} port name "${port.name}" is not a valid port name (≤15 chars, lowercase, a letter)`);
      if (portNames.has(port.name)) throw new Error(`${this.name}: port name ${port.name} is used twice in the pod`);
    }
    const r = sidecar.resources;
    for (const k of ['cpu', 'memory'] as const) {
      if (parseQuantity(r.limits[k]) < parseQuantity(r.requests[k])) throw new Error(`${this.name}: sidecar ${sidecar.name} ${k} limit ${r.limits[k]} is below the request ${r.requests[k]}`);
    }
    const uid = sidecar.runAsUser ?? this.uid;
    const firstPort = sidecar.ports?.[0]?.name;
    const env = Object.entries(sidecar.env ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => ({ name, value }));
    const container = {
      name: sidecar.name,
      image: sidecar.image,
      imagePullPolicy: 'IfNotPresent',
      ...(sidecar.args ? { args: [...sidecar.args] } : {}),
      ...(env.length > 0 ? { env } : {}),
      ...((sidecar.ports ?? []).length > 0 ? { ports: sidecar.ports!.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })) } : {}),
      resources: { requests: { ...r.requests }, limits: { ...r.limits } },
      readinessProbe: k8s.toJson_Probe(renderProbe(sidecar.readinessProbe, firstPort, sidecar.name)),
      livenessProbe: k8s.toJson_Probe(renderProbe(sidecar.livenessProbe, firstPort, sidecar.name)),
      securityContext: k8s.toJson_SecurityContext(restrictedContainerSecurityContext({ user: uid, group: uid })),
      terminationMessagePolicy: 'FallbackToLogsOnError',
    };
    this.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/-', container));
    this.sidecars.push(sidecar);
  }

  /**
   * Adds environment variables (in Kubernetes JSON form) to the container, after the plain ones,
   * e.g. connection settings and secret references (`valueFrom.secretKeyRef`).
   */
  public addEnv(...vars: EnvVarJson[]): void {
    for (const v of vars) {
      if (this.envNames.has(v.name)) throw new Error(`${this.name}: environment variable ${v.name} is set twice`);
      this.deployment.addJsonPatch(this.envNames.size === 0
        ? JsonPatch.add('/spec/template/spec/containers/0/env', [v])
        : JsonPatch.add('/spec/template/spec/containers/0/env/-', v));
      this.envNames.add(v.name);
    }
  }
}

function renderProbe(probe: AppProbe, defaultPort: string | undefined, owner: string): k8s.Probe {
  const timing = {
    initialDelaySeconds: probe.initialDelaySeconds ?? 0,
    periodSeconds: probe.periodSeconds ?? 10,
    timeoutSeconds: probe.timeoutSeconds ?? 2,
    failureThreshold: probe.failureThreshold ?? 3,
    successThreshold: 1,
  };
  if (probe.command) return { exec: { command: [...probe.command] }, ...timing };
  const port = probe.port ?? defaultPort;
  if (port === undefined) throw new Error(`${owner}: an HTTP or TCP probe needs a port, and the workload has none`);
  if (probe.tcp) return { tcpSocket: { port: k8s.IntOrString.fromString(port) }, ...timing };
  return { httpGet: { path: probe.path ?? '/', port: k8s.IntOrString.fromString(port), scheme: 'HTTP' }, ...timing };
}

function spread(topologyKey: string, matchLabels: Record<string, string>, hashKey: string): k8s.TopologySpreadConstraint {
  return {
    maxSkew: 1,
    topologyKey,
    // ScheduleAnyway: a single-zone dev cluster must still schedule; the scheduler prefers spreading.
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels },
    matchLabelKeys: [hashKey],
  };
}

function volumeName(path: string): string {
  const base = path.replace(/^\/+|\/+$/g, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  return `writable-${base || 'root'}`.slice(0, 63).replace(/-+$/, '');
}
