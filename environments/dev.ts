// dev: one replica each, small resources, a local cluster with no operators installed.
import type { Overlay, PlatformInput } from '../lib/spec';

export const dev = {
  environment: 'dev',
  domain: 'dev.atlas.example.com',
  // A kind cluster with its default networks (podSubnet, serviceSubnet); its nodes are containers on
  // the docker network "kind", and the API server listens on the control-plane node's address there,
  // port 6443 (which node address that is changes from cluster to cluster: the whole node network).
  cluster: {
    provider: 'local',
    maxNodes: 3,
    podCidrs: ['10.244.0.0/16'],
    serviceCidrs: ['10.96.0.0/12'],
    nodeCidrs: ['172.18.0.0/16'],
    apiServer: { cidrs: ['172.18.0.0/16'] },
  },
  // One Elasticsearch node, Jaeger keeping traces in memory, every trace kept.
  telemetry: {
    logs: { elasticsearch: { nodes: 1, storage: { size: '10Gi' } } },
    traces: { samplingRatio: 1, jaeger: { storage: 'all-in-one', maxTraces: 50000 } },
  },
  // No operator on a local cluster: Stackwright runs Prometheus, Alertmanager and Grafana itself.
  metrics: {
    mode: 'standalone',
    prometheus: { retention: '7d', storage: '10Gi', resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '500m', memory: '1Gi' } } },
    // Slack's webhooks have no published address ranges: HTTPS anywhere outside the cluster.
    alertmanager: { slack: { channel: '#atlas-dev-alerts' }, egress: [{ cidr: '0.0.0.0/0', port: 443 }] },
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
  // Filebeat calls the Kubernetes API (pod metadata) at an address the spec does not know: its namespace
  // denies all ingress (default-deny-ingress) but keeps its egress open.
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
    secrets: [
      { name: 'kibana-encryption-key', namespaceOf: 'telemetry', description: 'Kibana\'s key for saved objects, sessions and reports (32+ characters)', keys: ['encryptionKey'] },
      // No cert-manager locally: the Ingresses' certificates come from mkcert.
      { name: 'api-tls', description: 'Certificate of api.dev.atlas.example.com', type: 'kubernetes.io/tls', keys: ['tls.crt', 'tls.key'] },
      { name: 'dashboard-tls', description: 'Certificate of app.dev.atlas.example.com', type: 'kubernetes.io/tls', keys: ['tls.crt', 'tls.key'] },
      // The standalone monitoring stack's.
      { name: 'alertmanager-receivers', namespaceOf: 'monitoring', description: 'Alertmanager receiver credentials (the Slack webhook URL)', keys: ['slack-webhook-url'] },
      { name: 'grafana-admin', namespaceOf: 'monitoring', description: 'Grafana admin user name and password', keys: ['admin-user', 'admin-password'] },
    ],
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
