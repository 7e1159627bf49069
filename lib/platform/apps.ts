
import { Wave } from '../core/waves';
import { ServiceType, SessionAffinity } from '../networking/service-type';
import type { ResolvedService } from '../spec';
import type { AppDeploymentProps, AppProbe } from '../workloads/app-deployment';
import { WebService } from '../workloads/web-service';
import { Worker } from '../workloads/worker';
import type { PlatformContext } from './context';

/** The application workload of each service, keyed by service name, for later wiring steps. */
export type AppWorkloads = ReadonlyMap<string, WebService | Worker>;

/** One chart per service: WebService for `web`, Worker for `worker`. */
export function buildApps(ctx: PlatformContext): AppWorkloads {
  const workloads = new Map<string, WebService | Worker>();
  for (const svc of ctx.platform.services) {
    const chart = ctx.chart(Wave.APPS, svc.name);
    const props = appProps(ctx, svc);
    const workload = svc.kind === 'web'
      ? new WebService(chart, svc.name, { ...props, serviceType: serviceTypeOf(ctx, svc), sessionAffinity: sessionAffinityOf(svc) })
      : new Worker(chart, svc.name, { ...props, metricsPort: svc.metricsPort || undefined });
    workloads.set(svc.name, workload);
    ctx.registerEndpoint({
      name: svc.name,
      role: 'service',
      namespace: ctx.namespace,
      selector: workload.workload.selector,
      serviceName: workload.service?.name,
      ports: svc.ports,
      metrics: svc.metricsPort ? [{ port: svc.metricsPort, path: svc.metricsPath }] : undefined,
    });
    // A mounted token is there to call the API server: its egress policy must reach it.
    if (props.automountServiceAccountToken) {
      const declared = ctx.platform.security.rbac.some((g) => g.name === svc.name);
      ctx.registerClusterFlow({
        from: { name: svc.name, namespace: ctx.namespace, selector: workload.workload.selector },
        to: 'api-server',
        why: declared ? 'its Role (security.rbac)' : 'automountServiceAccountToken',
      });
    }
    ctx.registerWorkload({
      name: svc.name,
      kind: 'Deployment',
      namespace: ctx.namespace,
      selector: workload.workload.selector,
      replicas: { min: svc.replicas, max: svc.replicas },
      podResources: svc.resources,
      images: [svc.image],
    });
  }
  return workloads;
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

