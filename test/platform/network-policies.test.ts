import { App, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { SLOT_LABEL, TRACK_LABEL } from '../../lib/delivery/app-release';
import { NetworkPolicyEvaluator, podsOf, selects, type FlowEndpoint, type PodEndpoint } from '../../lib/networking/policy-evaluator';
import { PlatformContext, buildPlatform } from '../../lib/platform';
import { buildApps } from '../../lib/platform/apps';
import { buildNamespaces } from '../../lib/platform/security';
import { buildNetworkPolicies, deriveFlows } from '../../lib/platform/network-policies';
import type { ResolvedPlatform } from '../../lib/spec';
import { synthesize, type KubeObject } from '../../lib/synth';

type Named = FlowEndpoint & { readonly name: string; readonly workload?: string };

/**
 * Every pod of an environment plus the cluster's peers, an intruder and outside addresses. The pods
 * of a blue-green slot or a canary track go by their service's name (`dashboard`, not
 * `dashboard-blue`); `workload` keeps the Deployment's.
 */
function world(platform: ResolvedPlatform, objects: readonly KubeObject[]) {
  const { dns, ingressController, prometheus } = platform.cluster;
  // Names without the kind, and without the content hash of re-runnable Jobs.
  const pods: (PodEndpoint & { name: string; workload?: string })[] = podsOf(objects).map((p) => {
    const workload = p.name.replace(/^\w+\//, '').replace(/-[0-9a-f]{8}$/, '');
    const track = p.labels[SLOT_LABEL] ?? p.labels[TRACK_LABEL];
    return { ...p, name: track ? p.labels['app.kubernetes.io/name'] : workload, workload };
  });
  // Pods an operator runs from a custom resource (ECK, the OpenTelemetry Operator) are not in the
  // output: model them from the endpoints and flow sources the platform registered.
  const ctx = buildPlatform(platform);
  const modelled = [
    ...ctx.endpoints.map((e) => ({ name: e.name, namespace: e.namespace, labels: e.selector, ports: e.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })) })),
    ...ctx.flows.map((f) => ({ name: f.from.name, namespace: f.from.namespace, labels: f.from.selector, ports: [] })),
  ];
  for (const m of modelled) {
    const known = pods.some((p) => p.namespace === m.namespace && selects({ matchLabels: { ...m.labels } }, p.labels));
    const peer = [dns, ingressController, prometheus].some((c) => c.namespace === m.namespace);
    if (!known && !peer) pods.push(m);
  }
  const peers: Named[] = [
    { name: 'dns', namespace: dns.namespace, labels: dns.podLabels, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] },
    { name: 'ingress-controller', namespace: ingressController.namespace, labels: ingressController.podLabels },
    { name: 'prometheus', namespace: prometheus.namespace, labels: prometheus.podLabels },
    // A pod in another namespace, and a stray pod (kubectl run) in the platform's own namespace.
    { name: 'intruder', namespace: 'default', labels: { run: 'intruder' }, ports: [{ port: 8080 }] },
    { name: 'stray', namespace: platform.namespace, labels: { run: 'debug' }, ports: [{ port: 8080 }] },
    { name: 'payments-provider', ip: '198.51.100.10' },
    { name: 'internet', ip: '203.0.113.5' },
  ];
  return { pods, all: [...pods, ...peers] as Named[] };
}

/**
 * Every flow the synthesized policies allow between the parties, as "from -> to:port/protocol";
 * `by: 'workload'` names slots and tracks by their Deployment.
 */
