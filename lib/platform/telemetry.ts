import { k8s } from 'cdk8s-plus-28';
import { recommendedLabels, versionFromImage } from '../core/labels';
import { Wave } from '../core/waves';
import { EckElasticsearch } from '../observability/logging/eck-elasticsearch';
import { Elasticsearch } from '../observability/logging/elasticsearch';
import { ElasticsearchExporter } from '../observability/logging/elasticsearch-exporter';
import { Filebeat } from '../observability/logging/filebeat';
import { ElasticsearchSetupJob, type LogLifecycle } from '../observability/logging/index-lifecycle';
import { Kibana } from '../observability/logging/kibana';
import { Logstash } from '../observability/logging/logstash';
import { Jaeger, JaegerStorage } from '../observability/tracing/jaeger';
import { JaegerIndexCleaner } from '../observability/tracing/jaeger-index-cleaner';
import { OtelCollector } from '../observability/tracing/otel-collector';
import { OtelCollectorResource } from '../observability/tracing/otel-collector-resource';
import { otelSdkEnv } from '../observability/tracing/otel-sdk-env';
import { TraceSampling } from '../observability/tracing/sampling';
import type { GrafanaDataSource } from '../observability/dashboards/grafana';
import { shipperNamespace, telemetryNamespace, type ResolvedPlatform } from '../spec';
import { StorageProvider } from '../storage/storage-provider';
import type { AppWorkloads } from './apps';
import type { FlowPeer, PlatformContext } from './context';
import { configYaml } from '../core/config-yaml';

export { POD_SECURITY_EXCEPTION_ANNOTATION } from '../security/platform-namespace';

/** Why the log shipper's namespace cannot be restricted (or baseline, which forbids host paths too). */
export const SHIPPER_EXCEPTION_REASON =
  'Filebeat reads container log files on each node through read-only hostPath volumes and keeps its read offsets in a hostPath folder; restricted and baseline both forbid hostPath volumes';

/** The namespaces of the logs and traces stack, resolved from the spec. */
export function telemetryNamespaces(platform: ResolvedPlatform): { stack: string; shipper: string } {
  return { stack: telemetryNamespace(platform), shipper: shipperNamespace(platform) };
}

/** The share of traces kept in an environment: the spec's ratio, else 10% in production and all elsewhere. */
export function traceSampling(platform: ResolvedPlatform): TraceSampling {
  const ratio = platform.telemetry.traces.samplingRatio;
  return ratio === undefined ? TraceSampling.forEnvironment(platform.production) : TraceSampling.ratio(ratio);
}

/**
 * Logs and traces: Elasticsearch with its lifecycle setup Job, Logstash, Kibana and the node log
 * shipper; Jaeger and the OpenTelemetry Collector gateway; the OpenTelemetry SDK settings on every
 * app; every component's endpoint, workload and the flows between them.
 */
