// The network-policy graph, derived from what the platform declares: every namespace denies all
// traffic, then exactly the implied flows are allowed, on both ends (egress and ingress).
import { recommendedLabels } from '../core/labels';
import { Wave } from '../core/waves';
import { NetworkPolicy, PolicyPeer, type PolicyPort, type PolicyRule } from '../networking/network-policy';
import { metricsPortNames, type Endpoint, type EndpointPort, type PlatformContext } from './context';

/** Pods of one component, or an outside network. */
type Party =
  | { readonly kind: 'pods'; readonly name: string; readonly namespace: string; readonly selector: Readonly<Record<string, string>> }
  | { readonly kind: 'network'; readonly name: string; readonly cidr: string; readonly except: readonly string[] };

/** One allowed connection: from a party to a party on ports, and why (for reading the graph). */
export interface Flow {
  readonly from: Party;
  readonly to: Party;
  readonly ports: readonly PolicyPort[];
  readonly reason: string;
}

const DNS_PORTS: readonly PolicyPort[] = [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }];

/** Every flow the platform implies, in a stable order. */
export function deriveFlows(ctx: PlatformContext): Flow[] {
  const { cluster } = ctx.platform;
  const flows: Flow[] = [];
  const pods = (e: { name: string; namespace: string; selector: Readonly<Record<string, string>> }): Party => ({ kind: 'pods', name: e.name, namespace: e.namespace, selector: e.selector });
  const portsOf = (ports: readonly EndpointPort[]): PolicyPort[] => ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }));

  // Each service's dependencies reach the target's serving ports; its egress list reaches outside networks.
  for (const svc of ctx.platform.services) {
    const self = pods(ctx.endpoint(svc.name));
    for (const target of svc.dependsOn) {
      const endpoint = ctx.endpoint(target);
      flows.push({ from: self, to: pods(endpoint), ports: portsOf(servingPorts(endpoint, svc.name)), reason: `${svc.name} depends on ${target}` });
    }
    for (const rule of svc.egress) {
      flows.push({
        from: self,
        to: { kind: 'network', name: rule.name, cidr: rule.cidr, except: rule.except },
        ports: rule.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
        reason: `${svc.name} calls ${rule.name} outside the cluster`,
      });
    }
  }
  // Connections other components declared (log shipper → Logstash, apps → collector, ...), by port name.
  for (const flow of ctx.flows) {
    const endpoint = ctx.endpoint(flow.to);
    const ports = endpoint.ports.filter((p) => flow.ports.includes(p.name));
    flows.push({ from: pods(flow.from), to: pods(endpoint), ports: portsOf(ports), reason: `${flow.from.name} calls ${flow.to} (${flow.ports.join(', ')})` });
  }

  // Connections other components declared to outside networks (backups to object storage, ...).
  for (const flow of ctx.externalFlows) {
    flows.push({
      from: pods(flow.from),
      to: { kind: 'network', name: flow.name, cidr: flow.cidr, except: [] },
      ports: flow.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })),
      reason: `${flow.from.name} calls ${flow.name} outside the cluster`,
    });
  }

  const controller = pods({ name: 'ingress-controller', namespace: cluster.ingressController.namespace, selector: cluster.ingressController.podLabels });
  for (const svc of ctx.platform.services) {
    const endpoint = ctx.endpoint(svc.name);
    if (svc.exposure !== undefined) {
      const portName = svc.exposure.port ?? svc.ports[0].name;
      flows.push({ from: controller, to: pods(endpoint), ports: portsOf(endpoint.ports.filter((p) => p.name === portName)), reason: `${svc.name} is exposed through the ingress controller` });
    }
    if (svc.network.type === 'NodePort' || svc.network.type === 'LoadBalancer') {
      const ranges = svc.network.sourceRanges.length > 0 ? svc.network.sourceRanges : ['0.0.0.0/0', '::/0'];
      for (const cidr of ranges) {
        flows.push({ from: { kind: 'network', name: 'clients', cidr, except: [] }, to: pods(endpoint), ports: portsOf(servingPorts(endpoint, 'outside clients')), reason: `${svc.name} is a ${svc.network.type} Service` });
      }
    }
  }

  const prometheus = pods({ name: 'prometheus', namespace: cluster.prometheus.namespace, selector: cluster.prometheus.podLabels });
  for (const endpoint of ctx.endpoints) {
    const metricsPorts = metricsPortNames(endpoint);
    if (metricsPorts.length === 0) continue;
    const missing = metricsPorts.filter((name) => !endpoint.ports.some((p) => p.name === name));
    if (missing.length > 0) throw new Error(`endpoint ${endpoint.name}: metrics port ${missing.join(', ')} is not one of its ports`);
    flows.push({ from: prometheus, to: pods(endpoint), ports: portsOf(endpoint.ports.filter((p) => metricsPorts.includes(p.name))), reason: `Prometheus scrapes ${endpoint.name}` });
  }
  return flows;
}

