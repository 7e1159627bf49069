import { CanaryTraffic } from './canary-traffic';

/** Pods as a count, or as a percentage of the desired replicas (`'25%'`). */
export type PodCount = number | string;

/** One of the two Deployments of a blue-green release. */
export type Slot = 'blue' | 'green';

export interface RollingUpdateProps {
  /** Pods created above the desired count during an update. @default '25%' */
  readonly maxSurge?: PodCount;
  /** Pods that may be unavailable during an update. @default '25%' */
  readonly maxUnavailable?: PodCount;
  /** Seconds a new pod must stay ready before it counts as available. @default 0 */
  readonly minReadySeconds?: number;
  /** Seconds an update may make no progress before it is reported as failed. @default 600 */
  readonly progressDeadlineSeconds?: number;
}

export interface RecreateProps {
  /** Seconds an update may make no progress before it is reported as failed. @default 600 */
  readonly progressDeadlineSeconds?: number;
}

/** What one slot of a blue-green release runs. */
export interface BlueGreenSlotProps {
  /** Image of the slot, pinned. @default the component's image */
  readonly image?: string;
  /** Replicas of the slot (0 parks it); ignored when an autoscaler owns the slot's count. @default the component's replicas */
  readonly replicas?: number;
}

export interface BlueGreenProps {
  /** The slot the Service sends traffic to; `<name>-preview` selects the other one. */
  readonly activeSlot: Slot;
  /** @default the component's image and replicas */
  readonly blue?: BlueGreenSlotProps;
  /** @default the component's image and replicas */
  readonly green?: BlueGreenSlotProps;
}

export interface CanaryProps {
  /** Share of the requests, in percent (0–100), that go to the canary. */
  readonly weight: number;
  /** Image the canary runs, pinned. */
  readonly image: string;
  /** Canary replicas. @default 1 with a weighted route; derived from the weight with `CanaryTraffic.replicaRatio()` */
  readonly replicas?: number;
  /** How the weight is applied. @default CanaryTraffic.replicaRatio() */
  readonly traffic?: CanaryTraffic;
}

/** One step of an Argo Rollouts canary: shift traffic, or wait. */
export class CanaryStep {
  /** Send `percent` of the traffic (or pods, without a traffic router) to the new version. */
  public static setWeight(percent: number): CanaryStep {
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new Error(`canary step: setWeight must be a whole percentage from 0 to 100; received ${percent}`);
    return new CanaryStep({ setWeight: percent });
  }

  /** Wait `duration` (e.g. `'5m'`), or until someone promotes the rollout when no duration is given. */
  public static pause(duration?: string): CanaryStep {
    if (duration !== undefined && !/^\d+(s|m|h)$/.test(duration)) throw new Error(`canary step: a pause lasts a duration such as "30s", "5m" or "1h"; received "${duration}"`);
    return new CanaryStep({ pause: duration === undefined ? {} : { duration } });
  }

  private constructor(
    /** The step as Argo Rollouts writes it. */
    public readonly json: { readonly setWeight?: number; readonly pause?: { readonly duration?: string } },
  ) {}
}

/** The success-rate check Argo Rollouts runs against Prometheus while a new version takes traffic. */
export interface RolloutAnalysisProps {
  /** Prometheus base URL, e.g. http://prometheus-operated.monitoring.svc:9090. */
  readonly prometheusAddress: string;
  /** Lowest share of non-5xx responses the new version may answer with (0–1). @default 0.99 */
  readonly successRate?: number;
  /** Time between measurements. @default '1m' */
  readonly interval?: string;
  /** Failed measurements tolerated before the rollout aborts. @default 2 */
  readonly failureLimit?: number;
  /** Canary step (0-based) at which the analysis starts; blue-green analyses run before promotion. @default 0 */
  readonly startingStep?: number;
  /** Counter of handled requests. @default 'http_requests_total' */
  readonly requestsMetric?: string;
  /** Label holding the HTTP status code. @default 'code' */
  readonly statusLabel?: string;
}

export interface ArgoCanaryProps {
  /** Steps from the first canary pod to full promotion. */
  readonly steps: readonly CanaryStep[];
  /** Abort when the new version's success rate drops. @default no analysis */
  readonly analysis?: RolloutAnalysisProps;
  /** How the steps' weights reach clients: `nginxIngress(...)` or `replicaRatio()`. @default CanaryTraffic.replicaRatio() */
  readonly traffic?: CanaryTraffic;
}

export interface ArgoBlueGreenProps {
  /** Switch the active Service to the new version once it is ready, without a manual promotion. @default false */
  readonly autoPromotion?: boolean;
  /** Seconds the old version keeps running after the switch, so clients with open connections drain. @default 30 */
  readonly scaleDownDelaySeconds?: number;
  /** Replicas of the new version before promotion. @default as many as the active version */
  readonly previewReplicas?: number;
  /** Check the new version's success rate (through the preview Service) before promotion. @default no analysis */
  readonly analysis?: RolloutAnalysisProps;
}

