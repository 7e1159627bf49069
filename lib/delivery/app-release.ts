import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  RolloutSpecStrategyCanaryStepsPauseDuration, type RolloutSpecStrategy, type RolloutSpecStrategyCanarySteps,
} from '../../imports/rollouts-argoproj.io';
import { recommendedLabels, selectorLabels, versionFromImage, type ComponentIdentity } from '../core/labels';
import { NetworkService } from '../networking/network-service';
import type { ServiceType, SessionAffinity } from '../networking/service-type';
import { AppDeployment, appIdentity, type AppDeploymentProps, type AppPort } from '../workloads/app-deployment';
import { canaryReplicasFor, replicaShare } from './canary-traffic';
import { RolloutStrategy, type RolloutAnalysisProps, type Slot } from './rollout-strategy';
import { POD_TEMPLATE_HASH_ARG, SuccessRateAnalysis } from './success-rate-analysis';

/** Label on a blue-green slot's pods: `blue` or `green`. */
export const SLOT_LABEL = 'delivery.stackwright.io/slot';
/** Label on a canary release's pods: `stable` or `canary`. */
export const TRACK_LABEL = 'delivery.stackwright.io/track';

/** The Service in front of a release's pods. */
export interface AppReleaseServiceProps {
  /** Ports offered, from the workload's. @default all of the workload's ports */
  readonly ports?: readonly AppPort[];
  /** ClusterIP, headless, NodePort or LoadBalancer (preview and canary Services are always ClusterIP). @default ServiceType.clusterIp() */
  readonly type?: ServiceType;
  /** Client stickiness at the main Service. @default SessionAffinity.none() */
  readonly sessionAffinity?: SessionAffinity;
}

export interface AppReleaseProps extends AppDeploymentProps {
  /** How a new version replaces the running one. @default Kubernetes' rolling update, nothing written */
  readonly strategy?: RolloutStrategy;
  /** The Service clients use; blue-green and routed canaries need one. @default none (a worker without metrics) */
  readonly service?: AppReleaseServiceProps;
  /** The `job` label of the component's series, for Argo Rollouts analyses. @default the name */
  readonly metricsJob?: string;
  /**
   * Label a rolling or recreate release's Deployment as the stable track, in its selector too, so a
   * canary started later adds a Deployment and changes Service selectors (mutable) but never this
   * Deployment's selector (immutable on a live cluster). @default false
   */
  readonly stableTrack?: boolean;
}

/**
 * A component delivered with a strategy: one Deployment (rolling or recreate), two Deployments with
 * slot or track labels (blue-green, canary), or an Argo Rollouts `Rollout` with its analysis; plus
 * the ServiceAccount and Services. Every pod carries the component's stable labels, so one selector
 * (`selector`) reaches all of them for policies and scraping; a slot or track label tells the
 * Deployments apart. Switching a blue-green `activeSlot` changes only the Services' selectors.
 */
export class AppRelease extends Construct {
  public readonly name: string;
  public readonly strategy?: RolloutStrategy;
  /** The Deployments (or the Rollout) running the pods: the only one, the stable track first, or blue then green. */
  public readonly workloads: readonly AppDeployment[];
  /** Blue-green slots by name. */
  public readonly slots: Readonly<Partial<Record<Slot, AppDeployment>>> = {};
  /** The Service clients dial: the active slot's, the stable track's, or the only one. */
  public readonly service?: NetworkService;
  /** `<name>-preview`, selecting the idle slot (or Argo's new version before promotion). */
  public readonly previewService?: NetworkService;
  /** `<name>-canary`, selecting the canary pods for a weighted route. */
  public readonly canaryService?: NetworkService;
  /** Ports the Services offer. */
  public readonly servicePorts: readonly AppPort[];
  /** The success-rate analysis of an Argo Rollouts strategy. */
  public readonly analysis?: SuccessRateAnalysis;
  /** Percent of the requests the canary takes (for replica ratio, what the replica counts give). */
  public readonly canaryWeight?: number;
  private readonly identity: ComponentIdentity;