export function buildTelemetry(ctx: PlatformContext, apps: AppWorkloads): void {
  const { platform } = ctx;
  const spec = platform.telemetry;
  const logs = spec.logs.enabled;
  const traces = spec.traces.enabled;
  if (!logs && !traces) return;
  const ns = telemetryNamespaces(platform);
  const env = platform.environment;
  const partOf = platform.name;
  const instance = (name: string) => `${name}-${env}`;

  // Every Secret a component of the stack reads, with the keys it reads: checked against security.secrets.
  const reads = (by: string, name: string, ...keys: string[]) => ctx.referenceSecret({ name, namespace: ns.stack, keys, by });
  const esSecrets = spec.logs.elasticsearch;
  const readsCa = (by: string) => reads(by, esSecrets.tlsSecret, 'ca.crt');

  ctx.registerNamespace({ name: ns.stack, component: 'telemetry', podSecurity: 'restricted' });
  if (logs) ctx.registerNamespace({ name: ns.shipper, component: 'log-shipper', podSecurity: 'privileged', reason: SHIPPER_EXCEPTION_REASON });

  // What the rest of the stack needs to know of the cluster, whichever runs it.
  let es: { url: string; nodes: number } | undefined;
  let eck: EckElasticsearch | undefined;
  if (logs) {
    const esSpec = spec.logs.elasticsearch;
    const chart = ctx.chart(Wave.OBSERVABILITY, 'elasticsearch', ns.stack);
    // Like the data tier: the platform's fast-ssd class on cloud providers, the cluster default on local.
    const esStorageClass = esSpec.storage.storageClass ?? (StorageProvider.of(platform.cluster.provider).emitsStorageClasses ? 'fast-ssd' : undefined);
    let selector: Readonly<Record<string, string>>;
    if (esSpec.provider === 'eck') {
      const kibanaSpec = spec.logs.kibana;
      eck = new EckElasticsearch(chart, 'elasticsearch', {
        image: esSpec.image,
        instance: instance('elasticsearch'),
        partOf,
        nodes: esSpec.nodes,
        resources: esSpec.resources,
        storageSize: esSpec.storage.size,
        storageClass: esStorageClass,
        tlsSecret: esSpec.tlsSecret,
        kibana: kibanaSpec.enabled
          ? { image: kibanaSpec.image, replicas: kibanaSpec.replicas, resources: kibanaSpec.resources, publicBaseUrl: kibanaSpec.exposure ? `https://${kibanaSpec.exposure.host}` : undefined }
          : undefined,
      });
      es = { url: eck.url(ns.stack), nodes: eck.nodes };
      // ECK serves HTTPS with this certificate; it makes the `elastic` user's Secret itself.
      reads('elasticsearch', esSpec.tlsSecret, 'tls.crt', 'tls.key', 'ca.crt');
      selector = eck.selector;
      ctx.registerEndpoint({
        name: 'elasticsearch',
        role: 'elasticsearch',
        namespace: ns.stack,
        selector,
        serviceName: eck.serviceName,
        ports: [{ name: 'https', port: eck.httpPort }, { name: 'transport', port: eck.transportPort }],
        version: versionFromImage(esSpec.image),
      });
      // The operator reconciles through Elasticsearch's HTTP API (settings, users, voting exclusions on scale-down).
      const operator = platform.cluster.eckOperator;
      ctx.registerFlow({ from: peer('eck-operator', operator.namespace, operator.podLabels), to: 'elasticsearch', ports: ['https'] });
      // ECK runs the StatefulSet (and its disruption budget): registered under the names its pods get,
      // so quotas count them and alerts and dashboards match them.
      ctx.registerWorkload({
        name: eck.statefulSetName,
        component: 'elasticsearch',
        kind: 'StatefulSet',
        namespace: ns.stack,
        selector,
        replicas: { min: eck.nodes, max: eck.nodes },
        podResources: esSpec.resources,
        images: [esSpec.image],
        claimsPerReplica: [esSpec.storage.size],
        claimTemplateNames: [eck.claimTemplateName],
        managedBy: 'eck',
      });
    } else {
      const sts = new Elasticsearch(chart, 'elasticsearch', {
        image: esSpec.image,
        instance: instance('elasticsearch'),
        partOf,
        nodes: esSpec.nodes,
        resources: esSpec.resources,
        storageSize: esSpec.storage.size,
        storageClass: esStorageClass,
        credentialsSecret: esSpec.credentialsSecret,
        tlsSecret: esSpec.tlsSecret,
      });
      es = { url: sts.url(ns.stack), nodes: sts.nodes };
      reads('elasticsearch', esSpec.credentialsSecret, 'elastic');
      reads('elasticsearch', esSpec.tlsSecret, 'tls.crt', 'tls.key', 'ca.crt');
      selector = sts.selector;
      ctx.registerEndpoint({
        name: 'elasticsearch',
        role: 'elasticsearch',
        namespace: ns.stack,
        selector,
        serviceName: sts.serviceName,
        ports: [{ name: 'https', port: sts.httpPort }, { name: 'transport', port: sts.transportPort }],
      });
      ctx.registerWorkload({
        name: sts.name,
        kind: 'StatefulSet',
        namespace: ns.stack,
        selector,
        replicas: { min: sts.nodes, max: sts.nodes },
        podResources: esSpec.resources,
        images: [esSpec.image],
        claimsPerReplica: [esSpec.storage.size],
        claimTemplateNames: [sts.claimTemplateName],
      });
    }
    // Nodes talk to each other on the transport port (discovery, replication).
    if (es.nodes > 1) ctx.registerFlow({ from: peer('elasticsearch', ns.stack, selector), to: 'elasticsearch', ports: ['transport'] });

    const lifecycle: LogLifecycle = { ...spec.logs.lifecycle, name: spec.logs.lifecycle.name ?? `${platform.name}-logs` };
    const setup = new ElasticsearchSetupJob(chart, 'setup', {
      image: esSpec.image,
      instance: instance('elasticsearch-setup'),
      partOf,
      url: es.url,
      credentialsSecret: esSpec.credentialsSecret,
      elasticPasswordSecret: eck?.elasticUserSecret,
      tlsSecret: esSpec.tlsSecret,
      lifecycle,
      replicas: es.nodes > 1 ? 1 : 0,
      tracesIndexPrefix: traces && spec.traces.jaeger.storage === 'elasticsearch' ? tracesIndexPrefix(platform) : undefined,
      // Under ECK, Kibana authenticates with a service account token the operator creates.
      kibana: spec.logs.kibana.enabled && !eck,
    });
    ctx.registerFlow({ from: peer(setup.name, ns.stack, setup.selector), to: 'elasticsearch', ports: ['https'] });

    reads(setup.name, esSpec.credentialsSecret, ...setup.credentialKeys);
    readsCa(setup.name);

    const exporter = new ElasticsearchExporter(chart, 'exporter', {
      image: esSpec.exporterImage,
      instance: instance('elasticsearch-exporter'),
      partOf,
      elasticsearchUrl: es.url,
      credentialsSecret: esSpec.credentialsSecret,
      tlsSecret: esSpec.tlsSecret,
    });
    registerDeployment(ctx, exporter.deployment, ns.stack, 1, exporter.resources, esSpec.exporterImage);
    reads(exporter.name, esSpec.credentialsSecret, 'remote_monitoring_user');
    readsCa(exporter.name);
    ctx.registerEndpoint({
      name: exporter.name,
      role: 'elasticsearch-exporter',
      namespace: ns.stack,
      selector: exporter.deployment.selector,
      serviceName: exporter.serviceName,
      ports: [{ name: 'metrics', port: exporter.port }],
      metrics: [{ port: 'metrics', path: '/metrics' }],
    });
    ctx.registerFlow({ from: peer(exporter.name, ns.stack, exporter.deployment.selector), to: 'elasticsearch', ports: ['https'] });

    const logstashSpec = spec.logs.logstash;
    const logstash = new Logstash(ctx.chart(Wave.OBSERVABILITY, 'logstash', ns.stack), 'logstash', {
      image: logstashSpec.image,
      instance: instance('logstash'),
      partOf,
      replicas: logstashSpec.replicas,
      resources: logstashSpec.resources,
      elasticsearchUrl: es.url,
      credentialsSecret: esSpec.credentialsSecret,
      tlsSecret: esSpec.tlsSecret,
      lifecycleName: lifecycle.name,
      environment: env,
      exporterImage: logstashSpec.exporterImage,
    });
    registerDeployment(ctx, logstash.deployment, ns.stack, logstashSpec.replicas, logstash.podResources, logstashSpec.image, [logstashSpec.exporterImage]);
    reads(logstash.name, esSpec.credentialsSecret, 'logstash_internal');
    readsCa(logstash.name);
    ctx.registerEndpoint({
      name: 'logstash',
      role: 'logstash',
      namespace: ns.stack,
      selector: logstash.deployment.selector,
      serviceName: logstash.serviceName,
      ports: [{ name: 'beats', port: logstash.beatsPort }, { name: 'api', port: logstash.apiPort }, { name: 'metrics', port: logstash.metricsPort }],
      metrics: [{ port: 'metrics', path: '/metrics' }],
    });
    ctx.registerFlow({ from: peer('logstash', ns.stack, logstash.deployment.selector), to: 'elasticsearch', ports: ['https'] });

    const kibanaSpec = spec.logs.kibana;
    if (kibanaSpec.enabled) {
      let kibanaEndpoint: { selector: Readonly<Record<string, string>>; serviceName: string };
      if (eck) {
        kibanaEndpoint = { selector: eck.kibanaSelector!, serviceName: eck.kibanaServiceName! };
        ctx.registerWorkload({
          name: eck.kibanaDeploymentName!,
          component: 'kibana',
          kind: 'Deployment',
          namespace: ns.stack,
          selector: eck.kibanaSelector!,
          replicas: { min: kibanaSpec.replicas, max: kibanaSpec.replicas },
          podResources: kibanaSpec.resources,
          images: [kibanaSpec.image],
          managedBy: 'eck',
        });
      } else {
        const kibana = new Kibana(ctx.chart(Wave.OBSERVABILITY, 'kibana', ns.stack), 'kibana', {
          image: kibanaSpec.image,
          instance: instance('kibana'),
          partOf,
          replicas: kibanaSpec.replicas,
          resources: kibanaSpec.resources,
          elasticsearchUrl: es.url,
          credentialsSecret: esSpec.credentialsSecret,
          tlsSecret: esSpec.tlsSecret,
          encryptionKeySecret: kibanaSpec.encryptionKeySecret,
          publicUrl: kibanaSpec.exposure ? `https://${kibanaSpec.exposure.host}` : undefined,
        });
        registerDeployment(ctx, kibana.deployment, ns.stack, kibanaSpec.replicas, kibanaSpec.resources, kibanaSpec.image);
        reads(kibana.name, esSpec.credentialsSecret, 'kibana_system');
        reads(kibana.name, kibanaSpec.encryptionKeySecret, 'encryptionKey');
        readsCa(kibana.name);
        kibanaEndpoint = { selector: kibana.deployment.selector, serviceName: kibana.serviceName };
      }
      ctx.registerEndpoint({
        name: 'kibana',
        role: 'kibana',
        namespace: ns.stack,
        selector: kibanaEndpoint.selector,
        serviceName: kibanaEndpoint.serviceName,
        ports: [{ name: 'http', port: 5601 }],
        version: versionFromImage(kibanaSpec.image),
      });
      ctx.registerFlow({ from: peer('kibana', ns.stack, kibanaEndpoint.selector), to: 'elasticsearch', ports: ['https'] });
      if (kibanaSpec.exposure) {
        // Routed like the services: Gateway listener and HTTPRoute, or NGINX Ingress; TLS ends at the edge.
        ctx.registerExposure({
          endpoint: 'kibana',
          port: 'http',
          identity: { name: 'kibana', instance: instance('kibana'), component: 'logging', partOf, version: versionFromImage(kibanaSpec.image) },
          hosts: [kibanaSpec.exposure.host],
          tlsSecret: kibanaSpec.exposure.tlsSecret,
        });
      }
    }

    const shipperSpec = spec.logs.shipper;
    const filebeat = new Filebeat(ctx.chart(Wave.OBSERVABILITY, 'log-shipper', ns.shipper), 'filebeat', {
      image: shipperSpec.image,
      namespace: ns.shipper,
      instance: instance('filebeat'),
      partOf,
      resources: shipperSpec.resources,
      logstashHost: `${logstash.serviceName}.${ns.stack}.svc:${logstash.beatsPort}`,
      clusterScope: ctx.chart(Wave.CLUSTER, 'log-shipper-rbac', null),
    });
    ctx.registerWorkload({
      name: filebeat.name,
      kind: 'DaemonSet',
      namespace: ns.shipper,
      selector: filebeat.selector,
      // One pod per node: the count follows the cluster, not the spec.
      replicas: { min: 1, max: 1 },
      podResources: shipperSpec.resources,
      images: [shipperSpec.image],
    });
    ctx.registerFlow({ from: peer('filebeat', ns.shipper, filebeat.selector), to: 'logstash', ports: ['beats'] });
    // add_kubernetes_metadata reads pods, namespaces and nodes from the API server; nothing else leaves.
    ctx.registerClusterFlow({ from: peer('filebeat', ns.shipper, filebeat.selector), to: 'api-server', why: 'pod metadata for each log line' });
  }

  if (traces) {
    const jaegerSpec = spec.traces.jaeger;
    const onEs = jaegerSpec.storage === 'elasticsearch';
    const jaeger = new Jaeger(ctx.chart(Wave.OBSERVABILITY, 'jaeger', ns.stack), 'jaeger', {
      image: jaegerSpec.image,
      environment: env,
      partOf,
      replicas: jaegerSpec.replicas,
      resources: jaegerSpec.resources,
      storage: onEs && es
        ? JaegerStorage.elasticsearch({
          url: es.url,
          credentialsSecret: spec.logs.elasticsearch.credentialsSecret,
          tlsSecret: spec.logs.elasticsearch.tlsSecret,
          indexPrefix: tracesIndexPrefix(platform),
          indexReplicas: es.nodes > 1 ? 1 : 0,
        })
        : JaegerStorage.memory(jaegerSpec.maxTraces),
    });
    const jaegerPods = onEs ? [jaeger.collector, jaeger.query] : [jaeger.collector];
    for (const pod of jaegerPods) {
      registerDeployment(ctx, pod, ns.stack, onEs ? jaegerSpec.replicas : 1, jaegerSpec.resources, jaegerSpec.image);
      ctx.registerEndpoint({
        name: pod.name,
        role: 'jaeger',
        namespace: ns.stack,
        selector: pod.selector,
        serviceName: pod.name,
        ports: pod.ports.map((p) => ({ name: p.name, port: p.port })),
        metrics: [{ port: 'metrics', path: '/metrics' }],
      });
      if (onEs) {
        ctx.registerFlow({ from: peer(pod.name, ns.stack, pod.selector), to: 'elasticsearch', ports: ['https'] });
        reads(pod.name, esSecrets.credentialsSecret, 'jaeger');
        readsCa(pod.name);
      }
    }
    if (onEs && es) {
      const cleaner = new JaegerIndexCleaner(ctx.chart(Wave.OBSERVABILITY, 'jaeger', ns.stack), 'index-cleaner', {
        image: spec.logs.elasticsearch.image,
        instance: instance('jaeger-index-cleaner'),
        partOf,
        elasticsearchUrl: es.url,
        credentialsSecret: spec.logs.elasticsearch.credentialsSecret,
        tlsSecret: spec.logs.elasticsearch.tlsSecret,
        indexPrefix: tracesIndexPrefix(platform),
        retentionDays: jaegerSpec.retentionDays,
      });
      ctx.registerFlow({ from: peer(cleaner.name, ns.stack, cleaner.selector), to: 'elasticsearch', ports: ['https'] });
      reads(cleaner.name, esSecrets.credentialsSecret, 'jaeger');
      readsCa(cleaner.name);
    }

    const collectorSpec = spec.traces.collector;
    const collectorProps = {
      image: collectorSpec.image,
      instance: instance('otel-collector'),
      partOf,
      replicas: collectorSpec.replicas,
      resources: collectorSpec.resources,
      tracesEndpoint: `${jaeger.collectorName}.${ns.stack}.svc:${jaeger.otlpGrpcPort}`,
      sampling: traceSampling(platform),
    };
    const collectorChart = ctx.chart(Wave.OBSERVABILITY, 'otel-collector', ns.stack);
    let collector: { serviceName: string; selector: Readonly<Record<string, string>>; ports: readonly { name: string; port: number }[] };
    if (collectorSpec.provider === 'operator') {
      // The operator runs the Deployment (and its disruption budget): not registered as a workload here.
      const resource = new OtelCollectorResource(collectorChart, 'otel-collector', { ...collectorProps, instance: instance('otel'), namespace: ns.stack });
      collector = resource;
    } else {
      const deployment = new OtelCollector(collectorChart, 'otel-collector', collectorProps);
      registerDeployment(ctx, deployment.deployment, ns.stack, collectorSpec.replicas, collectorSpec.resources, collectorSpec.image);
      collector = { serviceName: deployment.serviceName, selector: deployment.deployment.selector, ports: deployment.deployment.ports };
    }
    ctx.registerEndpoint({
      name: 'otel-collector',
      role: 'otel-collector',
      namespace: ns.stack,
      selector: collector.selector,
      // The operator's base, headless and monitoring Services share the pod labels: scrape the pods, not a Service.
      serviceName: collectorSpec.provider === 'operator' ? undefined : collector.serviceName,
      ports: collector.ports.map((p) => ({ name: p.name, port: p.port })),
      // Its own health (`metrics`) and the applications' metrics received over OTLP (`prom-exporter`).
      metrics: [{ port: 'metrics', path: '/metrics' }, { port: 'prom-exporter', path: '/metrics' }],
      version: versionFromImage(collectorSpec.image),
    });
    ctx.registerFlow({ from: peer('otel-collector', ns.stack, collector.selector), to: jaeger.collectorName, ports: ['otlp-grpc'] });

    const endpoint = `http://${collector.serviceName}.${ns.stack}.svc:4318`;
    for (const svc of platform.services) {
      const app = apps.get(svc.name);
      if (!app) throw new Error(`no workload was built for service ${svc.name}`);
      // Each Deployment reports the version it runs (a blue-green slot or a canary runs its own image).
      for (const w of app.workloads) {
        w.addEnv(...otelSdkEnv({
          serviceName: svc.name,
          serviceVersion: versionFromImage(w.image),
          serviceNamespace: platform.name,
          environment: env,
          endpoint,
        }));
      }
      ctx.registerFlow({ from: peer(svc.name, ctx.namespace, app.selector), to: 'otel-collector', ports: ['otlp-http'] });
    }
  }
}