/** A strategy's settings, by kind. */
export type StrategySpec =
  | { readonly kind: 'rolling'; readonly maxSurge: PodCount; readonly maxUnavailable: PodCount; readonly minReadySeconds: number; readonly progressDeadlineSeconds: number }
  | { readonly kind: 'recreate'; readonly progressDeadlineSeconds: number }
  | { readonly kind: 'blueGreen'; readonly activeSlot: Slot; readonly blue: BlueGreenSlotProps; readonly green: BlueGreenSlotProps }
  | { readonly kind: 'canary'; readonly weight: number; readonly image: string; readonly replicas?: number; readonly traffic: CanaryTraffic }
  | { readonly kind: 'argoCanary'; readonly steps: readonly CanaryStep[]; readonly analysis?: RolloutAnalysisProps; readonly traffic: CanaryTraffic }
  | { readonly kind: 'argoBlueGreen'; readonly autoPromotion: boolean; readonly scaleDownDelaySeconds: number; readonly previewReplicas?: number; readonly analysis?: RolloutAnalysisProps };

/**
 * How a new version of a component replaces the running one: Kubernetes' rolling update or
 * recreate, blue-green slots behind a switchable Service, a weighted canary beside the stable
 * Deployment, or an Argo Rollouts `Rollout` (canary steps or blue-green) with a Prometheus analysis.
 */
export class RolloutStrategy {
  /** Replace pods a few at a time: at most `maxSurge` extra, at most `maxUnavailable` missing. */
  public static rolling(props: RollingUpdateProps = {}): RolloutStrategy {
    const maxSurge = podCount('maxSurge', props.maxSurge ?? '25%');
    const maxUnavailable = podCount('maxUnavailable', props.maxUnavailable ?? '25%');
    if (isZero(maxSurge) && isZero(maxUnavailable)) throw new Error('rolling update: maxSurge and maxUnavailable cannot both be 0, or no pod could ever be replaced');
    const minReadySeconds = seconds('minReadySeconds', props.minReadySeconds ?? 0);
    const progressDeadlineSeconds = seconds('progressDeadlineSeconds', props.progressDeadlineSeconds ?? 600);
    if (progressDeadlineSeconds <= minReadySeconds) throw new Error(`rolling update: progressDeadlineSeconds (${progressDeadlineSeconds}) must exceed minReadySeconds (${minReadySeconds})`);
    return new RolloutStrategy({ kind: 'rolling', maxSurge, maxUnavailable, minReadySeconds, progressDeadlineSeconds });
  }

  /** Stop every old pod before starting new ones: no two versions ever run together (a brief outage). */
  public static recreate(props: RecreateProps = {}): RolloutStrategy {
    return new RolloutStrategy({ kind: 'recreate', progressDeadlineSeconds: seconds('progressDeadlineSeconds', props.progressDeadlineSeconds ?? 600) });
  }