  constructor(scope: Construct, id: string, props: AppReleaseProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.strategy = props.strategy;
    this.identity = appIdentity(this.name, props);
    const { strategy: _strategy, service, metricsJob: _job, stableTrack, ...base } = props;
    const deploymentProps: AppDeploymentProps = { ...base, name: this.name, component: this.identity.component };
    this.servicePorts = service?.ports ?? props.ports ?? [];
    const spec = props.strategy?.spec;
    const needsService = (what: string) => {
      if (!service) throw new Error(`${this.name}: ${what} needs a Service`);
      return service;
    };

    switch (spec?.kind) {
      case undefined:
      case 'rolling':
      case 'recreate': {
        const workload = new AppDeployment(this, 'workload', {
          ...deploymentProps,
          ...updateFields(props.strategy),
          trackLabels: stableTrack ? { [TRACK_LABEL]: 'stable' } : undefined,
        });
        this.workloads = [workload];
        if (service) this.service = this.newService('service', this.name, this.selector, service);
        break;
      }
      case 'blueGreen': {
        const svc = needsService('a blue-green release');
        this.sharedServiceAccount(props);
        const slot = (name: Slot) => {
          const s = spec[name];
          return new AppDeployment(this, name, {
            ...deploymentProps,
            workloadName: `${this.name}-${name}`,
            image: s.image ?? props.image,
            version: s.image ? versionFromImage(s.image) : props.version,
            replicas: s.replicas ?? props.replicas,
            trackLabels: { [SLOT_LABEL]: name },
            createServiceAccount: false,
          });
        };
        const blue = slot('blue');
        const green = slot('green');
        this.workloads = [blue, green];
        this.slots = { blue, green };
        const idle: Slot = spec.activeSlot === 'blue' ? 'green' : 'blue';
        this.service = this.newService('service', this.name, { ...this.selector, [SLOT_LABEL]: spec.activeSlot }, svc);
        this.previewService = this.newService('preview', `${this.name}-preview`, { ...this.selector, [SLOT_LABEL]: idle }, { ports: svc.ports });
        break;
      }
      case 'canary': {
        const routed = spec.traffic.routed;
        if (routed) needsService('a canary with a weighted route');
        this.sharedServiceAccount(props);
        const stableReplicas = props.replicas ?? 1;
        const canaryReplicas = routed ? spec.replicas ?? 1 : canaryReplicasFor(spec.weight, stableReplicas);
        if (!routed && Math.abs(replicaShare(canaryReplicas, stableReplicas) - spec.weight) > 1) {
          throw new Error(`${this.name}: by replica ratio, ${stableReplicas} stable replicas and ${canaryReplicas} canary replica(s) give the canary ${Math.round(replicaShare(canaryReplicas, stableReplicas))}% of the requests, not ${spec.weight}%; change the stable replicas or the weight, or route the service`);
        }
        this.canaryWeight = routed ? spec.weight : Math.round(replicaShare(canaryReplicas, stableReplicas));
        const stable = new AppDeployment(this, 'stable', { ...deploymentProps, trackLabels: { [TRACK_LABEL]: 'stable' }, createServiceAccount: false });
        const canary = new AppDeployment(this, 'canary', {
          ...deploymentProps,
          workloadName: `${this.name}-canary`,
          image: spec.image,
          version: versionFromImage(spec.image),
          replicas: canaryReplicas,
          trackLabels: { [TRACK_LABEL]: 'canary' },
          createServiceAccount: false,
        });
        this.workloads = [stable, canary];
        if (service) {
          this.service = this.newService('service', this.name, routed ? stable.selector : this.selector, service);
          if (routed) this.canaryService = this.newService('canary-service', `${this.name}-canary`, canary.selector, { ports: service.ports });
        }
        break;
      }
      case 'argoCanary': {
        const routed = spec.traffic.routed;
        if (routed) needsService('an Argo canary with a traffic router');
        const analysisName = spec.analysis ? `${this.name}-success-rate` : undefined;
        const strategy: RolloutSpecStrategy = {
          canary: {
            // Argo Rollouts adds the pod-template hash to both Services' selectors as the rollout moves.
            stableService: routed ? this.name : undefined,
            canaryService: routed ? `${this.name}-canary` : undefined,
            trafficRouting: spec.traffic.mode === 'nginx'
              ? { nginx: spec.traffic.stableIngresses.length === 1 ? { stableIngress: spec.traffic.stableIngresses[0] } : { stableIngresses: [...spec.traffic.stableIngresses] } }
              : undefined,
            steps: spec.steps.map((s): RolloutSpecStrategyCanarySteps => (s.json.pause !== undefined
              ? { pause: { duration: s.json.pause.duration === undefined ? undefined : RolloutSpecStrategyCanaryStepsPauseDuration.fromString(s.json.pause.duration) } }
              : { setWeight: s.json.setWeight })),
            analysis: analysisName === undefined ? undefined : {
              templates: [{ templateName: analysisName }],
              startingStep: spec.analysis?.startingStep ?? 0,
              args: [{ name: POD_TEMPLATE_HASH_ARG, valueFrom: { podTemplateHashValue: 'Latest' } }],
            },
          },
        };
        this.workloads = [new AppDeployment(this, 'rollout', { ...deploymentProps, argoRolloutStrategy: strategy })];
        if (service) {
          this.service = this.newService('service', this.name, this.selector, service);
          if (routed) this.canaryService = this.newService('canary-service', `${this.name}-canary`, this.selector, { ports: service.ports });
        }
        this.analysis = spec.analysis && this.newAnalysis(analysisName!, spec.analysis, props);
        break;
      }
      case 'argoBlueGreen': {
        const svc = needsService('an Argo blue-green rollout');
        const analysisName = spec.analysis ? `${this.name}-success-rate` : undefined;
        const strategy: RolloutSpecStrategy = {
          blueGreen: {
            activeService: this.name,
            previewService: `${this.name}-preview`,
            autoPromotionEnabled: spec.autoPromotion,
            scaleDownDelaySeconds: spec.scaleDownDelaySeconds,
            previewReplicaCount: spec.previewReplicas,
            prePromotionAnalysis: analysisName === undefined ? undefined : {
              templates: [{ templateName: analysisName }],
              args: [{ name: POD_TEMPLATE_HASH_ARG, valueFrom: { podTemplateHashValue: 'Latest' } }],
            },
          },
        };
        this.workloads = [new AppDeployment(this, 'rollout', { ...deploymentProps, argoRolloutStrategy: strategy })];
        this.service = this.newService('service', this.name, this.selector, svc);
        this.previewService = this.newService('preview', `${this.name}-preview`, this.selector, { ports: svc.ports });
        this.analysis = spec.analysis && this.newAnalysis(analysisName!, spec.analysis, props);
        break;
      }
    }
  }

