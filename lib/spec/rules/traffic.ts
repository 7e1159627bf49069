import type { ResolvedPlatform } from '../platform';
import { exposureHosts, usesGateway } from '../traffic';
import type { Report } from './report';

/** Cross-field rules for traffic: routing versus cluster capabilities, host names, per-controller options, Service types, egress. */
export function checkTraffic(platform: ResolvedPlatform, report: Report): void {
  const { capabilities, provider } = platform.cluster;
  if (platform.traffic.routing === 'gateway' && !capabilities.gatewayApi) {
    report(['traffic', 'routing'], platform.traffic.routing, 'the cluster does not have the Gateway API (cluster.capabilities.gatewayApi is false); use "ingress" or "auto", or install the Gateway API CRDs and set the capability');
  }
  const gateway = usesGateway(platform.traffic, capabilities.gatewayApi);
  const routes = new Map<string, string>();

  platform.services.forEach((svc, i) => {
    const path = ['services', i];
    const net = svc.network;
    if (net.type !== 'LoadBalancer') {
      if (net.internal) report([...path, 'network', 'internal'], net.internal, `only a LoadBalancer can be internal; the type is ${net.type}`);
      if (net.sourceRanges.length > 0) report([...path, 'network', 'sourceRanges'], net.sourceRanges, `only a LoadBalancer takes source ranges; the type is ${net.type}`);
    } else if (net.internal && provider === 'local') {
      report([...path, 'network', 'internal'], net.internal, 'an internal load balancer needs a cloud provider (aws, gcp or azure); cluster.provider is "local"');
    }
    if (net.type !== 'ClusterIP' && net.type !== 'Headless' && svc.kind !== 'web') {
      report([...path, 'network', 'type'], net.type, 'only a web service can be reached from outside the cluster; expected ClusterIP or Headless');
    }

    const egressNames = new Set<string>();
    svc.egress.forEach((rule, j) => {
      if (egressNames.has(rule.name)) report([...path, 'egress', j, 'name'], rule.name, 'duplicate egress rule name within the service');
      egressNames.add(rule.name);
    });

    const exposure = svc.exposure;
    // An exposed worker is reported by the service rules; its exposure is not checked further.
    if (exposure === undefined || svc.kind !== 'web') return;
    const at = [...path, 'exposure'];
    if (exposure.subdomains.length > 0 && platform.domain === undefined) {
      report([...at, 'subdomains'], exposure.subdomains, 'subdomains are relative to the platform domain, and `domain` is not set; set it or use fully qualified `hosts`');
    }
    const hosts = exposureHosts(exposure, platform.domain);
    if (exposure.hosts.length === 0 && exposure.subdomains.length === 0) {
      report([...at, 'hosts'], exposure.hosts, 'an exposure needs at least one host name: `hosts` (fully qualified) or `subdomains` (under the platform domain)');
    }
    if (new Set(hosts).size !== hosts.length) report([...at, 'hosts'], hosts, 'a host name is listed twice');
    const exposedPort = exposure.port ?? svc.ports[0]?.name;
    if (exposedPort !== undefined && exposedPort === svc.metricsPort) {
      report([...at, 'port'], exposedPort, 'the metrics port must not be exposed outside the cluster; name the serving port');
    }
    const websocketPaths = exposure.websocket?.paths ?? [];
    for (const p of websocketPaths) {
      if (exposure.paths.includes(p)) report([...at, 'websocket', 'paths'], p, 'a websocket path must differ from the plain `paths` (it is routed on its own with long timeouts); use a longer prefix such as "/ws"');
    }
    if (new Set(exposure.paths).size !== exposure.paths.length) report([...at, 'paths'], exposure.paths, 'a path is listed twice');
    for (const host of new Set(hosts)) {
      for (const p of new Set([...exposure.paths, ...websocketPaths])) {
        const key = `${host}${p}`;
        const owner = routes.get(key);
        if (owner !== undefined) report([...at, 'paths'], key, `the host and path are already routed to service ${owner}`);
        else routes.set(key, svc.name);
      }
    }
    const cors = exposure.cors;
    if (cors !== undefined && cors.allowCredentials && cors.allowOrigins.includes('*')) {
      report([...at, 'cors', 'allowOrigins'], cors.allowOrigins, 'browsers reject credentials with origin "*"; list the origins');
    }
    if (gateway) {
      const why = 'the Gateway API (standard channel v1) has no such field; set it in the gateway implementation\'s own policy, or route this environment through NGINX Ingress (traffic.routing: "ingress")';
      if (exposure.rateLimit !== undefined) report([...at, 'rateLimit'], exposure.rateLimit, why);
      if (exposure.bodySize !== undefined) report([...at, 'bodySize'], exposure.bodySize, why);
      if (!exposure.tls.enabled) report([...at, 'tls', 'enabled'], exposure.tls.enabled, 'the Gateway serves HTTPS only (its HTTP listener only redirects)');
    }
  });

  // A dependency reaches the target's serving ports; a target that only serves metrics has nothing to call.
  const byName = new Map(platform.services.map((s) => [s.name, s]));
  platform.services.forEach((svc, i) => {
    svc.dependsOn.forEach((target, j) => {
      const t = byName.get(target);
      if (t !== undefined && t.ports.every((p) => p.name === t.metricsPort)) {
        report(['services', i, 'dependsOn', j], target, `service ${target} serves no port besides metrics, so there is nothing to call; remove the dependency or give ${target} a serving port`);
      }
    });
  });
}
