// The pod and container shape every monitoring component shares: restricted Pod Security, a
// read-only root, explicit resources, probes, and the stable-subset selector.
import { k8s } from 'cdk8s-plus-28';
import { createHash } from 'node:crypto';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/security';

/** CPU and memory as quantities. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Requests and limits as L1 quantities. */
export function resourceRequirements(r: ContainerResources): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
    limits: { cpu: k8s.Quantity.fromString(r.limits.cpu), memory: k8s.Quantity.fromString(r.limits.memory) },
  };
}

/** An HTTP GET probe on a named port. */
export function httpProbe(path: string, port: string, periodSeconds: number, failureThreshold: number): k8s.Probe {
  return {
    httpGet: { path, port: k8s.IntOrString.fromString(port), scheme: 'HTTP' },
    initialDelaySeconds: 0, periodSeconds, timeoutSeconds: 3, failureThreshold, successThreshold: 1,
  };
}

export interface HardenedContainerProps {
  readonly name: string;
  readonly image: string;
  readonly args?: readonly string[];
  readonly env?: readonly k8s.EnvVar[];
  readonly ports: readonly { readonly name: string; readonly port: number }[];
  readonly resources: ContainerResources;
  readonly uid: number;
  /** Readiness and liveness endpoints and the port names serving them. */
  readonly probes: { readonly ready: string; readonly readyPort: string; readonly live: string; readonly livePort: string };
  readonly volumeMounts: readonly k8s.VolumeMount[];
}

/** A container under the restricted Pod Security Standard, with startup, readiness and liveness probes. */
export function hardenedContainer(props: HardenedContainerProps): k8s.Container {
  return {
    name: props.name,
    image: props.image,
    imagePullPolicy: 'IfNotPresent',
    args: props.args ? [...props.args] : undefined,
    env: props.env && props.env.length > 0 ? [...props.env] : undefined,
    ports: props.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
    resources: resourceRequirements(props.resources),
    // Startup allows 5 minutes, e.g. for Prometheus replaying its write-ahead log after a restart.
    startupProbe: httpProbe(props.probes.ready, props.probes.readyPort, 5, 60),
    readinessProbe: httpProbe(props.probes.ready, props.probes.readyPort, 10, 3),
    livenessProbe: httpProbe(props.probes.live, props.probes.livePort, 15, 4),
    securityContext: restrictedContainerSecurityContext({ user: props.uid, group: props.uid }),
    volumeMounts: [...props.volumeMounts],
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

/** The pod-level fields every monitoring pod shares. */
export function hardenedPodSpec(props: {
  readonly serviceAccountName: string;
  readonly automountToken: boolean;
  readonly uid: number;
  readonly containers: readonly k8s.Container[];
  readonly volumes: readonly k8s.Volume[];
  readonly terminationGracePeriodSeconds?: number;
}): k8s.PodSpec {
  return {
    serviceAccountName: props.serviceAccountName,
    automountServiceAccountToken: props.automountToken,
    enableServiceLinks: false,
    securityContext: restrictedPodSecurityContext({ user: props.uid, group: props.uid, fsGroup: props.uid }),
    terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 30,
    containers: [...props.containers],
    volumes: [...props.volumes],
  };
}

/** A short content hash for a `checksum/config` pod annotation: a config change rolls the pods. */
export function contentChecksum(...contents: readonly string[]): string {
  const hash = createHash('sha256');
  for (const c of contents) hash.update(c).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** An emptyDir volume with a size limit. */
export function emptyDirVolume(name: string, sizeLimit: string): k8s.Volume {
  return { name, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit) } };
}
