import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../core/labels';
import { isQuantity, parseQuantity } from '../core/quantity';

/** CPU and memory amounts as Kubernetes quantities. */
export interface ComputeAmounts {
  readonly cpu: string;
  readonly memory: string;
}

export interface NamespaceQuotaProps {
  /** Total CPU and memory all pods may request. */
  readonly requests: ComputeAmounts;
  /** Total CPU and memory limits of all pods. */
  readonly limits: ComputeAmounts;
  /** Total storage all PersistentVolumeClaims may request. */
  readonly storage: string;
  /** Most PersistentVolumeClaims. @default 10 */
  readonly persistentVolumeClaims?: number;
  /** Most pods in a non-terminal state. @default 50 */
  readonly pods?: number;
  /** Most Services of type LoadBalancer (each costs a cloud load balancer). @default 0 */
  readonly loadBalancers?: number;
  /** Most Services of type NodePort (each opens a port on every node). @default 0 */
  readonly nodePorts?: number;
  /** Object name. @default 'namespace-quota' */
  readonly name?: string;
  /** Namespace, when it is not the chart's. @default the chart's namespace */
  readonly namespace?: string;
  /** Metadata labels. @default name and managed-by */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A ResourceQuota capping a namespace's compute, storage, pods and externally reachable Services. */
export class NamespaceQuota extends Construct {
  public readonly name: string;
  /** The `spec.hard` entries as written, quantity strings by resource name. */
  public readonly hard: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: NamespaceQuotaProps) {
    super(scope, id);
    this.name = props.name ?? 'namespace-quota';
    for (const [field, value] of [
      ['requests.cpu', props.requests.cpu], ['requests.memory', props.requests.memory],
      ['limits.cpu', props.limits.cpu], ['limits.memory', props.limits.memory], ['storage', props.storage],
    ] as const) {
      if (!isQuantity(value) || parseQuantity(value) < 0) throw new Error(`${this.name}: ${field} "${value}" is not a non-negative Kubernetes quantity`);
    }
    for (const r of ['cpu', 'memory'] as const) {
      if (parseQuantity(props.limits[r]) < parseQuantity(props.requests[r])) {
        throw new Error(`${this.name}: limits.${r} ${props.limits[r]} is below requests.${r} ${props.requests[r]}; pods could never use what the quota lets them request`);
      }
    }
    const counts = {
      persistentvolumeclaims: props.persistentVolumeClaims ?? 10,
      pods: props.pods ?? 50,
      'services.loadbalancers': props.loadBalancers ?? 0,
      'services.nodeports': props.nodePorts ?? 0,
    };
    for (const [field, value] of Object.entries(counts)) {
      if (!Number.isInteger(value) || value < 0) throw new Error(`${this.name}: ${field} must be a whole number ≥ 0; received ${value}`);
    }
    this.hard = {
      'requests.cpu': props.requests.cpu,
      'requests.memory': props.requests.memory,
      'limits.cpu': props.limits.cpu,
      'limits.memory': props.limits.memory,
      'requests.storage': props.storage,
      ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, String(v)])),
    };
    new k8s.KubeResourceQuota(this, 'quota', {
      metadata: {
        name: this.name,
        namespace: props.namespace,
        labels: { ...(props.labels ?? { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/managed-by': MANAGED_BY }) },
      },
      spec: {
        hard: Object.fromEntries(Object.entries(this.hard).map(([k, v]) => [k, k8s.Quantity.fromString(v)])),
      },
    });
  }
}
