// Pod pieces every data store shares: resources, claim templates, Services, anti-affinity, env references.
import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { parseQuantity } from '../core/quantity';

/** CPU and memory amounts as Kubernetes quantities. */
export interface StoreResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** An environment variable as Kubernetes JSON: a value, or a `valueFrom` reference (never a secret value). */
export interface StoreEnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly configMapKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
  };
}

/** Throws unless every limit is at least its request. */
export function checkResources(owner: string, what: string, r: StoreResources): void {
  for (const key of ['cpu', 'memory'] as const) {
    if (parseQuantity(r.limits[key]) < parseQuantity(r.requests[key])) {
      throw new Error(`${owner}: ${what} ${key} limit ${r.limits[key]} is below the request ${r.requests[key]}`);
    }
  }
}

/** L1 container resources. */
export function containerResources(r: StoreResources): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
    limits: { cpu: k8s.Quantity.fromString(r.limits.cpu), memory: k8s.Quantity.fromString(r.limits.memory) },
  };
}

/** The sum of several containers' resources, as quantities (cores and bytes formatted back). */
export function sumResources(...all: StoreResources[]): StoreResources {
  const sum = (pick: (r: StoreResources) => string) => all.reduce((acc, r) => acc + parseQuantity(pick(r)), 0);
  const cpu = (n: number) => (Math.round(n * 1000) % 1000 === 0 ? String(Math.round(n)) : `${Math.round(n * 1000)}m`);
  const mem = (n: number) => (n % 2 ** 20 === 0 ? `${n / 2 ** 20}Mi` : String(n));
  return {
    requests: { cpu: cpu(sum((r) => r.requests.cpu)), memory: mem(sum((r) => r.requests.memory)) },
    limits: { cpu: cpu(sum((r) => r.limits.cpu)), memory: mem(sum((r) => r.limits.memory)) },
  };
}

/** A `secretKeyRef` environment variable: the Secret is referenced by name, its value never appears. */
export function secretEnv(name: string, secretName: string, key: string): StoreEnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

/**
 * The claim template of a StatefulSet. Its labels leave out `version`: claim templates are
 * immutable, so a label that changes on every image upgrade would make the next apply fail.
 */
export function claimTemplate(name: string, labels: Record<string, string>, size: string, storageClassName: string | undefined): k8s.KubePersistentVolumeClaimProps {
  const stable = Object.fromEntries(Object.entries(labels).filter(([k]) => k !== 'app.kubernetes.io/version'));
  return {
    metadata: { name, labels: stable },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName,
      resources: { requests: { storage: k8s.Quantity.fromString(size) } },
    },
  };
}

/** The headless Service that gives each StatefulSet pod its stable DNS name. */
export function headlessService(scope: Construct, name: string, labels: Record<string, string>, selector: Record<string, string>, port: { name: string; port: number }): k8s.KubeService {
  return new k8s.KubeService(scope, 'headless-service', {
    metadata: { name, labels },
    spec: {
      clusterIp: 'None',
      // Peers and the StatefulSet controller resolve pods before they are ready.
      publishNotReadyAddresses: true,
      selector,
      ports: [{ name: port.name, port: port.port, targetPort: k8s.IntOrString.fromString(port.name), protocol: 'TCP' }],
    },
  });
}

/** The ClusterIP Service clients dial, also offering the exporter's metrics port for scraping. */
export function clientService(scope: Construct, name: string, labels: Record<string, string>, selector: Record<string, string>, ports: readonly { name: string; port: number }[]): k8s.KubeService {
  return new k8s.KubeService(scope, 'client-service', {
    metadata: { name, labels },
    spec: {
      type: 'ClusterIP',
      selector,
      ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP' })),
    },
  });
}

/**
 * Prefers nodes that run none of the given pods, e.g. the platform's other data stores, so one
 * node failure does not take down both the database and the cache.
 */
export function preferApartFrom(labelSelector: k8s.LabelSelector): k8s.Affinity {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector } },
      ],
    },
  };
}

/** A short content hash for a pod annotation, so pods restart when their mounted configuration changes. */
export function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

/** An exec probe with explicit timing (every field written, so the output says what it does). */
export function execProbe(command: readonly string[], timing: { periodSeconds: number; timeoutSeconds: number; failureThreshold: number }): k8s.Probe {
  return { exec: { command: [...command] }, initialDelaySeconds: 0, successThreshold: 1, ...timing };
}

/** An HTTP GET probe on a named port. */
export function httpProbe(path: string, port: string, timing: { periodSeconds: number; timeoutSeconds: number; failureThreshold: number }): k8s.Probe {
  return { httpGet: { path, port: k8s.IntOrString.fromString(port), scheme: 'HTTP' }, initialDelaySeconds: 0, successThreshold: 1, ...timing };
}

/** `POSTGRES`, `ANALYTICS_DB`: an environment variable prefix from a store name. */
export function envPrefixOf(storeName: string): string {
  return storeName.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
