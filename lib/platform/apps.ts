import { Wave } from '../core/waves';
import { AppRelease, type AppReleaseServiceProps } from '../delivery/app-release';
import { CanaryStep, RolloutStrategy, type RolloutAnalysisProps } from '../delivery/rollout-strategy';
import { CanaryTraffic } from '../delivery/canary-traffic';
import { ServiceType, SessionAffinity } from '../networking/service-type';
import { usesGateway, type ResolvedService } from '../spec';
import { metricsMode } from '../spec/rules/metrics';
import type { AppDeploymentProps, AppProbe } from '../workloads/app-deployment';
import type { PlatformContext } from './context';

/** The release of each service (its Deployments or Rollout, and Services), keyed by service name, for later wiring steps. */
export type AppWorkloads = ReadonlyMap<string, AppRelease>;

/**
 * One chart per service: an AppRelease delivered with the service's strategy. Every Deployment
 * (slots and tracks too) registers as a workload, so budgets, quotas, alerts and the overview
 * cover it; the service registers one endpoint whose selector reaches all of its pods.
 */
export function buildApps(ctx: PlatformContext): AppWorkloads {
  const releases = new Map<string, AppRelease>();
  for (const svc of ctx.platform.services) {
    const chart = ctx.chart(Wave.APPS, svc.name);
    const props = appProps(ctx, svc);
    const strategy = strategyOf(ctx, svc);
    // A web service may take a canary one day: its Deployment is the stable track from the start.
    const release = new AppRelease(chart, svc.name, { ...props, strategy, service: serviceOf(ctx, svc), metricsJob: svc.name, stableTrack: svc.kind === 'web' });
    releases.set(svc.name, release);
    ctx.registerEndpoint({
      name: svc.name,
      role: 'service',
      namespace: ctx.namespace,
      selector: release.selector,
      serviceName: release.service?.name,
      ports: svc.ports,
      metrics: svc.metricsPort ? [{ port: svc.metricsPort, path: svc.metricsPath }] : undefined,
      scrapePods: release.services.length > 1 ? true : undefined,
    });
    // A mounted token is there to call the API server: its egress policy must reach it.
    if (props.automountServiceAccountToken) {
      const declared = ctx.platform.security.rbac.some((g) => g.name === svc.name);
      ctx.registerClusterFlow({
        from: { name: svc.name, namespace: ctx.namespace, selector: release.selector },
        to: 'api-server',
        why: declared ? 'its Role (security.rbac)' : 'automountServiceAccountToken',
      });
    }
    for (const w of release.workloads) {
      ctx.registerWorkload({
        name: w.workloadName,
        kind: w.kind,
        namespace: ctx.namespace,
        selector: w.selector,
        replicas: { min: w.replicas, max: w.replicas },
        podResources: svc.resources,
        images: [w.image],
        surge: strategy?.peakSurge,
        service: w.workloadName === svc.name ? undefined : svc.name,
      });
    }
  }
  return releases;
}

/** The spec's delivery block as a strategy; the traffic split follows how the service is reached. */
export function strategyOf(ctx: PlatformContext, svc: ResolvedService): RolloutStrategy | undefined {
  const d = svc.delivery;
  switch (d?.strategy) {
    case undefined: return undefined;
    case 'rolling': return RolloutStrategy.rolling(d);
    case 'recreate': return RolloutStrategy.recreate(d);
    case 'blueGreen': {
      // A slot under an HPA writes no replicas; the autoscaling step marks it.
      const slot = (s: typeof d.blue) => ({ image: s.image, replicas: s.replicas });
      return RolloutStrategy.blueGreen({ activeSlot: d.activeSlot, blue: slot(d.blue), green: slot(d.green) });
    }
    case 'canary': return RolloutStrategy.canary({ weight: d.weight, image: d.image, replicas: d.replicas, traffic: canaryTraffic(ctx, svc, false) });
    case 'argoCanary':
      return RolloutStrategy.argoCanary({
        steps: d.steps.map((s) => (s.setWeight !== undefined ? CanaryStep.setWeight(s.setWeight) : CanaryStep.pause(s.pause === 'untilPromoted' ? undefined : s.pause))),
        analysis: d.analysis && { ...analysisOf(ctx, d.analysis), startingStep: d.analysis.startingStep },
        traffic: canaryTraffic(ctx, svc, true),
      });
    case 'argoBlueGreen':
      return RolloutStrategy.argoBlueGreen({
        autoPromotion: d.autoPromotion,
        scaleDownDelaySeconds: d.scaleDownDelaySeconds,
        previewReplicas: d.previewReplicas,
        analysis: d.analysis && analysisOf(ctx, d.analysis),
      });
  }
}

