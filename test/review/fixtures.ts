// Hand-written Kubernetes objects for plan and overview tests: what other areas will render (data
// stores, routes, autoscalers, policies), so the review code is tested before those areas land.
import { stringify } from 'yaml';

export type Obj = Record<string, unknown>;

/** An output tree (path relative to dist/ → file content), one multi-document file per entry. */
export function tree(files: Record<string, readonly Obj[]>): Map<string, string> {
  return new Map(Object.entries(files).map(([path, objects]) => [path, objects.map((o) => stringify(o)).join('---\n')]));
}

export const labels = (name: string, env = 'prod') => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': `${name}-${env}` });

export function deployment(name: string, opts: { replicas?: number; image?: string; cpu?: string; env?: Obj[]; namespace?: string } = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: opts.namespace ?? 'atlas-prod', labels: { ...labels(name), 'app.kubernetes.io/version': '1.0.0' } },
    spec: {
      ...(opts.replicas === undefined ? {} : { replicas: opts.replicas }),
      selector: { matchLabels: labels(name) },
      template: {
        metadata: { labels: { ...labels(name), 'app.kubernetes.io/version': '1.0.0' } },
        spec: {
          containers: [{
            name,
            image: opts.image ?? `ghcr.io/acme/${name}:1.0.0`,
            env: opts.env ?? [{ name: 'LOG_FORMAT', value: 'json' }],
            resources: { requests: { cpu: opts.cpu ?? '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
          }],
        },
      },
    },
  };
}

export function service(name: string, ports: Array<{ name: string; port: number }>, type = 'ClusterIP'): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'atlas-prod', labels: labels(name) },
    spec: { type, selector: labels(name), ports: ports.map((p) => ({ ...p, targetPort: p.name })) },
  };
}

export function statefulSet(name: string, storage = '20Gi'): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'atlas-prod', labels: labels(name) },
    spec: {
      replicas: 3,
      serviceName: `${name}-headless`,
      selector: { matchLabels: labels(name) },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          containers: [{
            name,
            image: 'docker.io/library/postgres:16.4',
            resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
          }],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage } } } }],
    },
  };
}

export function networkPolicy(name: string, ingress: Obj[], policyTypes = ['Ingress']): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'atlas-prod' },
    spec: { podSelector: { matchLabels: labels('api') }, policyTypes, ingress },
  };
}

export const fromDashboard = { podSelector: { matchLabels: labels('dashboard') } };
export const fromWorker = { podSelector: { matchLabels: labels('worker') } };
export const httpPort = { port: 8080, protocol: 'TCP' };
