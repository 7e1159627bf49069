// API-server rules the schemas do not encode (k8s.io/apimachinery/pkg/util/validation and the
// per-kind validation in k8s.io/kubernetes/pkg/apis/*/validation), on names, labels, ports,
// containers, quantities, selectors and volume mounts.
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isLabelValue, isPortName, isQualifiedName } from '../core/names';
import { isQuantity, parseQuantity } from '../core/quantity';
import { containersOf, selectorMatches, type FindingSink, type Located, type ObjectIndex, type PodTemplate } from './object-index';

/** Cluster-scoped kinds Stackwright may emit (and the common ones it might). */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'APIService', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'IngressClass', 'RuntimeClass', 'CSIDriver', 'VolumeAttachment', 'GatewayClass', 'ClusterIssuer',
  'ClusterSecretStore', 'ClusterExternalSecret', 'ClusterTriggerAuthentication', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'FlowSchema', 'PriorityLevelConfiguration',
]);

/** Kinds whose names the API server checks as path segments only (RBAC), not as DNS subdomains. */
const PATH_SEGMENT_NAMES = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

export function checkApiServerRules(index: ObjectIndex, sink: FindingSink): void {
  for (const at of index.objects) {
    checkName(at, sink);
    checkLabels(at, sink);
    checkObjectQuantities(at, sink);
    if (at.kind === 'Service') checkServicePorts(at, sink);
  }
  for (const template of index.templates) {
    checkTemplateLabels(template, sink);
    checkContainers(template, sink);
    checkSelector(template, sink);
    checkVolumeMounts(template, sink);
  }
}

function checkName(at: Located, sink: FindingSink): void {
  const { name, kind, namespace } = at;
  if (name === '') sink.report('object-name', at, 'metadata.name is missing');
  else if (kind === 'Namespace' && !isDns1123Label(name)) sink.report('object-name', at, `metadata.name "${name}" is not a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)`);
  else if (kind === 'Service' && !isDns1035Label(name)) sink.report('object-name', at, `metadata.name "${name}" is not a DNS-1035 label (a lowercase letter first, then letters, digits and "-", at most 63 characters)`);
  else if (PATH_SEGMENT_NAMES.has(kind) ? /[/%]/.test(name) || name === '.' || name === '..' : !isDns1123Subdomain(name)) {
    sink.report('object-name', at, `metadata.name "${name}" is not a valid ${kind} name (${PATH_SEGMENT_NAMES.has(kind) ? 'no "/" or "%"' : 'a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", at most 253 characters'})`);
  }
  const clusterScoped = CLUSTER_SCOPED_KINDS.has(kind);
  if (clusterScoped && namespace !== '') sink.report('object-namespace', at, `${kind} is cluster-scoped but sets metadata.namespace "${namespace}"`);
  else if (!clusterScoped && namespace === '') sink.report('object-namespace', at, `${kind} is namespaced but sets no metadata.namespace`);
  else if (!clusterScoped && !isDns1123Label(namespace)) sink.report('object-namespace', at, `metadata.namespace "${namespace}" is not a DNS-1123 label`);
}

function checkLabelMap(at: Located, path: string, labels: unknown, sink: FindingSink, valuesToo = true): void {
  if (typeof labels !== 'object' || labels === null) return;
  for (const [key, value] of Object.entries(labels)) {
    if (!isQualifiedName(key)) sink.report('label-syntax', at, `${path}: key "${key}" is not a qualified name ([prefix/]name, name at most 63 characters of [A-Za-z0-9_.-] starting and ending alphanumeric)`);
    if (valuesToo && (typeof value !== 'string' || !isLabelValue(value))) sink.report('label-syntax', at, `${path}["${key}"]: value ${JSON.stringify(value)} is not a label value (at most 63 characters of [A-Za-z0-9_.-], starting and ending alphanumeric)`);
  }
}

function checkLabels(at: Located, sink: FindingSink): void {
  const { object } = at;
  checkLabelMap(at, 'metadata.labels', object.metadata?.labels, sink);
  checkLabelMap(at, 'metadata.annotations', object.metadata?.annotations, sink, false);
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return;
  if (at.kind === 'Service') checkLabelMap(at, 'spec.selector', spec.selector, sink);
  const selector = spec.selector as { matchLabels?: unknown } | undefined;
  if (at.kind !== 'Service' && selector && typeof selector === 'object') checkLabelMap(at, 'spec.selector.matchLabels', selector.matchLabels, sink);
}

/** Labels and annotations of a pod template (Deployments' and CronJobs' alike). */
function checkTemplateLabels(template: PodTemplate, sink: FindingSink): void {
  if (template.owner.kind === 'Pod') return;
  const where = template.path.replace(/\.spec$/, '.metadata');
  const metadata = where.split('.').reduce<any>((node, key) => node?.[key], template.owner.object) as { labels?: unknown; annotations?: unknown } | undefined;
  checkLabelMap(template.owner, `${where}.labels`, metadata?.labels, sink);
  checkLabelMap(template.owner, `${where}.annotations`, metadata?.annotations, sink, false);
}

