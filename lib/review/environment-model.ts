import { formatBytes, formatCpu, parseQuantity } from '../core/quantity';
import { Wave } from '../core/waves';
import type { Endpoint, Flow, WorkloadInfo } from '../platform/context';
import type { ResolvedPlatform } from '../spec';
import { isRecord } from './object-diff';

type Json = Record<string, unknown>;

/** What the overview reads: the rendered files of one environment and what assembly registered. */
export interface OverviewInput {
  readonly platform: ResolvedPlatform;
  /** Output files (path relative to dist/, objects as synthesized). */
  readonly files: ReadonlyArray<{ readonly path: string; readonly objects: readonly object[] }>;
  /** `ctx.workloads`: replica bounds once an autoscaler owns the count. */
  readonly workloads: readonly WorkloadInfo[];
  /** `ctx.endpoints`: roles, dependencies' ports, metrics ports; components run by operators. */
  readonly endpoints: readonly Endpoint[];
  /** `ctx.flows`: who calls whom on which ports, beyond the services' `dependsOn`. */
  readonly flows?: readonly Flow[];
}

/** What a component is for, which decides its place and shape in the picture. */
export type ComponentRole = 'app' | 'data' | 'telemetry' | 'other';

/** A way in from outside the cluster. */
export interface EntryPoint {
  /** `Ingress/api`, `HTTPRoute/api`, `Service/api (LoadBalancer)`. */
  readonly title: string;
  /** Host names (or `*` when any), with paths when they narrow the route. */
  readonly routes: readonly string[];
  /** Component names traffic reaches. */
  readonly targets: readonly string[];
}

/** One component: a workload the environment runs, or a registered endpoint whose pods an operator runs. */
export interface Component {
  readonly name: string;
  readonly namespace: string;
  /** `Deployment`, `StatefulSet`, …, or the endpoint's role for operator-run components. */
  readonly kind: string;
  readonly role: ComponentRole;
  /** The endpoint role when registered (`service`, `postgres`, `prometheus`, …). */
  readonly endpointRole?: string;
  /** The service it runs when it is one of several workloads of one (a blue-green slot, a canary). */
  readonly service?: string;
  readonly description?: string;
  /** Labels of its pods; empty for operator-run components. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly images: readonly string[];
  /** `3`, `2–10 (HPA)`, `one per node`, `1 completion`, a CronJob schedule. */
  readonly replicas: string;
  readonly minPods: number;
  readonly maxPods: number;
  /** Per pod, summed over its containers; undefined where a container sets none. */
  readonly requests: { readonly cpu?: number; readonly memory?: number };
  readonly limits: { readonly cpu?: number; readonly memory?: number };
  /** `Service api :80→http, :9090→metrics`. */
  readonly services: readonly string[];
  /** Names of the Services that reach it: rendered ones and the one its endpoint names (operators create theirs). */
  readonly serviceNames: readonly string[];
  /** Persistent storage: `data 20Gi (gp3)`. */
  readonly storage: readonly string[];
  /** Names of the components it calls (declared `dependsOn`). */
  readonly dependsOn: readonly string[];
  /** OTLP endpoints its containers export to (host names). */
  readonly otlpHosts: readonly string[];
  readonly metrics?: readonly { readonly port: string; readonly path: string }[];
}

/** One side of a call: a component of the environment, or pods outside it (an add-on, another namespace). */
export interface CallPeer {
  readonly name: string;
  readonly namespace: string;
  /** The component, when the peer is one. */
  readonly component?: Component;
}

/** A declared call between components: a flow, a service's `dependsOn`, or an OTLP exporter setting. */
export interface Call {
  readonly from: CallPeer;
  readonly to: Component;
  /** `http :80`, `otlp-http :4318`. */
  readonly ports: readonly string[];
  /** Whether it carries telemetry (logs, traces, metrics) rather than requests. */
  readonly telemetry: boolean;
}