function allowedFlows(platform: ResolvedPlatform, objects: readonly KubeObject[], by: 'service' | 'workload' = 'service'): string[] {
  const evaluator = new NetworkPolicyEvaluator(objects as never);
  const { all: parties } = world(platform, objects);
  const all = by === 'service' ? parties : parties.map((p) => ({ ...p, name: p.workload ?? p.name }));
  // Flows into or out of every namespace the platform isolates (the app's, the logs and traces stack's).
  const namespaces = new Set(objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny').map((o) => o.metadata.namespace));
  const owned = (e: FlowEndpoint) => 'namespace' in e && namespaces.has(e.namespace);
  const allowed: string[] = [];
  for (const from of all) {
    for (const to of all) {
      if (from === to || !(owned(from) || owned(to))) continue;
      const ports = 'namespace' in to ? [...(to.ports ?? []), { port: 53, protocol: 'UDP' }] : [{ port: 443, protocol: 'TCP' }, { port: 80, protocol: 'TCP' }];
      for (const p of ports) {
        const protocol = (p.protocol ?? 'TCP') as 'TCP' | 'UDP';
        if (evaluator.allows(from, to, p.port, protocol)) allowed.push(`${from.name} -> ${to.name}:${p.port}/${protocol}`);
      }
    }
  }
  return [...new Set(allowed)].sort();
}

const synthesized = synthesize(environmentSources).environments;

describe.each(synthesized.map((e) => [e.environment, e] as const))('network policies in %s', (_, env) => {
  const objects = env.files.flatMap((f) => f.objects);
  const platform = env.platform;

  it('allow exactly the declared flows, DNS and the cluster peers, and deny everything else', () => {
    const traces = env.environment === 'dev'
      // dev's standalone Grafana reads logs from Elasticsearch and traces from Jaeger's query port.
      ? ['grafana -> elasticsearch:9200/TCP', 'grafana -> jaeger:16686/TCP', 'otel-collector -> jaeger:4317/TCP', 'prometheus -> jaeger:8888/TCP']
      : ['jaeger-collector -> elasticsearch:9200/TCP', 'jaeger-index-cleaner -> elasticsearch:9200/TCP', 'jaeger-query -> elasticsearch:9200/TCP', 'otel-collector -> jaeger-collector:4317/TCP', 'prometheus -> jaeger-collector:8888/TCP', 'prometheus -> jaeger-query:8888/TCP'];
    const jaeger = env.environment === 'dev' ? ['jaeger'] : ['jaeger-collector', 'jaeger-query', 'jaeger-index-cleaner'];
    const dnsFrom = ['api', 'dashboard', 'worker', 'stray', 'postgres', 'postgres-backup', 'postgres-restore', 'redis', 'elasticsearch', 'elasticsearch-setup', 'elasticsearch-exporter', 'kibana', 'logstash', 'otel-collector', ...jaeger]
      .flatMap((n) => [`${n} -> dns:53/TCP`, `${n} -> dns:53/UDP`]);
    expect(allowedFlows(platform, objects)).toEqual([
      ...dnsFrom,
      // The apps: dependencies, outside egress, traces, the ingress controller, Prometheus.
      'api -> otel-collector:4318/TCP',
      'api -> payments-provider:443/TCP',
      'dashboard -> api:8080/TCP',
      'dashboard -> otel-collector:4318/TCP',
      'ingress-controller -> api:8080/TCP',
      'ingress-controller -> dashboard:3000/TCP',
      'prometheus -> api:9090/TCP',
      'prometheus -> worker:9090/TCP',
      'worker -> api:8080/TCP',
      'worker -> otel-collector:4318/TCP',
      // The data tier: dependents, backups and restores, the exporters.
      'api -> postgres:5432/TCP',
      'api -> redis:6379/TCP',
      'worker -> postgres:5432/TCP',
      'worker -> redis:6379/TCP',
      'postgres-backup -> postgres:5432/TCP',
      'postgres-restore -> postgres:5432/TCP',
      'prometheus -> postgres:9187/TCP',
      'prometheus -> redis:9121/TCP',
      // prod copies backups to S3, whose ranges change: HTTPS anywhere, for the backup pods only.
      // prod's worker scales on a Redis list: the KEDA operator polls Redis.
      ...(env.environment === 'prod' ? ['keda-operator -> redis:6379/TCP'] : []),
      ...(env.environment === 'prod' ? ['postgres-backup -> internet:443/TCP', 'postgres-backup -> payments-provider:443/TCP', 'postgres-restore -> internet:443/TCP', 'postgres-restore -> payments-provider:443/TCP'] : []),
      // Logs: the declared flows of the stack.
      'elasticsearch-exporter -> elasticsearch:9200/TCP',
      'elasticsearch-setup -> elasticsearch:9200/TCP',
      'filebeat -> logstash:5044/TCP',
      'prometheus -> elasticsearch-exporter:9114/TCP',
      'kibana -> elasticsearch:9200/TCP',
      'logstash -> elasticsearch:9200/TCP',
      'prometheus -> otel-collector:8889/TCP',
      ...(env.environment === 'prod' ? ['ingress-controller -> kibana:5601/TCP'] : []),
      ...traces,
    ].sort());
  });

  it('give every blue-green slot and canary track exactly the flows of its service, in and out', () => {
    const flows = allowedFlows(platform, objects, 'workload');
    const { pods } = world(platform, objects);
    const tracked = pods.filter((p) => p.workload !== undefined && p.workload !== p.name);
    const services = [...new Set(tracked.map((p) => p.name))];
    // The reference platform runs two Deployments for a service in staging (dashboard) and prod (api).
    expect(services).toEqual({ dev: [], staging: ['dashboard'], prod: ['api'] }[env.environment]);
    for (const service of services) {
      const workloads = pods.filter((p) => p.name === service).map((p) => p.workload!);
      expect(workloads).toHaveLength(2);
      const of = (w: string) => flows
        .filter((f) => f.split(' -> ')[0] === w || f.split(' -> ')[1].split(':')[0] === w)
        .map((f) => f.replace(new RegExp(`(^|-> )${w}(?=:| ->)`), `$1${service}`)).sort();
      for (const w of workloads) expect(of(w), `${env.environment} ${w}`).toEqual(of(workloads[0]));
      expect(of(workloads[0]).length).toBeGreaterThan(2);
    }
  });

  it('deny all ingress to the log shipper but keep its egress open, as it calls the Kubernetes API at an address the spec does not know', () => {
    const evaluator = new NetworkPolicyEvaluator(objects as never);
    const { all } = world(platform, objects);
    const get = (name: string) => all.find((p) => p.name === name)!;
    expect(evaluator.allows(get('intruder'), get('filebeat'), 5066)).toBe(false);
    expect(evaluator.allows(get('api'), get('filebeat'), 5066)).toBe(false);
    expect(evaluator.allows(get('filebeat'), get('internet'), 443)).toBe(true);
    expect(evaluator.allows(get('filebeat'), get('logstash'), 5044)).toBe(true);
    expect(evaluator.allows(get('filebeat'), get('elasticsearch'), 9200)).toBe(false);
  });

  it('let the api reach PostgreSQL on 5432 and Redis on 6379, and deny the dashboard both', () => {
    const evaluator = new NetworkPolicyEvaluator(objects as never);
    const { all } = world(platform, objects);
    const get = (name: string) => all.find((p) => p.name === name)!;
    expect(evaluator.allows(get('api'), get('postgres'), 5432)).toBe(true);
    expect(evaluator.allows(get('api'), get('redis'), 6379)).toBe(true);
    expect(evaluator.allows(get('dashboard'), get('postgres'), 5432)).toBe(false);
    expect(evaluator.allows(get('dashboard'), get('redis'), 6379)).toBe(false);
    expect(evaluator.allows(get('api'), get('postgres'), 9187)).toBe(false);
    expect(evaluator.allows(get('api'), get('dns'), 53, 'UDP')).toBe(true);
    expect(evaluator.explain(get('api'), get('postgres'), 5432)).toEqual({ egress: ['api-egress'], ingress: ['postgres-ingress'] });
  });

  it('deny the dashboard the api metrics port and the ingress controller every metrics port', () => {
    const evaluator = new NetworkPolicyEvaluator(objects as never);
    const { all } = world(platform, objects);
    const get = (name: string) => all.find((p) => p.name === name)!;
    expect(evaluator.allows(get('dashboard'), get('api'), 8080)).toBe(true);
    expect(evaluator.allows(get('dashboard'), get('api'), 9090)).toBe(false);
    expect(evaluator.allows(get('ingress-controller'), get('api'), 9090)).toBe(false);
    expect(evaluator.allows(get('intruder'), get('api'), 8080)).toBe(false);
    expect(evaluator.allows(get('api'), get('internet'), 443)).toBe(false);
  });

  it('name every policy explicitly and uniquely within its namespace', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const keys = policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain(`${platform.namespace}/default-deny`);
    expect(keys).toContain(`${platform.namespace}/allow-dns`);
  });
});

