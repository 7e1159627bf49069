import { describe, expect, it } from 'vitest';
import { serviceWorkloads } from './service-workloads';
import * as YAML from 'yaml';
import { environmentSources } from '../../environments';
import { buildPlatform, type PlatformContext } from '../../lib/platform';
import { resolveEnvironments, type ResolvedPlatform } from '../../lib/spec';

const platforms = resolveEnvironments(environmentSources.base, environmentSources.environments);
const byEnv = Object.fromEntries(platforms.map((p) => [p.environment, p])) as Record<string, ResolvedPlatform>;

interface Obj { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any; data?: Record<string, string> }

function build(environment: string) {
  const ctx = buildPlatform(byEnv[environment]);
  const objects = ctx.charts.flatMap((chart) => chart.toJson() as Obj[]);
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  return { ctx, objects, find };
}

const flowsOf = (ctx: PlatformContext) => ctx.flows.map((f) => `${f.from.namespace}/${f.from.name} → ${f.to}:${f.ports.join(',')}`).sort();

describe('logs and traces of the reference platform', () => {
  it('keeps every trace in dev and 10% in prod, decided once at the gateway', () => {
    const percentage = (env: string) => {
      const { find } = build(env);
      // The plain gateway reads a ConfigMap; the operator's resource carries the config inline.
      const config = find('ConfigMap', 'otel-collector')
        ? YAML.parse(find('ConfigMap', 'otel-collector')!.data!['collector.yaml'])
        : find('OpenTelemetryCollector', 'otel')!.spec.config;
      return config.processors.probabilistic_sampler.sampling_percentage;
    };
    expect(percentage('dev')).toBe(100);
    expect(percentage('staging')).toBe(100);
    expect(percentage('prod')).toBe(10);
  });

  it.each(['dev', 'staging', 'prod'])('gives every app container in %s its OpenTelemetry identity, endpoint and sampler, with the version its own image runs', (env) => {
    const { objects } = build(env);
    const platform = byEnv[env];
    for (const svc of platform.services) {
      // A blue-green slot or a canary reports its own version under the service's name.
      for (const workload of serviceWorkloads(objects, svc.name)) {
        const container = workload.spec.template.spec.containers[0];
        const vars = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
        expect(vars).toMatchObject({
          OTEL_SERVICE_NAME: svc.name,
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://otel-collector.atlas-${env}-telemetry.svc:4318`,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_TRACES_SAMPLER: 'parentbased_always_on',
        });
        const attributes = Object.fromEntries(vars.OTEL_RESOURCE_ATTRIBUTES.split(',').map((kv: string) => kv.split('=')));
        expect(attributes).toMatchObject({ 'service.version': container.image.split(':').pop(), 'deployment.environment': env, 'service.namespace': 'atlas' });
      }
    }
  });

  it('lets the ECK operator reach Elasticsearch\'s HTTP port where ECK runs it (staging), and only there', () => {
    const { ctx } = build('staging');
    expect(flowsOf(ctx).filter((f) => f.startsWith('elastic-system/'))).toEqual(['elastic-system/eck-operator → elasticsearch:https']);
    expect(ctx.flows.find((f) => f.from.name === 'eck-operator')?.from.selector).toEqual({ 'control-plane': 'elastic-operator' });
    expect(flowsOf(build('prod').ctx).filter((f) => f.includes('eck-operator'))).toEqual([]);
  });

  it('declares exactly the dev flows: apps → collector, collector → Jaeger, shipper → Logstash → Elasticsearch, Kibana, setup and exporter → Elasticsearch, Grafana → Elasticsearch and Jaeger', () => {
    expect(flowsOf(build('dev').ctx)).toEqual([
      'atlas-dev-log-shipper/filebeat → logstash:beats',
      'atlas-dev-telemetry/elasticsearch-exporter → elasticsearch:https',
      'atlas-dev-telemetry/elasticsearch-setup → elasticsearch:https',
      'atlas-dev-telemetry/kibana → elasticsearch:https',
      'atlas-dev-telemetry/logstash → elasticsearch:https',
      'atlas-dev-telemetry/otel-collector → jaeger:otlp-grpc',
      'atlas-dev/api → otel-collector:otlp-http',
      'atlas-dev/dashboard → otel-collector:otlp-http',
      'atlas-dev/postgres-backup → postgres:postgres',
      'atlas-dev/postgres-restore → postgres:postgres',
      'atlas-dev/postgres-roles → postgres:postgres',
      'atlas-dev/worker → otel-collector:otlp-http',
      'monitoring/grafana → elasticsearch:https',
      'monitoring/grafana → jaeger:query',
      // dev's own monitoring stack (lib/platform/metrics.ts).
      'monitoring/grafana → prometheus:web',
      'monitoring/prometheus → alertmanager:web',
      'monitoring/prometheus → kube-state-metrics:http-metrics',
    ]);
  });

  it('declares exactly the prod flows, with Jaeger on Elasticsearch, node-to-node transport and the ingress controller to Kibana', () => {
    expect(flowsOf(build('prod').ctx)).toEqual([
      'atlas-prod-log-shipper/filebeat → logstash:beats',
      'atlas-prod-telemetry/elasticsearch → elasticsearch:transport',
      'atlas-prod-telemetry/elasticsearch-exporter → elasticsearch:https',
      'atlas-prod-telemetry/elasticsearch-setup → elasticsearch:https',
      'atlas-prod-telemetry/jaeger-collector → elasticsearch:https',
      'atlas-prod-telemetry/jaeger-index-cleaner → elasticsearch:https',
      'atlas-prod-telemetry/jaeger-query → elasticsearch:https',
      'atlas-prod-telemetry/kibana → elasticsearch:https',
      'atlas-prod-telemetry/logstash → elasticsearch:https',
      'atlas-prod-telemetry/otel-collector → jaeger-collector:otlp-grpc',
      'atlas-prod/api → otel-collector:otlp-http',
      'atlas-prod/dashboard → otel-collector:otlp-http',
      'atlas-prod/postgres-backup → postgres:postgres',
      'atlas-prod/postgres-restore → postgres:postgres',
      'atlas-prod/postgres-roles → postgres:postgres',
      'atlas-prod/worker → otel-collector:otlp-http',
      'envoy-gateway-system/ingress-controller → kibana:http',
      'keda/keda-operator → redis:redis',
      'monitoring/grafana → elasticsearch:https',
      'monitoring/grafana → jaeger-query:query',
    ]);
  });

  it('runs staging on the cluster operators: ECK Elasticsearch and Kibana, an OpenTelemetryCollector resource', () => {
    const { objects, ctx } = build('staging');
    const kinds = objects.filter((o) => o.metadata.namespace === 'atlas-staging-telemetry').map((o) => o.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Elasticsearch', 'Kibana', 'OpenTelemetryCollector']));
    expect(kinds).not.toContain('StatefulSet');
    expect(ctx.endpoint('elasticsearch')).toMatchObject({ serviceName: 'elasticsearch-es-http', selector: { 'elasticsearch.k8s.elastic.co/cluster-name': 'elasticsearch' } });
    const setup = objects.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('elasticsearch-setup-'))!.spec.template.spec.containers[0];
    expect(setup.env.find((e: any) => e.name === 'ELASTIC_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'elasticsearch-es-elastic-user', key: 'elastic' });
    expect(setup.env.map((e: any) => e.name)).not.toContain('KIBANA_SYSTEM_PASSWORD');
    const api = serviceWorkloads(objects, 'api')[0].spec.template.spec.containers[0];
    expect(api.env.find((e: any) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT').value).toBe('http://otel-collector.atlas-staging-telemetry.svc:4318');
  });

  it('sizes dev small and prod for production: one node and an in-memory Jaeger against three nodes and Jaeger on Elasticsearch', () => {
    const dev = build('dev');
    expect(dev.find('StatefulSet', 'elasticsearch')!.spec.replicas).toBe(1);
    // A local cluster has no fast-ssd class: the claim takes the cluster default, like the data tier's.
    expect(dev.find('StatefulSet', 'elasticsearch')!.spec.volumeClaimTemplates[0].spec).not.toHaveProperty('storageClassName');
    expect(dev.find('Deployment', 'jaeger')).toBeDefined();
    expect(dev.find('Ingress', 'kibana')).toBeUndefined();
    const prod = build('prod');
    expect(prod.find('StatefulSet', 'elasticsearch')!.spec.replicas).toBe(3);
    expect(prod.find('StatefulSet', 'elasticsearch')!.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast-ssd', resources: { requests: { storage: '100Gi' } } });
    expect(prod.find('Deployment', 'jaeger-collector')!.spec.replicas).toBe(2);
    expect(prod.find('Deployment', 'jaeger-query')!.spec.replicas).toBe(2);
    expect(prod.find('HTTPRoute', 'kibana')!.spec.hostnames).toEqual(['kibana.atlas.example.com']);
    const budgets = prod.objects.filter((o) => o.kind === 'PodDisruptionBudget' && o.metadata.namespace === 'atlas-prod-telemetry').map((o) => o.metadata.name).sort();
    expect(budgets).toEqual(['elasticsearch', 'jaeger-collector', 'jaeger-query', 'logstash', 'otel-collector']);
  });

  it('applies the reference lifecycle in every environment: hot 7 days, then warm, deleted at 30', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const policy = JSON.parse(build(env).find('ConfigMap', 'elasticsearch-setup')!.data!['ilm-policy.json']).policy.phases;
      expect([policy.warm.min_age, policy.delete.min_age]).toEqual(['7d', '30d']);
    }
  });

  it('gives Grafana a logs data source (read-only user, verified TLS, secrets from files) and a traces data source', () => {
    const dev = build('dev');
    const provisioning = YAML.parse(dev.find('ConfigMap', 'grafana-provisioning')!.data!['datasources.yaml']).datasources;
    const logs = provisioning.find((d: any) => d.type === 'elasticsearch');
    expect(logs).toMatchObject({
      url: 'https://elasticsearch.atlas-dev-telemetry.svc:9200',
      basicAuthUser: 'grafana',
      jsonData: { index: 'atlas-logs-*', timeField: '@timestamp', tlsAuthWithCACert: true },
      secureJsonData: { basicAuthPassword: '$__file{/etc/grafana/secrets/grafana-elasticsearch/password}' },
    });
    expect(provisioning.find((d: any) => d.type === 'jaeger').url).toBe('http://jaeger.atlas-dev-telemetry.svc:16686');
    // In operator mode the cluster's Grafana picks them up from a sidecar-labelled ConfigMap.
    const prod = build('prod').find('ConfigMap', 'atlas-prod-telemetry-datasources')!;
    expect(prod.metadata.labels!.grafana_datasource).toBe('1');
    const sources = YAML.parse(Object.values(prod.data!)[0]).datasources;
    expect(sources.map((d: any) => [d.type, d.url])).toEqual([
      ['elasticsearch', 'https://elasticsearch.atlas-prod-telemetry.svc:9200'], ['jaeger', 'http://jaeger-query.atlas-prod-telemetry.svc:16686'],
    ]);
  });

  it('makes the log shipper namespace the only Pod Security exception, with its reason on it', () => {
    const namespaces = build('prod').objects.filter((o) => o.kind === 'Namespace');
    const levels = Object.fromEntries(namespaces.map((n) => [n.metadata.name, n.metadata.labels!['pod-security.kubernetes.io/enforce']]));
    expect(levels).toEqual({ 'atlas-prod': 'restricted', 'atlas-prod-telemetry': 'restricted', 'atlas-prod-log-shipper': 'privileged' });
    const shipper = namespaces.find((n) => n.metadata.name === 'atlas-prod-log-shipper')!;
    expect(shipper.metadata.annotations!['security.stackwright.io/pod-security-exception']).toContain('hostPath');
  });

  it('registers every component as an endpoint and workload for policies, scraping and quotas', () => {
    const { ctx } = build('prod');
    expect(ctx.endpoints.filter((e) => e.namespace === 'atlas-prod-telemetry').map((e) => e.name))
      .toEqual(['elasticsearch', 'elasticsearch-exporter', 'logstash', 'kibana', 'jaeger-collector', 'jaeger-query', 'otel-collector']);
    expect(ctx.endpoint('elasticsearch-exporter').metrics).toEqual([{ port: 'metrics', path: '/metrics' }]);
    expect(ctx.endpoint('logstash').metrics).toEqual([{ port: 'metrics', path: '/metrics' }]);
    // The collector's own health and the applications' metrics it re-exposes.
    expect(ctx.endpoint('otel-collector').metrics).toEqual([{ port: 'metrics', path: '/metrics' }, { port: 'prom-exporter', path: '/metrics' }]);
    expect(ctx.workloads.filter((w) => w.namespace !== 'atlas-prod').map((w) => `${w.kind}/${w.name}`)).toEqual([
      'StatefulSet/elasticsearch', 'Deployment/elasticsearch-exporter', 'Deployment/logstash', 'Deployment/kibana', 'DaemonSet/filebeat', 'Deployment/jaeger-collector', 'Deployment/jaeger-query', 'Deployment/otel-collector',
    ]);
  });

  it('registers ECK\'s pods in staging under the names the operator gives them, for quotas, alerts and dashboards', () => {
    const { ctx, objects } = build('staging');
    const eck = ctx.workloads.filter((w) => w.managedBy === 'eck').map((w) => [w.kind, w.name, w.component, w.replicas.max, w.claimTemplateNames ?? []]);
    expect(eck).toEqual([
      ['StatefulSet', 'elasticsearch-es-default', 'elasticsearch', 3, ['elasticsearch-data']],
      ['Deployment', 'kibana-kb', 'kibana', 1, []],
    ]);
    // The ECK resource names the node set whose StatefulSet that is.
    expect(objects.find((o) => o.kind === 'Elasticsearch')!.spec.nodeSets.map((n: any) => n.name)).toEqual(['default']);
    const rules = objects.find((o) => o.kind === 'PrometheusRule')!.spec.groups as { name: string; rules: { alert: string; expr: string; labels: Record<string, string> }[] }[];
    const es = rules.find((g) => g.name === 'atlas-staging.elasticsearch')!;
    expect(es.rules.find((r) => r.alert === 'PodCrashLooping')!.expr).toContain('pod=~"elasticsearch-es-default-[0-9]+"');
    expect(es.rules.find((r) => r.alert === 'PersistentVolumeFillingUp')!.expr).toContain('persistentvolumeclaim=~"elasticsearch-data-elasticsearch-es-default-[0-9]+"');
    expect(es.rules.every((r) => r.labels.service === 'elasticsearch')).toBe(true);
    const kibana = rules.find((g) => g.name === 'atlas-staging.kibana')!;
    expect(kibana.rules.find((r) => r.alert === 'HighMemoryUsage')!.expr).toContain('pod=~"kibana-kb-[a-z0-9]+-[a-z0-9]{5}"');
    const dashboards = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'atlas-staging-dashboards')!;
    expect(dashboards.data!['infrastructure.json']).toContain('elasticsearch-es-default-[0-9]+');
    expect(dashboards.data!['infrastructure.json']).toContain('kibana-kb-[a-z0-9]+-[a-z0-9]{5}');
    // ECK makes their disruption budget; the platform makes none for them.
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget' && o.metadata.namespace === 'atlas-staging-telemetry').map((o) => o.metadata.name)).not.toContain('elasticsearch-es-default');
  });

  it('exposes Kibana the way the environment routes its services: prod\'s Gateway listener, certificate and HTTPRoute', () => {
    const { objects, ctx } = build('prod');
    expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
    const gateway = objects.find((o) => o.kind === 'Gateway')!;
    const listener = gateway.spec.listeners.find((l: any) => l.hostname === 'kibana.atlas.example.com');
    expect(listener).toMatchObject({
      protocol: 'HTTPS', port: 443,
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', group: '', name: 'kibana-tls' }] },
      // Routes attach to it from the telemetry namespace alone.
      allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'atlas-prod-telemetry' } } } },
    });
    expect(objects.find((o) => o.kind === 'Certificate' && o.metadata.name === 'kibana-tls')!.spec).toMatchObject({
      secretName: 'kibana-tls', dnsNames: ['kibana.atlas.example.com'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-prod' },
    });
    const route = objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'kibana')!;
    expect(route.metadata.namespace).toBe('atlas-prod-telemetry');
    expect(route.spec.parentRefs).toEqual([{ name: 'atlas', namespace: 'atlas-prod', sectionName: 'https-kibana.atlas.example.com' }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ kind: 'Service', group: '', name: 'kibana', port: 5601, weight: 1 }]);
    // The Gateway's proxies, and nothing else from outside the namespace, reach Kibana's port.
    expect(ctx.flows.filter((f) => f.to === 'kibana').map((f) => `${f.from.namespace}/${f.from.name}:${f.ports.join()}`)).toEqual(['envoy-gateway-system/ingress-controller:http']);
    expect(YAML.parse(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'kibana')!.data!['kibana.yml'])['server.publicBaseUrl']).toBe('https://kibana.atlas.example.com');
  });

  it('exposes Kibana through an NGINX Ingress where the environment uses NGINX: cert-manager issues its certificate where installed, else a named Secret', () => {
    const kibanaTls = { name: 'kibana-tls', namespaceOf: 'telemetry', type: 'kubernetes.io/tls', keys: ['tls.crt', 'tls.key'] };
    const platformWith = (env: 'dev' | 'staging', host: string, secrets: readonly object[] = []) => {
      const overlay = environmentSources.environments[env] as Record<string, any>;
      return resolveEnvironments(environmentSources.base, {
        [env]: {
          ...overlay,
          telemetry: { ...overlay.telemetry, logs: { ...overlay.telemetry.logs, kibana: { exposure: { host } } } },
          security: { ...overlay.security, secrets: [...(overlay.security.secrets ?? []), ...secrets] },
        },
      })[0];
    };
    const exposed = (env: 'dev' | 'staging', host: string, secrets: readonly object[] = []) =>
      buildPlatform(platformWith(env, host, secrets)).charts.flatMap((c) => c.toJson() as Obj[]).find((o) => o.kind === 'Ingress' && o.metadata.name === 'kibana')!;
    // Staging runs Kibana through ECK, with cert-manager.
    const staging = exposed('staging', 'kibana.staging.atlas.example.com');
    expect(staging.metadata.namespace).toBe('atlas-staging-telemetry');
    expect(staging.metadata.annotations!['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    expect(staging.spec).toMatchObject({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['kibana.staging.atlas.example.com'], secretName: 'kibana-tls' }],
      rules: [{ host: 'kibana.staging.atlas.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'kibana-kb-http', port: { number: 5601 } } } }] } }],
    });
    // Dev has no cert-manager: the Secret is created by hand, so the spec must declare it.
    expect(() => buildPlatform(platformWith('dev', 'kibana.dev.atlas.example.com'))).toThrow('the kibana Ingress reads Secret atlas-dev-telemetry/kibana-tls (keys tls.crt, tls.key), which is not declared');
    const dev = exposed('dev', 'kibana.dev.atlas.example.com', [kibanaTls]);
    expect(dev.metadata.annotations!['cert-manager.io/cluster-issuer']).toBeUndefined();
    expect(dev.spec.tls).toEqual([{ hosts: ['kibana.dev.atlas.example.com'], secretName: 'kibana-tls' }]);
    expect(dev.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'kibana', port: { number: 5601 } });
  });
});