  /** Two Deployments, `<name>-blue` and `<name>-green`; the Service selects the active one, `<name>-preview` the other. */
  public static blueGreen(props: BlueGreenProps): RolloutStrategy {
    if (props.activeSlot !== 'blue' && props.activeSlot !== 'green') throw new Error(`blue-green: activeSlot must be "blue" or "green"; received "${String(props.activeSlot)}"`);
    for (const slot of ['blue', 'green'] as const) {
      const replicas = props[slot]?.replicas;
      if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) throw new Error(`blue-green: ${slot}.replicas must be a whole number ≥ 0; received ${replicas}`);
    }
    if (props[props.activeSlot]?.replicas === 0) throw new Error(`blue-green: the active slot (${props.activeSlot}) takes all traffic and cannot run 0 replicas`);
    return new RolloutStrategy({ kind: 'blueGreen', activeSlot: props.activeSlot, blue: { ...props.blue }, green: { ...props.green } });
  }

  /** A stable Deployment and `<name>-canary` beside it, the canary taking `weight` percent of the requests. */
  public static canary(props: CanaryProps): RolloutStrategy {
    const weight = percent('canary weight', props.weight);
    const traffic = props.traffic ?? CanaryTraffic.replicaRatio();
    if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 0)) throw new Error(`canary: replicas must be a whole number ≥ 0; received ${props.replicas}`);
    if (traffic.routed && weight > 0 && props.replicas === 0) throw new Error(`canary: a weight of ${weight}% needs at least one canary replica to receive it`);
    if (!traffic.routed && props.replicas !== undefined) throw new Error('canary: with CanaryTraffic.replicaRatio() the canary replicas follow the weight; do not set replicas');
    if (!traffic.routed && weight === 100) throw new Error('canary: a weight of 100% by replica ratio would leave no stable pods; promote the canary image instead');
    return new RolloutStrategy({ kind: 'canary', weight, image: props.image, replicas: props.replicas, traffic });
  }

  /** An Argo Rollouts `Rollout` that moves through canary `steps`, optionally aborting on a failed analysis. */
  public static argoCanary(props: ArgoCanaryProps): RolloutStrategy {
    if (props.steps.length === 0) throw new Error('Argo canary: steps needs at least one step');
    if (!props.steps.some((s) => s.json.setWeight !== undefined)) throw new Error('Argo canary: steps needs at least one setWeight step, or the canary never takes traffic before promotion');
    const traffic = props.traffic ?? CanaryTraffic.replicaRatio();
    if (traffic.mode === 'gateway') throw new Error('Argo canary: Argo Rollouts routes Gateway API traffic through a plugin configured in its controller, which Stackwright does not manage; use CanaryTraffic.nginxIngress(...) or CanaryTraffic.replicaRatio()');
    if (props.analysis) {
      analysis(props.analysis);
      const start = props.analysis.startingStep ?? 0;
      if (!Number.isInteger(start) || start < 0 || start >= props.steps.length) throw new Error(`Argo canary: analysis.startingStep must name one of the ${props.steps.length} steps (0–${props.steps.length - 1}); received ${start}`);
    }
    return new RolloutStrategy({ kind: 'argoCanary', steps: [...props.steps], analysis: props.analysis, traffic });
  }

  /** An Argo Rollouts `Rollout` that brings up the new version behind `<name>-preview`, then switches `<name>` to it. */
  public static argoBlueGreen(props: ArgoBlueGreenProps = {}): RolloutStrategy {
    if (props.previewReplicas !== undefined && (!Number.isInteger(props.previewReplicas) || props.previewReplicas < 1)) throw new Error(`Argo blue-green: previewReplicas must be a whole number ≥ 1; received ${props.previewReplicas}`);
    if (props.analysis) analysis(props.analysis);
    return new RolloutStrategy({
      kind: 'argoBlueGreen',
      autoPromotion: props.autoPromotion ?? false,
      scaleDownDelaySeconds: seconds('scaleDownDelaySeconds', props.scaleDownDelaySeconds ?? 30),
      previewReplicas: props.previewReplicas,
      analysis: props.analysis,
    });
  }

  private constructor(
    /** The settings, by kind. */
    public readonly spec: StrategySpec,
  ) {}

  /** Whether an Argo Rollouts `Rollout` runs the pods (the cluster needs Argo Rollouts). */
  public get usesArgoRollouts(): boolean {
    return this.spec.kind === 'argoCanary' || this.spec.kind === 'argoBlueGreen';
  }

  /** Whether the component runs two Deployments (blue-green slots, or stable and canary tracks). */
  public get twoDeployments(): boolean {
    return this.spec.kind === 'blueGreen' || this.spec.kind === 'canary';
  }

  /**
   * Extra pods an update runs above the replica count at its peak, per Deployment: the surge of a
   * rolling update (Kubernetes' 25% for each blue-green slot and canary track), none for recreate,
   * and a whole second set for Argo Rollouts (the new version at full size before the old one scales
   * down). A count, or a percentage of the replicas rounded up.
   */
  public get peakSurge(): PodCount {
    const s = this.spec;
    switch (s.kind) {
      case 'rolling': return s.maxSurge;
      case 'recreate': return 0;
      // With a traffic router the stable set stays whole while the canary grows to full size.
      case 'argoCanary': return s.traffic.routed ? '100%' : '25%';
      case 'argoBlueGreen': return s.previewReplicas ?? '100%';
      default: return '25%';
    }
  }
}

function podCount(field: string, value: PodCount): PodCount {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new Error(`rolling update: ${field} must be a whole number ≥ 0 or a percentage such as "25%"; received ${value}`);
    return value;
  }
  if (!/^(\d|[1-9]\d|100)%$/.test(value)) throw new Error(`rolling update: ${field} must be a whole number ≥ 0 or a percentage from "0%" to "100%"; received "${value}"`);
  return value;
}

function isZero(value: PodCount): boolean {
  return value === 0 || value === '0%';
}

function seconds(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${field} must be a whole number of seconds ≥ 0; received ${value}`);
  return value;
}

function percent(what: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 100) throw new Error(`${what} must be a whole percentage from 0 to 100; received ${value}`);
  return value;
}

function analysis(props: RolloutAnalysisProps): void {
  const rate = props.successRate ?? 0.99;
  if (!(rate > 0 && rate <= 1)) throw new Error(`analysis: successRate must be above 0 and at most 1; received ${rate}`);
  if (props.failureLimit !== undefined && (!Number.isInteger(props.failureLimit) || props.failureLimit < 0)) throw new Error(`analysis: failureLimit must be a whole number ≥ 0; received ${props.failureLimit}`);
  if (!/^https?:\/\/[^\s/]+/.test(props.prometheusAddress)) throw new Error(`analysis: prometheusAddress must be an http(s) URL; received "${props.prometheusAddress}"`);
}
