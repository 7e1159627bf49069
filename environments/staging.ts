// staging: production-like topology at medium size, on the same cloud as prod.
import type { Overlay, PlatformInput } from '../lib/spec';
import { apiScalingBehavior } from './base';

export const staging = {
  environment: 'staging',
  domain: 'staging.atlas.example.com',
  cluster: {
    provider: 'aws',
    kubernetesVersion: '1.31',
    maxNodes: 10,
    capabilities: { certManager: true, externalSecrets: true, prometheusOperator: true, eck: true, opentelemetryOperator: true, argoRollouts: true },
    // EKS with the VPC CNI: pods take addresses of the VPC (10.20.0.0/16); Services the EKS default range.
    podCidrs: ['10.20.0.0/16'],
    serviceCidrs: ['172.20.0.0/16'],
    // The private endpoint: EKS's network interfaces in the three control-plane subnets, on 443.
    apiServer: { cidrs: ['10.20.240.0/28', '10.20.240.16/28', '10.20.240.32/28'] },
  },
  // Production's topology (three Elasticsearch nodes, Jaeger on Elasticsearch) at the default sizes,
  // run by the cluster's operators: ECK for Elasticsearch and Kibana, the OpenTelemetry Operator for the gateway.
  telemetry: {
    logs: { elasticsearch: { provider: 'eck', nodes: 3, storage: { size: '30Gi' } } },
    traces: { collector: { provider: 'operator' }, jaeger: { storage: 'elasticsearch' } },
  },
  // Operator mode, as in prod: staging rehearses prod's ServiceMonitors, PrometheusRule and sidecar
  // dashboards against the same kube-prometheus-stack, so a selector mistake shows up before prod.
  metrics: { mode: 'operator' },
  services: [
    {
      name: 'api',
      exposure: {
        cors: { allowOrigins: ['https://app.staging.atlas.example.com'], allowCredentials: true },
        // Load tests run against staging: a limit above prod's so they measure the app, not the limiter.
        rateLimit: { requestsPerMinute: 600 },
      },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      // Same behavior as prod, on CPU and memory only: staging has no custom-metrics adapter.
      autoscaling: { hpa: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70, memoryUtilization: 80, behavior: apiScalingBehavior } },
      // Argo Rollouts canaries every new image through the NGINX canary Ingress; from the first pause on,
      // a success rate below 99% in Prometheus (twice) aborts the rollout and sends all traffic back.
      delivery: {
        strategy: 'argoCanary',
        steps: [{ setWeight: 20 }, { pause: '5m' }, { setWeight: 50 }, { pause: '5m' }],
        analysis: { successRate: 0.99, interval: '1m', failureLimit: 2, startingStep: 1 },
      },
    },
    {
      name: 'dashboard',
      replicas: 2,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      // Blue serves app.<domain>; green runs the next release behind dashboard-preview for acceptance
      // tests. Switch by setting activeSlot: 'green' (only the two Services' selectors change).
      delivery: {
        strategy: 'blueGreen',
        activeSlot: 'blue',
        blue: {},
        green: { image: 'ghcr.io/atlas-platform/dashboard:2.9.0', replicas: 1 },
      },
    },
    {
      name: 'worker',
      replicas: 1,
      resources: { requests: { cpu: '250m', memory: '384Mi' }, limits: { cpu: '1', memory: '768Mi' } },
    },
  ],
  dataStores: {
    postgres: [
      {
        name: 'postgres',
        storage: { size: '10Gi', storageClass: 'fast-ssd' },
        resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
        tuning: { sharedBuffers: '256Mi', effectiveCacheSize: '768Mi', maxConnections: 100 },
        backup: { retentionDays: 7, storage: { size: '20Gi', storageClass: 'standard' } },
      },
    ],
    redis: [
      {
        name: 'redis',
        storage: { size: '5Gi', storageClass: 'fast-ssd' },
        resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
        maxMemory: '384Mi',
      },
    ],
  },
  // Filebeat calls the Kubernetes API (pod metadata) at an address the spec does not know: its namespace
  // denies all ingress (default-deny-ingress) but keeps its egress open.
  security: {
    // The api Rollout runs a second full set during a canary (4+4 pods at the HPA's maximum) and the
    // dashboard runs both slots: at their peak the apps and data tier need 16.2 CPU of limits.
    quota: {
      requests: { cpu: '4', memory: '8Gi' },
      limits: { cpu: '18', memory: '16Gi' },
      storage: '50Gi',
      persistentVolumeClaims: 8,
      pods: 30,
    },
    limitRange: { max: { cpu: '2', memory: '4Gi' }, maxClaimStorage: '20Gi' },
    secretSource: { kind: 'external', store: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' }, refreshInterval: '1h' },
    // Under ECK the operator keeps the `elastic` password and Kibana's keys and token: only the stack's own users remain.
    secrets: [{ name: 'elasticsearch-credentials', keys: ['remote_monitoring_user', 'logstash_internal', 'grafana', 'jaeger'] }],
    namespaces: [
      {
        // Three Elasticsearch nodes with 30Gi each.
        name: 'atlas-staging-telemetry',
        quota: { requests: { cpu: '5', memory: '16Gi' }, limits: { cpu: '14', memory: '20Gi' }, storage: '120Gi', persistentVolumeClaims: 6, pods: 20 },
        limitRange: { max: { cpu: '2', memory: '4Gi' }, maxClaimStorage: '50Gi' },
      },
      {
        name: 'atlas-staging-log-shipper',
        quota: { requests: { cpu: '2', memory: '2Gi' }, limits: { cpu: '6', memory: '4Gi' }, storage: '0', persistentVolumeClaims: 0, pods: 12 },
      },
    ],
  },
} satisfies Overlay<PlatformInput>;
