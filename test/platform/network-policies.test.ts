import { App, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { SLOT_LABEL, TRACK_LABEL } from '../../lib/delivery/app-release';
import { NetworkPolicyEvaluator, podsOf, selects, type FlowEndpoint, type PodEndpoint } from '../../lib/networking/policy-evaluator';
import { PlatformContext, buildPlatform } from '../../lib/platform';
import { buildApps } from '../../lib/platform/apps';
import { buildNamespaces } from '../../lib/platform/security';
import { buildNetworkPolicies, deriveFlows } from '../../lib/platform/network-policies';
import { type ResolvedPlatform } from '../../lib/spec';
import { synthesize, type KubeObject } from '../../lib/synth';
import { specProblems } from '../spec-problems';

type Named = FlowEndpoint & { readonly name: string; readonly workload?: string };

/** An address `offset` past the start of an IPv4 network (a host of it), e.g. 10.30.240.0/28 + 5 = 10.30.240.5. */
function hostIn(cidr: string, offset: number): string {
  const [address, bits] = cidr.split('/');
  const n = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) + (Number(bits) >= 31 ? 0 : offset);
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The namespaces the platform creates, read off its Namespace objects. */
function createdNamespaces(objects: readonly KubeObject[]): Set<string> {
  return new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name!));
}

/**
 * Every pod of an environment, and every party outside it that a policy could name or forget: the
 * cluster's add-ons and operators, the API server and a kubelet at the addresses the spec gives, the
 * `kubernetes` Service's ClusterIP, an intruder, a stray pod, outside addresses. The pods of a
 * blue-green slot or a canary track go by their service's name (`dashboard`, not `dashboard-blue`);
 * `workload` keeps the Deployment's.
 */
function world(platform: ResolvedPlatform, objects: readonly KubeObject[]) {
  const c = platform.cluster;
  const created = createdNamespaces(objects);
  // Names without the kind, and without the content hash of re-runnable Jobs.
  const pods: (PodEndpoint & { name: string; workload?: string })[] = podsOf(objects).map((p) => {
    const workload = p.name.replace(/^\w+\//, '').replace(/-[0-9a-f]{8}$/, '');
    const track = p.labels[SLOT_LABEL] ?? p.labels[TRACK_LABEL];
    return { ...p, name: track ? p.labels['app.kubernetes.io/name'] : workload, workload };
  });
  // Pods an operator runs from a custom resource in the platform's namespaces (ECK, the OpenTelemetry
  // Operator) are not in the output: model them from the endpoints and flow sources the platform registered.
  const ctx = buildPlatform(platform);
  const modelled = [
    ...ctx.endpoints.map((e) => ({ name: e.name, namespace: e.namespace, labels: e.selector, ports: e.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })) })),
    ...ctx.flows.map((f) => ({ name: f.from.name, namespace: f.from.namespace, labels: f.from.selector, ports: [] })),
  ];
  for (const m of modelled) {
    if (!created.has(m.namespace)) continue;
    if (!pods.some((p) => p.namespace === m.namespace && selects({ matchLabels: { ...m.labels } }, p.labels))) pods.push(m);
  }
  // The cluster's own pods the platform does not run (an operator-mode Prometheus and Grafana among them).
  const peer = (name: string, p: { namespace: string; podLabels: Readonly<Record<string, string>> }, ports?: PodEndpoint['ports']): Named => ({ name, namespace: p.namespace, labels: p.podLabels, ports });
  const addOns: Named[] = [
    peer('dns', c.dns, [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]),
    peer('ingress-controller', c.ingressController),
    peer('keda-operator', c.kedaOperator),
    peer('eck-operator', c.eckOperator),
    peer('otel-operator', { namespace: 'opentelemetry-operator-system', podLabels: { 'app.kubernetes.io/name': 'opentelemetry-operator' } }),
    ...[peer('prometheus', c.prometheus), peer('grafana', c.grafana)].filter((p) => !created.has((p as PodEndpoint).namespace)),
  ];
  const addresses: Named[] = [
    ...(c.apiServer ? [{ name: 'api-server', ip: hostIn(c.apiServer.cidrs[0], 2) }] : []),
    ...(c.nodeCidrs.length > 0 ? [{ name: 'kubelet', ip: hostIn(c.nodeCidrs[0], 3) }] : []),
    // What a pod dials for the API: the kubernetes Service's ClusterIP, rewritten before policies see it.
    ...(c.serviceCidrs.length > 0 ? [{ name: 'kubernetes-service', ip: hostIn(c.serviceCidrs[0], 1) }] : []),
    ...(c.podCidrs.length > 0 ? [{ name: 'pod-network', ip: hostIn(c.podCidrs[0], 300) }] : []),
    { name: 'payments-provider', ip: '198.51.100.10' },
    { name: 'internet', ip: '203.0.113.5' },
  ];
  const others: Named[] = [
    // A pod in another namespace, and a stray pod (kubectl run) in the platform's own namespace.
    { name: 'intruder', namespace: 'default', labels: { run: 'intruder' }, ports: [{ port: 8080 }] },
    { name: 'stray', namespace: platform.namespace, labels: { run: 'debug' }, ports: [{ port: 8080 }] },
  ];
  return { pods, all: [...pods, ...addOns, ...others, ...addresses] as Named[] };
}