/** Everything the overview shows, derived once. */
export interface EnvironmentModel {
  readonly platform: ResolvedPlatform;
  readonly components: readonly Component[];
  readonly calls: readonly Call[];
  readonly entryPoints: readonly EntryPoint[];
  readonly objectCount: number;
  readonly fileCount: number;
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'Rollout'];
const DATA_ROLES = ['postgres', 'postgresql', 'mysql', 'mariadb', 'redis', 'valkey', 'memcached', 'elasticsearch', 'opensearch', 'mongodb', 'kafka', 'rabbitmq', 'nats', 'minio', 'cassandra', 'clickhouse'];
const TELEMETRY_ROLES = [
  'prometheus', 'alertmanager', 'grafana', 'kube-state-metrics', 'node-exporter', 'otel-collector', 'opentelemetry-collector',
  'collector', 'loki', 'tempo', 'jaeger', 'fluent-bit', 'filebeat', 'logstash', 'vector', 'kibana',
];

/** Derives components, entry points and flows from the rendered objects and the registries. */
export function modelEnvironment(input: OverviewInput): EnvironmentModel {
  const located = input.files.flatMap((f) => (f.objects as Json[]).map((obj) => ({ obj, wave: waveOf(f.path) })));
  const objects = located.map((l) => l.obj);
  const services = objects.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1');
  const scalers = autoscalersOf(objects);
  const endpointsByName = new Map(input.endpoints.map((e) => [e.name, e]));
  const registered = new Map(input.workloads.map((w) => [`${w.namespace}/${w.name}`, w]));
  const specServices = new Map(input.platform.services.map((s) => [s.name as string, s]));
  const servicesSelecting = serviceSelectors(services);
  const components: Component[] = [];

  for (const { obj, wave } of located) {
    if (typeof obj.kind !== 'string' || !WORKLOAD_KINDS.includes(obj.kind)) continue;
    const meta = obj.metadata as Json;
    const name = String(meta.name);
    const namespace = String(meta.namespace ?? input.platform.namespace);
    const template = podTemplateOf(obj);
    const podSpec = isRecord(template?.spec) ? template.spec : {};
    const podLabels = (isRecord(template?.metadata) && isRecord(template.metadata.labels) ? template.metadata.labels : {}) as Record<string, string>;
    const containers = (Array.isArray(podSpec.containers) ? podSpec.containers : []) as Json[];
    const initContainers = (Array.isArray(podSpec.initContainers) ? podSpec.initContainers : []) as Json[];
    const reg = registered.get(`${namespace}/${name}`);
    // A blue-green slot or a canary belongs to its service: endpoint, description and dependencies are the service's.
    const owner = reg?.service ?? name;
    const endpoint = endpointsByName.get(owner);
    const mine = servicesSelecting(meta.namespace, podLabels);
    const replicas = replicasOf(obj, scalers.get(`${obj.kind}/${name}`), reg);
    components.push({
      name,
      namespace,
      kind: obj.kind,
      role: roleOf(endpoint?.role ?? name, obj.kind, wave),
      endpointRole: endpoint?.role,
      service: reg?.service,
      description: specServices.get(owner)?.description,
      podLabels,
      images: [...new Set([...initContainers, ...containers].map((c) => String(c.image)))],
      ...replicas,
      requests: sumResources(containers, 'requests'),
      limits: sumResources(containers, 'limits'),
      services: mine.map(describeService),
      // A slot's Services are the ones selecting it now (the active one, or the preview).
      serviceNames: serviceNamesOf(mine, reg?.service ? undefined : endpoint),
      storage: storageOf(obj),
      dependsOn: [...(specServices.get(owner)?.dependsOn ?? [])],
      otlpHosts: otlpHostsOf(containers),
      metrics: endpoint?.metrics,
    });
  }
  // Custom resources an operator turns into pods (ECK, OTel, CloudNativePG): sized from their spec.
  for (const { obj, wave } of located) {
    const run = operatorRun(obj);
    if (!run) continue;
    const meta = obj.metadata as Json;
    const namespace = String(meta.namespace ?? input.platform.namespace);
    const endpoint = input.endpoints.find((e) => e.namespace === namespace
      && (e.name === meta.name || (Object.keys(e.selector).length > 0 && Object.entries(e.selector).every(([k, v]) => run.podLabels[k] === v))));
    const name = endpoint?.name ?? String(meta.name);
    if (components.some((c) => c.name === name && c.namespace === namespace)) continue;
    const mine = services.filter((s) => (s.metadata as Json).namespace === meta.namespace && (s.metadata as Json).name === endpoint?.serviceName);
    const scaler = scalers.get(`${String(obj.kind)}/${String(meta.name)}`);
    components.push({
      name,
      namespace,
      kind: run.kind,
      role: roleOf(endpoint?.role ?? name, run.kind, wave),
      endpointRole: endpoint?.role,
      podLabels: run.podLabels,
      images: run.images,
      ...(scaler ? { replicas: `${scaler.min}–${scaler.max} (${scaler.kind})`, minPods: scaler.min, maxPods: scaler.max } : run.replicas),
      requests: sumResources(run.containers, 'requests'),
      limits: sumResources(run.containers, 'limits'),
      services: mine.length > 0 || !endpoint?.serviceName ? mine.map(describeService) : [describeOperatorService(endpoint)],
      serviceNames: serviceNamesOf(mine, endpoint),
      storage: run.storage,
      dependsOn: [],
      otlpHosts: [],
      metrics: endpoint?.metrics,
    });
  }
  // Components run by something else entirely (no object of ours) still appear, from their endpoint.
  // A service whose pods run as slots or tracks is there under those (their `service`).
  const named = new Set(components.flatMap((c) => [c.name, ...(c.service ? [c.service] : [])]));
  for (const endpoint of input.endpoints) {
    if (named.has(endpoint.name)) continue;
    named.add(endpoint.name);
    const mine = services.filter((s) => s.metadata && (s.metadata as Json).name === endpoint.serviceName);
    components.push({
      name: endpoint.name,
      namespace: endpoint.namespace,
      kind: endpoint.role,
      role: roleOf(endpoint.role, undefined, undefined),
      endpointRole: endpoint.role,
      podLabels: {},
      images: [],
      replicas: 'operator-managed',
      minPods: 0,
      maxPods: 0,
      requests: {},
      limits: {},
      services: mine.map(describeService),
      serviceNames: serviceNamesOf(mine, endpoint),
      storage: [],
      dependsOn: [],
      otlpHosts: [],
      metrics: endpoint.metrics,
    });
  }
  return {
    platform: input.platform,
    components,
    calls: callsOf(input, components),
    entryPoints: entryPointsOf(objects, services, components),
    objectCount: objects.length,
    fileCount: input.files.length,
  };
}

