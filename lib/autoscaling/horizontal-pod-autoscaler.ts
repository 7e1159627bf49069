import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isQuantity, parseQuantity } from '../core/quantity';

/** The workload an autoscaler scales: a Deployment, StatefulSet or Argo Rollout in the same namespace. */
export interface ScaleTarget {
  /** @default 'apps/v1' */
  readonly apiVersion?: string;
  /** e.g. `Deployment`. */
  readonly kind: string;
  readonly name: string;
}

/** A metric the HPA scales on (autoscaling/v2 `MetricSpec`). */
export class ScalingMetric {
  /** Average CPU use as a percentage of the pods' CPU request. */
  public static cpuUtilization(percent: number): ScalingMetric {
    return ScalingMetric.utilization('cpu', percent);
  }

  /** Average memory use as a percentage of the pods' memory request. */
  public static memoryUtilization(percent: number): ScalingMetric {
    return ScalingMetric.utilization('memory', percent);
  }

  /**
   * A per-pod custom metric served by a custom-metrics adapter (e.g. prometheus-adapter), averaged
   * over the pods, e.g. `http_requests_per_second` with an average value of "100".
   */
  public static podsAverageValue(metric: string, averageValue: string): ScalingMetric {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(metric)) {
      throw new Error(`custom metric name must be a Prometheus-style metric name ([a-zA-Z_:][a-zA-Z0-9_:]*); received "${metric}"`);
    }
    if (!isQuantity(averageValue) || parseQuantity(averageValue) <= 0) {
      throw new Error(`${metric}: averageValue must be a positive quantity such as "100" or "500m"; received "${averageValue}"`);
    }
    return new ScalingMetric('pods', metric, {
      type: 'Pods',
      pods: { metric: { name: metric }, target: { type: 'AverageValue', averageValue: k8s.Quantity.fromString(averageValue) } },
    });
  }

  private static utilization(resource: 'cpu' | 'memory', percent: number): ScalingMetric {
    if (!Number.isInteger(percent) || percent < 1 || percent > 100) {
      throw new Error(`${resource} utilization target must be a whole percentage from 1 to 100 of the request; received ${percent}`);
    }
    return new ScalingMetric('resource', resource, {
      type: 'Resource',
      resource: { name: resource, target: { type: 'Utilization', averageUtilization: percent } },
    });
  }

  private constructor(
    /** `resource` (cpu, memory) or `pods` (custom). */
    public readonly source: 'resource' | 'pods',
    /** The resource or metric name. */
    public readonly name: string,
    /** The autoscaling/v2 MetricSpec. */
    public readonly spec: k8s.MetricSpecV2,
  ) {}
}

/** How fast the HPA may change the replica count in one direction. */
export class ScalingPolicy {
  /** Add or remove at most `pods` pods per `periodSeconds`. */
  public static pods(pods: number, periodSeconds: number): ScalingPolicy {
    return new ScalingPolicy('Pods', pods, periodSeconds);
  }

  /** Add or remove at most `percent` % of the current pods per `periodSeconds`. */
  public static percent(percent: number, periodSeconds: number): ScalingPolicy {
    return new ScalingPolicy('Percent', percent, periodSeconds);
  }

  private constructor(public readonly type: 'Pods' | 'Percent', public readonly value: number, public readonly periodSeconds: number) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`a ${type} scaling policy needs a whole value ≥ 1; received ${value}`);
    if (!Number.isInteger(periodSeconds) || periodSeconds < 1 || periodSeconds > 1800) {
      throw new Error(`a scaling policy period must be 1 to 1800 seconds (the API server's limit); received ${periodSeconds}`);
    }
  }
}

/** Which policy wins when several apply: the one allowing the larger change, the smaller, or none. */
export class SelectPolicy {
  /** The policy that allows the largest change. */
  public static readonly MAX = new SelectPolicy('Max');
  /** The policy that allows the smallest change. */
  public static readonly MIN = new SelectPolicy('Min');
  /** Never scale in this direction. */
  public static readonly DISABLED = new SelectPolicy('Disabled');

  /** By its API name. */
  public static of(value: 'Max' | 'Min' | 'Disabled'): SelectPolicy {
    return { Max: SelectPolicy.MAX, Min: SelectPolicy.MIN, Disabled: SelectPolicy.DISABLED }[value];
  }

  private constructor(public readonly value: 'Max' | 'Min' | 'Disabled') {}
}