/**
 * Every flow the synthesized policies allow into or out of the platform's namespaces, as
 * "from -> to:port/protocol"; `by: 'workload'` names slots and tracks by their Deployment.
 */
function allowedFlows(platform: ResolvedPlatform, objects: readonly KubeObject[], by: 'service' | 'workload' = 'service'): string[] {
  const evaluator = new NetworkPolicyEvaluator(objects as never);
  const { all: parties } = world(platform, objects);
  const all = by === 'service' ? parties : parties.map((p) => ({ ...p, name: p.workload ?? p.name }));
  // Every namespace the platform creates, policed or not: a namespace without policies shows up as open.
  const namespaces = createdNamespaces(objects);
  const inPlatform = (e: FlowEndpoint) => 'namespace' in e && namespaces.has(e.namespace);
  const c = platform.cluster;
  // Outside addresses are tried on HTTP, HTTPS, the API server's port and the kubelet's.
  const outsidePorts = [...new Set([80, 443, c.apiServer?.port ?? 443, 10250])].map((port) => ({ port, protocol: 'TCP' }));
  const allowed: string[] = [];
  for (const from of all) {
    for (const to of all) {
      if (from === to || !(inPlatform(from) || inPlatform(to))) continue;
      const ports = 'namespace' in to ? [...(to.ports ?? []), { port: 53, protocol: 'UDP' }] : outsidePorts;
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
    const e = env.environment;
    const dev = e === 'dev';
    const api = e === 'dev' ? 6443 : 443;
    const jaeger = dev ? ['jaeger'] : ['jaeger-collector', 'jaeger-query', 'jaeger-index-cleaner'];
    // dev runs the monitoring stack itself, in a namespace the platform creates.
    const monitoring = dev ? ['prometheus', 'alertmanager', 'grafana', 'kube-state-metrics'] : [];
    // Every pod of every namespace the platform creates resolves names, on UDP and TCP 53; nothing else is open by default.
    const dnsFrom = ['api', 'dashboard', 'worker', 'stray', 'postgres', 'postgres-roles', 'postgres-backup', 'postgres-restore', 'redis', 'elasticsearch', 'elasticsearch-setup', 'elasticsearch-exporter', 'kibana', 'logstash', 'otel-collector', 'filebeat', ...jaeger, ...monitoring]
      .flatMap((n) => [`${n} -> dns:53/TCP`, `${n} -> dns:53/UDP`]);
    const traces = dev
      ? ['otel-collector -> jaeger:4317/TCP', 'prometheus -> jaeger:8888/TCP']
      : ['jaeger-collector -> elasticsearch:9200/TCP', 'jaeger-index-cleaner -> elasticsearch:9200/TCP', 'jaeger-query -> elasticsearch:9200/TCP', 'otel-collector -> jaeger-collector:4317/TCP', 'prometheus -> jaeger-collector:8888/TCP', 'prometheus -> jaeger-query:8888/TCP'];
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
      'prometheus -> dashboard:9090/TCP',
      'prometheus -> worker:9090/TCP',
      'worker -> api:8080/TCP',
      'worker -> otel-collector:4318/TCP',
      // The worker's Role (leader election on a Lease) needs the API server, at its real endpoints:
      // never the kubernetes Service's ClusterIP, which CNIs rewrite before they match policies.
      `worker -> api-server:${api}/TCP`,
      // The data tier: dependents, the roles Job, backups and restores, the exporters.
      'api -> postgres:5432/TCP',
      'api -> redis:6379/TCP',
      'worker -> postgres:5432/TCP',
      'worker -> redis:6379/TCP',
      'postgres-roles -> postgres:5432/TCP',
      'postgres-backup -> postgres:5432/TCP',
      'postgres-restore -> postgres:5432/TCP',
      'prometheus -> postgres:9187/TCP',
      'prometheus -> redis:9121/TCP',
      // prod copies backups to S3, whose ranges change: HTTPS anywhere outside the cluster (never the
      // cluster's own networks), for the backup pods and the restore pods, which can download a dump from it.
      ...(e === 'prod'
        ? ['postgres-backup -> internet:443/TCP', 'postgres-backup -> payments-provider:443/TCP', 'postgres-restore -> internet:443/TCP', 'postgres-restore -> payments-provider:443/TCP']
        : []),
      // prod's worker scales on a Redis list: the KEDA operator polls Redis.
      ...(e === 'prod' ? ['keda-operator -> redis:6379/TCP'] : []),
      // Logs: the declared flows of the stack; the shipper sends to Logstash and reads pod metadata from the API server.
      'elasticsearch-exporter -> elasticsearch:9200/TCP',
      'elasticsearch-setup -> elasticsearch:9200/TCP',
      'filebeat -> logstash:5044/TCP',
      `filebeat -> api-server:${api}/TCP`,
      'prometheus -> elasticsearch-exporter:9114/TCP',
      'kibana -> elasticsearch:9200/TCP',
      'logstash -> elasticsearch:9200/TCP',
      'prometheus -> logstash:9198/TCP',
      'prometheus -> otel-collector:8888/TCP',
      'prometheus -> otel-collector:8889/TCP',
      ...(e === 'prod' ? ['ingress-controller -> kibana:5601/TCP'] : []),
      // staging runs Elasticsearch on ECK: the operator reconciles it through the HTTP API.
      ...(e === 'staging' ? ['eck-operator -> elasticsearch:9200/TCP'] : []),
      // Grafana (the cluster's in staging and prod, the platform's own in dev) reads logs and traces.
      'grafana -> elasticsearch:9200/TCP',
      `grafana -> ${dev ? 'jaeger' : 'jaeger-query'}:16686/TCP`,
      ...traces,
      // dev's monitoring stack: Grafana reads Prometheus; Prometheus alerts Alertmanager and scrapes it,
      // kube-state-metrics and the kubelets, and discovers targets through the API server, which
      // kube-state-metrics watches too; Alertmanager posts to Slack over HTTPS outside the cluster.
      // On kind the API server listens on a node's address, so the node network is the API server's:
      // a kubelet is reachable on 6443 and the API server on 10250 as well.
      ...(dev ? [
        'grafana -> prometheus:9090/TCP',
        'prometheus -> alertmanager:9093/TCP',
        'prometheus -> kube-state-metrics:8080/TCP',
        'prometheus -> api-server:6443/TCP', 'prometheus -> api-server:10250/TCP',
        'prometheus -> kubelet:10250/TCP', 'prometheus -> kubelet:6443/TCP',
        'kube-state-metrics -> api-server:6443/TCP', 'kube-state-metrics -> kubelet:6443/TCP',
        'worker -> kubelet:6443/TCP', 'filebeat -> kubelet:6443/TCP',
        'alertmanager -> internet:443/TCP', 'alertmanager -> payments-provider:443/TCP',
      ] : []),
    ].sort());
  });

  it('put every namespace the platform creates under default-deny for ingress and egress, with DNS allowed', () => {
    const namespaces = [...createdNamespaces(objects)].sort();
    expect(namespaces).toEqual([platform.namespace, `${platform.namespace}-log-shipper`, `${platform.namespace}-telemetry`, ...(env.environment === 'dev' ? ['monitoring'] : [])].sort());
    for (const namespace of namespaces) {
      const policy = (name: string) => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === namespace && o.metadata.name === name) as { spec: Record<string, unknown> } | undefined;
      expect(policy('default-deny')?.spec, namespace).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
      expect(policy('allow-dns')?.spec.egress, namespace).toHaveLength(1);
    }
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
  it('isolate the log shipper both ways: it reaches Logstash, the API server and DNS, nothing else, and nobody reaches it', () => {
    const evaluator = new NetworkPolicyEvaluator(objects as never);
    const { all } = world(platform, objects);
    const get = (name: string) => all.find((p) => p.name === name)!;
    const apiPort = platform.cluster.apiServer!.port;
    expect(evaluator.allows(get('intruder'), get('filebeat'), 5066)).toBe(false);
    expect(evaluator.allows(get('api'), get('filebeat'), 5066)).toBe(false);
    expect(evaluator.allows(get('filebeat'), get('logstash'), 5044)).toBe(true);
    expect(evaluator.allows(get('filebeat'), get('api-server'), apiPort)).toBe(true);
    expect(evaluator.allows(get('filebeat'), get('kubernetes-service'), 443)).toBe(false);
    expect(evaluator.allows(get('filebeat'), get('internet'), 443)).toBe(false);
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
    ctx.registerNamespace({ name: 'atlas-data', component: 'data', podSecurity: 'restricted' });
    ctx.registerEndpoint({
      name: 'postgres',
      role: 'postgres',
      namespace: 'atlas-data',
      selector: { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': 'postgres-dev' },
      ports: [{ name: 'postgres', port: 5432 }, { name: 'metrics', port: 9187 }],
      metrics: [{ port: 'metrics', path: '/metrics' }],
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
      'worker calls the Kubernetes API: its Role (security.rbac)',
      'api is exposed through the ingress controller',
      'dashboard is exposed through the ingress controller',
      'Prometheus scrapes postgres',
      'Prometheus scrapes api',
      'Prometheus scrapes dashboard',
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

describe('egress to outside networks', () => {
  const prod = synthesized.find((e) => e.environment === 'prod')!;

  it('keeps the cluster\'s own pod and Service networks out of the backups\' HTTPS-anywhere egress', () => {
    const objects = prod.files.flatMap((f) => f.objects);
    const evaluator = new NetworkPolicyEvaluator(objects as never);
    const backup = podsOf(objects).find((p) => p.name === 'CronJob/postgres-backup')!;
    // An S3 address in eu-central-1; the kubernetes Service's ClusterIP; a pod (or node) address in the VPC.
    expect(evaluator.allows(backup, { ip: '52.219.170.10' }, 443)).toBe(true);
    expect(evaluator.allows(backup, { ip: '172.20.0.1' }, 443)).toBe(false);
    expect(evaluator.allows(backup, { ip: '10.30.12.7' }, 443)).toBe(false);
  });

  it('excepts each cluster network a declared CIDR contains, keeps the declared exceptions, and leaves a network inside the cluster\'s alone', () => {
    const spec = JSON.parse(JSON.stringify(prod.platform));
    spec.services.find((s: { name: string }) => s.name === 'api').egress = [
      { name: 'anywhere', cidr: '0.0.0.0/0', except: ['192.168.0.0/16', '10.30.64.0/18'], ports: [{ port: 443, protocol: 'TCP' }] },
      // A database in the VPC, outside the cluster but inside the VPC CNI's pod network.
      { name: 'vpc-database', cidr: '10.30.5.0/24', except: [], ports: [{ port: 5432, protocol: 'TCP' }] },
    ];
    const ctx = buildPlatform(spec as ResolvedPlatform);
    const networks = deriveFlows(ctx).flatMap((f) => (f.from.kind === 'pods' && f.from.name === 'api' && f.to.kind === 'network' ? [[f.to.name, f.to.cidr, f.to.except]] : []));
    expect(networks).toEqual([
      ['anywhere', '0.0.0.0/0', ['192.168.0.0/16', '10.30.0.0/16', '172.20.0.0/16']],
      ['vpc-database', '10.30.5.0/24', []],
    ]);
  });
});

describe('the Kubernetes API and the kubelets', () => {
  const platformOf = (environment: string, change: (spec: any) => void = () => {}) => {
    const spec = JSON.parse(JSON.stringify(synthesized.find((e) => e.environment === environment)!.platform));
    change(spec);
    return spec as ResolvedPlatform;
  };
  it('fails naming every caller of the API when the spec does not say where the API server is', () => {
    expect(specProblems(() => buildPlatform(platformOf('dev', (s) => { delete s.cluster.apiServer; })))).toEqual([
      'dev: cluster.apiServer: worker (its Role (security.rbac)), filebeat (pod metadata for each log line), prometheus (service discovery of targets and nodes), kube-state-metrics (watching object state) call the Kubernetes API, and their egress policies must name its endpoints; set cluster.apiServer.cidrs to the networks of the addresses `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes` lists (not the kubernetes Service\'s ClusterIP), and cluster.apiServer.port if it is not the provider\'s default (443 on aws, gcp and azure, 6443 on local); received nothing',
    ]);
  });

  it('fails when the standalone Prometheus must scrape kubelets at node addresses the spec does not give', () => {
    expect(specProblems(() => buildPlatform(platformOf('dev', (s) => { s.cluster.nodeCidrs = []; })))).toEqual([
      'dev: cluster.nodeCidrs: prometheus (volume and cAdvisor metrics) call the kubelets on port 10250, and their egress policies must name the nodes\' addresses; set cluster.nodeCidrs to the networks node InternalIPs come from; received []',
    ]);
  });

  it('needs no API server address when network policies are off', () => {
    expect(specProblems(() => buildPlatform(platformOf('prod', (s) => { delete s.cluster.apiServer; s.traffic.networkPolicies = false; })))).toEqual([]);
  });

  it('lets a service that mounts its token reach the API server\'s endpoints, and only those, on the API port', () => {
    const platform = platformOf('prod', (s) => { s.services.find((x: { name: string }) => x.name === 'dashboard').automountServiceAccountToken = true; });
    const ctx = buildPlatform(platform);
    expect(deriveFlows(ctx).filter((f) => f.from.kind === 'pods' && f.from.name === 'dashboard' && f.to.name === 'api-server').map((f) => [f.to.kind === 'network' && f.to.cidr, f.ports, f.reason])).toEqual([
      ['10.30.240.0/28', [{ port: 443, protocol: 'TCP' }], 'dashboard calls the Kubernetes API: automountServiceAccountToken'],
      ['10.30.240.16/28', [{ port: 443, protocol: 'TCP' }], 'dashboard calls the Kubernetes API: automountServiceAccountToken'],
      ['10.30.240.32/28', [{ port: 443, protocol: 'TCP' }], 'dashboard calls the Kubernetes API: automountServiceAccountToken'],
    ]);
    const objects = ctx.charts.flatMap((c) => Testing.synth(c)) as KubeObject[];
    const evaluator = new NetworkPolicyEvaluator(objects as never);
    const dashboard = podsOf(objects).find((p) => p.name === 'Deployment/dashboard')!;
    expect(evaluator.allows(dashboard, { ip: '10.30.240.20' }, 443)).toBe(true);
    expect(evaluator.allows(dashboard, { ip: '10.30.240.20' }, 6443)).toBe(false);
    // What the pod dials, the kubernetes Service's ClusterIP, is rewritten to an endpoint before the CNI matches.
    expect(evaluator.allows(dashboard, { ip: '172.20.0.1' }, 443)).toBe(false);
    expect(evaluator.allows(podsOf(objects).find((p) => p.name === 'Deployment/api')!, { ip: '10.30.240.20' }, 443)).toBe(false);
  });
});

describe('dev\'s own monitoring stack', () => {
  const dev = synthesized.find((e) => e.environment === 'dev')!;
  const objects = dev.files.flatMap((f) => f.objects);
  const evaluator = new NetworkPolicyEvaluator(objects as never);
  const { all } = world(dev.platform, objects);
  const get = (name: string) => all.find((p) => p.name === name)!;

  it('is isolated like the platform\'s other namespaces: the monitoring namespace denies by default', () => {
    const names = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'monitoring').map((o) => o.metadata.name).sort();
    expect(names).toEqual(['alertmanager-egress', 'alertmanager-ingress', 'allow-dns', 'default-deny', 'grafana-egress', 'kube-state-metrics-egress', 'kube-state-metrics-ingress', 'prometheus-egress', 'prometheus-ingress']);
    expect(evaluator.allows(get('intruder'), get('grafana'), 3000)).toBe(false);
    expect(evaluator.allows(get('api'), get('prometheus'), 9090)).toBe(false);
    expect(evaluator.allows(get('stray'), get('alertmanager'), 9093)).toBe(false);
  });

  it('lets Prometheus reach its targets, Alertmanager, kube-state-metrics, the API server and the kubelets, and Grafana read Prometheus', () => {
    expect(evaluator.allows(get('prometheus'), get('api'), 9090)).toBe(true);
    expect(evaluator.allows(get('prometheus'), get('api'), 8080)).toBe(false);
    expect(evaluator.allows(get('prometheus'), get('alertmanager'), 9093)).toBe(true);
    expect(evaluator.allows(get('prometheus'), get('kube-state-metrics'), 8080)).toBe(true);
    expect(evaluator.allows(get('prometheus'), get('kubelet'), 10250)).toBe(true);
    expect(evaluator.allows(get('prometheus'), get('api-server'), 6443)).toBe(true);
    expect(evaluator.allows(get('kube-state-metrics'), get('api-server'), 6443)).toBe(true);
    expect(evaluator.allows(get('grafana'), get('prometheus'), 9090)).toBe(true);
    expect(evaluator.allows(get('grafana'), get('internet'), 443)).toBe(false);
  });

  it('lets Alertmanager post to Slack over HTTPS outside the cluster, never to the cluster\'s own networks', () => {
    expect(evaluator.allows(get('alertmanager'), get('internet'), 443)).toBe(true);
    expect(evaluator.allows(get('alertmanager'), get('internet'), 80)).toBe(false);
    expect(evaluator.allows(get('alertmanager'), get('kubernetes-service'), 443)).toBe(false);
    expect(evaluator.allows(get('alertmanager'), get('pod-network'), 443)).toBe(false);
    expect(evaluator.allows(get('alertmanager'), get('api-server'), 443)).toBe(false);
  });
});
