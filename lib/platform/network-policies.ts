// The network-policy graph, derived from what the platform declares: every namespace denies all
// traffic, then exactly the implied flows are allowed, on both ends (egress and ingress).
import { cidrWithin } from '../core/cidr';
import { recommendedLabels } from '../core/labels';
import { Wave } from '../core/waves';
import { NetworkPolicy, PolicyPeer, type PolicyPort, type PolicyRule } from '../networking/network-policy';
import { API_SERVER_PORTS, KUBELET_PORT, SpecError } from '../spec';
import { metricsPortNames, type ClusterFlow, type Endpoint, type EndpointPort, type PlatformContext } from './context';
import { managedNamespaces } from './security';

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
  // An outside network never includes the cluster's own: its networks inside the CIDR are excepted.
  const outside = (name: string, cidr: string, except: readonly string[] = []): Party => ({ kind: 'network', name, cidr, except: withoutCluster(cidr, except, clusterNetworks(cluster)) });

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
        to: outside(rule.name, rule.cidr, rule.except),
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
      to: outside(flow.name, flow.cidr, flow.except),
      ports: flow.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })),
      reason: `${flow.from.name} calls ${flow.name} outside the cluster`,
    });
  }

  // Connections to the cluster itself, at the addresses the cluster spec gives.
  for (const flow of ctx.clusterFlows) {
    const target = clusterTarget(ctx, flow.to);
    for (const cidr of target.cidrs) {
      flows.push({
        from: pods(flow.from),
        to: { kind: 'network', name: flow.to, cidr, except: [] },
        ports: [{ port: target.port, protocol: 'TCP' }],
        reason: `${flow.from.name} calls the ${flow.to === 'api-server' ? 'Kubernetes API' : 'kubelets'}: ${flow.why}`,
      });
    }
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

/** The networks of the cluster itself (pods, Services, nodes, the API server), as far as the spec knows them. */
function clusterNetworks(cluster: PlatformContext['platform']['cluster']): string[] {
  return [...cluster.podCidrs, ...cluster.serviceCidrs, ...cluster.nodeCidrs, ...(cluster.apiServer?.cidrs ?? [])];
}

/**
 * Where the API server or the kubelets are, from the cluster spec; a spec that does not say while a
 * workload calls them is a SpecError naming every caller.
 */
function clusterTarget(ctx: PlatformContext, to: ClusterFlow['to']): { cidrs: readonly string[]; port: number } {
  const { cluster, environment } = ctx.platform;
  const callers = ctx.clusterFlows.filter((f) => f.to === to).map((f) => `${f.from.name} (${f.why})`).join(', ');
  if (to === 'api-server') {
    if (cluster.apiServer) return cluster.apiServer;
    throw new SpecError([{
      environment, path: 'cluster.apiServer', received: undefined,
      message: `${callers} call the Kubernetes API, and their egress policies must name its endpoints; set cluster.apiServer.cidrs to the networks of the addresses \`kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes\` lists (not the kubernetes Service's ClusterIP), and cluster.apiServer.port if it is not ${API_PORT_TEXT}`,
    }]);
  }
  if (cluster.nodeCidrs.length > 0) return { cidrs: cluster.nodeCidrs, port: KUBELET_PORT };
  throw new SpecError([{
    environment, path: 'cluster.nodeCidrs', received: [],
    message: `${callers} call the kubelets on port ${KUBELET_PORT}, and their egress policies must name the nodes' addresses; set cluster.nodeCidrs to the networks node InternalIPs come from`,
  }]);
}

const API_PORT_TEXT = `the provider's default (${[...new Set(Object.values(API_SERVER_PORTS))].map((port) => {
  const providers = Object.entries(API_SERVER_PORTS).filter(([, p]) => p === port).map(([name]) => name);
  return `${port} on ${providers.length > 1 ? `${providers.slice(0, -1).join(', ')} and ${providers.at(-1)}` : providers[0]}`;
}).join(', ')})`;

/**
 * `except` plus each cluster network strictly inside `cidr`, without networks another entry
 * already covers, in a stable order (an ipBlock may only except sub-networks of its CIDR).
 */
function withoutCluster(cidr: string, except: readonly string[], cluster: readonly string[]): string[] {
  const candidates = [...new Set([...except, ...cluster.filter((n) => n !== cidr && cidrWithin(n, cidr))])];
  return candidates.filter((n, i) => !candidates.some((m, j) => j !== i && m !== n && cidrWithin(n, m)));
}

/** The ports a caller may use: all but the metrics ports, which only Prometheus reaches. */
function servingPorts(endpoint: Endpoint, caller: string): readonly EndpointPort[] {
  const metricsPorts = metricsPortNames(endpoint);
  const serving = endpoint.ports.filter((p) => !metricsPorts.includes(p.name));
  if (serving.length === 0) throw new Error(`${caller} calls ${endpoint.name}, which serves no port besides metrics`);
  return serving;
}

/** Default deny in every namespace the platform creates, DNS for every pod, and one ingress and one egress policy per component with flows. */
export function buildNetworkPolicies(ctx: PlatformContext): void {
  if (!ctx.platform.traffic.networkPolicies) return;
  const { platform } = ctx;
  const chart = ctx.chart(Wave.POLICIES, 'network-policies');
  // Every namespace the platform creates denies everything by default (the standalone monitoring
  // stack's included); cluster add-ons (DNS, ingress, operators, an operator-run Prometheus) live in
  // namespaces the platform does not create, which their own owners police.
  const owned = new Set(managedNamespaces(ctx).map((ns) => ns.name));
  const unowned = ctx.endpoints.filter((e) => !owned.has(e.namespace)).map((e) => `${e.namespace}/${e.name}`);
  if (unowned.length > 0) throw new Error(`endpoints in namespaces the platform does not create would go unpoliced: ${unowned.join(', ')}`);
  // A policy's own identity, not the workload's: `-l app.kubernetes.io/instance=postgres-prod` finds the workload only.
  const labelsFor = (name: string, namespace: string) => recommendedLabels(ctx.platformIdentity(name, 'network-policy', `${name}-${namespace}`));
  const dns = PolicyPeer.pods(platform.cluster.dns.podLabels, platform.cluster.dns.namespace);

  for (const namespace of [...owned].sort()) {
    new NetworkPolicy(chart, `${namespace}-default-deny`, {
      name: 'default-deny', namespace, labels: labelsFor('default-deny', namespace), podSelector: {}, ingress: [], egress: [],
    });
    new NetworkPolicy(chart, `${namespace}-allow-dns`, {
      name: 'allow-dns', namespace, labels: labelsFor('allow-dns', namespace), podSelector: {}, egress: [{ peers: [dns], ports: DNS_PORTS }],
    });
  }

  // Group rules per (namespace, component, direction), then per peer, in flow order; the networks of
  // one named outside party on the same ports (the API server's subnets) share one rule.
  type Side = { namespace: string; name: string; selector: Readonly<Record<string, string>>; rules: Map<string, { peers: Map<string, PolicyPeer>; ports: PolicyPort[] }> };
  const ingress = new Map<string, Side>();
  const egress = new Map<string, Side>();
  const sideOf = (map: Map<string, Side>, party: Extract<Party, { kind: 'pods' }>): Side => {
    const key = `${party.namespace}/${party.name}`;
    let side = map.get(key);
    if (!side) map.set(key, (side = { namespace: party.namespace, name: party.name, selector: party.selector, rules: new Map() }));
    else if (JSON.stringify(side.selector) !== JSON.stringify(party.selector)) throw new Error(`${key} is registered with two different pod selectors`);
    return side;
  };
  const add = (side: Side, party: Party, ports: readonly PolicyPort[]) => {
    const [key, peerKey, peer] = party.kind === 'network'
      ? [`network:${party.name}:${ports.map((p) => `${p.protocol}/${p.port}`).join(',')}`, `${party.cidr}-${party.except.join(',')}`, PolicyPeer.ipBlock(party.cidr, party.except)]
      : [`pods:${party.namespace}/${party.name}`, 'pods', PolicyPeer.pods(party.selector, party.namespace === side.namespace ? undefined : party.namespace)];
    const rule = side.rules.get(key) ?? { peers: new Map<string, PolicyPeer>(), ports: [] as PolicyPort[] };
    if (!rule.peers.has(peerKey)) rule.peers.set(peerKey, peer);
    for (const p of ports) if (!rule.ports.some((q) => q.port === p.port && q.protocol === p.protocol)) rule.ports.push(p);
    side.rules.set(key, rule);
  };
  for (const flow of deriveFlows(ctx)) {
    if (flow.to.kind === 'pods' && owned.has(flow.to.namespace)) add(sideOf(ingress, flow.to), flow.from, flow.ports);
    if (flow.from.kind === 'pods' && owned.has(flow.from.namespace)) add(sideOf(egress, flow.from), flow.to, flow.ports);
  }
  const emit = (side: Side, direction: 'ingress' | 'egress') => {
    const rules: PolicyRule[] = [...side.rules.values()].map((r) => ({ peers: [...r.peers.values()], ports: r.ports }));
    const name = `${side.name}-${direction}`;
    new NetworkPolicy(chart, `${side.namespace}-${name}`, {
      name, namespace: side.namespace, labels: labelsFor(name, side.namespace), podSelector: side.selector, [direction]: rules,
    });
  };
  for (const side of ingress.values()) emit(side, 'ingress');
  for (const side of egress.values()) emit(side, 'egress');
}
