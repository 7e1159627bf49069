// Policy on every pod template Stackwright authors: Pod Security at the level its namespace
// enforces, requests and a memory limit, probes on long-running containers, pinned images.
import { POD_SECURITY_EXCEPTION_ANNOTATION } from '../security/platform-namespace';
import { containersOf, type Container, type FindingSink, type Located, type ObjectIndex, type PodTemplate } from './object-index';

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
type Level = 'restricted' | 'baseline' | 'privileged';

/** Volume types the restricted profile allows. */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
/** Capabilities baseline allows to add (restricted: only NET_BIND_SERVICE). */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);

/** The level a namespace of the output enforces; one the output does not create is held to restricted. */
function enforcedLevel(index: ObjectIndex, namespace: string): Level {
  const ns = index.get('Namespace', '', namespace)[0];
  const level = (ns?.object.metadata?.labels as Record<string, string> | undefined)?.[ENFORCE_LABEL];
  return level === 'baseline' || level === 'privileged' ? level : 'restricted';
}

export function checkPodPolicy(index: ObjectIndex, sink: FindingSink): void {
  for (const ns of index.ofKind('Namespace')) checkNamespaceLevel(ns, sink);
  for (const template of index.templates) {
    const level = enforcedLevel(index, template.owner.namespace);
    if (level !== 'privileged') {
      for (const violation of podSecurityViolations(template, level)) {
        sink.report('pod-security', template.owner, `${violation} (namespace ${template.owner.namespace} enforces ${level} Pod Security)`);
      }
    }
    checkResources(template, sink);
    if (template.longRunning) checkProbes(template, sink);
    checkImages(template, sink);
  }
}

function checkNamespaceLevel(at: Located, sink: FindingSink): void {
  const labels = (at.object.metadata?.labels ?? {}) as Record<string, string>;
  const level = labels[ENFORCE_LABEL];
  if (level === 'restricted') return;
  if (level === undefined) {
    sink.report('namespace-pod-security', at, `the namespace enforces no Pod Security level: set ${ENFORCE_LABEL}: restricted`);
    return;
  }
  const reason = ((at.object.metadata?.annotations ?? {}) as Record<string, string>)[POD_SECURITY_EXCEPTION_ANNOTATION];
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    sink.report('namespace-pod-security', at, `the namespace enforces "${level}" Pod Security without a spec-marked exception: restricted, or a reason in the ${POD_SECURITY_EXCEPTION_ANNOTATION} annotation`);
  }
}

/** What in a pod template the Pod Security Standard of a level forbids, one message each. */
export function podSecurityViolations(template: PodTemplate, level: 'restricted' | 'baseline'): string[] {
  const out: string[] = [];
  const { spec, path } = template;
  const pod = (spec.securityContext ?? {}) as Record<string, any>;
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (spec[field] === true) out.push(`${path}.${field} is true`);
  for (const volume of spec.volumes ?? []) {
    const type = Object.keys(volume).find((k) => k !== 'name');
    if (type === 'hostPath') out.push(`${path}.volumes[${volume.name}] is a hostPath volume`);
    else if (level === 'restricted' && type !== undefined && !RESTRICTED_VOLUMES.has(type)) out.push(`${path}.volumes[${volume.name}] is a ${type} volume, which restricted does not allow`);
  }
  for (const sysctl of (pod.sysctls ?? []) as { name: string }[]) if (!SAFE_SYSCTLS.has(sysctl.name)) out.push(`${path}.securityContext.sysctls sets the unsafe sysctl ${sysctl.name}`);
  if (pod.seccompProfile?.type === 'Unconfined') out.push(`${path}.securityContext.seccompProfile.type is Unconfined`);
  if (pod.windowsOptions?.hostProcess === true) out.push(`${path}.securityContext.windowsOptions.hostProcess is true`);
  if (level === 'restricted' && pod.runAsUser === 0) out.push(`${path}.securityContext.runAsUser is 0 (root)`);
  for (const { container, list } of containersOf(spec)) {
    const where = `${path}.${list}[${container.name}]`;
    const sc = (container.securityContext ?? {}) as Record<string, any>;
    if (sc.privileged === true) out.push(`${where} is privileged`);
    if (sc.windowsOptions?.hostProcess === true) out.push(`${where}.securityContext.windowsOptions.hostProcess is true`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') out.push(`${where}.securityContext.procMount is ${sc.procMount}`);
    if (sc.seccompProfile?.type === 'Unconfined') out.push(`${where}.securityContext.seccompProfile.type is Unconfined`);
    for (const port of container.ports ?? []) if (port.hostPort) out.push(`${where} uses hostPort ${port.hostPort}`);
    const added: string[] = sc.capabilities?.add ?? [];
    const allowed = level === 'restricted' ? new Set(['NET_BIND_SERVICE']) : BASELINE_CAPABILITIES;
    for (const cap of added) if (!allowed.has(cap)) out.push(`${where}.securityContext.capabilities.add includes ${cap}`);
    if (level === 'baseline') continue;
    if (sc.allowPrivilegeEscalation !== false) out.push(`${where}.securityContext.allowPrivilegeEscalation is not false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${where}.securityContext.capabilities.drop does not include ALL`);
    const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (nonRoot !== true) out.push(`${where}: runAsNonRoot is not true (container or pod securityContext)`);
    if (sc.runAsUser === 0) out.push(`${where}.securityContext.runAsUser is 0 (root)`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${where}: seccompProfile.type is not RuntimeDefault or Localhost (container or pod securityContext)`);
  }
  return out;
}

function checkResources(template: PodTemplate, sink: FindingSink): void {
  for (const { container, list } of containersOf(template.spec)) {
    if (list === 'ephemeralContainers') continue;
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    const missing = [
      requests.cpu === undefined ? 'requests.cpu' : undefined,
      requests.memory === undefined ? 'requests.memory' : undefined,
      limits.memory === undefined ? 'limits.memory' : undefined,
    ].filter((m): m is string => m !== undefined);
    if (missing.length > 0) sink.report('resources', template.owner, `${template.path}.${list}[${container.name}].resources: ${missing.join(', ')} not set`);
  }
}

function checkProbes(template: PodTemplate, sink: FindingSink): void {
  const sidecars = (template.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const longRunning: [Container, string][] = [
    ...(template.spec.containers ?? []).map((c): [Container, string] => [c, 'containers']),
    ...sidecars.map((c): [Container, string] => [c, 'initContainers']),
  ];
  for (const [container, list] of longRunning) {
    const missing = [container.readinessProbe ? undefined : 'readinessProbe', container.livenessProbe ? undefined : 'livenessProbe'].filter(Boolean);
    if (missing.length > 0) sink.report('probes', template.owner, `${template.path}.${list}[${container.name}]: no ${missing.join(' and no ')}`);
  }
}

/** Whether an image reference names a digest, or a tag other than `latest`. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon > 0 && colon < lastSegment.length - 1 && lastSegment.slice(colon + 1) !== 'latest';
}

function checkImages(template: PodTemplate, sink: FindingSink): void {
  for (const { container, list } of containersOf(template.spec)) {
    const image = container.image;
    if (typeof image !== 'string' || !isPinnedImage(image)) {
      sink.report('pinned-image', template.owner, `${template.path}.${list}[${container.name}].image: ${JSON.stringify(image)} is not pinned (a tag other than latest, or @sha256:<digest>)`);
    }
  }
}