/**
 * Calls from the flows registry first (they name ports), then `dependsOn` and OTLP settings not
 * already covered. Flows from the ingress controller are left out: entry points show that path.
 */
function callsOf(input: OverviewInput, components: readonly Component[]): Call[] {
  const calls: Call[] = [];
  // Indexes over components and endpoints, so each call costs lookups rather than scans (first match wins, as `find` would).
  const endpoints = firstBy(input.endpoints, (e) => [e.name]);
  const byNamespaceAndName = firstBy(components, (c) => [`${c.namespace}\0${c.name}`]);
  // A service's components: the one of its name, and its blue-green slots and canary tracks.
  const byService = groupBy(components, (c) => [c.name, ...(c.service ? [c.service] : [])]);
  const byLabel = groupBy(components, (c) => Object.entries(c.podLabels).map(([k, v]) => labelKey(c.namespace, k, v)));
  const serving = servingIndex(components);
  const seen = new Map<Component, Set<string>>();
  // The components a call to an endpoint reaches: the one of its name, or the slots and tracks of a
  // service that its client Service selects (the active slot, the stable track; all without a Service).
  const endpointComponents = (name: string): Component[] => {
    const endpoint = endpoints.get(name);
    const namespace = endpoint?.namespace;
    const all = (byService.get(name) ?? []).filter((c) => namespace === undefined || c.namespace === namespace);
    const behindService = endpoint?.serviceName ? all.filter((c) => c.serviceNames.includes(endpoint.serviceName!)) : [];
    return behindService.length > 0 ? behindService : all;
  };
  const add = (froms: readonly CallPeer[], tos: readonly Component[], ports: readonly string[]) => {
    for (const from of froms) {
      for (const to of tos) {
        // A component calling itself (cluster members replicating) is not a dependency.
        if (from.component === to) continue;
        const callers = seen.get(to) ?? new Set<string>();
        const caller = `${from.namespace}\0${from.name}`;
        if (callers.has(caller)) continue;
        callers.add(caller);
        seen.set(to, callers);
        const telemetry = to.role === 'telemetry' || from.component?.role === 'telemetry';
        calls.push({ from, to, ports, telemetry });
      }
    }
  };
  // A flow names its source pods by selector: the components whose pods carry those labels.
  const peersOf = (name: string, namespace: string, selector?: Readonly<Record<string, string>>): CallPeer[] => {
    const entries = selector ? Object.entries(selector) : [];
    const bySelector = entries.length > 0
      ? (byLabel.get(labelKey(namespace, ...entries[0])) ?? []).filter((c) => entries.every(([k, v]) => c.podLabels[k] === v))
      : [];
    const own = byNamespaceAndName.get(`${namespace}\0${name}`);
    const matched = bySelector.length > 0 ? bySelector : own ? [own] : [];
    return matched.length > 0 ? matched.map((component) => ({ name: component.name, namespace, component })) : [{ name, namespace }];
  };
  const portLabels = (name: string, portNames?: readonly string[]) => {
    const endpoint = endpoints.get(name);
    if (!endpoint) return [];
    const ports = portNames ? endpoint.ports.filter((p) => portNames.includes(p.name)) : endpoint.ports.filter((p) => !(endpoint.metrics ?? []).some((m) => m.port === p.name));
    return ports.map((p) => `${p.name} :${p.servicePort ?? p.port}`);
  };
  const ingress = input.platform.cluster.ingressController;
  for (const flow of input.flows ?? []) {
    const fromIngress = flow.from.namespace === ingress.namespace && Object.entries(ingress.podLabels).every(([k, v]) => flow.from.selector[k] === v);
    if (fromIngress) continue;
    add(peersOf(flow.from.name, flow.from.namespace, flow.from.selector), endpointComponents(flow.to), portLabels(flow.to, flow.ports));
  }
  for (const c of components) {
    for (const dep of c.dependsOn) add(peersOf(c.name, c.namespace), endpointComponents(dep), portLabels(dep));
  }
  for (const c of components) {
    for (const host of c.otlpHosts) {
      const reached = serving(host);
      add(peersOf(c.name, c.namespace), reached ? [reached] : [], ['OTLP']);
    }
  }
  return calls;
}

