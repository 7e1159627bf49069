import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export interface PodDisruptionBudgetProps {
  /** Object name. @default the construct id */
  readonly name?: string;
  /** Labels of the pods it protects (the stable selector subset). */
  readonly selector: Readonly<Record<string, string>>;
  /** Labels for the object itself. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Namespace of the pods. @default the chart's */
  readonly namespace?: string;
  /** Fewest replicas the workload runs (an autoscaler's minimum). */
  readonly minReplicas: number;
  /** Most replicas the workload runs; a budget only matters when this is at least 2. @default minReplicas */
  readonly maxReplicas?: number;
  /** Pods that may be down at once: a count or a percentage such as "25%". @default 1 */
  readonly maxUnavailable?: number | string;
}

/**
 * A PodDisruptionBudget that keeps all but `maxUnavailable` pods up during voluntary disruptions and
 * never blocks a node drain: `maxUnavailable` is at least 1 pod, and unhealthy pods may always be
 * evicted (`unhealthyPodEvictionPolicy: AlwaysAllow`), so a crash-looping pod cannot wedge a drain.
 */
export class PodDisruptionBudget extends Construct {
  public readonly budget: k8s.KubePodDisruptionBudget;
  /** Pods that may be down at once: a count or a percentage. */
  public readonly maxUnavailable: number | string;

  constructor(scope: Construct, id: string, props: PodDisruptionBudgetProps) {
    super(scope, id);
    const name = props.name ?? id;
    const maxReplicas = props.maxReplicas ?? props.minReplicas;
    if (!Number.isInteger(props.minReplicas) || props.minReplicas < 0 || maxReplicas < props.minReplicas) {
      throw new Error(`${name}: minReplicas must be a whole number from 0 to maxReplicas (${maxReplicas}); received ${props.minReplicas}`);
    }
    if (maxReplicas < 2) {
      throw new Error(`${name}: a PodDisruptionBudget protects workloads that can run at least 2 replicas; received ${props.minReplicas === maxReplicas ? `minReplicas ${props.minReplicas}` : `maxReplicas ${maxReplicas}`}`);
    }
    const maxUnavailable = props.maxUnavailable ?? 1;
    if (typeof maxUnavailable === 'number' && (!Number.isInteger(maxUnavailable) || maxUnavailable < 1)) {
      throw new Error(`${name}: maxUnavailable must be a whole number ≥ 1 so drains are never blocked; received ${maxUnavailable}`);
    }
    if (typeof maxUnavailable === 'string') {
      const pct = /^(\d{1,3})%$/.exec(maxUnavailable);
      // A percentage rounds up, so any value above 0% allows at least one eviction.
      if (!pct || Number(pct[1]) < 1 || Number(pct[1]) > 100) {
        throw new Error(`${name}: maxUnavailable must be a count or a percentage from 1% to 100%; received "${maxUnavailable}"`);
      }
    }
    this.maxUnavailable = maxUnavailable;
    this.budget = new k8s.KubePodDisruptionBudget(this, 'budget', {
      metadata: { name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        selector: { matchLabels: { ...props.selector } },
        maxUnavailable: typeof maxUnavailable === 'number' ? k8s.IntOrString.fromNumber(maxUnavailable) : k8s.IntOrString.fromString(maxUnavailable),
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}

/**
 * Evictions a budget allows when `replicas` pods are all healthy, as the disruption controller
 * computes it: a `maxUnavailable` percentage rounds up, and `minAvailable` is the complement.
 */
export function allowedDisruptions(maxUnavailable: number | string, replicas: number): number {
  const unavailable = typeof maxUnavailable === 'number'
    ? maxUnavailable
    : Math.ceil((Number(/^(\d{1,3})%$/.exec(maxUnavailable)?.[1] ?? NaN) * replicas) / 100);
  if (Number.isNaN(unavailable)) throw new Error(`maxUnavailable must be a count or a percentage; received "${maxUnavailable}"`);
  return Math.max(0, Math.min(replicas, unavailable));
}
