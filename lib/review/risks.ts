import { cidrWithin, isCidr } from '../core/cidr';
import { parseQuantity } from '../core/quantity';
import { deepEqual, formatPath, formatValue, isRecord, type FieldChange, type PathStep } from './object-diff';

/** A change a reviewer must look at twice, and why. */
export interface Risk {
  /** The field it is about, when it is about one. */
  readonly field?: string;
  readonly reason: string;
}

/** What a risk rule sees of one object: its kind and both versions (undefined when absent). */
export interface RiskInput {
  readonly apiVersion: string;
  readonly kind: string;
  readonly before?: Record<string, unknown>;
  readonly after?: Record<string, unknown>;
  readonly fields: readonly FieldChange[];
  /** Whether the environment runs production traffic (`platform.production`). */
  readonly production: boolean;
}

const group = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** Deleting these loses data or everything inside them, not just a running process. */
const DESTRUCTIVE_DELETES: ReadonlyArray<{ readonly group: string; readonly kind: string; readonly reason: string }> = [
  { group: 'apps', kind: 'StatefulSet', reason: 'deletes a StatefulSet: its pods stop, and its claims (and data) go too under a Delete retention policy' },
  { group: '', kind: 'PersistentVolumeClaim', reason: 'deletes a PersistentVolumeClaim: with the usual Delete reclaim policy its volume and data are deleted' },
  { group: '', kind: 'PersistentVolume', reason: 'deletes a PersistentVolume' },
  { group: '', kind: 'Namespace', reason: 'deletes a Namespace and every object in it' },
  { group: 'postgresql.cnpg.io', kind: 'Cluster', reason: 'deletes a PostgreSQL cluster and its volumes' },
  { group: 'elasticsearch.k8s.elastic.co', kind: 'Elasticsearch', reason: 'deletes an Elasticsearch cluster and its volumes' },
];

/** Fields the API server refuses to update (the object must be deleted and re-created), per kind. */
const IMMUTABLE: ReadonlyArray<{ readonly group: string; readonly kind: string; readonly immutable: (path: readonly PathStep[]) => boolean }> = [
  { group: 'apps', kind: 'Deployment', immutable: (p) => startsWith(p, 'spec', 'selector') },
  { group: 'apps', kind: 'ReplicaSet', immutable: (p) => startsWith(p, 'spec', 'selector') },
  { group: 'apps', kind: 'DaemonSet', immutable: (p) => startsWith(p, 'spec', 'selector') },
  // apps/v1 validation: only these StatefulSet spec fields may be updated.
  {
    group: 'apps', kind: 'StatefulSet',
    immutable: (p) => startsWith(p, 'spec') && p.length > 1
      && !['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'].includes(keyAt(p, 1)),
  },
  { group: 'batch', kind: 'Job', immutable: (p) => startsWith(p, 'spec', 'selector') || startsWith(p, 'spec', 'template') },
  { group: '', kind: 'Service', immutable: (p) => startsWith(p, 'spec', 'clusterIP') || startsWith(p, 'spec', 'clusterIPs') },
  {
    group: '', kind: 'PersistentVolumeClaim',
    immutable: (p) => startsWith(p, 'spec') && p.length > 1 && !startsWith(p, 'spec', 'resources') && keyAt(p, 1) !== 'volumeAttributesClassName',
  },
  {
    group: 'storage.k8s.io', kind: 'StorageClass',
    immutable: (p) => ['parameters', 'provisioner', 'reclaimPolicy', 'volumeBindingMode'].includes(keyAt(p, 0)),
  },
];

/** Fields whose decrease in production removes capacity or headroom. */
const CAPACITY: ReadonlyArray<{ readonly kind: string; readonly field: readonly string[] }> = [
  { kind: 'Deployment', field: ['spec', 'replicas'] },
  { kind: 'StatefulSet', field: ['spec', 'replicas'] },
  { kind: 'Rollout', field: ['spec', 'replicas'] },
  { kind: 'HorizontalPodAutoscaler', field: ['spec', 'minReplicas'] },
  { kind: 'HorizontalPodAutoscaler', field: ['spec', 'maxReplicas'] },
  { kind: 'ScaledObject', field: ['spec', 'minReplicaCount'] },
  { kind: 'ScaledObject', field: ['spec', 'maxReplicaCount'] },
];

