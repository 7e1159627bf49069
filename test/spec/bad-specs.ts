// The bad-spec corpus: each case breaks one thing in the reference platform and states the exact
// problem lines synth must print (environment: path: message; received value).
import { base } from '../../environments/base';
import { dev } from '../../environments/dev';
import type { Overlay, PlatformInput } from '../../lib/spec';

export interface BadSpec {
  /** What is wrong, as a sentence. */
  readonly name: string;
  /** An overlay applied over dev's, or a whole input replacing the merged dev platform. */
  readonly overlay?: Overlay<PlatformInput>;
  readonly input?: unknown;
  /** The exact problem lines, in order. */
  readonly expected: readonly string[];
}

const svc = (patch: Record<string, unknown>) => ({ services: [{ name: 'api', ...patch }] }) as Overlay<PlatformInput>;
const tel = (patch: Record<string, unknown>) => ({ telemetry: patch }) as Overlay<PlatformInput>;
const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } };
const minimal = (services: unknown[]) => ({ name: 'atlas', environment: 'dev', services });
const web = (name: string, extra: Record<string, unknown> = {}) => ({
  name, image: 'ghcr.io/acme/app:1.0.0', ports: [{ name: 'http', port: 8080 }], resources, ...extra,
});

export const badSpecs: readonly BadSpec[] = [
  { name: 'a negative replica count', overlay: svc({ replicas: -1 }), expected: ['dev: services[api].replicas: expected ≥ 0; received -1'] },
  { name: 'a fractional replica count', overlay: svc({ replicas: 1.5 }), expected: ['dev: services[api].replicas: expected int; received 1.5'] },
  { name: 'a misspelled top-level field', overlay: { servics: [] } as never, expected: ['dev: servics: unknown field "servics" (did you mean "services"?); allowed fields: name, environment, namespace, domain, production, cluster, services, availability, telemetry, metrics, dataStores, security, traffic; received []'] },
  { name: 'a misspelled service field', overlay: svc({ replcas: 2 }), expected: ['dev: services[api].replcas: unknown field "replcas" (did you mean "replicas"?); allowed fields: name, kind, description, image, command, args, env, ports, resources, replicas, autoscaling, delivery, probes, dependsOn, exposure, network, egress, metricsPort, metricsPath, runAsUser, writablePaths, automountServiceAccountToken, terminationGracePeriodSeconds, preStopSleepSeconds; received 2'] },
  { name: 'an image on the latest tag', overlay: svc({ image: 'ghcr.io/acme/api:latest' }), expected: ['dev: services[api].image: expected a pinned image reference: registry/repository:tag with a tag other than "latest", or @sha256:<digest>; received "ghcr.io/acme/api:latest"'] },
  { name: 'an image without a tag', overlay: svc({ image: 'ghcr.io/acme/api' }), expected: ['dev: services[api].image: expected a pinned image reference: registry/repository:tag with a tag other than "latest", or @sha256:<digest>; received "ghcr.io/acme/api"'] },
  { name: 'a service name in capitals', input: minimal([web('Api')]), expected: ['dev: services[Api].name: expected a DNS-1035 label of at most 40 characters: lowercase letters, digits and "-", starting with a letter (room is left for derived names such as "<name>-preview"); received "Api"'] },
  { name: 'a service name starting with a digit', input: minimal([web('1api')]), expected: ['dev: services[1api].name: expected a DNS-1035 label of at most 40 characters: lowercase letters, digits and "-", starting with a letter (room is left for derived names such as "<name>-preview"); received "1api"'] },
  { name: 'a port name over 15 characters', input: minimal([web('api', { ports: [{ name: 'http-public-facing', port: 8080 }] })]), expected: ['dev: services[api].ports[http-public-facing].name: expected a port name: at most 15 characters, lowercase letters, digits and "-", at least one letter, no "--"; received "http-public-facing"'] },
  { name: 'a port number above 65535', input: minimal([web('api', { ports: [{ name: 'http', port: 70000 }] })]), expected: ['dev: services[api].ports[http].port: expected ≤ 65535; received 70000'] },
  { name: 'port zero', input: minimal([web('api', { ports: [{ name: 'http', port: 0 }] })]), expected: ['dev: services[api].ports[http].port: expected ≥ 1; received 0'] },
  { name: 'two services with one name', input: minimal([web('api'), web('api')]), expected: ['dev: services[api].name: duplicate service name; each service needs a unique name; received "api"'] },
  { name: 'a storage class on the local cluster', overlay: { dataStores: { postgres: [{ name: 'postgres', storage: { size: '2Gi', storageClass: 'fast-ssd' } }] } } as never, expected: ['dev: dataStores.postgres[postgres].storage.storageClass: cluster.provider "local" uses the cluster\'s default StorageClass and Stackwright emits none; leave storageClass unset; received "fast-ssd"'] },
  { name: 'Redis maxmemory above three quarters of its memory limit', overlay: { dataStores: { redis: [{ name: 'redis', maxMemory: '120Mi' }] } } as never, expected: ['dev: dataStores.redis[redis].maxMemory: expected at most 75% of the memory limit (128Mi); the append-only file rewrite forks and needs the rest; received "120Mi"'] },
  { name: 'a service env variable its data store sets', overlay: svc({ env: { POSTGRES_HOST: 'localhost' } }), expected: ['dev: services[api].env.POSTGRES_HOST: set by data store "postgres" (the service depends on it); remove it from env; received "localhost"'] },
  { name: 'a dependency on an undeclared service', overlay: svc({ dependsOn: ['billing'] }), expected: ['dev: services[api].dependsOn[0]: unknown dependency; expected one of the declared services or data stores: api, dashboard, postgres, redis, worker; received "billing"'] },
  { name: 'a service depending on itself', overlay: svc({ dependsOn: ['api'] }), expected: ['dev: services[api].dependsOn[0]: a service cannot depend on itself; received "api"'] },
  { name: 'a dependency listed twice', input: minimal([web('api', { dependsOn: ['web', 'web'] }), web('web')]), expected: ['dev: services[api].dependsOn: a dependency is listed twice; received ["web","web"]'] },
  { name: 'a CPU amount that is not a quantity', overlay: svc({ resources: { requests: { cpu: 'half' } } }), expected: ['dev: services[api].resources.requests.cpu: expected a CPU quantity such as "100m", "0.5" or "2"; received "half"'] },
  { name: 'memory in gigabytes spelled GB', overlay: svc({ resources: { limits: { memory: '1GB' } } }), expected: ['dev: services[api].resources.limits.memory: expected a memory or storage quantity such as "256Mi" or "10Gi" (binary suffixes Ki, Mi, Gi, Ti); received "1GB"'] },
  { name: 'memory in millibytes', overlay: svc({ resources: { requests: { memory: '512m' } } }), expected: ['dev: services[api].resources.requests.memory: expected a memory or storage quantity such as "256Mi" or "10Gi" (binary suffixes Ki, Mi, Gi, Ti); received "512m"'] },
  { name: 'a memory limit below the request', overlay: svc({ resources: { requests: { memory: '512Mi' }, limits: { memory: '256Mi' } } }), expected: ['dev: services[api].resources.limits.memory: the limit must be at least the request (512Mi); received "256Mi"'] },
  { name: 'a CPU limit below the request', overlay: svc({ resources: { requests: { cpu: '1' }, limits: { cpu: '500m' } } }), expected: ['dev: services[api].resources.limits.cpu: the limit must be at least the request (1); received "500m"'] },
  { name: 'a zero CPU request', overlay: svc({ resources: { requests: { cpu: '0' } } }), expected: ['dev: services[api].resources.requests.cpu: expected a request above zero; received "0"'] },
  { name: 'a probe on an undeclared port', overlay: svc({ probes: { readiness: { path: '/readyz', port: 'admin' } } }), expected: ['dev: services[api].probes.readiness.port: expected one of the service\'s port names: http, metrics; received "admin"'] },
  { name: 'a probe that is both HTTP and exec', overlay: svc({ probes: { liveness: { path: '/livez', command: ['true'] } } }), expected: ['dev: services[api].probes.liveness: expected exactly one of path (HTTP GET), command (exec) or tcp: true; received {"path":"/livez","port":"http","command":["true"]}'] },
  { name: 'a metrics port that is not declared', overlay: svc({ metricsPort: 'prom' }), expected: ['dev: services[api].metricsPort: expected one of the service\'s port names: http, metrics; received "prom"'] },
  { name: 'an environment file naming another environment', overlay: { environment: 'qa' }, expected: ['dev: environment: expected "dev", the name of the environment file; received "qa"'] },
  { name: 'an unsupported Kubernetes version', overlay: { cluster: { kubernetesVersion: '1.25' } }, expected: ['dev: cluster.kubernetesVersion: expected a Kubernetes version from "1.28" to "1.39" (major.minor); received "1.25"'] },
  { name: 'an unknown cloud provider', overlay: { cluster: { provider: 'digitalocean' as never } }, expected: ['dev: cluster.provider: expected one of "aws", "gcp", "azure", "local"; received "digitalocean"'] },
  { name: 'a misspelled capability', overlay: { cluster: { capabilities: { gatewayAPI: true } as never } }, expected: ['dev: cluster.capabilities.gatewayAPI: unknown field "gatewayAPI" (did you mean "gatewayApi"?); allowed fields: prometheusOperator, keda, vpa, gatewayApi, certManager, externalSecrets, sealedSecrets, argoRollouts, customMetricsAdapter, eck, opentelemetryOperator; received true'] },
  { name: 'an exposure host that is not a DNS name', overlay: svc({ exposure: { hosts: ['API_host.example.com'] } }), expected: ['dev: services[api].exposure.hosts[0]: expected a fully qualified DNS host name such as api.example.com (lowercase); received "API_host.example.com"'] },
  { name: 'an exposed worker', overlay: { services: [{ name: 'worker', exposure: { hosts: ['worker.example.com'] } }] }, expected: ['dev: services[worker].exposure: only a web service can be exposed; received {"hosts":["worker.example.com"],"subdomains":[],"paths":["/"],"tls":{"enabled":true},"sslRedirect":true,"timeouts":{"...'] },
  { name: 'a web service without ports', input: minimal([web('api', { ports: [] })]), expected: ['dev: services[api].ports: a web service needs at least one port; received []'] },
  { name: 'two ports with one name', overlay: svc({ ports: [{ name: 'admin', port: 8081 }, { name: 'admin', port: 8082 }] }), expected: ['dev: services[api].ports[admin].name: duplicate port name within the service; received "admin"'] },
  { name: 'an environment variable name starting with a digit', overlay: svc({ env: { '1BAD': 'x' } }), expected: ['dev: services[api].env.1BAD: expected an environment variable name: letters, digits, "_", "-" and ".", not starting with a digit; received "1BAD"'] },
  { name: 'a new service without an image', overlay: { services: [{ name: 'billing', ports: [{ name: 'http', port: 8080 }], resources }] }, expected: ['dev: services[billing].image: required field is missing (expected string); received nothing'] },
  { name: 'a relative writable path', overlay: svc({ writablePaths: ['tmp'] }), expected: ['dev: services[api].writablePaths[0]: expected a string starting with "/"; received "tmp"'] },
  { name: 'a worker with neither ports nor probes', input: minimal([{ name: 'worker', kind: 'worker', image: 'ghcr.io/acme/worker:1.0.0', resources }]), expected: [
    'dev: services[worker].probes.readiness: a worker without ports needs an explicit readiness probe (command); received nothing',
    'dev: services[worker].probes.liveness: a worker without ports needs an explicit liveness probe (command); received nothing',
  ] },
  { name: 'a zero grace period', overlay: svc({ terminationGracePeriodSeconds: 0 }), expected: ['dev: services[api].terminationGracePeriodSeconds: expected ≥ 1; received 0'] },
  // Logs and traces (telemetry).
  { name: 'two Elasticsearch nodes', overlay: tel({ logs: { elasticsearch: { nodes: 2 } } }), expected: ['dev: telemetry.logs.elasticsearch.nodes: expected 1 or at least 3 master-eligible nodes: two cannot elect a master after losing one; received 2'] },
  { name: 'an Elasticsearch memory request below the limit', overlay: tel({ logs: { elasticsearch: { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } } } } }), expected: ['dev: telemetry.logs.elasticsearch.resources.requests.memory: expected the memory request to equal the limit (2Gi): the JVM heap is sized from it, and an overcommitted node gets OOM-killed; received "1Gi"'] },
  { name: 'logs deleted before they leave the hot phase', overlay: tel({ logs: { lifecycle: { hotDays: 7, deleteDays: 7 } } }), expected: ['dev: telemetry.logs.lifecycle.deleteDays: expected more days than hotDays (7): indices are deleted after they leave the hot phase; received 7'] },
  { name: 'ECK asked for on a cluster without it', overlay: tel({ logs: { elasticsearch: { provider: 'eck' } } }), expected: ['dev: telemetry.logs.elasticsearch.provider: the cluster does not have ECK installed (cluster.capabilities.eck); use "statefulset" or enable the capability; received "eck"'] },
  { name: 'the OpenTelemetry Operator asked for on a cluster without it', overlay: tel({ traces: { collector: { provider: 'operator' } } }), expected: ['dev: telemetry.traces.collector.provider: the cluster does not have the OpenTelemetry Operator installed (cluster.capabilities.opentelemetryOperator); use "deployment" or enable the capability; received "operator"'] },
  { name: 'Jaeger on Elasticsearch with logs disabled', overlay: tel({ logs: { enabled: false }, traces: { jaeger: { storage: 'elasticsearch' } } }), expected: ['dev: telemetry.traces.jaeger.storage: Jaeger stores in the logs Elasticsearch, and telemetry.logs is disabled; use "all-in-one" or enable logs; received "elasticsearch"'] },
  { name: 'a sampling ratio above 1', overlay: tel({ traces: { samplingRatio: 10 } }), expected: ['dev: telemetry.traces.samplingRatio: expected ≤ 1; received 10'] },
  { name: 'a service setting an OpenTelemetry variable the wiring owns', overlay: svc({ env: { OTEL_SERVICE_NAME: 'custom' } }), expected: ['dev: services[api].env.OTEL_SERVICE_NAME: set by the tracing wiring for every app (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_SAMPLER, OTEL_PROPAGATORS, OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER, OTEL_LOGS_EXPORTER); configure telemetry.traces instead; received "custom"'] },
  { name: 'the log shipper in the application namespace', overlay: tel({ shipperNamespace: 'atlas-dev' }), expected: ['dev: telemetry.shipperNamespace: the log shipper needs a namespace of its own (it is the only Pod Security exception); atlas-dev and atlas-dev-telemetry are taken; received "atlas-dev"'] },
  { name: 'a production environment with one Elasticsearch node', overlay: { production: true, metrics: { alertmanager: { pagerduty: {} } }, telemetry: { logs: { elasticsearch: { nodes: 1 } }, traces: { jaeger: { storage: 'elasticsearch' } } } }, expected: ['dev: telemetry.logs.elasticsearch.nodes: a production environment needs at least 3 Elasticsearch nodes, so losing one loses no data and keeps a quorum; received 1'] },
  { name: 'production traces kept only in memory', overlay: { production: true, metrics: { alertmanager: { pagerduty: {} } }, telemetry: { logs: { elasticsearch: { nodes: 3 } }, traces: { jaeger: { storage: 'all-in-one' } } } }, expected: ['dev: telemetry.traces.jaeger.storage: a production environment keeps traces in Elasticsearch: the all-in-one loses them on every restart; received "all-in-one"'] },
  { name: 'a Kibana host that is not a DNS name', overlay: tel({ logs: { kibana: { exposure: { host: 'Kibana' } } } }), expected: ['dev: telemetry.logs.kibana.exposure.host: expected a fully qualified DNS host name such as api.example.com (lowercase); received "Kibana"'] },
  { name: 'an exposed Kibana that is disabled', overlay: tel({ logs: { kibana: { enabled: false, exposure: { host: 'kibana.example.com' } } } }), expected: ['dev: telemetry.logs.kibana.exposure: Kibana is disabled, so it cannot be exposed; received {"host":"kibana.example.com","tlsSecret":"kibana-tls"}'] },
  { name: 'a Logstash image on the latest tag', overlay: tel({ logs: { logstash: { image: 'docker.elastic.co/logstash/logstash:latest' } } }), expected: ['dev: telemetry.logs.logstash.image: expected a pinned image reference: registry/repository:tag with a tag other than "latest", or @sha256:<digest>; received "docker.elastic.co/logstash/logstash:latest"'] },
  { name: 'operator-mode metrics on a cluster without the Prometheus Operator', overlay: { metrics: { mode: 'operator' } }, expected: ['dev: metrics.mode: operator mode emits ServiceMonitors and PrometheusRules, whose CRDs this cluster lacks; set cluster.capabilities.prometheusOperator: true, or use "standalone" or "auto"; received "operator"'] },
  { name: 'a production environment whose standalone Alertmanager pages nobody', overlay: { production: true, telemetry: { logs: { elasticsearch: { nodes: 3 } }, traces: { jaeger: { storage: 'elasticsearch' } } } }, expected: ['dev: metrics.alertmanager.pagerduty: a production platform with a standalone Alertmanager must page someone: set pagerduty.routingKey (a Secret reference); received nothing'] },
  { name: 'a scrape interval without a unit', overlay: { metrics: { scrapeInterval: '15' } }, expected: ['dev: metrics.scrapeInterval: expected a Prometheus duration such as "15s", "5m" or "30d"; received "15"'] },
  { name: 'a Slack channel without its "#"', overlay: { metrics: { alertmanager: { slack: { channel: 'atlas-alerts' } } } }, expected: ['dev: metrics.alertmanager.slack.channel: expected a Slack channel such as "#alerts"; received "atlas-alerts"'] },
];

export { base, dev };
