import { Construct } from 'constructs';
import {
  VerticalPodAutoscaler as VpaObject,
  VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesControlledValues as ControlledValues,
  VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMaxAllowed as MaxAllowed,
  VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMinAllowed as MinAllowed,
  VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMode as ContainerMode,
  VerticalPodAutoscalerSpecUpdatePolicyUpdateMode as UpdateModeValue,
  type VerticalPodAutoscalerSpecResourcePolicyContainerPolicies as ContainerPolicy,
} from '../../imports/verticalpodautoscalers-autoscaling.k8s.io';
import { isQuantity, parseQuantity } from '../core/quantity';
import type { ScaleTarget } from './horizontal-pod-autoscaler';

/** When the VPA applies its recommendations (VPA 1.7 API, autoscaling.k8s.io/v1). */
export class VpaUpdateMode {
  /** Recommend only: the recommendations appear in the VPA status, pods are never touched. */
  public static readonly OFF = new VpaUpdateMode('Off', false, undefined);
  /** Apply at pod creation only; running pods are never evicted. */
  public static readonly INITIAL = new VpaUpdateMode('Initial', true, undefined);
  /** Apply at creation, and evict pods whose requests drift far from the recommendation. */
  public static readonly RECREATE = new VpaUpdateMode('Recreate', true, undefined);
  /** Resize running pods in place, evicting only when that fails; needs in-place resize (Kubernetes ≥ 1.33). */
  public static readonly IN_PLACE_OR_RECREATE = new VpaUpdateMode('InPlaceOrRecreate', true, '1.33');

  /** Every mode Stackwright writes (the deprecated `Auto` and alpha `InPlace` are left out). */
  public static readonly ALL: readonly VpaUpdateMode[] = [VpaUpdateMode.OFF, VpaUpdateMode.INITIAL, VpaUpdateMode.RECREATE, VpaUpdateMode.IN_PLACE_OR_RECREATE];

  /** By its API name. */
  public static of(value: string): VpaUpdateMode {
    const mode = VpaUpdateMode.ALL.find((m) => m.value === value);
    if (!mode) throw new Error(`unknown VPA update mode "${value}"; expected one of ${VpaUpdateMode.ALL.map((m) => m.value).join(', ')}`);
    return mode;
  }

  private constructor(
    /** The `updatePolicy.updateMode` value. */
    public readonly value: 'Off' | 'Initial' | 'Recreate' | 'InPlaceOrRecreate',
    /** Whether it changes pod resources (and so fights an HPA scaling on the same resources). */
    public readonly updatesPods: boolean,
    /** Lowest Kubernetes minor version it works on, when it needs one. */
    public readonly minimumKubernetesVersion: string | undefined,
  ) {}
}

/** CPU and memory bounds for recommendations. */
export interface VpaResourceBounds {
  /** e.g. "100m". @default no bound */
  readonly cpu?: string;
  /** e.g. "256Mi". @default no bound */
  readonly memory?: string;
}

export interface VerticalPodAutoscalerProps {
  /** Object name. @default the target's name */
  readonly name?: string;
  /** Namespace of the target. @default the chart's */
  readonly namespace?: string;
  /** Labels for the object. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The workload it watches (Deployment, StatefulSet, DaemonSet…). */
  readonly target: ScaleTarget;
  /** When recommendations are applied. @default VpaUpdateMode.OFF */
  readonly updateMode?: VpaUpdateMode;
  /** Resources it recommends (and, when updating, controls). @default ['cpu', 'memory'] */
  readonly controlledResources?: readonly ('cpu' | 'memory')[];
  /** Whether limits scale with requests. @default 'RequestsAndLimits' */
  readonly controlledValues?: 'RequestsAndLimits' | 'RequestsOnly';
  /** Floor of recommendations. @default none */
  readonly minAllowed?: VpaResourceBounds;
  /** Ceiling of recommendations. @default none */
  readonly maxAllowed?: VpaResourceBounds;
  /** Containers left alone, e.g. exporter sidecars. @default none */
  readonly excludedContainers?: readonly string[];
  /** Fewest live replicas before the updater may evict a pod (updating modes). @default the VPA's global flag */
  readonly minReplicas?: number;
}

/**
 * An autoscaling.k8s.io/v1 VerticalPodAutoscaler. In `Off` mode it only records recommendations,
 * which is the safe way to size databases and stateful stacks; updating modes must not control a
 * resource an HPA scales on (the two would chase each other).
 */
export class VerticalPodAutoscaler extends Construct {
  public readonly name: string;
  public readonly updateMode: VpaUpdateMode;
  public readonly controlledResources: readonly ('cpu' | 'memory')[];
  public readonly vpa: VpaObject;

  constructor(scope: Construct, id: string, props: VerticalPodAutoscalerProps) {
    super(scope, id);
    this.name = props.name ?? props.target.name;
    this.updateMode = props.updateMode ?? VpaUpdateMode.OFF;
    const controlled = props.controlledResources ?? ['cpu', 'memory'];
    if (controlled.length === 0 || new Set(controlled).size !== controlled.length) {
      throw new Error(`${this.name}: controlledResources must list cpu and/or memory once each; received ${JSON.stringify(controlled)}`);
    }
    this.controlledResources = [...controlled];
    for (const resource of ['cpu', 'memory'] as const) {
      const min = props.minAllowed?.[resource];
      const max = props.maxAllowed?.[resource];
      for (const [field, value] of [['minAllowed', min], ['maxAllowed', max]] as const) {
        if (value !== undefined && (!isQuantity(value) || parseQuantity(value) <= 0)) {
          throw new Error(`${this.name}: ${field}.${resource} must be a positive quantity; received "${value}"`);
        }
      }
      if (min !== undefined && max !== undefined && parseQuantity(min) > parseQuantity(max)) {
        throw new Error(`${this.name}: minAllowed.${resource} (${min}) exceeds maxAllowed.${resource} (${max})`);
      }
    }
    if (props.minReplicas !== undefined && (!Number.isInteger(props.minReplicas) || props.minReplicas < 1)) {
      throw new Error(`${this.name}: minReplicas must be a whole number ≥ 1; received ${props.minReplicas}`);
    }

    const policies: ContainerPolicy[] = [
      {
        containerName: '*',
        controlledResources: [...controlled],
        controlledValues: props.controlledValues === 'RequestsOnly' ? ControlledValues.REQUESTS_ONLY : ControlledValues.REQUESTS_AND_LIMITS,
        minAllowed: bounds(props.minAllowed, (v) => MinAllowed.fromString(v)),
        maxAllowed: bounds(props.maxAllowed, (v) => MaxAllowed.fromString(v)),
      },
      ...[...(props.excludedContainers ?? [])].sort().map((containerName) => ({ containerName, mode: ContainerMode.OFF })),
    ];
    this.vpa = new VpaObject(this, 'vpa', {
      metadata: { name: this.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        targetRef: { apiVersion: props.target.apiVersion ?? 'apps/v1', kind: props.target.kind, name: props.target.name },
        updatePolicy: { updateMode: this.updateMode.value as UpdateModeValue, minReplicas: props.minReplicas },
        resourcePolicy: { containerPolicies: policies },
      },
    });
  }
}

function bounds<T>(b: VpaResourceBounds | undefined, wrap: (v: string) => T): Record<string, T> | undefined {
  if (!b || (b.cpu === undefined && b.memory === undefined)) return undefined;
  const out: Record<string, T> = {};
  if (b.cpu !== undefined) out.cpu = wrap(b.cpu);
  if (b.memory !== undefined) out.memory = wrap(b.memory);
  return out;
}
