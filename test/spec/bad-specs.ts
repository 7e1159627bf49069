// The bad-spec corpus: each case breaks one thing in the reference platform and states the exact
// problem lines synth must print (environment: path: message; received value).
import { base } from '../../environments/base';
import { dev } from '../../environments/dev';
import { mergeOverlay, type Overlay, type PlatformInput } from '../../lib/spec';

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
const canaryImage = 'ghcr.io/atlas-platform/api:1.5.0';
const delivery = (name: string, strategy: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...extra, services: [{ name, delivery: strategy }] }) as Overlay<PlatformInput>;
const argo = { cluster: { capabilities: { argoRollouts: true } } };
/** dev's merged input with the api no longer exposed (overlays cannot remove a field). */
const unexposedApi = (apiDelivery: Record<string, unknown>, replicas = 1) => {
  const input = JSON.parse(JSON.stringify(mergeOverlay(base, dev))) as { services: Record<string, unknown>[] };
  const api = input.services.find((s) => s.name === 'api')!;
  delete api.exposure;
  Object.assign(api, { replicas, delivery: apiDelivery });
  return input;
};
const web = (name: string, extra: Record<string, unknown> = {}) => ({
  name, image: 'ghcr.io/acme/app:1.0.0', ports: [{ name: 'http', port: 8080 }], metricsPort: false, resources, ...extra,
});

