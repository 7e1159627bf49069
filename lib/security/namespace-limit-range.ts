import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../core/labels';
import { isQuantity, parseQuantity } from '../core/quantity';
import type { ComputeAmounts } from './namespace-quota';

export interface NamespaceLimitRangeProps {
  /** Requests given to a container that declares none. */
  readonly defaultRequest: ComputeAmounts;
  /** Limits given to a container that declares none. */
  readonly defaultLimit: ComputeAmounts;
  /** Smallest request (and limit) a container may declare. */
  readonly min: ComputeAmounts;
  /** Largest limit (and request) a container may declare. */
  readonly max: ComputeAmounts;
  /** Largest storage one PersistentVolumeClaim may request. */
  readonly maxClaimStorage: string;
  /** Smallest storage one PersistentVolumeClaim may request. @default '1Gi' */
  readonly minClaimStorage?: string;
  /** Object name. @default 'namespace-limits' */
  readonly name?: string;
  /** Namespace, when it is not the chart's. @default the chart's namespace */
  readonly namespace?: string;
  /** Metadata labels. @default name and managed-by */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A LimitRange: defaults for containers that declare no resources (so the quota can admit them),
 * min/max per container, and min/max storage per PersistentVolumeClaim.
 */
export class NamespaceLimitRange extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: NamespaceLimitRangeProps) {
    super(scope, id);
    this.name = props.name ?? 'namespace-limits';
    const minClaim = props.minClaimStorage ?? '1Gi';
    for (const r of ['cpu', 'memory'] as const) {
      // Admission rejects a LimitRange unless min ≤ default request ≤ default limit ≤ max.
      const chain = [
        ['min', props.min[r]], ['defaultRequest', props.defaultRequest[r]], ['defaultLimit', props.defaultLimit[r]], ['max', props.max[r]],
      ] as const;
      for (const [field, value] of chain) {
        if (!isQuantity(value) || parseQuantity(value) <= 0) throw new Error(`${this.name}: ${field}.${r} "${value}" is not a positive Kubernetes quantity`);
      }
      for (let i = 1; i < chain.length; i++) {
        if (parseQuantity(chain[i][1]) < parseQuantity(chain[i - 1][1])) {
          throw new Error(`${this.name}: ${chain[i][0]}.${r} ${chain[i][1]} is below ${chain[i - 1][0]}.${r} ${chain[i - 1][1]}; expected min ≤ defaultRequest ≤ defaultLimit ≤ max`);
        }
      }
    }
    for (const [field, value] of [['minClaimStorage', minClaim], ['maxClaimStorage', props.maxClaimStorage]] as const) {
      if (!isQuantity(value) || parseQuantity(value) <= 0) throw new Error(`${this.name}: ${field} "${value}" is not a positive Kubernetes quantity`);
    }
    if (parseQuantity(props.maxClaimStorage) < parseQuantity(minClaim)) {
      throw new Error(`${this.name}: maxClaimStorage ${props.maxClaimStorage} is below minClaimStorage ${minClaim}`);
    }
    const amounts = (a: ComputeAmounts) => ({ cpu: k8s.Quantity.fromString(a.cpu), memory: k8s.Quantity.fromString(a.memory) });
    new k8s.KubeLimitRange(this, 'limit-range', {
      metadata: {
        name: this.name,
        namespace: props.namespace,
        labels: { ...(props.labels ?? { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/managed-by': MANAGED_BY }) },
      },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: amounts(props.defaultRequest),
            default: amounts(props.defaultLimit),
            min: amounts(props.min),
            max: amounts(props.max),
          },
          {
            type: 'PersistentVolumeClaim',
            min: { storage: k8s.Quantity.fromString(minClaim) },
            max: { storage: k8s.Quantity.fromString(props.maxClaimStorage) },
          },
        ],
      },
    });
  }
}
