// What every environment of the reference platform shares. Environment files overlay this:
// objects merge key by key, lists of named items (services, ports) merge by name.
import type { Overlay, PlatformInput } from '../lib/spec';

export const base = {
  name: 'atlas',
  cluster: { kubernetesVersion: '1.30' },
  // Logs: hot for 7 days after rollover, then warm, deleted at 30 days.
  telemetry: { logs: { lifecycle: { hotDays: 7, deleteDays: 30 } } },
  metrics: { runbookBaseUrl: 'https://github.com/atlas-platform/runbooks/blob/main/alerts' },
  services: [
    {
      name: 'api',
      kind: 'web',
      description: 'HTTP API',
      image: 'ghcr.io/atlas-platform/api:1.4.2',
      ports: [
        { name: 'http', port: 8080, servicePort: 80 },
        { name: 'metrics', port: 9090 },
      ],
      metricsPort: 'metrics',
      env: { LOG_FORMAT: 'json', PORT: '8080', METRICS_PORT: '9090' },
      dependsOn: ['postgres', 'redis'],
      // api.<domain>; the browser app on app.<domain> calls it cross-origin (origins per environment).
      exposure: { subdomains: ['api'], port: 'http' },
      // Card payments go to the provider's published range only.
      egress: [{ name: 'payments-provider', cidr: '198.51.100.0/24', ports: [{ port: 443 }] }],
      probes: {
        readiness: { path: '/readyz', port: 'http' },
        liveness: { path: '/livez', port: 'http' },
      },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    },
    {
      name: 'dashboard',
      kind: 'web',
      description: 'Web UI with live updates over websockets',
      image: 'ghcr.io/atlas-platform/dashboard:2.8.0',
      ports: [
        { name: 'http', port: 3000, servicePort: 80 },
        { name: 'metrics', port: 9090 },
      ],
      // Request metrics (http_requests_total, http_request_duration_seconds) on their own port, like the api's.
      metricsPort: 'metrics',
      env: { API_URL: 'http://api', PORT: '3000', METRICS_PORT: '9090' },
      dependsOn: ['api'],
      // app.<domain>; live updates stream over websockets on /live.
      exposure: { subdomains: ['app'], websocket: { paths: ['/live'] } },
      probes: {
        readiness: { path: '/healthz/ready', port: 'http' },
        liveness: { path: '/healthz/live', port: 'http' },
      },
      // Websocket connections get time to close cleanly on rollout.
      terminationGracePeriodSeconds: 60,
      preStopSleepSeconds: 10,
      resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '250m', memory: '192Mi' } },
    },
    {
      name: 'worker',
      kind: 'worker',
      description: 'Analytics jobs: every replica consumes the queue; the Lease holder runs the hourly rollup',
      image: 'ghcr.io/atlas-platform/worker:1.4.2',
      // Competing consumers: every replica BRPOPs the Redis list `analytics`, so KEDA can add replicas.
      args: ['--queue', 'analytics'],
      ports: [{ name: 'metrics', port: 9090 }],
      metricsPort: 'metrics',
      env: { LOG_FORMAT: 'json', METRICS_PORT: '9090', LEADER_ELECTION_LEASE: 'worker-leader' },
      dependsOn: ['api', 'postgres', 'redis'],
      probes: {
        readiness: { path: '/readyz', port: 'metrics' },
        liveness: { path: '/livez', port: 'metrics' },
      },
      // A batch in flight is finished, not dropped, on shutdown.
      terminationGracePeriodSeconds: 120,
      preStopSleepSeconds: 0,
      resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '500m', memory: '384Mi' } },
    },
  ],
  // Sizes per environment live in the overlays; credentials are Secrets by reference (security.secrets).
  dataStores: {
    postgres: [
      {
        name: 'postgres',
        database: 'atlas',
        storage: { size: '2Gi' },
        backup: { schedule: '0 2 * * *', timeZone: 'Etc/UTC', retentionDays: 7 },
      },
    ],
    redis: [
      {
        name: 'redis',
        storage: { size: '1Gi' },
        maxMemory: '96Mi',
        // Cache keys carry a TTL and are evicted; the worker's `analytics` queue list has none and never is.
        maxMemoryPolicy: 'volatile-lru',
      },
    ],
  },
  security: {
    // Containers without declared resources get these; services declare their own.
    limitRange: {
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      defaultLimit: { cpu: '500m', memory: '256Mi' },
      min: { cpu: '10m', memory: '16Mi' },
    },
    rbac: [
      {
        // Every worker replica consumes the queue; one of them, elected on the `worker-leader` Lease,
        // also runs the hourly rollup, a singleton. The Role reaches that one Lease and nothing else.
        name: 'worker',
        rules: [
          { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
          { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['worker-leader'], verbs: ['get', 'update'] },
        ],
      },
    ],
    secrets: [
      {
        name: 'api-session',
        description: 'Key that signs the API session cookies',
        keys: ['signing-key'],
        env: [{ service: 'api', variable: 'SESSION_SIGNING_KEY', key: 'signing-key' }],
      },
      // Read by name by the data tier. Services connect to PostgreSQL as the application role, which
      // owns the database and nothing more; the superuser is for the server, its roles Job and backups.
      { name: 'postgres-credentials', description: 'PostgreSQL superuser (server, roles Job, backups; no service)', keys: ['username', 'password'] },
      { name: 'postgres-app-credentials', description: 'PostgreSQL application role, owner of the atlas database (api, worker)', keys: ['username', 'password'] },
      { name: 'postgres-monitoring-credentials', description: 'PostgreSQL monitoring role with pg_monitor (the exporter)', keys: ['username', 'password'] },
      { name: 'redis-credentials', description: 'Redis password', keys: ['password'] },
      // Read by the logs and traces stack, in its namespace (`<namespace>-telemetry`) in every environment.
      {
        name: 'elasticsearch-credentials',
        namespaceOf: 'telemetry',
        description: 'Passwords of the Elasticsearch users the stack signs in as',
        keys: ['elastic', 'kibana_system', 'remote_monitoring_user', 'logstash_internal', 'grafana', 'jaeger'],
      },
      {
        name: 'elasticsearch-tls',
        namespaceOf: 'telemetry',
        description: 'Elasticsearch node certificate (SANs elasticsearch, elasticsearch.<ns>.svc, *.elasticsearch-headless.<ns>.svc; under ECK elasticsearch-es-http.<ns>.svc) and its CA',
        type: 'kubernetes.io/tls',
        keys: ['tls.crt', 'tls.key', 'ca.crt'],
      },
      // Grafana's copy, where Grafana runs: the `grafana` Elasticsearch user's password and the CA.
      { name: 'grafana-elasticsearch', namespaceOf: 'monitoring', description: 'Grafana\'s Elasticsearch data source: the grafana user\'s password (the grafana key of elasticsearch-credentials) and the CA', keys: ['password', 'ca.crt'] },
    ],
  },
} satisfies Overlay<PlatformInput>;

/**
 * How the api's HPA moves where it has one: up fast (double, or +4 pods, every 30s, whichever is
 * more), down slowly (after 5 minutes of lower load, at most half or 2 pods a minute, whichever is less).
 */
export const apiScalingBehavior = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: 100, periodSeconds: 30 },
      { type: 'Pods', value: 4, periodSeconds: 30 },
    ],
  },
  scaleDown: {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Min',
    policies: [
      { type: 'Percent', value: 50, periodSeconds: 60 },
      { type: 'Pods', value: 2, periodSeconds: 60 },
    ],
  },
} as const;