/**
 * Where a canary's weight is applied: the HTTPRoute's weighted backends under the Gateway API, an
 * NGINX canary Ingress otherwise, and the replica ratio for a service no route reaches (or an Argo
 * canary under the Gateway API, whose routing needs a controller plugin).
 */
function canaryTraffic(ctx: PlatformContext, svc: ResolvedService, argo: boolean): CanaryTraffic {
  if (!svc.exposure) return CanaryTraffic.replicaRatio();
  if (usesGateway(ctx.platform.traffic, ctx.platform.cluster.capabilities.gatewayApi)) return argo ? CanaryTraffic.replicaRatio() : CanaryTraffic.gatewayRoute();
  return CanaryTraffic.nginxIngress(...(svc.exposure.websocket ? [svc.name, `${svc.name}-websocket`] : [svc.name]));
}

type AnalysisSpec = { readonly successRate: number; readonly interval: string; readonly failureLimit: number; readonly prometheusAddress?: string };

function analysisOf(ctx: PlatformContext, a: AnalysisSpec): RolloutAnalysisProps {
  const http = ctx.platform.metrics.http;
  return {
    prometheusAddress: a.prometheusAddress ?? prometheusAddress(ctx),
    successRate: a.successRate,
    interval: a.interval,
    failureLimit: a.failureLimit,
    requestsMetric: http.requests,
    statusLabel: http.statusLabel,
  };
}

/** The Prometheus the platform's metrics go to: the operator's `prometheus-operated` Service, or the standalone server. */
function prometheusAddress(ctx: PlatformContext): string {
  const ns = ctx.platform.cluster.prometheus.namespace;
  return metricsMode(ctx.platform) === 'operator' ? `http://prometheus-operated.${ns}.svc:9090` : `http://prometheus.${ns}.svc:9090`;
}

/** A web service's Service on all its ports; a worker's only to expose metrics. */
function serviceOf(ctx: PlatformContext, svc: ResolvedService): AppReleaseServiceProps | undefined {
  if (svc.kind === 'web') return { type: serviceTypeOf(ctx, svc), sessionAffinity: sessionAffinityOf(svc) };
  const metrics = svc.ports.find((p) => p.name === svc.metricsPort);
  return metrics ? { ports: [metrics] } : undefined;
}

function serviceTypeOf(ctx: PlatformContext, svc: ResolvedService): ServiceType {
  const net = svc.network;
  switch (net.type) {
    case 'ClusterIP': return ServiceType.clusterIp();
    case 'Headless': return ServiceType.headless();
    case 'NodePort': return ServiceType.nodePort();
    case 'LoadBalancer': return ServiceType.loadBalancer({ provider: ctx.platform.cluster.provider, internal: net.internal, sourceRanges: net.sourceRanges });
  }
}

function sessionAffinityOf(svc: ResolvedService): SessionAffinity {
  const seconds = svc.network.sessionAffinitySeconds;
  return seconds === undefined ? SessionAffinity.none() : SessionAffinity.clientIp(seconds);
}

function appProps(ctx: PlatformContext, svc: ResolvedService): AppDeploymentProps {
  const id = ctx.identityOf(svc);
  const [major, minor] = ctx.platform.cluster.kubernetesVersion.split('.').map(Number);
  return {
    name: svc.name,
    image: svc.image,
    instance: id.instance,
    component: id.component,
    partOf: id.partOf,
    version: id.version,
    replicas: svc.replicas,
    ports: svc.ports,
    command: svc.command,
    args: svc.args,
    env: svc.env,
    resources: svc.resources,
    startupProbe: svc.probes.startup ?? startupFrom(svc.probes.liveness),
    readinessProbe: svc.probes.readiness,
    livenessProbe: svc.probes.liveness,
    runAsUser: svc.runAsUser,
    writablePaths: svc.writablePaths,
    // A service that declares API access (security.rbac) needs its token; every other pod runs without one.
    automountServiceAccountToken: svc.automountServiceAccountToken || ctx.platform.security.rbac.some((g) => g.name === svc.name),
    terminationGracePeriodSeconds: svc.terminationGracePeriodSeconds,
    preStopSleepSeconds: svc.preStopSleepSeconds,
    nativeSleepAction: major > 1 || minor >= 30,
  };
}

function startupFrom(liveness: AppProbe | undefined): AppProbe | undefined {
  return liveness ? { ...liveness, periodSeconds: 2, failureThreshold: 30, initialDelaySeconds: 0 } : undefined;
}