/** The rules for one direction of scaling. */
export interface ScalingRules {
  /** Rate limits; several combine through `selectPolicy`. @default the Kubernetes defaults for the direction */
  readonly policies?: readonly ScalingPolicy[];
  /** Which policy applies when several do. @default SelectPolicy.MAX */
  readonly selectPolicy?: SelectPolicy;
  /** Seconds of past recommendations considered (0–3600). @default 0 up, 300 down */
  readonly stabilizationWindowSeconds?: number;
}

export interface HorizontalPodAutoscalerProps {
  /** Object name. @default the target's name */
  readonly name?: string;
  /** Labels for the object. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The workload it scales. */
  readonly target: ScaleTarget;
  /** Fewest replicas (≥ 1: scaling to zero needs an alpha feature gate). */
  readonly minReplicas: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /** What it scales on; the largest recommendation of all metrics wins. */
  readonly metrics: readonly ScalingMetric[];
  /** Scale-up rules. @default Kubernetes' (double or +4 pods per 15s, no stabilization) */
  readonly scaleUp?: ScalingRules;
  /** Scale-down rules. @default Kubernetes' (any amount per 15s after a 300s window) */
  readonly scaleDown?: ScalingRules;
}

/**
 * An autoscaling/v2 HorizontalPodAutoscaler: resource-utilization and custom Pods metrics, and
 * explicit scale-up and scale-down behavior. The target must not set `replicas` itself
 * (see `AppDeployment.markAutoscaled()`), or every apply resets what the HPA chose.
 */
export class HorizontalPodAutoscaler extends Construct {
  public readonly name: string;
  public readonly hpa: k8s.KubeHorizontalPodAutoscalerV2;
  /** The resources (cpu, memory) whose utilization it scales on, for conflict checks with a VPA. */
  public readonly resourceMetrics: readonly string[];

  constructor(scope: Construct, id: string, props: HorizontalPodAutoscalerProps) {
    super(scope, id);
    this.name = props.name ?? props.target.name;
    const { minReplicas, maxReplicas } = props;
    if (!Number.isInteger(minReplicas) || minReplicas < 1) {
      throw new Error(`${this.name}: minReplicas must be a whole number ≥ 1 (scaling an HPA to zero needs the HPAScaleToZero alpha gate; use KEDA for that); received ${minReplicas}`);
    }
    if (!Number.isInteger(maxReplicas) || maxReplicas < minReplicas) {
      throw new Error(`${this.name}: maxReplicas must be a whole number ≥ minReplicas (${minReplicas}); received ${maxReplicas}`);
    }
    if (props.metrics.length === 0) {
      throw new Error(`${this.name}: an HPA needs at least one metric (cpu, memory or a custom Pods metric); received none`);
    }
    const seen = new Set<string>();
    for (const m of props.metrics) {
      const key = `${m.source}/${m.name}`;
      if (seen.has(key)) throw new Error(`${this.name}: metric ${m.name} is listed twice`);
      seen.add(key);
    }
    this.resourceMetrics = props.metrics.filter((m) => m.source === 'resource').map((m) => m.name);

    this.hpa = new k8s.KubeHorizontalPodAutoscalerV2(this, 'hpa', {
      metadata: { name: this.name, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        scaleTargetRef: { apiVersion: props.target.apiVersion ?? 'apps/v1', kind: props.target.kind, name: props.target.name },
        minReplicas,
        maxReplicas,
        metrics: props.metrics.map((m) => m.spec),
        behavior: props.scaleUp || props.scaleDown
          ? { scaleUp: renderScalingRules(this.name, 'scaleUp', props.scaleUp), scaleDown: renderScalingRules(this.name, 'scaleDown', props.scaleDown) }
          : undefined,
      },
    });
  }
}

/** One direction's rules as autoscaling/v2 `HPAScalingRules` (also what KEDA passes to the HPA it owns). */
export function renderScalingRules(owner: string, direction: string, rules: ScalingRules | undefined): k8s.HpaScalingRulesV2 | undefined {
  if (rules === undefined) return undefined;
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && (!Number.isInteger(window) || window < 0 || window > 3600)) {
    throw new Error(`${owner}: ${direction}.stabilizationWindowSeconds must be 0 to 3600; received ${window}`);
  }
  const policies = rules.policies ?? [];
  if (rules.selectPolicy !== SelectPolicy.DISABLED && rules.policies !== undefined && policies.length === 0) {
    throw new Error(`${owner}: ${direction} lists no policies; leave policies out for the Kubernetes defaults or use SelectPolicy.DISABLED`);
  }
  return {
    stabilizationWindowSeconds: window,
    selectPolicy: rules.selectPolicy?.value,
    policies: policies.length > 0 ? policies.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds })) : undefined,
  };
}