/** The ports a caller may use: all but the metrics ports, which only Prometheus reaches. */
function servingPorts(endpoint: Endpoint, caller: string): readonly EndpointPort[] {
  const metricsPorts = metricsPortNames(endpoint);
  const serving = endpoint.ports.filter((p) => !metricsPorts.includes(p.name));
  if (serving.length === 0) throw new Error(`${caller} calls ${endpoint.name}, which serves no port besides metrics`);
  return serving;
}

/** Default deny per namespace the platform serves from, DNS for every pod, and one ingress and one egress policy per component with flows. */
export function buildNetworkPolicies(ctx: PlatformContext): void {
  if (!ctx.platform.traffic.networkPolicies) return;
  const { platform } = ctx;
  const chart = ctx.chart(Wave.POLICIES, 'network-policies');
  // Namespaces the platform serves from deny everything by default. A namespace that only holds
  // callers (the log shipper's, whose pods also call the Kubernetes API at an address the spec does
  // not know) denies all ingress but keeps its egress open; its peers admit it by label.
  const owned = new Set<string>([ctx.namespace, ...ctx.endpoints.map((e) => e.namespace)]);
  // Cluster add-ons (DNS, ingress, Prometheus, operators) run in namespaces the platform does not own.
  const peerNamespaces = new Set(Object.values(platform.cluster).flatMap((v) => (typeof v === 'object' && v !== null && typeof (v as { namespace?: unknown }).namespace === 'string' ? [(v as { namespace: string }).namespace] : [])));
  const callersOnly = new Set(ctx.flows.map((f) => f.from.namespace).filter((ns) => !owned.has(ns) && !peerNamespaces.has(ns)));
  const labelsFor = (name: string) => recommendedLabels({ name, instance: `${name}-${platform.environment}`, component: 'network-policy', partOf: platform.name, version: platform.environment });
  const dns = PolicyPeer.pods(platform.cluster.dns.podLabels, platform.cluster.dns.namespace);

  for (const namespace of [...owned].sort()) {
    new NetworkPolicy(chart, `${namespace}-default-deny`, {
      name: 'default-deny', namespace, labels: labelsFor('default-deny'), podSelector: {}, ingress: [], egress: [],
    });
    new NetworkPolicy(chart, `${namespace}-allow-dns`, {
      name: 'allow-dns', namespace, labels: labelsFor('allow-dns'), podSelector: {}, egress: [{ peers: [dns], ports: DNS_PORTS }],
    });
  }
  for (const namespace of [...callersOnly].sort()) {
    new NetworkPolicy(chart, `${namespace}-default-deny-ingress`, {
      name: 'default-deny-ingress', namespace, labels: labelsFor('default-deny-ingress'), podSelector: {}, ingress: [],
    });
  }

  // Group rules per (namespace, component, direction), then per peer, in flow order.
  type Side = { namespace: string; name: string; selector: Readonly<Record<string, string>>; rules: Map<string, { peer: PolicyPeer; ports: PolicyPort[] }> };
  const ingress = new Map<string, Side>();
  const egress = new Map<string, Side>();
  const sideOf = (map: Map<string, Side>, party: Extract<Party, { kind: 'pods' }>): Side => {
    const key = `${party.namespace}/${party.name}`;
    let side = map.get(key);
    if (!side) map.set(key, (side = { namespace: party.namespace, name: party.name, selector: party.selector, rules: new Map() }));
    else if (JSON.stringify(side.selector) !== JSON.stringify(party.selector)) throw new Error(`${key} is registered with two different pod selectors`);
    return side;
  };
  const peerOf = (party: Party, policyNamespace: string): [string, PolicyPeer] => party.kind === 'network'
    ? [`network:${party.cidr}`, PolicyPeer.ipBlock(party.cidr, party.except)]
    : [`pods:${party.namespace}/${party.name}`, PolicyPeer.pods(party.selector, party.namespace === policyNamespace ? undefined : party.namespace)];
  const add = (side: Side, party: Party, ports: readonly PolicyPort[]) => {
    const [key, peer] = peerOf(party, side.namespace);
    const rule = side.rules.get(key) ?? { peer, ports: [] };
    for (const p of ports) if (!rule.ports.some((q) => q.port === p.port && q.protocol === p.protocol)) rule.ports.push(p);
    side.rules.set(key, rule);
  };
  for (const flow of deriveFlows(ctx)) {
    if (flow.to.kind === 'pods' && owned.has(flow.to.namespace)) add(sideOf(ingress, flow.to), flow.from, flow.ports);
    if (flow.from.kind === 'pods' && owned.has(flow.from.namespace)) add(sideOf(egress, flow.from), flow.to, flow.ports);
  }
  const emit = (side: Side, direction: 'ingress' | 'egress') => {
    const rules: PolicyRule[] = [...side.rules.values()].map((r) => ({ peers: [r.peer], ports: r.ports }));
    const name = `${side.name}-${direction}`;
    new NetworkPolicy(chart, `${side.namespace}-${name}`, {
      name, namespace: side.namespace, labels: labelsFor(side.name), podSelector: side.selector, [direction]: rules,
    });
  };
  for (const side of ingress.values()) emit(side, 'ingress');
  for (const side of egress.values()) emit(side, 'egress');
}
