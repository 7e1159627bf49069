// prod: production-sized, on a cluster with the operators the platform can use.
import type { Overlay, PlatformInput } from '../lib/spec';

export const prod = {
  environment: 'prod',
  domain: 'atlas.example.com',
  production: true,
  cluster: {
    provider: 'aws',
    kubernetesVersion: '1.31',
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
  },
  services: [
    {
      name: 'api',
      replicas: 3,
      env: { LOG_LEVEL: 'info' },
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    },
    {
      name: 'dashboard',
      replicas: 2,
      resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    },
    {
      name: 'worker',
      replicas: 2,
      env: { LOG_LEVEL: 'info' },
      resources: { requests: { cpu: '500m', memory: '768Mi' }, limits: { cpu: '2', memory: '1536Mi' } },
    },
  ],
} satisfies Overlay<PlatformInput>;