/** Every risk of one object's change: destructive deletes, immutable fields, production cuts, wider network policies. */
export function risksOf(input: RiskInput): Risk[] {
  const risks: Risk[] = [];
  const g = group(input.apiVersion);
  if (input.before && !input.after) {
    const destructive = DESTRUCTIVE_DELETES.find((d) => d.group === g && d.kind === input.kind);
    if (destructive) risks.push({ reason: destructive.reason });
    if (g === 'networking.k8s.io' && input.kind === 'NetworkPolicy') {
      risks.push({ reason: 'deletes a NetworkPolicy: the traffic it admitted stays admitted only if another policy allows it, and the pods it isolated may become open' });
    }
    if (input.production && g === 'policy' && input.kind === 'PodDisruptionBudget') {
      risks.push({ reason: 'deletes a PodDisruptionBudget in production: a node drain may evict every pod at once' });
    }
  }
  if (!input.before || !input.after) return risks;

  const rule = IMMUTABLE.find((r) => r.group === g && r.kind === input.kind);
  const before = input.before;
  for (const change of input.fields) {
    const field = formatPath(change.path);
    if (rule?.immutable(change.path)) {
      risks.push({ field, reason: 'immutable field: the API server rejects the update; the object must be deleted and re-created' });
    }
    if (g === '' && input.kind === 'Service' && startsWith(change.path, 'spec', 'type')) {
      risks.push({ field, reason: `Service type ${formatValue(change.before)} → ${formatValue(change.after)}: clients get a new address or load balancer` });
    }
    if (g === '' && input.kind === 'PersistentVolumeClaim' && startsWith(change.path, 'spec', 'resources', 'requests', 'storage') && isCut(change)) {
      risks.push({ field, reason: 'shrinks a volume claim: the API server forbids it' });
    }
    if (input.kind === 'ConfigMap' || input.kind === 'Secret') {
      if (before.immutable === true && ['data', 'binaryData', 'stringData'].includes(keyAt(change.path, 0))) {
        risks.push({ field, reason: `${input.kind} is immutable: its data cannot be updated in place` });
      }
    }
    if (input.production) {
      const capacity = CAPACITY.find((c) => c.kind === input.kind && samePath(change.path, c.field));
      if (capacity && isCut(change)) risks.push({ field, reason: `cuts capacity in production: ${formatValue(change.before)} → ${formatValue(change.after)}` });
      if (isResourceField(change.path) && isCut(change, true)) {
        risks.push({ field, reason: `cuts ${keyAt(change.path, change.path.length - 2)} in production: ${formatValue(change.before)} → ${formatValue(change.after)}` });
      }
    }
  }
  if (g === 'networking.k8s.io' && input.kind === 'NetworkPolicy') risks.push(...networkPolicyWidening(input.before, input.after));
  return risks;
}

function keyAt(path: readonly PathStep[], i: number): string {
  const step = path[i];
  return step && 'key' in step ? step.key : '';
}

function startsWith(path: readonly PathStep[], ...keys: string[]): boolean {
  return keys.every((k, i) => keyAt(path, i) === k);
}

function samePath(path: readonly PathStep[], keys: readonly string[]): boolean {
  return path.length === keys.length && startsWith(path, ...keys);
}

/** `…containers[x].resources.{requests,limits}.{cpu,memory,ephemeral-storage}` of a pod template or pod. */
function isResourceField(path: readonly PathStep[]): boolean {
  const n = path.length;
  return n >= 4
    && ['cpu', 'memory', 'ephemeral-storage'].includes(keyAt(path, n - 1))
    && ['requests', 'limits'].includes(keyAt(path, n - 2))
    && keyAt(path, n - 3) === 'resources'
    && path.some((s) => 'key' in s && (s.key === 'containers' || s.key === 'initContainers'));
}