/**
 * Which component a host name (`svc`, `svc.ns`, `svc.ns.svc…`) points at, over one list of
 * components indexed once: the first (in the namespace the host names, if any) with a Service of
 * that name, else the first named like it (operator-run components name no Service of ours).
 */
export function servingIndex(components: readonly Component[]): (host: string) => Component | undefined {
  const byService = groupBy(components, (c) => c.serviceNames);
  const byName = groupBy(components, (c) => [c.name]);
  return (host) => {
    const [service, namespace] = host.split('.');
    const inNamespace = (x: Component) => namespace === undefined || x.namespace === namespace;
    return byService.get(service)?.find(inNamespace) ?? byName.get(service)?.find(inNamespace);
  };
}

function labelKey(namespace: unknown, key: string, value: unknown): string {
  return `${String(namespace)}\0${key}=${String(value)}`;
}

/** Items under each of their keys, in list order. */
function groupBy<T>(items: readonly T[], keys: (item: T) => readonly string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keys(item))) {
      const list = out.get(key);
      if (list) list.push(item);
      else out.set(key, [item]);
    }
  }
  return out;
}

/** The first item under each key. */
function firstBy<T>(items: readonly T[], keys: (item: T) => readonly string[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) for (const key of keys(item)) if (!out.has(key)) out.set(key, item);
  return out;
}