/** Index prefix of Jaeger's span indices. */
function tracesIndexPrefix(platform: ResolvedPlatform): string {
  return `${platform.name}-traces`;
}

function peer(name: string, namespace: string, selector: Readonly<Record<string, string>>): FlowPeer {
  return { name, namespace, selector };
}

function registerDeployment(
  ctx: PlatformContext,
  deployment: { name: string; selector: Record<string, string> },
  namespace: string,
  replicas: number,
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } },
  image: string,
  sidecarImages: readonly string[] = [],
): void {
  ctx.registerWorkload({
    name: deployment.name,
    kind: 'Deployment',
    namespace,
    selector: deployment.selector,
    replicas: { min: replicas, max: replicas },
    podResources: resources,
    images: [image, ...sidecarImages],
  });
}

/** Secret (in Grafana's namespace) with the `grafana` Elasticsearch user's `password` and the cluster's `ca.crt`. */
export const GRAFANA_ELASTICSEARCH_SECRET = 'grafana-elasticsearch';

/**
 * Grafana's data sources for the logs and traces stack: Elasticsearch (the log indices, as the
 * read-only `grafana` user over verified TLS, password and CA read from files under `secretDir`) and
 * Jaeger's query API. Empty when the stack is off.
 */
export function telemetryDataSources(ctx: PlatformContext, secretDir: string): GrafanaDataSource[] {
  const sources: GrafanaDataSource[] = [];
  const es = ctx.endpoints.find((e) => e.name === 'elasticsearch');
  if (ctx.platform.telemetry.logs.enabled && es) {
    const lifecycle = ctx.platform.telemetry.logs.lifecycle.name ?? `${ctx.platform.name}-logs`;
    sources.push({
      name: 'Elasticsearch', uid: 'elasticsearch-logs', type: 'elasticsearch',
      url: `https://${es.serviceName}.${es.namespace}.svc:9200`,
      jsonData: { index: `${lifecycle}-*`, timeField: '@timestamp', logMessageField: 'message', maxConcurrentShardRequests: 5 },
      basicAuth: { user: 'grafana', passwordFile: `${secretDir}/password` },
      caCertFile: `${secretDir}/ca.crt`,
    });
  }
  const query = jaegerQuery(ctx);
  if (query) {
    sources.push({ name: 'Jaeger', uid: 'jaeger', type: 'jaeger', url: `http://${query.serviceName}.${query.namespace}.svc:16686` });
  }
  return sources;
}

