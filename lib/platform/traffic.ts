import { GatewayClass } from '../../imports/gatewayclasses-gateway.networking.k8s.io';
import { recommendedLabels } from '../core/labels';
import { Wave } from '../core/waves';
import { NginxCanaryIngress } from '../delivery/nginx-canary-ingress';
import { HttpsGateway } from '../networking/https-gateway';
import { IngressTls, NginxIngress } from '../networking/nginx-ingress';
import { securityHeaders } from '../networking/security-headers';
import { ServiceRoute, type RouteBackend } from '../networking/service-route';
import { exposureHosts, usesGateway, type ResolvedService } from '../spec';
import type { AppWorkloads } from './apps';
import type { ComponentExposure, PlatformContext } from './context';

/** What production environments get when an exposure sets no rate limit (NGINX Ingress). */
export const PRODUCTION_RATE_LIMIT = { requestsPerMinute: 100, burstMultiplier: 5 } as const;

type Exposed = ResolvedService & { readonly exposure: NonNullable<ResolvedService['exposure']> };

/**
 * Outside traffic to exposed services and to the platform components that registered an exposure
 * (Kibana): NGINX Ingress, or the Gateway API when the cluster has it.
 */
export function buildTraffic(ctx: PlatformContext, apps: AppWorkloads): void {
  const exposed = ctx.platform.services.filter((s): s is Exposed => s.exposure !== undefined);
  const components = ctx.exposures;
  if (exposed.length === 0 && components.length === 0) return;
  if (usesGateway(ctx.platform.traffic, ctx.platform.cluster.capabilities.gatewayApi)) buildGateway(ctx, apps, exposed, components);
  else buildIngresses(ctx, apps, exposed, components);
  // The services' controller flows derive from their spec; a component's is declared here.
  const ic = ctx.platform.cluster.ingressController;
  for (const c of components) ctx.registerFlow({ from: { name: 'ingress-controller', namespace: ic.namespace, selector: ic.podLabels }, to: c.endpoint, ports: [c.port] });
}

/** A TLS Secret the edge reads: declared in security.secrets unless cert-manager issues it. */
function referenceTls(ctx: PlatformContext, secretName: string, namespace: string, by: string): void {
  if (ctx.platform.cluster.capabilities.certManager) return;
  ctx.referenceSecret({ name: secretName, namespace, keys: ['tls.crt', 'tls.key'], by });
}

/** A component exposure's Service, port number and namespace, from its registered endpoint. */
function componentBackend(ctx: PlatformContext, c: ComponentExposure): { namespace: string; backend: { serviceName: string; port: number } } {
  const endpoint = ctx.endpoint(c.endpoint);
  const port = endpoint.ports.find((p) => p.name === c.port)!;
  return { namespace: endpoint.namespace, backend: { serviceName: endpoint.serviceName!, port: port.servicePort ?? port.port } };
}

/** The Service port number the exposure's port is offered on. */
function backendOf(apps: AppWorkloads, svc: Exposed): { serviceName: string; port: number } {
  const release = apps.get(svc.name);
  if (!release?.service) throw new Error(`${svc.name}: an exposed service needs a Service`);
  const portName = svc.exposure.port ?? svc.ports[0].name;
  const port = release.servicePorts.find((p) => p.name === portName);
  if (!port) throw new Error(`${svc.name}: exposure port ${portName} is not offered by its Service`);
  return { serviceName: release.service.name, port: port.servicePort ?? port.port };
}

/**
 * The canary's Service and share of the requests, when the service runs a canary beside its stable
 * Deployment behind a weighted route. (An Argo Rollouts canary manages its canary Ingress itself.)
 */
function canaryOf(apps: AppWorkloads, svc: Exposed): { serviceName: string; weight: number } | undefined {
  const release = apps.get(svc.name);
  if (release?.strategy?.spec.kind !== 'canary' || !release.canaryService || release.canaryWeight === undefined) return undefined;
  return { serviceName: release.canaryService.name, weight: release.canaryWeight };
}

function headersOf(svc: Exposed): Record<string, string> | undefined {
  const h = svc.exposure.securityHeaders;
  return h.enabled ? securityHeaders(h) : undefined;
}

function secretOf(svc: Exposed): string {
  return svc.exposure.tls.secretName ?? `${svc.name}-tls`;
}