/**
 * The Services in a namespace that select a pod's labels, in their order, found through the pod's
 * labels: each Service is filed under the first entry of its selector, which a pod it selects must carry.
 */
function serviceSelectors(services: readonly Json[]): (namespace: unknown, podLabels: Record<string, string>) => Json[] {
  const position = new Map(services.map((s, i) => [s, i]));
  const filed = groupBy(services, (s) => {
    const selector = isRecord(s.spec) && isRecord(s.spec.selector) ? Object.entries(s.spec.selector) : [];
    return selector.length > 0 ? [labelKey((s.metadata as Json).namespace, ...selector[0])] : [];
  });
  return (namespace, podLabels) => Object.entries(podLabels)
    .flatMap(([k, v]) => filed.get(labelKey(namespace, k, v)) ?? [])
    .filter((s) => selects(s, podLabels))
    .sort((a, b) => position.get(a)! - position.get(b)!);
}

function serviceNamesOf(services: readonly Json[], endpoint: Endpoint | undefined): string[] {
  const names = services.map((s) => String((s.metadata as Json).name));
  if (endpoint?.serviceName && !names.includes(endpoint.serviceName)) names.push(endpoint.serviceName);
  return names;
}

/** What an operator's custom resource runs: pods, their labels, images, sizes and storage. */
interface OperatorRun {
  readonly kind: string;
  readonly podLabels: Record<string, string>;
  readonly images: string[];
  readonly replicas: Pick<Component, 'replicas' | 'minPods' | 'maxPods'>;
  /** Containers with `resources`, as in a pod spec. */
  readonly containers: Json[];
  readonly storage: string[];
}

const count = (n: number): Pick<Component, 'replicas' | 'minPods' | 'maxPods'> => ({ replicas: String(n), minPods: n, maxPods: n });

