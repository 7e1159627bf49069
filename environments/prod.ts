// prod: production-sized, on a cluster with the operators the platform can use.
import type { Overlay, PlatformInput } from '../lib/spec';
import { apiScalingBehavior } from './base';

export const prod = {
  environment: 'prod',
  domain: 'atlas.example.com',
  production: true,
  cluster: {
    provider: 'aws',
    kubernetesVersion: '1.31',
    maxNodes: 30,
    capabilities: {
      prometheusOperator: true,
      keda: true,
      vpa: true,
      gatewayApi: true,
      certManager: true,
      externalSecrets: true,
      argoRollouts: false,
      customMetricsAdapter: true,
    },
    // EKS with the VPC CNI: pods take addresses of the VPC (10.30.0.0/16); Services the EKS default
    // range. Both are excepted from HTTPS-anywhere egress (the backups' S3 copy).
    podCidrs: ['10.30.0.0/16'],
    serviceCidrs: ['172.20.0.0/16'],
    // The private endpoint: EKS's network interfaces in the three control-plane subnets, on 443.
    apiServer: { cidrs: ['10.30.240.0/28', '10.30.240.16/28', '10.30.240.32/28'] },
    // Envoy Gateway's proxies forward outside traffic, from their own namespace.
    ingressController: { namespace: 'envoy-gateway-system', podLabels: { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy' } },
  },
  traffic: {
    routing: 'gateway',
    gateway: { className: 'envoy-gateway', controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
  },
  // Databases outrank the apps that need them when the cluster is full.
  availability: { priorityClasses: { data: 100000, apps: 10000 } },
  telemetry: {
    // Recommendation-only: sizes of the logs and traces stack are read off the VPAs, never applied.
    vpa: { updateMode: 'Off' },
    logs: {
      elasticsearch: {
        nodes: 3,
        resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } },
        storage: { size: '100Gi' },
      },
      logstash: { replicas: 2, resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } } },
      kibana: { exposure: { host: 'kibana.atlas.example.com' } },
      shipper: { resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '384Mi' } } },
    },
    traces: {
      samplingRatio: 0.1,
      collector: { replicas: 2, resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
      jaeger: { storage: 'elasticsearch', replicas: 2 },
    },
  },
  metrics: { mode: 'operator' },
  services: [
    {
      name: 'api',
      exposure: { cors: { allowOrigins: ['https://app.atlas.example.com'], allowCredentials: true } },
      env: { LOG_LEVEL: 'info' },
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
      // 10% of the requests go to 1.5.0 through the HTTPRoute's weighted backends (api-canary, one pod);
      // the stable Deployment keeps its HPA. Promote by setting image to the canary's and weight to 0.
      delivery: { strategy: 'canary', weight: 10, image: 'ghcr.io/atlas-platform/api:1.5.0' },
      // The HPA owns the replica count: CPU, memory, and request rate from the custom-metrics adapter.
      autoscaling: {
        hpa: {
          minReplicas: 3,
          maxReplicas: 10,
          cpuUtilization: 70,
          memoryUtilization: 80,
          podsMetrics: [{ name: 'http_requests_per_second', averageValue: '100' }],
          behavior: apiScalingBehavior,
        },
      },
    },
    {
      name: 'dashboard',
      replicas: 2,
      resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      // Never below two serving pods: one extra pod at a time, ready for 10s before the next old one goes.
      delivery: { strategy: 'rolling', maxSurge: 1, maxUnavailable: 0, minReadySeconds: 10 },
    },
    {
      name: 'worker',
      env: { LOG_LEVEL: 'info' },
      resources: { requests: { cpu: '500m', memory: '768Mi' }, limits: { cpu: '2', memory: '1536Mi' } },
      // KEDA owns the replica count: a worker per 50 jobs waiting in the `analytics` list, or per 100
      // jobs in the backlog the workers report, whichever asks for more; never fewer than 2.
      autoscaling: {
        keda: {
          minReplicas: 2,
          maxReplicas: 8,
          pollingIntervalSeconds: 30,
          // Down one worker a minute once demand has been lower for 5 minutes; each finishes its batch first.
          behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
          // Blind (the queue or Prometheus unreachable for 3 checks): hold a mid-size fleet rather than freeze.
          fallback: { failureThreshold: 3, replicas: 4 },
          triggers: [
            { type: 'redis', name: 'queue', store: 'redis', listName: 'analytics', listLength: 50 },
            {
              type: 'prometheus',
              name: 'backlog',
              serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
              query: 'sum(worker_jobs_pending{namespace="atlas-prod", queue="analytics"})',
              threshold: 100,
            },
          ],
        },
      },
    },
  ],
  dataStores: {
    postgres: [
      {
        name: 'postgres',
        storage: { size: '20Gi', storageClass: 'fast-ssd' },
        // Requests equal limits: the database is never the first pod evicted under memory pressure.
        resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } },
        tuning: {
          sharedBuffers: '512Mi',
          effectiveCacheSize: '1536Mi',
          workMem: '8Mi',
          maintenanceWorkMem: '256Mi',
          maxConnections: 200,
          parameters: { log_min_duration_statement: 500 },
        },
        // Recommendation-only: resize by hand, with the tuning above, from what the VPA reports.
        vpa: { updateMode: 'Off' },
        backup: {
          retentionDays: 14,
          storage: { size: '40Gi', storageClass: 'standard' },
          objectStorage: {
            bucket: 'atlas-prod-backups',
            prefix: 'postgres/',
            region: 'eu-central-1',
            // Access keys come from the Secret the secrets tier provides (keys access-key-id, secret-access-key).
            credentials: { secretName: 'postgres-backup-s3' },
            // S3's address ranges are many and change (ip-ranges.json): HTTPS anywhere, for the backup pods only.
            egress: [{ cidr: '0.0.0.0/0', port: 443 }],
          },
        },
      },
    ],
    redis: [
      {
        name: 'redis',
        storage: { size: '10Gi', storageClass: 'fast-ssd' },
        resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
        maxMemory: '768Mi',
        vpa: { updateMode: 'Off' },
      },
    ],
  },
  // Filebeat calls the Kubernetes API (pod metadata) at an address the spec does not know: its namespace
  // denies all ingress (default-deny-ingress) but keeps its egress open.
  security: {
    // Sized from the quota check: at the autoscalers' maximum plus rollout surge the apps (the api's
    // canary included) request 13.1 CPU / 15.75Gi with limits of 53 CPU / 31.5Gi; the rest is room for the data tier.
    quota: {
      requests: { cpu: '16', memory: '24Gi' },
      limits: { cpu: '64', memory: '48Gi' },
      storage: '100Gi',
      persistentVolumeClaims: 12,
      pods: 40,
    },
    limitRange: { max: { cpu: '4', memory: '8Gi' }, maxClaimStorage: '50Gi' },
    secretSource: { kind: 'external', store: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' }, refreshInterval: '1h' },
    secrets: [
      { name: 'postgres-backup-s3', description: 'Access keys of the backup bucket', keys: ['access-key-id', 'secret-access-key'] },
      { name: 'kibana-encryption-key', namespaceOf: 'telemetry', description: 'Kibana\'s key for saved objects, sessions and reports (32+ characters)', keys: ['encryptionKey'] },
    ],
    namespaces: [
      {
        // Three Elasticsearch nodes with 100Gi each; peak requests 6.35 CPU / 23Gi.
        name: 'atlas-prod-telemetry',
        quota: { requests: { cpu: '10', memory: '32Gi' }, limits: { cpu: '28', memory: '40Gi' }, storage: '400Gi', persistentVolumeClaims: 6, pods: 24 },
        limitRange: { max: { cpu: '4', memory: '8Gi' }, maxClaimStorage: '200Gi' },
      },
      {
        // One Filebeat pod per node, up to cluster.maxNodes (30).
        name: 'atlas-prod-log-shipper',
        quota: { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '32', memory: '16Gi' }, storage: '0', persistentVolumeClaims: 0, pods: 35 },
      },
    ],
  },
} satisfies Overlay<PlatformInput>;