function buildIngresses(ctx: PlatformContext, apps: AppWorkloads, exposed: readonly Exposed[], components: readonly ComponentExposure[]): void {
  const { platform } = ctx;
  for (const c of components) {
    const { namespace, backend } = componentBackend(ctx, c);
    new NginxIngress(ctx.chart(Wave.TRAFFIC, c.endpoint, namespace), `${c.endpoint}-ingress`, {
      name: c.endpoint,
      labels: recommendedLabels({ ...c.identity, component: 'ingress' }),
      ingressClassName: platform.cluster.ingressClass,
      hosts: c.hosts,
      backend,
      // cert-manager issues the certificate where the cluster has it; otherwise the Secret is provided.
      tls: platform.cluster.capabilities.certManager ? IngressTls.certManager(platform.traffic.clusterIssuer, c.tlsSecret) : IngressTls.secret(c.tlsSecret),
      timeouts: { readSeconds: c.timeoutSeconds, sendSeconds: c.timeoutSeconds },
    });
    referenceTls(ctx, c.tlsSecret, namespace, `the ${c.endpoint} Ingress`);
  }
  for (const svc of exposed) {
    const chart = ctx.chart(Wave.TRAFFIC, svc.name);
    const e = svc.exposure;
    const labels = recommendedLabels({ ...ctx.identityOf(svc), component: 'ingress' });
    const secretName = secretOf(svc);
    if (e.tls.enabled) referenceTls(ctx, secretName, ctx.namespace, `the ${svc.name} Ingress`);
    const backend = backendOf(apps, svc);
    const canary = canaryOf(apps, svc);
    const common = {
      labels,
      ingressClassName: platform.cluster.ingressClass,
      hosts: exposureHosts(e, platform.domain),
      backend,
      sslRedirect: e.tls.enabled ? e.sslRedirect : undefined,
      rateLimit: e.rateLimit ?? (platform.production ? PRODUCTION_RATE_LIMIT : undefined),
      cors: e.cors,
      bodySize: e.bodySize,
      responseHeaders: headersOf(svc),
    };
    // A canary Ingress beside each Ingress: same hosts and paths, the canary's share to its Service.
    const canaryTwin = (name: string, paths: readonly string[]) => canary && new NginxCanaryIngress(chart, `${name}-canary-ingress`, {
      name: `${name}-canary`,
      labels,
      ingressClassName: platform.cluster.ingressClass,
      hosts: common.hosts,
      paths,
      backend: { serviceName: canary.serviceName, port: backend.port },
      weight: canary.weight,
      tlsSecretName: e.tls.enabled ? secretName : undefined,
    });
    new NginxIngress(chart, `${svc.name}-ingress`, {
      ...common,
      name: svc.name,
      paths: e.paths,
      // The main Ingress asks cert-manager for the certificate; the websocket one reuses the Secret.
      tls: !e.tls.enabled ? undefined : platform.cluster.capabilities.certManager ? IngressTls.certManager(platform.traffic.clusterIssuer, secretName) : IngressTls.secret(secretName),
      timeouts: e.timeouts,
    });
    canaryTwin(svc.name, e.paths);
    if (e.websocket) {
      new NginxIngress(chart, `${svc.name}-websocket-ingress`, {
        ...common,
        name: `${svc.name}-websocket`,
        paths: e.websocket.paths,
        tls: e.tls.enabled ? IngressTls.secret(secretName) : undefined,
        timeouts: { connectSeconds: e.timeouts.connectSeconds, readSeconds: e.websocket.timeoutSeconds, sendSeconds: e.websocket.timeoutSeconds },
      });
      canaryTwin(`${svc.name}-websocket`, e.websocket.paths);
    }
  }
}

function buildGateway(ctx: PlatformContext, apps: AppWorkloads, exposed: readonly Exposed[], components: readonly ComponentExposure[]): void {
  const { platform } = ctx;
  const g = platform.traffic.gateway;
  const name = g.name ?? platform.name;
  const identity = ctx.platformIdentity(name, 'gateway');
  if (g.controllerName !== undefined) {
    new GatewayClass(ctx.chart(Wave.CLUSTER, 'gateway-class', null), 'gateway-class', {
      metadata: { name: g.className, labels: recommendedLabels({ ...identity, name: g.className, instance: g.className }) },
      spec: { controllerName: g.controllerName, description: `Gateways of the ${platform.name} platform` },
    });
  }
  const routed = components.map((c) => ({ ...c, ...componentBackend(ctx, c) }));
  const hosts = [
    ...exposed.flatMap((svc) => exposureHosts(svc.exposure, platform.domain).map((hostname) => ({ hostname, secretName: secretOf(svc) }))),
    // A component's route lives in its own namespace: its listeners admit routes from there alone.
    ...routed.flatMap((c) => c.hosts.map((hostname) => ({ hostname, secretName: c.tlsSecret, routeNamespace: c.namespace === ctx.namespace ? undefined : c.namespace }))),
  ];
  for (const secretName of new Set(hosts.map((h) => h.secretName))) referenceTls(ctx, secretName, ctx.namespace, `the ${name} Gateway`);
  new HttpsGateway(ctx.chart(Wave.TRAFFIC, 'gateway'), name, {
    labels: recommendedLabels(identity),
    gatewayClassName: g.className,
    hosts,
    clusterIssuer: platform.cluster.capabilities.certManager ? platform.traffic.clusterIssuer : undefined,
  });
  for (const svc of exposed) {
    const e = svc.exposure;
    const hostnames = exposureHosts(e, platform.domain);
    new ServiceRoute(ctx.chart(Wave.TRAFFIC, svc.name), `${svc.name}-route`, {
      name: svc.name,
      labels: recommendedLabels({ ...ctx.identityOf(svc), component: 'route' }),
      gateway: { name, sectionNames: hostnames.map(HttpsGateway.listenerName) },
      hostnames,
      paths: e.paths,
      backends: weightedBackends(backendOf(apps, svc), canaryOf(apps, svc)),
      requestTimeoutSeconds: e.timeouts.readSeconds,
      websocket: e.websocket,
      cors: e.cors,
      responseHeaders: headersOf(svc),
    });
  }
  for (const c of routed) {
    new ServiceRoute(ctx.chart(Wave.TRAFFIC, c.endpoint, c.namespace), `${c.endpoint}-route`, {
      name: c.endpoint,
      labels: recommendedLabels({ ...c.identity, component: 'route' }),
      gateway: { name, namespace: c.namespace === ctx.namespace ? undefined : ctx.namespace, sectionNames: c.hosts.map(HttpsGateway.listenerName) },
      hostnames: c.hosts,
      backends: [c.backend],
      requestTimeoutSeconds: c.timeoutSeconds,
    });
  }
}

/** The route's backends: the Service alone, or stable and canary weighted to add up to 100. */
function weightedBackends(stable: { serviceName: string; port: number }, canary: { serviceName: string; weight: number } | undefined): RouteBackend[] {
  if (!canary) return [stable];
  return [{ ...stable, weight: 100 - canary.weight }, { serviceName: canary.serviceName, port: stable.port, weight: canary.weight }];
}
