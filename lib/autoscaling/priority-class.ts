import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isDns1123Subdomain } from '../core/names';

export interface PriorityClassProps {
  /** Object name (cluster-scoped, so include the platform and environment). @default the construct id */
  readonly name?: string;
  /** Labels for the object. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Priority: higher schedules first and is preempted last (1 to 1,000,000,000; above is reserved for the system). */
  readonly value: number;
  /** What the class is for, shown by `kubectl get priorityclass`. */
  readonly description: string;
  /** Whether pods of this class may preempt lower-priority pods. @default 'PreemptLowerPriority' */
  readonly preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
}

/** A PriorityClass that is never the cluster default, so it applies only to pods that name it. */
export class PriorityClass extends Construct {
  public readonly name: string;
  public readonly priorityClass: k8s.KubePriorityClass;

  constructor(scope: Construct, id: string, props: PriorityClassProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1123Subdomain(this.name) || this.name.startsWith('system-')) {
      throw new Error(`priority class name "${this.name}" must be a DNS-1123 subdomain not starting with "system-" (reserved)`);
    }
    if (!Number.isInteger(props.value) || props.value < 1 || props.value > 1_000_000_000) {
      throw new Error(`${this.name}: value must be a whole number from 1 to 1000000000 (higher values are reserved for system-critical pods); received ${props.value}`);
    }
    this.priorityClass = new k8s.KubePriorityClass(this, 'priority-class', {
      metadata: { name: this.name, labels: props.labels ? { ...props.labels } : undefined },
      value: props.value,
      globalDefault: false,
      preemptionPolicy: props.preemptionPolicy ?? 'PreemptLowerPriority',
      description: props.description,
    });
  }
}