/** ECK Elasticsearch and Kibana, OpenTelemetryCollector and CloudNativePG Cluster, by the labels their operators put on pods. */
function operatorRun(obj: Json): OperatorRun | undefined {
  const group = String(obj.apiVersion).split('/')[0];
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const name = String((obj.metadata as Json).name);
  const namespace = String((obj.metadata as Json).namespace ?? '');
  const templateOf = (t: unknown) => {
    const tpl = isRecord(t) ? t : {};
    const labels = isRecord(tpl.metadata) && isRecord(tpl.metadata.labels) ? (tpl.metadata.labels as Record<string, string>) : {};
    const containers = (isRecord(tpl.spec) && Array.isArray(tpl.spec.containers) ? tpl.spec.containers : []) as Json[];
    return { labels, containers };
  };
  if (group === 'elasticsearch.k8s.elastic.co' && obj.kind === 'Elasticsearch') {
    const nodeSets = (Array.isArray(spec.nodeSets) ? spec.nodeSets : []) as Json[];
    const first = templateOf(nodeSets[0]?.podTemplate);
    const claims = nodeSets.flatMap((ns) => storageOf({ spec: { volumeClaimTemplates: ns.volumeClaimTemplates } }).map((c) => (nodeSets.length > 1 ? `${String(ns.name)}: ${c}` : c)));
    return {
      kind: 'Elasticsearch (ECK)',
      podLabels: { ...first.labels, 'elasticsearch.k8s.elastic.co/cluster-name': name },
      images: [typeof spec.image === 'string' ? spec.image : `docker.elastic.co/elasticsearch/elasticsearch:${String(spec.version)}`],
      replicas: count(nodeSets.reduce((n, ns) => n + Number(ns.count ?? 1), 0)),
      containers: first.containers,
      storage: claims,
    };
  }
  if (group === 'kibana.k8s.elastic.co' && obj.kind === 'Kibana') {
    const tpl = templateOf(spec.podTemplate);
    return {
      kind: 'Kibana (ECK)',
      podLabels: { ...tpl.labels, 'kibana.k8s.elastic.co/name': name },
      images: [typeof spec.image === 'string' ? spec.image : `docker.elastic.co/kibana/kibana:${String(spec.version)}`],
      replicas: count(Number(spec.count ?? 1)),
      containers: tpl.containers,
      storage: [],
    };
  }
  if (group === 'opentelemetry.io' && obj.kind === 'OpenTelemetryCollector') {
    const autoscaler = isRecord(spec.autoscaler) ? spec.autoscaler : undefined;
    const replicas = spec.mode === 'daemonset'
      ? { replicas: 'one per node', minPods: 0, maxPods: 0 }
      : autoscaler
        ? { replicas: `${Number(autoscaler.minReplicas ?? 1)}–${Number(autoscaler.maxReplicas)} (HPA)`, minPods: Number(autoscaler.minReplicas ?? 1), maxPods: Number(autoscaler.maxReplicas) }
        : count(Number(spec.replicas ?? 1));
    return {
      kind: 'OpenTelemetryCollector',
      podLabels: { 'app.kubernetes.io/name': `${name}-collector`, 'app.kubernetes.io/instance': `${namespace}.${name}`, 'app.kubernetes.io/component': 'opentelemetry-collector' },
      images: typeof spec.image === 'string' ? [spec.image] : [],
      replicas,
      containers: [{ resources: spec.resources }],
      storage: [],
    };
  }
  if (group === 'postgresql.cnpg.io' && obj.kind === 'Cluster') {
    const storage = isRecord(spec.storage) ? spec.storage : {};
    return {
      kind: 'Cluster (CloudNativePG)',
      podLabels: { 'cnpg.io/cluster': name },
      images: typeof spec.imageName === 'string' ? [spec.imageName] : [],
      replicas: count(Number(spec.instances ?? 1)),
      containers: [{ resources: spec.resources }],
      storage: storage.size ? [`data ${String(storage.size)}${typeof storage.storageClass === 'string' ? ` (${storage.storageClass})` : ''}`] : [],
    };
  }
  return undefined;
}

function waveOf(path: string): Wave | undefined {
  const prefix = /(?:^|\/)(\d{4})-[^/]+$/.exec(path)?.[1];
  return Wave.ALL.find((w) => w.prefix === prefix);
}

/** By the endpoint role (or, without one, the workload name), then by the wave its file is in. */
function roleOf(role: string | undefined, kind: string | undefined, wave: Wave | undefined): ComponentRole {
  if (role === 'service') return 'app';
  if (role && DATA_ROLES.includes(role)) return 'data';
  if (role && (TELEMETRY_ROLES.includes(role) || role.endsWith('-exporter'))) return 'telemetry';
  // Backups and restores run beside a store; they are not one.
  if (wave === Wave.DATA) return kind === 'CronJob' || kind === 'Job' ? 'other' : 'data';
  if (wave === Wave.OBSERVABILITY) return 'telemetry';
  if (kind === 'StatefulSet') return 'data';
  if (wave === Wave.APPS) return 'app';
  return 'other';
}

function podTemplateOf(obj: Json): Json | undefined {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  if (obj.kind === 'CronJob') {
    const job = isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec : {};
    return isRecord(job.template) ? job.template : undefined;
  }
  return isRecord(spec.template) ? spec.template : undefined;
}

function selects(service: Json, podLabels: Record<string, string>): boolean {
  const selector = isRecord(service.spec) && isRecord(service.spec.selector) ? service.spec.selector : undefined;
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => podLabels[k] === v);
}

interface Scaler { readonly kind: string; readonly min: number; readonly max: number }

