import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isCidr } from '../core/cidr';
import { isDns1123Label, isDns1123Subdomain } from '../core/names';

/** The label every namespace carries with its own name (Kubernetes ≥ 1.22), for selecting one namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Who a rule admits (ingress) or reaches (egress). */
export class PolicyPeer {
  /** Pods with these labels, in `namespace` (or the policy's own namespace when omitted). */
  public static pods(labels: Readonly<Record<string, string>>, namespace?: string): PolicyPeer {
    if (Object.keys(labels).length === 0) throw new Error('PolicyPeer.pods needs at least one label; use PolicyPeer.namespace() for every pod of a namespace');
    if (namespace !== undefined && !isDns1123Label(namespace)) throw new Error(`"${namespace}" is not a namespace name (DNS-1123 label)`);
    return new PolicyPeer({ labels: { ...labels }, namespace });
  }

  /** Every pod of a namespace. */
  public static namespace(namespace: string): PolicyPeer {
    if (!isDns1123Label(namespace)) throw new Error(`"${namespace}" is not a namespace name (DNS-1123 label)`);
    return new PolicyPeer({ namespace });
  }

  /** Addresses in a CIDR, less the `except` sub-networks. */
  public static ipBlock(cidr: string, except: readonly string[] = []): PolicyPeer {
    for (const c of [cidr, ...except]) if (!isCidr(c)) throw new Error(`"${c}" is not a network in CIDR notation with host bits zero (e.g. 10.0.0.0/16)`);
    return new PolicyPeer({ cidr, except: [...except] });
  }

  private constructor(private readonly spec: { labels?: Record<string, string>; namespace?: string; cidr?: string; except?: string[] }) {}

  /** The NetworkPolicyPeer JSON. */
  public render(): k8s.NetworkPolicyPeer {
    const { labels, namespace, cidr, except } = this.spec;
    if (cidr !== undefined) return { ipBlock: { cidr, except: except && except.length > 0 ? except : undefined } };
    return {
      namespaceSelector: namespace === undefined ? undefined : { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
      podSelector: labels === undefined ? undefined : { matchLabels: labels },
    };
  }
}

/** A port a rule admits: a number (or range up to `endPort`) or a container port name. */
export interface PolicyPort {
  readonly port: number | string;
  /** Last port of a range. @default a single port */
  readonly endPort?: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** One rule: traffic with any of `peers` on any of `ports`. */
export interface PolicyRule {
  /** Who is admitted or reached; must not be empty (an empty list would mean everyone). */
  readonly peers: readonly PolicyPeer[];
  /** Ports; must not be empty (an empty list would mean every port). */
  readonly ports: readonly PolicyPort[];
}

export interface NetworkPolicyProps {
  /** Object name (explicit, so policies never overwrite each other). @default the construct id */
  readonly name?: string;
  /** Namespace of the policy (and of the pods it selects). @default the chart's namespace */
  readonly namespace?: string;
  /** Labels on the policy. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Pods the policy applies to; an empty object selects every pod of the namespace. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** Inbound rules; `[]` denies all inbound traffic to the selected pods. @default no ingress isolation */
  readonly ingress?: readonly PolicyRule[];
  /** Outbound rules; `[]` denies all outbound traffic from the selected pods. @default no egress isolation */
  readonly egress?: readonly PolicyRule[];
}

/**
 * A NetworkPolicy with an explicit name. Rules always name their peers and ports: a rule with an
 * empty peer or port list would silently allow everyone or every port, so it is refused.
 */
export class NetworkPolicy extends Construct {
  public readonly policy: k8s.KubeNetworkPolicy;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: NetworkPolicyProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1123Subdomain(this.name)) throw new Error(`NetworkPolicy name "${this.name}" is not a DNS-1123 subdomain`);
    if (props.ingress === undefined && props.egress === undefined) throw new Error(`${this.name}: a NetworkPolicy needs ingress or egress rules (an empty list denies)`);
    const check = (rules: readonly PolicyRule[] | undefined, direction: string) => rules?.forEach((r, i) => {
      if (r.peers.length === 0) throw new Error(`${this.name}: ${direction} rule ${i} has no peers, which would admit everyone; name the peers`);
      if (r.ports.length === 0) throw new Error(`${this.name}: ${direction} rule ${i} has no ports, which would admit every port; name the ports`);
      for (const p of r.ports) {
        if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535)) throw new Error(`${this.name}: port ${p.port} is outside 1-65535`);
        if (p.endPort !== undefined && (typeof p.port !== 'number' || p.endPort < p.port)) throw new Error(`${this.name}: endPort ${p.endPort} needs a numeric port at most equal to it`);
      }
    });
    check(props.ingress, 'ingress');
    check(props.egress, 'egress');
    const renderPorts = (ports: readonly PolicyPort[]) => ports.map((p) => ({
      port: typeof p.port === 'number' ? k8s.IntOrString.fromNumber(p.port) : k8s.IntOrString.fromString(p.port),
      endPort: p.endPort,
      protocol: p.protocol ?? 'TCP',
    }));
    const policyTypes = [...(props.ingress ? ['Ingress'] : []), ...(props.egress ? ['Egress'] : [])];
    this.policy = new k8s.KubeNetworkPolicy(this, 'policy', {
      metadata: { name: this.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        podSelector: Object.keys(props.podSelector).length === 0 ? {} : { matchLabels: { ...props.podSelector } },
        policyTypes,
        ingress: props.ingress?.map((r) => ({ from: r.peers.map((p) => p.render()), ports: renderPorts(r.ports) })),
        egress: props.egress?.map((r) => ({ to: r.peers.map((p) => p.render()), ports: renderPorts(r.ports) })),
      },
    });
  }
}