/** A number or quantity that went down; with `dropCounts`, also one that was removed. */
function isCut(change: FieldChange, dropCounts = false): boolean {
  const b = toNumber(change.before);
  const a = toNumber(change.after);
  if (b === undefined) return false;
  return a === undefined ? dropCounts && change.after === undefined : a < b;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    try {
      return parseQuantity(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

type Rule = Record<string, unknown>;

/**
 * A NetworkPolicy admits more when a direction stops being isolated, or when a new rule is not
 * covered by an old one (every peer and port of the new rule already allowed by a single old rule).
 */
function networkPolicyWidening(before: Record<string, unknown>, after: Record<string, unknown>): Risk[] {
  const risks: Risk[] = [];
  const specOf = (o: Record<string, unknown>) => (isRecord(o.spec) ? o.spec : {});
  const bs = specOf(before);
  const as = specOf(after);
  if (!deepEqual(bs.podSelector, as.podSelector)) {
    risks.push({ field: 'spec.podSelector', reason: 'changes which pods the NetworkPolicy isolates: pods it no longer selects lose its protection' });
  }
  for (const [direction, peers, type] of [['ingress', 'from', 'Ingress'], ['egress', 'to', 'Egress']] as const) {
    const types = (s: Record<string, unknown>) => (Array.isArray(s.policyTypes) ? s.policyTypes : direction === 'ingress' ? ['Ingress'] : []);
    if (types(bs).includes(type) && !types(as).includes(type)) {
      risks.push({ field: 'spec.policyTypes', reason: `widens the NetworkPolicy: ${type} is no longer isolated, all ${direction} traffic is admitted` });
      continue;
    }
    const oldRules = (Array.isArray(bs[direction]) ? bs[direction] : []) as Rule[];
    const newRules = (Array.isArray(as[direction]) ? as[direction] : []) as Rule[];
    for (const rule of newRules) {
      if (oldRules.some((old) => covers(old, rule, peers))) continue;
      risks.push({ field: `spec.${direction}`, reason: `widens the NetworkPolicy: admits ${direction} ${describeRule(rule, peers)}` });
    }
  }
  return risks;
}

/** `from pods(app.kubernetes.io/name=worker) on TCP/8080`, `to anywhere on all ports`. */
function describeRule(rule: Rule, peersKey: 'from' | 'to'): string {
  const selector = (s: unknown) => {
    const labels = isRecord(s) && isRecord(s.matchLabels) ? Object.entries(s.matchLabels).map(([k, v]) => `${k}=${String(v)}`) : [];
    const expressions = isRecord(s) && Array.isArray(s.matchExpressions) && s.matchExpressions.length > 0 ? ['…expressions'] : [];
    return [...labels, ...expressions].join(',') || 'all';
  };
  const peers = (Array.isArray(rule[peersKey]) ? rule[peersKey] : []) as unknown[];
  const peerText = peers.length === 0 ? 'anywhere' : peers.map((p) => {
    if (!isRecord(p)) return formatValue(p);
    if (isRecord(p.ipBlock)) return `cidr ${String(p.ipBlock.cidr)}${Array.isArray(p.ipBlock.except) ? ` except ${p.ipBlock.except.join(',')}` : ''}`;
    const parts: string[] = [];
    if (p.namespaceSelector !== undefined) parts.push(`namespaces(${selector(p.namespaceSelector)})`);
    if (p.podSelector !== undefined) parts.push(`pods(${selector(p.podSelector)})`);
    return parts.join(' ') || formatValue(p);
  }).join(', ');
  const ports = (Array.isArray(rule.ports) ? rule.ports : []) as unknown[];
  const portText = ports.length === 0 ? 'all ports' : ports.map((p) => (isRecord(p) ? `${String(p.protocol ?? 'TCP')}/${String(p.port ?? 'all')}${p.endPort ? `-${String(p.endPort)}` : ''}` : formatValue(p))).join(', ');
  return `${peersKey} ${peerText} on ${portText}`;
}

/** Whether `old` already allows everything `rule` allows. An absent or empty list means "all". */
function covers(old: Rule, rule: Rule, peersKey: 'from' | 'to'): boolean {
  const list = (r: Rule, key: string) => (Array.isArray(r[key]) ? (r[key] as unknown[]) : []);
  const within = (key: string) => {
    const o = list(old, key);
    const n = list(rule, key);
    if (o.length === 0) return true;
    return n.length > 0 && n.every((item) => o.some((x) => deepEqual(x, item) || ipBlockCovers(x, item)));
  };
  return within(peersKey) && within('ports');
}

/**
 * Whether the old peer is an ipBlock admitting every address the new ipBlock admits: the new CIDR
 * lies inside the old one, and each network the old one excepts is excepted by the new one too
 * (e.g. HTTPS to 0.0.0.0/0 gaining `except` entries narrows).
 */
function ipBlockCovers(old: unknown, peer: unknown): boolean {
  const block = (p: unknown) => (isRecord(p) && isRecord(p.ipBlock) && typeof p.ipBlock.cidr === 'string' && Object.keys(p).length === 1
    ? { cidr: p.ipBlock.cidr, except: (Array.isArray(p.ipBlock.except) ? p.ipBlock.except : []).map(String) }
    : undefined);
  const o = block(old);
  const n = block(peer);
  if (!o || !n || !isCidr(o.cidr) || !isCidr(n.cidr) || ![...o.except, ...n.except].every(isCidr) || !cidrWithin(n.cidr, o.cidr)) return false;
  // An old exception overlapping the new network must be excepted by the new rule as well.
  return o.except.every((e) => (!cidrWithin(e, n.cidr) && !cidrWithin(n.cidr, e)) || n.except.some((x) => cidrWithin(e, x)));
}