/** HPAs and KEDA ScaledObjects by the `Kind/name` they scale. */
function autoscalersOf(objects: readonly Json[]): Map<string, Scaler> {
  const out = new Map<string, Scaler>();
  for (const o of objects) {
    const spec = isRecord(o.spec) ? o.spec : {};
    const target = isRecord(spec.scaleTargetRef) ? spec.scaleTargetRef : undefined;
    if (!target) continue;
    const key = `${String(target.kind ?? 'Deployment')}/${String(target.name)}`;
    // Defaults as documented: HPA minReplicas 1; KEDA minReplicaCount 0, maxReplicaCount 100.
    if (o.kind === 'HorizontalPodAutoscaler') out.set(key, { kind: 'HPA', min: Number(spec.minReplicas ?? 1), max: Number(spec.maxReplicas) });
    else if (o.kind === 'ScaledObject') out.set(key, { kind: 'KEDA', min: Number(spec.minReplicaCount ?? 0), max: Number(spec.maxReplicaCount ?? 100) });
  }
  return out;
}

function replicasOf(obj: Json, scaler: Scaler | undefined, registered: WorkloadInfo | undefined): Pick<Component, 'replicas' | 'minPods' | 'maxPods'> {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  if (scaler) return { replicas: `${scaler.min}–${scaler.max} (${scaler.kind})`, minPods: scaler.min, maxPods: scaler.max };
  if (obj.kind === 'DaemonSet') return { replicas: 'one per node', minPods: 0, maxPods: 0 };
  if (obj.kind === 'CronJob') return { replicas: `schedule \`${String(spec.schedule)}\``, minPods: 0, maxPods: 1 };
  if (obj.kind === 'Job') {
    const completions = Number(spec.completions ?? 1);
    return { replicas: `${completions} completion${completions === 1 ? '' : 's'}`, minPods: 0, maxPods: Number(spec.parallelism ?? 1) };
  }
  // Scaled by something we render no object for: the registry carries the bounds.
  if (registered && registered.replicas.min !== registered.replicas.max) {
    return { replicas: `${registered.replicas.min}–${registered.replicas.max} (autoscaled)`, minPods: registered.replicas.min, maxPods: registered.replicas.max };
  }
  const n = typeof spec.replicas === 'number' ? spec.replicas : 1;
  return { replicas: String(n), minPods: n, maxPods: n };
}

function sumResources(containers: readonly Json[], which: 'requests' | 'limits'): { cpu?: number; memory?: number } {
  const sum = (resource: 'cpu' | 'memory') => {
    let total = 0;
    for (const c of containers) {
      const r = isRecord(c.resources) && isRecord(c.resources[which]) ? c.resources[which] : {};
      const value = r[resource];
      if (typeof value !== 'string' && typeof value !== 'number') return undefined;
      total += parseQuantity(String(value));
    }
    return containers.length > 0 ? total : undefined;
  };
  return { cpu: sum('cpu'), memory: sum('memory') };
}

/** `500m / 512Mi`, with `—` for what is not set. */
export function formatResources(r: { readonly cpu?: number; readonly memory?: number }): string {
  return `${r.cpu === undefined ? '—' : formatCpu(r.cpu)} / ${r.memory === undefined ? '—' : formatMemory(r.memory)}`;
}