/** Declares Grafana's connections to Elasticsearch and Jaeger's query API, for the network policies. */
export function registerGrafanaFlows(ctx: PlatformContext, grafana: FlowPeer): void {
  if (ctx.platform.telemetry.logs.enabled && ctx.endpoints.some((e) => e.name === 'elasticsearch')) {
    ctx.registerFlow({ from: grafana, to: 'elasticsearch', ports: ['https'] });
  }
  const query = jaegerQuery(ctx);
  if (query) ctx.registerFlow({ from: grafana, to: query.name, ports: ['query'] });
}

/**
 * The data sources as a ConfigMap for the Grafana datasource sidecar of kube-prometheus-stack
 * (label `grafana_datasource: "1"`); the Grafana release mounts `grafana-elasticsearch` at `secretDir`
 * (`extraSecretMounts`).
 */
export function buildGrafanaDataSourceConfigMap(ctx: PlatformContext, namespace: string, secretDir: string): void {
  const sources = telemetryDataSources(ctx, secretDir);
  if (sources.length === 0) return;
  const env = ctx.platform.environment;
  const name = `${ctx.platform.name}-${env}-telemetry-datasources`;
  const datasources = sources.map((d) => ({
    name: `${d.name} (${ctx.platform.name}-${env})`, uid: `${d.uid}-${env}`, type: d.type, access: 'proxy', url: d.url, isDefault: false, editable: false,
    ...(d.jsonData || d.caCertFile ? { jsonData: { ...(d.jsonData ?? {}), ...(d.caCertFile ? { tlsAuthWithCACert: true } : {}) } } : {}),
    ...(d.basicAuth ? { basicAuth: true, basicAuthUser: d.basicAuth.user } : {}),
    ...(d.basicAuth || d.caCertFile
      ? { secureJsonData: { ...(d.basicAuth ? { basicAuthPassword: `$__file{${d.basicAuth.passwordFile}}` } : {}), ...(d.caCertFile ? { tlsCACert: `$__file{${d.caCertFile}}` } : {}) } }
      : {}),
  }));
  new k8s.KubeConfigMap(ctx.chart(Wave.OBSERVABILITY, 'telemetry-datasources', namespace), 'datasources', {
    metadata: {
      name,
      labels: {
        ...recommendedLabels(ctx.platformIdentity(name, 'monitoring', name)),
        // What kube-prometheus-stack's datasource sidecar watches for.
        grafana_datasource: '1',
      },
    },
    data: { [`${name}.yaml`]: configYaml({ apiVersion: 1, datasources }) },
  });
}

function jaegerQuery(ctx: PlatformContext) {
  if (!ctx.platform.telemetry.traces.enabled) return undefined;
  return ctx.endpoints.find((e) => e.role === 'jaeger' && e.ports.some((p) => p.name === 'query') && e.serviceName !== undefined) as
    | (ReturnType<PlatformContext['endpoint']> & { serviceName: string })
    | undefined;
}
