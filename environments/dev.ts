// dev: one replica each, small resources, a local cluster with no operators installed.
import type { Overlay, PlatformInput } from '../lib/spec';

export const dev = {
  environment: 'dev',
  domain: 'dev.atlas.example.com',
  cluster: { provider: 'local', maxNodes: 3 },
  // One Elasticsearch node, Jaeger keeping traces in memory, every trace kept.
  telemetry: {
    logs: { elasticsearch: { nodes: 1, storage: { size: '10Gi' } } },
    traces: { samplingRatio: 1, jaeger: { storage: 'all-in-one', maxTraces: 50000 } },
  },
  // No operator on a local cluster: Stackwright runs Prometheus, Alertmanager and Grafana itself.
  metrics: {
    mode: 'standalone',
    prometheus: { retention: '7d', storage: '10Gi', resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '500m', memory: '1Gi' } } },
    alertmanager: { slack: { channel: '#atlas-dev-alerts' } },
  },
  services: [
    {
      name: 'api',
      replicas: 1,
      env: { LOG_LEVEL: 'debug' },
      // No cert-manager locally: the api-tls Secret comes from mkcert.
      exposure: { cors: { allowOrigins: ['https://app.dev.atlas.example.com'] } },
    },
    { name: 'dashboard', replicas: 1 },
    // One consumer at a time on a small cluster: the old pod stops before the new one starts.
    { name: 'worker', replicas: 1, env: { LOG_LEVEL: 'debug' }, delivery: { strategy: 'recreate' } },
  ],
  // The cluster's default StorageClass; small volumes, short retention.
  dataStores: {
    postgres: [
      {
        name: 'postgres',
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
        tuning: { sharedBuffers: '64Mi', effectiveCacheSize: '192Mi', maxConnections: 50 },
        backup: { retentionDays: 3, storage: { size: '2Gi' } },
      },
    ],
    redis: [
      {
        name: 'redis',
        resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
        maxMemory: '96Mi',
      },
    ],
  },
  security: {
    quota: {
      requests: { cpu: '2', memory: '4Gi' },
      limits: { cpu: '6', memory: '8Gi' },
      storage: '20Gi',
      persistentVolumeClaims: 6,
      pods: 20,
    },
    limitRange: { max: { cpu: '2', memory: '2Gi' }, maxClaimStorage: '10Gi' },
    // No operators on a local cluster: secrets are created by hand (README, "Secrets").
    secretSource: { kind: 'existing' },
    namespaces: [
      {
        name: 'atlas-dev-telemetry',
        quota: { requests: { cpu: '3', memory: '10Gi' }, limits: { cpu: '10', memory: '12Gi' }, storage: '20Gi', persistentVolumeClaims: 4, pods: 15 },
        limitRange: { max: { cpu: '2', memory: '4Gi' }, maxClaimStorage: '20Gi' },
      },
      {
        // One Filebeat pod per node (cluster.maxNodes); it keeps its state in hostPath, so no claims.
        name: 'atlas-dev-log-shipper',
        quota: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' }, storage: '0', persistentVolumeClaims: 0, pods: 5 },
      },
    ],
  },
} satisfies Overlay<PlatformInput>;