/** Bytes in a binary unit, with up to one decimal when no unit divides them (sums of mixed sizes). */
export function formatMemory(bytes: number): string {
  const exact = formatBytes(bytes);
  if (exact.endsWith('i')) return exact;
  for (const [unit, size] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))}${unit}`;
  }
  return exact;
}

function describeService(service: Json): string {
  const spec = isRecord(service.spec) ? service.spec : {};
  const ports = (Array.isArray(spec.ports) ? spec.ports : []) as Json[];
  const type = typeof spec.type === 'string' && spec.type !== 'ClusterIP' ? ` (${spec.type})` : '';
  const headless = spec.clusterIP === 'None' ? ' (headless)' : '';
  const list = ports.map((p) => `:${String(p.port)}${p.name ? `→${String(p.name)}` : ''}`).join(', ');
  return `${String((service.metadata as Json).name)}${type}${headless} ${list}`.trim();
}

/** The Service an operator creates for an endpoint; its ports are the operator's, so none are claimed here. */
function describeOperatorService(endpoint: Endpoint): string {
  return `${endpoint.serviceName} (created by the operator)`;
}

/** `data 20Gi (gp3)` per claim template. */
function storageOf(obj: Json): string[] {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const templates = (Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []) as Json[];
  return templates.map((t) => {
    const ts = isRecord(t.spec) ? t.spec : {};
    const size = isRecord(ts.resources) && isRecord(ts.resources.requests) ? ts.resources.requests.storage : undefined;
    const cls = typeof ts.storageClassName === 'string' ? ` (${ts.storageClassName})` : '';
    return `${String((t.metadata as Json | undefined)?.name ?? 'claim')} ${String(size ?? '?')}${cls}`;
  });
}

/** Hosts of `OTEL_EXPORTER_OTLP_*ENDPOINT` values of the containers. */
function otlpHostsOf(containers: readonly Json[]): string[] {
  const hosts = new Set<string>();
  for (const c of containers) {
    for (const v of (Array.isArray(c.env) ? c.env : []) as Json[]) {
      if (typeof v.name !== 'string' || !/^OTEL_EXPORTER_OTLP_(\w+_)?ENDPOINT$/.test(v.name) || typeof v.value !== 'string') continue;
      const host = /^(?:\w+:\/\/)?([^:/]+)/.exec(v.value)?.[1];
      if (host) hosts.add(host);
    }
  }
  return [...hosts];
}

/** Ingresses, HTTPRoutes and LoadBalancer/NodePort Services, with the components they reach. */
function entryPointsOf(objects: readonly Json[], services: readonly Json[], components: readonly Component[]): EntryPoint[] {
  const componentOfService = (serviceName: unknown, namespace: unknown): string[] =>
    components.filter((c) => c.namespace === namespace && c.serviceNames.includes(String(serviceName))).map((c) => c.name);
  const entries: EntryPoint[] = [];
  for (const o of objects) {
    const meta = o.metadata as Json;
    const spec = isRecord(o.spec) ? o.spec : {};
    if (o.kind === 'Ingress' && String(o.apiVersion).startsWith('networking.k8s.io/')) {
      const routes: string[] = [];
      const targets = new Set<string>();
      for (const rule of (Array.isArray(spec.rules) ? spec.rules : []) as Json[]) {
        const paths = (isRecord(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : []) as Json[];
        for (const p of paths) {
          routes.push(`${String(rule.host ?? '*')}${p.path && p.path !== '/' ? String(p.path) : ''}`);
          const backend = isRecord(p.backend) && isRecord(p.backend.service) ? p.backend.service : undefined;
          for (const t of componentOfService(backend?.name, meta.namespace)) targets.add(t);
        }
      }
      entries.push({ title: `Ingress/${String(meta.name)}`, routes: [...new Set(routes)], targets: [...targets] });
    } else if (o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute') {
      const hosts = (Array.isArray(spec.hostnames) ? spec.hostnames : ['*']).map(String);
      const targets = new Set<string>();
      for (const rule of (Array.isArray(spec.rules) ? spec.rules : []) as Json[]) {
        for (const ref of (Array.isArray(rule.backendRefs) ? rule.backendRefs : []) as Json[]) {
          if ((ref.kind ?? 'Service') !== 'Service') continue;
          for (const t of componentOfService(ref.name, ref.namespace ?? meta.namespace)) targets.add(t);
        }
      }
      entries.push({ title: `${o.kind}/${String(meta.name)}`, routes: hosts, targets: [...targets] });
    }
  }
  for (const s of services) {
    const spec = isRecord(s.spec) ? s.spec : {};
    if (spec.type !== 'LoadBalancer' && spec.type !== 'NodePort') continue;
    const meta = s.metadata as Json;
    entries.push({ title: `Service/${String(meta.name)} (${spec.type})`, routes: [], targets: componentOfService(meta.name, meta.namespace) });
  }
  return entries.sort((a, b) => a.title.localeCompare(b.title));
}
