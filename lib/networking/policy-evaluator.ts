// Answers "may this pod open a connection to that one on this port?" from NetworkPolicy objects,
// with the semantics of https://kubernetes.io/docs/concepts/services-networking/network-policies/.
import { cidrContains } from '../core/cidr';
import { NAMESPACE_NAME_LABEL } from './network-policy';

/** A pod as policies see it: namespace, labels, and the container ports named ports resolve to. */
export interface PodEndpoint {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports?: readonly { readonly name?: string; readonly port: number; readonly protocol?: string }[];
  /** Pod IP, for ipBlock rules; ipBlocks never match a pod without one. */
  readonly ip?: string;
}

/** An address outside the cluster. */
export interface ExternalEndpoint {
  readonly ip: string;
}

export type FlowEndpoint = PodEndpoint | ExternalEndpoint;

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Port {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Port[];
}

/** A NetworkPolicy as synthesized JSON. */
export interface NetworkPolicyObject {
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string };
  readonly spec?: unknown;
}

interface Policy {
  name: string;
  namespace: string;
  podSelector: LabelSelector;
  types: string[];
  ingress: Rule[];
  egress: Rule[];
}

const isPod = (e: FlowEndpoint): e is PodEndpoint => 'namespace' in e;

/** Evaluates NetworkPolicies the way a conforming CNI enforces them (both ends must allow a flow). */
export class NetworkPolicyEvaluator {
  private readonly policies: Policy[];

  /**
   * @param objects synthesized objects; only NetworkPolicies are read (they must carry a namespace)
   * @param namespaceLabels labels of a namespace; `kubernetes.io/metadata.name` is always added
   */
  constructor(objects: readonly NetworkPolicyObject[], private readonly namespaceLabels: (namespace: string) => Readonly<Record<string, string>> = () => ({})) {
    this.policies = objects
      .filter((o) => o.kind === 'NetworkPolicy')
      .map((o) => {
        const spec = (o.spec ?? {}) as { podSelector?: LabelSelector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };
        if (o.metadata.namespace === undefined) throw new Error(`NetworkPolicy ${o.metadata.name} has no namespace`);
        // Without policyTypes, Ingress always applies and Egress only when egress rules are present.
        const types = spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
        return { name: o.metadata.name ?? '', namespace: o.metadata.namespace, podSelector: spec.podSelector ?? {}, types, ingress: spec.ingress ?? [], egress: spec.egress ?? [] };
      });
  }

  /** Whether `from` may open a connection to `to` on `port`: the source's egress and the destination's ingress must both allow it. */
  public allows(from: FlowEndpoint, to: FlowEndpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): boolean {
    return this.egressAllows(from, to, port, protocol) && this.ingressAllows(from, to, port, protocol);
  }

  /** The policies that admit the flow on each side, for messages (empty side: not isolated). */
  public explain(from: FlowEndpoint, to: FlowEndpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): { egress: string[]; ingress: string[] } {
    const egress = isPod(from) ? this.selecting(from, 'Egress').filter((p) => p.egress.some((r) => this.ruleMatches(r, r.to, p.namespace, to, to, port, protocol))).map((p) => p.name) : [];
    const ingress = isPod(to) ? this.selecting(to, 'Ingress').filter((p) => p.ingress.some((r) => this.ruleMatches(r, r.from, p.namespace, from, to, port, protocol))).map((p) => p.name) : [];
    return { egress, ingress };
  }

  private egressAllows(from: FlowEndpoint, to: FlowEndpoint, port: number, protocol: string): boolean {
    if (!isPod(from)) return true;
    const policies = this.selecting(from, 'Egress');
    if (policies.length === 0) return true;
    return policies.some((p) => p.egress.some((r) => this.ruleMatches(r, r.to, p.namespace, to, to, port, protocol)));
  }

  private ingressAllows(from: FlowEndpoint, to: FlowEndpoint, port: number, protocol: string): boolean {
    if (!isPod(to)) return true;
    const policies = this.selecting(to, 'Ingress');
    if (policies.length === 0) return true;
    return policies.some((p) => p.ingress.some((r) => this.ruleMatches(r, r.from, p.namespace, from, to, port, protocol)));
  }

  private selecting(pod: PodEndpoint, type: string): Policy[] {
    return this.policies.filter((p) => p.namespace === pod.namespace && p.types.includes(type) && selects(p.podSelector, pod.labels));
  }

  private ruleMatches(rule: Rule, peers: Peer[] | undefined, policyNamespace: string, peer: FlowEndpoint, destination: FlowEndpoint, port: number, protocol: string): boolean {
    const peerOk = peers === undefined || peers.length === 0 || peers.some((p) => this.peerMatches(p, policyNamespace, peer));
    const portOk = rule.ports === undefined || rule.ports.length === 0 || rule.ports.some((p) => portMatches(p, destination, port, protocol));
    return peerOk && portOk;
  }

  private peerMatches(peer: Peer, policyNamespace: string, endpoint: FlowEndpoint): boolean {
    if (peer.ipBlock) {
      const ip = endpoint.ip;
      if (ip === undefined) return false;
      return cidrContains(peer.ipBlock.cidr, ip) && !(peer.ipBlock.except ?? []).some((c) => cidrContains(c, ip));
    }
    if (!isPod(endpoint)) return false;
    const namespaceOk = peer.namespaceSelector === undefined
      ? endpoint.namespace === policyNamespace
      : selects(peer.namespaceSelector, { ...this.namespaceLabels(endpoint.namespace), [NAMESPACE_NAME_LABEL]: endpoint.namespace });
    const podOk = peer.podSelector === undefined || selects(peer.podSelector, endpoint.labels);
    return namespaceOk && podOk;
  }
}

function portMatches(rule: Port, destination: FlowEndpoint, port: number, protocol: string): boolean {
  if ((rule.protocol ?? 'TCP') !== protocol) return false;
  if (rule.port === undefined) return true;
  if (typeof rule.port === 'number') return rule.endPort === undefined ? rule.port === port : port >= rule.port && port <= rule.endPort;
  // A named port resolves against the destination pod's container ports.
  const named = isPod(destination) ? destination.ports?.find((p) => p.name === rule.port && (p.protocol ?? 'TCP') === protocol) : undefined;
  return named !== undefined && named.port === port;
}

/** Whether a label selector matches labels (an empty selector matches everything). */
export function selects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** The pods that synthesized workloads (Deployment, StatefulSet, DaemonSet, Rollout, Job, CronJob) run, from their templates. */
export function podsOf(objects: readonly { kind: string; metadata: { namespace?: string; name?: string }; spec?: unknown }[]): (PodEndpoint & { readonly name: string })[] {
  const pods: (PodEndpoint & { name: string })[] = [];
  for (const o of objects) {
    const spec = o.spec as Record<string, any> | undefined;
    const template = o.kind === 'CronJob' ? spec?.jobTemplate?.spec?.template : ['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout', 'Job'].includes(o.kind) ? spec?.template : undefined;
    if (!template) continue;
    if (o.metadata.namespace === undefined) throw new Error(`${o.kind} ${o.metadata.name} has no namespace`);
    const containers = [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])] as { ports?: { name?: string; containerPort: number; protocol?: string }[] }[];
    pods.push({
      name: `${o.kind}/${o.metadata.name}`,
      namespace: o.metadata.namespace,
      labels: template.metadata?.labels ?? {},
      ports: containers.flatMap((c) => (c.ports ?? []).map((p) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' }))),
    });
  }
  return pods;
}