/** Quantities outside pod specs: ResourceQuota, LimitRange, PVCs and claim templates. */
function checkObjectQuantities(at: Located, sink: FindingSink): void {
  const spec = at.object.spec as Record<string, unknown> | undefined;
  if (!spec) return;
  const check = (path: string, value: unknown) => {
    if (typeof value === 'number') return;
    if (typeof value !== 'string' || !isQuantity(value)) sink.report('quantity', at, `${path}: ${JSON.stringify(value)} is not a Kubernetes quantity (e.g. 250m, 1.5, 512Mi, 2Gi)`);
  };
  const each = (path: string, map: unknown) => {
    if (typeof map === 'object' && map !== null) for (const [k, v] of Object.entries(map)) check(`${path}["${k}"]`, v);
  };
  if (at.kind === 'ResourceQuota') {
    // Object counts (count/..., pods, services) are quantities too.
    each('spec.hard', spec.hard);
  } else if (at.kind === 'LimitRange') {
    ((spec.limits as Record<string, unknown>[] | undefined) ?? []).forEach((limit, i) => {
      for (const field of ['default', 'defaultRequest', 'max', 'min', 'maxLimitRequestRatio']) each(`spec.limits[${i}].${field}`, limit[field]);
    });
  } else if (at.kind === 'PersistentVolumeClaim') {
    each('spec.resources.requests', (spec.resources as { requests?: unknown } | undefined)?.requests);
  } else if (at.kind === 'StatefulSet') {
    ((spec.volumeClaimTemplates as { metadata?: { name?: string }; spec?: { resources?: { requests?: unknown } } }[] | undefined) ?? []).forEach((claim, i) => {
      each(`spec.volumeClaimTemplates[${claim.metadata?.name ?? i}].spec.resources.requests`, claim.spec?.resources?.requests);
    });
  }
}

function checkServicePorts(at: Located, sink: FindingSink): void {
  const ports = ((at.object.spec as { ports?: { name?: string; port?: number; protocol?: string }[] } | undefined)?.ports) ?? [];
  const seen = new Set<string>();
  for (const [i, port] of ports.entries()) {
    const where = `spec.ports[${port.name ?? i}]`;
    if (port.name === undefined) {
      if (ports.length > 1) sink.report('port-name', at, `${where}: a Service with more than one port must name each of them`);
      continue;
    }
    if (!isDns1123Label(port.name)) sink.report('port-name', at, `${where}.name: "${port.name}" is not a DNS-1123 label`);
    if (seen.has(port.name)) sink.report('port-name', at, `${where}.name: "${port.name}" is used by two ports`);
    seen.add(port.name);
  }
}

function checkContainers(template: PodTemplate, sink: FindingSink): void {
  const at = template.owner;
  const names = new Set<string>();
  for (const { container, list } of containersOf(template.spec)) {
    const name = container.name ?? '';
    const where = `${template.path}.${list}[${name || '?'}]`;
    if (!isDns1123Label(name)) sink.report('container-name', at, `${where}.name: "${name}" is not a DNS-1123 label`);
    if (names.has(name)) sink.report('container-name', at, `${where}: the container name "${name}" is used twice in the pod`);
    names.add(name);
    const portNames = new Set<string>();
    for (const port of container.ports ?? []) {
      if (port.name === undefined) continue;
      if (!isPortName(port.name)) {
        sink.report('port-name', at, `${where}.ports[${port.name}].name: "${port.name}" is not an IANA service name (at most 15 characters of lowercase letters, digits and "-", at least one letter, no "--"); it has ${port.name.length} characters`);
      }
      if (portNames.has(port.name)) sink.report('port-name', at, `${where}.ports[${port.name}]: the port name "${port.name}" is used twice in the container`);
      portNames.add(port.name);
    }
    checkContainerResources(at, `${where}.resources`, container.resources, sink);
  }
}

function checkContainerResources(at: Located, where: string, resources: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } | undefined, sink: FindingSink): void {
  if (!resources) return;
  const parsed: Record<'requests' | 'limits', Record<string, number>> = { requests: {}, limits: {} };
  for (const side of ['requests', 'limits'] as const) {
    for (const [resource, value] of Object.entries(resources[side] ?? {})) {
      if (typeof value === 'number') parsed[side][resource] = value;
      else if (typeof value === 'string' && isQuantity(value)) parsed[side][resource] = parseQuantity(value);
      else sink.report('quantity', at, `${where}.${side}.${resource}: ${JSON.stringify(value)} is not a Kubernetes quantity (e.g. 250m, 1.5, 512Mi, 2Gi)`);
    }
  }
  for (const [resource, request] of Object.entries(parsed.requests)) {
    const limit = parsed.limits[resource];
    if (limit !== undefined && request > limit) sink.report('quantity', at, `${where}.requests.${resource}: ${String(resources.requests?.[resource])} is more than the limit ${String(resources.limits?.[resource])}`);
  }
}

function checkSelector(template: PodTemplate, sink: FindingSink): void {
  const at = template.owner;
  if (at.kind === 'CronJob' || at.kind === 'Pod' || at.kind === 'Job') return;
  const selector = (at.object.spec as { selector?: unknown }).selector;
  if (selector === undefined) {
    sink.report('selector-match', at, 'spec.selector is missing');
  } else if (!selectorMatches(selector, template.labels)) {
    sink.report('selector-match', at, `spec.selector ${JSON.stringify(selector)} does not match the pod template labels ${JSON.stringify(template.labels)}`);
  }
}

function checkVolumeMounts(template: PodTemplate, sink: FindingSink): void {
  const volumes = new Set((template.spec.volumes ?? []).map((v) => v.name ?? ''));
  const claims = new Set(template.claimTemplates);
  for (const { container, list } of containersOf(template.spec)) {
    for (const mount of container.volumeMounts ?? []) {
      const name = mount.name ?? '';
      if (!volumes.has(name) && !claims.has(name)) {
        const defined = [...volumes, ...claims].sort().join(', ') || 'none';
        sink.report('volume-mount', template.owner, `${template.path}.${list}[${container.name ?? '?'}].volumeMounts[${mount.mountPath ?? name}]: no volume or claim template named "${name}" (defined: ${defined})`);
      }
    }
  }
}
