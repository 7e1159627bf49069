import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export interface PodDisruptionBudgetProps {
  /** Object name. @default the construct id */
  readonly name?: string;
  /** Labels of the pods it protects (the stable selector subset). */
  readonly selector: Readonly<Record<string, string>>;
  /** Labels for the object itself. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Fewest replicas the workload runs; a budget needs at least 2 to allow any eviction safely. */
  readonly minReplicas: number;
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

  constructor(scope: Construct, id: string, props: PodDisruptionBudgetProps) {
    super(scope, id);
    const name = props.name ?? id;
    if (props.minReplicas < 2) {
      throw new Error(`${name}: a PodDisruptionBudget protects workloads of at least 2 replicas; received minReplicas ${props.minReplicas}`);
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
    this.budget = new k8s.KubePodDisruptionBudget(this, 'budget', {
      metadata: { name, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        selector: { matchLabels: { ...props.selector } },
        maxUnavailable: typeof maxUnavailable === 'number' ? k8s.IntOrString.fromNumber(maxUnavailable) : k8s.IntOrString.fromString(maxUnavailable),
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
