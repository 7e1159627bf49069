// What a namespace's workloads need from its ResourceQuota at their peak: every replica an
// autoscaler may run, plus the extra pods a rolling update creates before old ones go.
import { formatBytes, formatCpu, parseQuantity } from '../core/quantity';
import type { ComputeAmounts } from './namespace-quota';

/** A workload as the quota sees it (structurally the platform's `WorkloadInfo`). */
export interface WorkloadDemand {
  readonly name: string;
  readonly kind: string;
  /** Most pods it runs outside of rollouts. */
  readonly replicas: { readonly max: number };
  /** Sum over the pod's containers. */
  readonly podResources: { readonly requests: ComputeAmounts; readonly limits: ComputeAmounts };
  /** Storage each replica claims. @default none */
  readonly claimsPerReplica?: readonly string[];
  /** Storage claimed once for the workload. @default none */
  readonly sharedClaims?: readonly string[];
  /** Extra pods during an update: a count, or a percentage of max rounded up. @default 25% of max rounded up for Deployments and Rollouts, else 0 */
  readonly surge?: number | string;
}

/** The quota resources a workload set is measured against. */
export const QUOTA_RESOURCES = [
  'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'requests.storage', 'persistentvolumeclaims', 'pods',
] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

/** One resource where the workloads need more than the quota allows. */
export interface QuotaOverflow {
  readonly resource: QuotaResource;
  /** What the workloads need, formatted as a quantity. */
  readonly needed: string;
  /** What the quota allows, as written. */
  readonly allowed: string;
  /** Who needs it, e.g. `api 4×500m`, largest first. */
  readonly contributors: readonly string[];
}

/** Extra pods an update adds: the workload's surge, else Kubernetes' default maxSurge of 25%, rounded up, for Deployments and Rollouts. */
export function rolloutSurge(workload: WorkloadDemand): number {
  const surge = workload.surge ?? (workload.kind === 'Deployment' || workload.kind === 'Rollout' ? '25%' : 0);
  if (typeof surge === 'number') return surge;
  const percent = /^(\d+)%$/.exec(surge);
  if (!percent) throw new Error(`${workload.name}: surge must be a count or a percentage such as "25%"; received "${surge}"`);
  return Math.ceil((workload.replicas.max * Number(percent[1])) / 100);
}

interface Share {
  readonly who: string;
  readonly amount: number;
  readonly text: string;
}

/** Each workload's share of each quota resource at its peak. */
export function quotaShares(workloads: readonly WorkloadDemand[]): Record<QuotaResource, Share[]> {
  const shares = Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, [] as Share[]])) as Record<QuotaResource, Share[]>;
  for (const w of workloads) {
    const pods = w.replicas.max + rolloutSurge(w);
    const podsText = rolloutSurge(w) > 0 ? `(${w.replicas.max}+${rolloutSurge(w)} surge)` : `${pods}`;
    const add = (resource: QuotaResource, amount: number, text: string) => {
      if (amount > 0) shares[resource].push({ who: w.name, amount, text: `${w.name} ${text}` });
    };
    add('requests.cpu', pods * parseQuantity(w.podResources.requests.cpu), `${podsText}×${w.podResources.requests.cpu}`);
    add('requests.memory', pods * parseQuantity(w.podResources.requests.memory), `${podsText}×${w.podResources.requests.memory}`);
    add('limits.cpu', pods * parseQuantity(w.podResources.limits.cpu), `${podsText}×${w.podResources.limits.cpu}`);
    add('limits.memory', pods * parseQuantity(w.podResources.limits.memory), `${podsText}×${w.podResources.limits.memory}`);
    add('pods', pods, `${podsText}`);
    const perReplica = w.claimsPerReplica ?? [];
    const shared = w.sharedClaims ?? [];
    const storage = w.replicas.max * sum(perReplica) + sum(shared);
    const storageText = [
      ...(perReplica.length > 0 ? [`${w.replicas.max}×(${perReplica.join('+')})`] : []),
      ...shared,
    ].join('+');
    add('requests.storage', storage, storageText);
    add('persistentvolumeclaims', w.replicas.max * perReplica.length + shared.length, `${w.replicas.max * perReplica.length + shared.length}`);
  }
  return shares;
}

/** The resources where the workloads' peak exceeds the quota's `hard` amounts; empty when they fit. */
export function quotaOverflows(hard: Readonly<Record<string, string>>, workloads: readonly WorkloadDemand[]): QuotaOverflow[] {
  const shares = quotaShares(workloads);
  const overflows: QuotaOverflow[] = [];
  for (const resource of QUOTA_RESOURCES) {
    const allowed = hard[resource];
    if (allowed === undefined) continue;
    const needed = shares[resource].reduce((total, s) => total + s.amount, 0);
    // Compare in milli-units so float sums like 0.1+0.2 do not overflow a quota of 0.3.
    if (Math.round(needed * 1000) <= Math.round(parseQuantity(allowed) * 1000)) continue;
    overflows.push({
      resource,
      needed: format(resource, needed),
      allowed,
      contributors: [...shares[resource]].sort((a, b) => b.amount - a.amount || (a.who < b.who ? -1 : 1)).map((s) => s.text),
    });
  }
  return overflows;
}

function sum(quantities: readonly string[]): number {
  return quantities.reduce((total, q) => total + parseQuantity(q), 0);
}

function format(resource: QuotaResource, amount: number): string {
  if (resource.endsWith('.cpu')) return formatCpu(amount);
  if (resource.endsWith('.memory') || resource.endsWith('.storage')) return formatBytes(Math.round(amount));
  return String(amount);
}
