// A small, clean environment for the check tests: every rule passes on it, so a test that breaks
// one thing and sees exactly one rule fire proves that rule can fail.
import type { Manifest, ManifestFile } from '../../lib/checks';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../lib/core/security';

const NS = 'shop';
const selector = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web-test' };
const labels: Record<string, string> = { ...selector, 'app.kubernetes.io/version': '1.0.0' };
const runAs = { user: 10001, group: 10001, fsGroup: 10001 };

/** A hardened container: pinned, with requests, a memory limit, probes, and a writable /tmp. */
export function container(name = 'web') {
  return {
    name,
    image: 'ghcr.io/acme/web:1.0.0',
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
    livenessProbe: { httpGet: { path: '/live', port: 'http' } },
    securityContext: restrictedContainerSecurityContext(runAs),
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

export function podSpec() {
  return { securityContext: restrictedPodSecurityContext(runAs), containers: [container()], volumes: [{ name: 'tmp', emptyDir: {} }] };
}

/** Every object of the clean environment, fresh on each call (tests mutate them). */
export function cleanObjects() {
  return {
    namespace: {
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name: NS, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    },
    deployment: {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: NS, labels },
      spec: { replicas: 2, selector: { matchLabels: { ...selector } }, template: { metadata: { labels: { ...labels } }, spec: podSpec() } } as Record<string, any>,
    },
    service: {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'web', namespace: NS, labels },
      spec: { selector: { ...selector }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } as Record<string, any>,
    },
    budget: {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: NS, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: { ...selector } } } as Record<string, any>,
    },
    denyAll: {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: NS },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [] as object[], egress: [] as object[] },
    },
    role: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role',
      metadata: { name: 'web', namespace: NS },
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'] }],
    },
    cronJob: {
      apiVersion: 'batch/v1', kind: 'CronJob',
      metadata: { name: 'cleanup', namespace: NS },
      spec: {
        schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 3,
        jobTemplate: { spec: { activeDeadlineSeconds: 1800, template: { metadata: { labels: { 'app.kubernetes.io/name': 'cleanup' } }, spec: { ...podSpec(), restartPolicy: 'Never' } } } },
      } as Record<string, any>,
    },
  };
}

export type CleanObjects = ReturnType<typeof cleanObjects>;

/** The objects as one output file of environment `test`. */
export function asFiles(objects: Record<string, object> | object[]): ManifestFile[] {
  return [{ path: 'test/0300-shop.k8s.yaml', objects: Object.values(objects) as Manifest[] }];
}
