// Bad traffic specs: each breaks one rule of lib/spec/traffic.ts or lib/spec/rules/traffic.ts in
// the reference platform and states the exact problem lines synth must print.
import { base } from '../../environments/base';
import { dev } from '../../environments/dev';
import { mergeOverlay, type Overlay, type PlatformInput } from '../../lib/spec';
import type { BadSpec } from './bad-specs';

const api = (patch: Record<string, unknown>) => ({ services: [{ name: 'api', ...patch }] }) as Overlay<PlatformInput>;
const exposure = (patch: Record<string, unknown>) => api({ exposure: patch });

export const trafficBadSpecs: readonly BadSpec[] = [
  {
    name: 'Gateway API routing on a cluster without it',
    overlay: { traffic: { routing: 'gateway' } },
    expected: ['dev: traffic.routing: the cluster does not have the Gateway API (cluster.capabilities.gatewayApi is false); use "ingress" or "auto", or install the Gateway API CRDs and set the capability; received "gateway"'],
  },
  {
    name: 'an exposure host name with an underscore',
    overlay: exposure({ hosts: ['api_v2.example.com'] }),
    expected: ['dev: services[api].exposure.hosts[0]: expected a fully qualified DNS host name such as api.example.com (lowercase); received "api_v2.example.com"'],
  },
  {
    name: 'an exposure host name that is not fully qualified',
    overlay: exposure({ hosts: ['localhost'] }),
    expected: ['dev: services[api].exposure.hosts[0]: expected a fully qualified DNS host name such as api.example.com (lowercase); received "localhost"'],
  },
  {
    name: 'a subdomain that is not a DNS label',
    overlay: exposure({ subdomains: ['API.v2'] }),
    expected: ['dev: services[api].exposure.subdomains[0]: expected a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters; received "API.v2"'],
  },
  {
    name: 'subdomains without a platform domain',
    input: { ...mergeOverlay(base, dev), domain: undefined },
    expected: [
      'dev: services[api].exposure.subdomains: subdomains are relative to the platform domain, and `domain` is not set; set it or use fully qualified `hosts`; received ["api"]',
      'dev: services[dashboard].exposure.subdomains: subdomains are relative to the platform domain, and `domain` is not set; set it or use fully qualified `hosts`; received ["app"]',
    ],
  },
  {
    name: 'two services on one host and path',
    overlay: { services: [{ name: 'dashboard', exposure: { subdomains: ['api'] } }] } as Overlay<PlatformInput>,
    expected: [
      'dev: services[dashboard].exposure.paths: the host and path are already routed to service api; received "api.dev.atlas.example.com/"',
    ],
  },
  {
    name: 'an exposure without any host name',
    overlay: exposure({ subdomains: [] }),
    expected: ['dev: services[api].exposure.hosts: an exposure needs at least one host name: `hosts` (fully qualified) or `subdomains` (under the platform domain); received []'],
  },
  {
    name: 'the metrics port exposed outside the cluster',
    overlay: exposure({ port: 'metrics' }),
    expected: ['dev: services[api].exposure.port: the metrics port must not be exposed outside the cluster; name the serving port; received "metrics"'],
  },
  {
    name: 'CORS credentials with any origin',
    overlay: exposure({ cors: { allowOrigins: ['*'], allowCredentials: true } }),
    expected: ['dev: services[api].exposure.cors.allowOrigins: browsers reject credentials with origin "*"; list the origins; received ["*"]'],
  },
  {
    name: 'a CORS origin with a path',
    overlay: exposure({ cors: { allowOrigins: ['https://app.example.com/login'] } }),
    expected: ['dev: services[api].exposure.cors.allowOrigins[0]: expected an origin such as https://app.example.com (scheme and host, no path), or "*"; received "https://app.example.com/login"'],
  },
  {
    name: 'a websocket path equal to a plain path',
    overlay: { services: [{ name: 'dashboard', exposure: { websocket: { paths: ['/'] } } }] } as Overlay<PlatformInput>,
    expected: ['dev: services[dashboard].exposure.websocket.paths: a websocket path must differ from the plain `paths` (it is routed on its own with long timeouts); use a longer prefix such as "/ws"; received "/"'],
  },
  {
    name: 'a body size that nginx cannot read',
    overlay: exposure({ bodySize: '10MB' }),
    expected: ['dev: services[api].exposure.bodySize: expected an nginx size such as "10m", "512k" or "1g"; received "10MB"'],
  },
  {
    name: 'an egress network that is not in CIDR notation',
    overlay: api({ egress: [{ name: 'payments-provider', cidr: '198.51.100.7/24' }] }),
    expected: ['dev: services[api].egress[payments-provider].cidr: expected a network in CIDR notation such as 10.0.0.0/16 or 2001:db8::/32 (host bits zero); received "198.51.100.7/24"'],
  },
  {
    name: 'an egress exception outside the egress network',
    overlay: api({ egress: [{ name: 'payments-provider', cidr: '198.51.100.0/24', except: ['198.51.101.0/24'], ports: [{ port: 443 }] }] }),
    expected: ['dev: services[api].egress[payments-provider].except[0]: an excepted network must lie inside the rule\'s network 198.51.100.0/24; received "198.51.101.0/24"'],
  },
  {
    name: 'an internal load balancer on a local cluster',
    overlay: api({ network: { type: 'LoadBalancer', internal: true } }),
    expected: ['dev: services[api].network.internal: an internal load balancer needs a cloud provider (aws, gcp or azure); cluster.provider is "local"; received true'],
  },
  {
    name: 'an internal flag on a ClusterIP Service',
    overlay: api({ network: { internal: true } }),
    expected: ['dev: services[api].network.internal: only a LoadBalancer can be internal; the type is ClusterIP; received true'],
  },
  {
    name: 'a dependency on a service that only serves metrics',
    overlay: api({ dependsOn: ['worker'] }),
    expected: ['dev: services[api].dependsOn[0]: service worker serves no port besides metrics, so there is nothing to call; remove the dependency or give worker a serving port; received "worker"'],
  },
];

/** Cases that need the Gateway API: applied over prod's overlay. */
export const gatewayBadSpecs: readonly BadSpec[] = [
  {
    name: 'a rate limit on a Gateway API route',
    overlay: exposure({ rateLimit: { requestsPerMinute: 100 } }),
    expected: ['prod: services[api].exposure.rateLimit: the Gateway API (standard channel v1) has no such field; set it in the gateway implementation\'s own policy, or route this environment through NGINX Ingress (traffic.routing: "ingress"); received {"requestsPerMinute":100,"burstMultiplier":5}'],
  },
  {
    name: 'plain HTTP on a Gateway API route',
    overlay: exposure({ tls: { enabled: false } }),
    expected: ['prod: services[api].exposure.tls.enabled: the Gateway serves HTTPS only (its HTTP listener only redirects); received false'],
  },
];
