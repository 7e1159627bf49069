// dev: one replica each, small resources, a local cluster with no operators installed.
import type { Overlay, PlatformInput } from '../lib/spec';

export const dev = {
  environment: 'dev',
  domain: 'dev.atlas.example.com',
  cluster: { provider: 'local' },
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
    { name: 'api', replicas: 1, env: { LOG_LEVEL: 'debug' } },
    { name: 'dashboard', replicas: 1 },
    { name: 'worker', replicas: 1, env: { LOG_LEVEL: 'debug' } },
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
} satisfies Overlay<PlatformInput>;