  /** Labels every pod of the component carries, whatever its slot or track. */
  public get selector(): Record<string, string> {
    return selectorLabels(this.identity);
  }

  /** Every Service of the release: the main one, then preview or canary. */
  public get services(): NetworkService[] {
    return [this.service, this.previewService, this.canaryService].filter((s): s is NetworkService => s !== undefined);
  }

  /** The Deployment (or Rollout) autoscalers target: the only one, the stable track, or the Rollout. Blue-green slots scale each on their own. */
  public get primary(): AppDeployment {
    return this.workloads[0];
  }

  /** The workload objects' labels with the component's identity (the version of the component's image). */
  private get labels(): Record<string, string> {
    return recommendedLabels(this.identity);
  }

  private sharedServiceAccount(props: AppReleaseProps): void {
    new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: this.name, labels: this.labels },
      automountToken: props.automountServiceAccountToken ?? false,
    });
  }

  private newService(id: string, name: string, selector: Record<string, string>, props: AppReleaseServiceProps): NetworkService {
    const ports = props.ports ?? this.servicePorts;
    return new NetworkService(this, id, {
      name,
      labels: this.labels,
      selector,
      ports: ports.map((p) => ({ name: p.name, port: p.servicePort ?? p.port, protocol: p.protocol })),
      type: props.type,
      sessionAffinity: props.sessionAffinity,
    });
  }

  private newAnalysis(name: string, analysis: RolloutAnalysisProps, props: AppReleaseProps): SuccessRateAnalysis {
    const namespace = Chart.of(this).namespace;
    if (namespace === undefined) throw new Error(`${this.name}: an analysis queries the pods' namespace, and the chart has none`);
    return new SuccessRateAnalysis(this, 'analysis', {
      name,
      labels: this.labels,
      prometheusAddress: analysis.prometheusAddress,
      namespace,
      job: props.metricsJob ?? this.name,
      rolloutName: this.name,
      successRate: analysis.successRate,
      interval: analysis.interval,
      failureLimit: analysis.failureLimit,
      requestsMetric: analysis.requestsMetric,
      statusLabel: analysis.statusLabel,
    });
  }
}

/** The Deployment fields of a rolling or recreate strategy; nothing when none is given (Kubernetes' defaults). */
function updateFields(strategy: RolloutStrategy | undefined): Pick<AppDeploymentProps, 'updateStrategy' | 'minReadySeconds' | 'progressDeadlineSeconds'> {
  const spec = strategy?.spec;
  if (spec?.kind === 'rolling') {
    const count = (v: number | string) => (typeof v === 'number' ? k8s.IntOrString.fromNumber(v) : k8s.IntOrString.fromString(v));
    return {
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: count(spec.maxSurge), maxUnavailable: count(spec.maxUnavailable) } },
      minReadySeconds: spec.minReadySeconds,
      progressDeadlineSeconds: spec.progressDeadlineSeconds,
    };
  }
  if (spec?.kind === 'recreate') return { updateStrategy: { type: 'Recreate' }, progressDeadlineSeconds: spec.progressDeadlineSeconds };
  return {};
}