export const badSpecs: readonly BadSpec[] = [
  { name: 'a negative replica count', overlay: svc({ replicas: -1 }), expected: ['dev: services[api].replicas: expected ≥ 0; received -1'] },
  { name: 'a fractional replica count', overlay: svc({ replicas: 1.5 }), expected: ['dev: services[api].replicas: expected int; received 1.5'] },
  { name: 'a misspelled top-level field', overlay: { servics: [] } as never, expected: ['dev: servics: unknown field "servics" (did you mean "services"?); allowed fields: name, environment, namespace, domain, production, cluster, services, availability, telemetry, metrics, dataStores, security, traffic, checks; received []'] },
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
  {
    name: 'a job queue in a Redis store that evicts any key',
    overlay: {
      cluster: { capabilities: { keda: true } },
      services: [{ name: 'worker', autoscaling: { keda: { minReplicas: 1, maxReplicas: 4, triggers: [{ type: 'redis', name: 'queue', store: 'redis', listName: 'analytics', listLength: 50 }] } } }],
      dataStores: { redis: [{ name: 'redis', maxMemoryPolicy: 'allkeys-lru' }] },
    } as never,
    expected: ['dev: dataStores.redis[redis].maxMemoryPolicy: the store holds a job queue read by services[worker].autoscaling.keda.triggers[queue] (list "analytics"), and allkeys-lru evicts any key under memory pressure, queued jobs included; use volatile-lru or volatile-lfu (cache keys carry a TTL, queue lists none) or noeviction; received "allkeys-lru"'],
  },
  {
    name: 'services connecting to PostgreSQL with the superuser\'s Secret',
    overlay: { dataStores: { postgres: [{ name: 'postgres', appCredentials: { secretName: 'postgres-credentials' } }] } } as never,
    expected: ['dev: dataStores.postgres[postgres].appCredentials.secretName: expected a Secret other than the superuser\'s: services connect with the application role, never as the superuser; received "postgres-credentials"'],
  },
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
  {
    name: 'a web service that neither names its metrics port nor says it serves none',
    input: minimal([web('api', { metricsPort: undefined })]),
    expected: ['dev: services[api].metricsPort: a web service must name the port serving its Prometheus metrics (they drive TargetDown, HighErrorRate, HighResponseTime and the API dashboard), or set metricsPort: false to run it unmonitored (resource and crash alerts only); received nothing'],
  },
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
  { name: 'a Kibana host a service is exposed on already', overlay: tel({ logs: { kibana: { exposure: { host: 'api.dev.atlas.example.com' } } } }), expected: ['dev: telemetry.logs.kibana.exposure.host: service api is exposed on that host already; give Kibana a host of its own; received "api.dev.atlas.example.com"'] },
  { name: 'an exposed Kibana that is disabled', overlay: tel({ logs: { kibana: { enabled: false, exposure: { host: 'kibana.example.com' } } } }), expected: ['dev: telemetry.logs.kibana.exposure: Kibana is disabled, so it cannot be exposed; received {"host":"kibana.example.com","tlsSecret":"kibana-tls"}'] },
  { name: 'a Logstash image on the latest tag', overlay: tel({ logs: { logstash: { image: 'docker.elastic.co/logstash/logstash:latest' } } }), expected: ['dev: telemetry.logs.logstash.image: expected a pinned image reference: registry/repository:tag with a tag other than "latest", or @sha256:<digest>; received "docker.elastic.co/logstash/logstash:latest"'] },
  { name: 'operator-mode metrics on a cluster without the Prometheus Operator', overlay: { metrics: { mode: 'operator' } }, expected: ['dev: metrics.mode: operator mode emits ServiceMonitors and PrometheusRules, whose CRDs this cluster lacks; set cluster.capabilities.prometheusOperator: true, or use "standalone" or "auto"; received "operator"'] },
  { name: 'a production environment whose standalone Alertmanager pages nobody', overlay: { production: true, telemetry: { logs: { elasticsearch: { nodes: 3 } }, traces: { jaeger: { storage: 'elasticsearch' } } } }, expected: ['dev: metrics.alertmanager.pagerduty: a production platform with a standalone Alertmanager must page someone: set pagerduty.routingKey (a Secret reference); received nothing'] },
  { name: 'a scrape interval without a unit', overlay: { metrics: { scrapeInterval: '15' } }, expected: ['dev: metrics.scrapeInterval: expected a Prometheus duration such as "15s", "5m" or "30d"; received "15"'] },
  { name: 'a Slack channel without its "#"', overlay: { metrics: { alertmanager: { slack: { channel: 'atlas-alerts' } } } }, expected: ['dev: metrics.alertmanager.slack.channel: expected a Slack channel such as "#alerts"; received "atlas-alerts"'] },
  // Delivery strategies.
  { name: 'a canary weight above 100', overlay: delivery('api', { strategy: 'canary', weight: 150, image: canaryImage }), expected: ['dev: services[api].delivery.weight: expected a whole percentage of requests from 0 to 100; received 150'] },
  { name: 'a negative canary weight', overlay: delivery('api', { strategy: 'canary', weight: -5, image: canaryImage }), expected: ['dev: services[api].delivery.weight: expected a whole percentage of requests from 0 to 100; received -5'] },
  { name: 'an unknown delivery strategy', overlay: delivery('api', { strategy: 'blueGrene' }), expected: ['dev: services[api].delivery.strategy: expected one of "rolling", "recreate", "blueGreen", "canary", "argoCanary", "argoBlueGreen"; received "blueGrene"'] },
  { name: 'a misspelled delivery field', overlay: delivery('api', { strategy: 'canary', weight: 10, image: canaryImage, replica: 2 }), expected: ['dev: services[api].delivery.replica: unknown field "replica" (did you mean "replicas"?); allowed fields: strategy, weight, image, replicas; received 2'] },
  { name: 'an Argo Rollouts canary on a cluster without Argo Rollouts', overlay: delivery('api', { strategy: 'argoCanary', steps: [{ setWeight: 20 }] }), expected: ['dev: services[api].delivery.strategy: Argo Rollouts is not installed on this cluster (cluster.capabilities.argoRollouts is false), so a Rollout would fail with "no matches for kind"; enable the capability or use "canary" or "blueGreen" with plain Deployments; received "argoCanary"'] },
  { name: 'blue-green on a worker, which takes no requests', overlay: delivery('worker', { strategy: 'blueGreen', activeSlot: 'blue' }), expected: ['dev: services[worker].delivery.strategy: a worker takes no requests through a Service, so there is no traffic to switch or weigh between versions; use "rolling" or "recreate"; received "blueGreen"'] },
  { name: 'KEDA scaling a blue-green service', overlay: { cluster: { capabilities: { keda: true } }, services: [{ name: 'api', autoscaling: { keda: { minReplicas: 1, maxReplicas: 3, triggers: [{ type: 'redis', store: 'redis', listName: 'jobs', listLength: 10 }] } }, delivery: { strategy: 'blueGreen', activeSlot: 'blue' } }] } as Overlay<PlatformInput>, expected: ['dev: services[api].delivery.strategy: KEDA scales one Deployment and cannot follow the active slot; use an hpa (each slot gets its own, within its bounds) or fixed replicas per slot; received "blueGreen"'] },
  { name: 'blue-green with an HPA on both slots and no bounds for either', overlay: svc({ autoscaling: { hpa: { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70 } }, delivery: { strategy: 'blueGreen', activeSlot: 'blue' } }), expected: ['dev: services[api].delivery.green: with autoscaling.hpa and no bounds per slot, both slots get an HPA of 2–6 replicas: the idle slot would hold as many pods as the active one and the quota must hold both at their maximum; give the idle slot fixed replicas (0 allowed) or its own hpa bounds; received {}'] },
  { name: 'a switch to a blue-green slot running no replicas', overlay: delivery('dashboard', { strategy: 'blueGreen', activeSlot: 'green', green: { replicas: 0 } }), expected: ['dev: services[dashboard].delivery.green.replicas: the active slot takes all traffic and cannot run 0 replicas; scale it up before switching to it; received 0'] },
  { name: 'slot HPA bounds on a service without an HPA', overlay: delivery('dashboard', { strategy: 'blueGreen', activeSlot: 'blue', green: { hpa: { minReplicas: 1, maxReplicas: 2 } } }), expected: ['dev: services[dashboard].delivery.green.hpa: slot bounds scale on the service\'s autoscaling.hpa metrics, and the service has no hpa; add autoscaling.hpa or set replicas; received {"minReplicas":1,"maxReplicas":2}'] },
  { name: 'a weighted canary with no canary replicas', overlay: delivery('api', { strategy: 'canary', weight: 10, image: canaryImage, replicas: 0 }), expected: ['dev: services[api].delivery.replicas: a weight of 10% needs at least one canary replica to receive it; received 0'] },
  { name: 'a canary of an unexposed service with a weight its replicas cannot reach', input: unexposedApi({ strategy: 'canary', weight: 10, image: canaryImage }, 3), expected: ['dev: services[api].delivery.weight: the service is not exposed, so the canary\'s share is its share of the pods: with 3 stable replica(s) the nearest is 25% (1 canary pod(s)); choose that weight, or more stable replicas; received 10'] },
  { name: 'canary replicas on an unexposed service, whose canary share follows the weight', input: unexposedApi({ strategy: 'canary', weight: 25, image: canaryImage, replicas: 2 }, 3), expected: ['dev: services[api].delivery.replicas: the service is not exposed, so no route weighs its requests: the canary\'s share is its share of the pods, and its replicas follow the weight; remove replicas; received 2'] },
  { name: 'a rolling update that can neither surge nor take a pod down', overlay: delivery('api', { strategy: 'rolling', maxSurge: 0, maxUnavailable: 0 }), expected: ['dev: services[api].delivery.maxUnavailable: maxSurge and maxUnavailable cannot both be 0: no pod could ever be replaced; received 0'] },
  { name: 'a progress deadline no longer than minReadySeconds', overlay: delivery('api', { strategy: 'rolling', minReadySeconds: 600, progressDeadlineSeconds: 300 }), expected: ['dev: services[api].delivery.progressDeadlineSeconds: expected more than minReadySeconds (600): every new pod waits that long before it counts; received 300'] },
  { name: 'an Argo canary step that both sets a weight and pauses', overlay: delivery('api', { strategy: 'argoCanary', steps: [{ setWeight: 20, pause: '5m' }] }, argo), expected: ['dev: services[api].delivery.steps[0]: expected exactly one of setWeight or pause; received {"setWeight":20,"pause":"5m"}'] },
  { name: 'an Argo pause that is not a duration', overlay: delivery('api', { strategy: 'argoCanary', steps: [{ setWeight: 20 }, { pause: 'forever' }] }, argo), expected: ['dev: services[api].delivery.steps[1].pause: expected a duration such as "5m", or "untilPromoted"; received "forever"'] },
  { name: 'an Argo analysis that starts after the last step', overlay: delivery('api', { strategy: 'argoCanary', steps: [{ setWeight: 20 }], analysis: { startingStep: 3 } }, argo), expected: ['dev: services[api].delivery.analysis.startingStep: expected the index of one of the 1 steps (0–0); received 3'] },
  {
    name: 'an Argo analysis of a service that exposes no metrics',
    overlay: { ...argo, services: [{ name: 'dashboard', metricsPort: false, delivery: { strategy: 'argoBlueGreen', analysis: {} } }] } as Overlay<PlatformInput>,
    expected: ['dev: services[dashboard].delivery.analysis: the analysis reads the service\'s request metrics from Prometheus, and the service exposes none (metricsPort: false); received {"successRate":0.99,"interval":"1m","failureLimit":2}'],
  },
  { name: 'recreate on a production web service', overlay: { production: true, metrics: { alertmanager: { pagerduty: {} } }, telemetry: { logs: { elasticsearch: { nodes: 3 } }, traces: { jaeger: { storage: 'elasticsearch' } } }, services: [{ name: 'api', delivery: { strategy: 'recreate' } }] } as Overlay<PlatformInput>, expected: ['dev: services[api].delivery.strategy: recreate stops every pod before the new ones start: an outage on each update of a production web service; use "rolling", "blueGreen" or "canary"; received "recreate"'] },
];

export { base, dev };