describe('network policies derived from registered endpoints', () => {
  // A data store registered the way any component registers itself: a selector, a namespace, ports, metrics.
  function withDataStore() {
    const env = synthesized.find((e) => e.environment === 'dev')!;
    const spec = JSON.parse(JSON.stringify(env.platform));
    spec.services.find((s: { name: string }) => s.name === 'api').dependsOn = ['postgres'];
    spec.services.find((s: { name: string }) => s.name === 'worker').dependsOn = ['api'];
    const platform = spec as ResolvedPlatform;
    const ctx = new PlatformContext(new App(), platform);
    buildNamespaces(ctx);
    ctx.registerEndpoint({
      name: 'postgres',
      role: 'postgres',
      namespace: 'atlas-data',
      selector: { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': 'postgres-dev' },
      ports: [{ name: 'postgres', port: 5432 }, { name: 'metrics', port: 9187 }],
      metrics: { port: 'metrics', path: '/metrics' },
    });
    buildApps(ctx);
    buildNetworkPolicies(ctx);
    const objects = ctx.charts.flatMap((c) => Testing.synth(c)) as KubeObject[];
    const postgres: PodEndpoint = { namespace: 'atlas-data', labels: { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': 'postgres-dev' }, ports: [{ name: 'postgres', port: 5432 }, { name: 'metrics', port: 9187 }] };
    const pod = (name: string) => podsOf(objects).find((p) => p.name === `Deployment/${name}`)!;
    return { ctx, objects, postgres, pod, evaluator: new NetworkPolicyEvaluator(objects as never) };
  }

  it('lets a dependent reach the store on its serving port, across namespaces, and no one else', () => {
    const { evaluator, postgres, pod } = withDataStore();
    expect(evaluator.allows(pod('api'), postgres, 5432)).toBe(true);
    expect(evaluator.allows(pod('api'), postgres, 9187)).toBe(false);
    expect(evaluator.allows(pod('dashboard'), postgres, 5432)).toBe(false);
    expect(evaluator.allows(pod('worker'), postgres, 5432)).toBe(false);
  });

  it('lets Prometheus scrape the store and gives its namespace a default deny and DNS', () => {
    const { evaluator, postgres, objects, ctx } = withDataStore();
    const prometheus: PodEndpoint = { namespace: 'monitoring', labels: ctx.platform.cluster.prometheus.podLabels };
    const dns: PodEndpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
    expect(evaluator.allows(prometheus, postgres, 9187)).toBe(true);
    expect(evaluator.allows(prometheus, postgres, 5432)).toBe(false);
    expect(evaluator.allows(postgres, dns, 53, 'UDP')).toBe(true);
    expect(evaluator.allows(postgres, { namespace: 'atlas-data', labels: { run: 'other' }, ports: [{ port: 80 }] }, 80)).toBe(false);
    const names = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'atlas-data').map((o) => o.metadata.name);
    expect(names).toEqual(['default-deny', 'allow-dns', 'postgres-ingress']);
  });

  it('states why each flow exists', () => {
    const { ctx } = withDataStore();
    expect(deriveFlows(ctx).map((f) => f.reason)).toEqual([
      'api depends on postgres',
      'api calls payments-provider outside the cluster',
      'dashboard depends on api',
      'worker depends on api',
      'api is exposed through the ingress controller',
      'dashboard is exposed through the ingress controller',
      'Prometheus scrapes postgres',
      'Prometheus scrapes api',
      'Prometheus scrapes worker',
    ]);
  });

  it('fails when a client calls an endpoint that serves only metrics', () => {
    const env = synthesized.find((e) => e.environment === 'dev')!;
    const spec = JSON.parse(JSON.stringify(env.platform));
    spec.services.find((s: { name: string }) => s.name === 'api').dependsOn = ['worker'];
    spec.services.find((s: { name: string }) => s.name === 'worker').dependsOn = [];
    const ctx = new PlatformContext(new App(), spec as ResolvedPlatform);
    buildNamespaces(ctx);
    buildApps(ctx);
    expect(() => buildNetworkPolicies(ctx)).toThrow('api calls worker, which serves no port besides metrics');
  });
});
