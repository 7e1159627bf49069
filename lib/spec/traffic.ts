// The traffic part of the spec: how services are reached (Service type, Ingress or Gateway API)
// and which outside networks they may call.
import * as z from 'zod';
import { cidrWithin, isCidr } from '../core/cidr';
import { dnsLabel, hostname, portName, portNumber, positiveInt } from './primitives';

/** An IPv4 or IPv6 network in CIDR notation, e.g. 10.0.0.0/16. */
export const cidr = z.string().refine(isCidr, {
  error: 'expected a network in CIDR notation such as 10.0.0.0/16 or 2001:db8::/32 (host bits zero)',
});

/** A path prefix as Ingress and HTTPRoute accept it. */
const pathPrefix = z.string().regex(/^\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*$/, {
  error: 'expected an absolute path prefix such as "/" or "/api" (URL path characters only)',
});

/** An nginx size such as "10m" or "512k". */
const nginxSize = z.string().regex(/^\d{1,6}[kKmMgG]?$/, { error: 'expected an nginx size such as "10m", "512k" or "1g"' });

/** An origin a browser sends, e.g. https://app.example.com, or "*". */
const origin = z.string().refine((v) => v === '*' || /^https?:\/\/(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:\d{1,5})?$/.test(v), {
  error: 'expected an origin such as https://app.example.com (scheme and host, no path), or "*"',
});

const httpMethod = z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/, { error: 'expected an HTTP header name such as "Authorization"' });

export const corsSchema = z.strictObject({
  /** Origins allowed to call the service from a browser. */
  allowOrigins: z.array(origin).min(1),
  allowMethods: z.array(httpMethod).min(1).default(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
  allowHeaders: z.array(headerName).default(['Authorization', 'Content-Type']),
  /** Response headers scripts may read. */
  exposeHeaders: z.array(headerName).default([]),
  /** Allow cookies and Authorization on cross-origin requests (never with origin "*"). */
  allowCredentials: z.boolean().default(false),
  /** Seconds a browser may cache a preflight answer. */
  maxAgeSeconds: positiveInt.max(86400).default(600),
});

export const securityHeadersSchema = z.strictObject({
  /** Send HSTS, X-Frame-Options, X-Content-Type-Options, Referrer-Policy and a CSP on every response. */
  enabled: z.boolean().default(true),
  /** Strict-Transport-Security max-age, in seconds (one year by default). */
  hstsMaxAgeSeconds: positiveInt.default(31536000),
  frameOptions: z.enum(['DENY', 'SAMEORIGIN']).default('DENY'),
  contentSecurityPolicy: z.string().min(1).default("default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
  referrerPolicy: z.enum(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']).default('strict-origin-when-cross-origin'),
});

export const exposureSchema = z.strictObject({
  /** Fully qualified host names that route to this service. */
  hosts: z.array(hostname).default([]),
  /** Host names relative to the platform's `domain`: "api" becomes api.<domain>. */
  subdomains: z.array(dnsLabel).default([]),
  /** Path prefixes routed to the service. */
  paths: z.array(pathPrefix).min(1).default(['/']),
  /** Port name receiving outside traffic; defaults to the first port. */
  port: portName.optional(),
  tls: z
    .strictObject({
      /** Serve HTTPS (Gateway API always does). */
      enabled: z.boolean().default(true),
      /** Secret holding the certificate; cert-manager writes it when installed, else the operator creates it. Defaults to `<service>-tls`. */
      secretName: dnsLabel.optional(),
    })
    .prefault({}),
  /** Redirect plain HTTP to HTTPS. */
  sslRedirect: z.boolean().default(true),
  /** Per-client-IP rate limit (NGINX Ingress); production environments get 100 requests/minute unless set. */
  rateLimit: z
    .strictObject({
      requestsPerMinute: positiveInt.max(1_000_000),
      /** Burst allowed above the rate, as a multiple of it. */
      burstMultiplier: positiveInt.max(100).default(5),
    })
    .optional(),
  cors: corsSchema.optional(),
  /** Paths serving websockets: they get long proxy timeouts. */
  websocket: z
    .strictObject({
      paths: z.array(pathPrefix).min(1),
      /** Seconds an idle websocket stays open. */
      timeoutSeconds: positiveInt.max(86400).default(3600),
    })
    .optional(),
  timeouts: z
    .strictObject({
      connectSeconds: positiveInt.max(75).default(5),
      /** Seconds to wait for the backend's response; also the Gateway API request timeout. */
      readSeconds: positiveInt.max(3600).default(60),
      sendSeconds: positiveInt.max(3600).default(60),
    })
    .prefault({}),
  /** Largest request body (NGINX Ingress), e.g. "10m"; defaults to 10m there. */
  bodySize: nginxSize.optional(),
  securityHeaders: securityHeadersSchema.prefault({}),
});

/** How the service's Service object is exposed inside (and outside) the cluster. */
export const serviceNetworkSchema = z.strictObject({
  /** ClusterIP (default), NodePort, LoadBalancer, or Headless (no cluster IP; DNS returns pod IPs). */
  type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'Headless']).default('ClusterIP'),
  /** A LoadBalancer reachable only from the cloud network, via the provider's annotations. */
  internal: z.boolean().default(false),
  /** Client networks a LoadBalancer admits; empty means any. */
  sourceRanges: z.array(cidr).default([]),
  /** Send each client IP to the same pod for this many seconds (ClientIP session affinity). */
  sessionAffinitySeconds: positiveInt.max(86400).optional(),
});

/** Reports each `except` network that does not lie inside `cidr` (the API server rejects such an ipBlock). */
export function exceptInsideCidr(rule: { readonly cidr: string; readonly except: readonly string[] }, ctx: z.core.$RefinementCtx<unknown>): void {
  rule.except.forEach((network, i) => {
    if (isCidr(rule.cidr) && isCidr(network) && !cidrWithin(network, rule.cidr)) {
      ctx.addIssue({ code: 'custom', path: ['except', i], input: network, message: `an excepted network must lie inside the rule's network ${rule.cidr}` });
    }
  });
}

/** One outside network a service may call. */
export const egressRuleSchema = z.strictObject({
  /** What is reached, e.g. "object-storage"; names the policy rule. */
  name: dnsLabel,
  cidr,
  /** Sub-networks of `cidr` that stay unreachable (the cluster's own networks are excepted anyway, see `cluster.podCidrs`). */
  except: z.array(cidr).default([]),
  ports: z
    .array(z.strictObject({ port: portNumber, protocol: z.enum(['TCP', 'UDP']).default('TCP') }))
    .min(1),
}).superRefine(exceptInsideCidr);

/** Platform-wide traffic settings. */
export const trafficSchema = z.strictObject({
  /** `ingress` (NGINX Ingress), `gateway` (Gateway API), or `auto`: the Gateway API when the cluster has it. */
  routing: z.enum(['auto', 'ingress', 'gateway']).default('auto'),
  /** cert-manager ClusterIssuer that signs certificates, when cert-manager is installed. */
  clusterIssuer: dnsLabel.default('letsencrypt-prod'),
  gateway: z
    .strictObject({
      /** Gateway object name; defaults to the platform name. */
      name: dnsLabel.optional(),
      /** GatewayClass the Gateway uses. */
      className: dnsLabel.default('envoy-gateway'),
      /** Emit the GatewayClass itself, for this controller (e.g. gateway.envoyproxy.io/gatewayclass-controller); absent means the cluster provides it. */
      controllerName: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/, {
          error: 'expected a controller name such as gateway.envoyproxy.io/gatewayclass-controller (domain/path)',
        })
        .optional(),
    })
    .prefault({}),
  /** Default-deny NetworkPolicies plus the flows the spec implies. */
  networkPolicies: z.boolean().default(true),
});

export type ExposureSpec = z.output<typeof exposureSchema>;
export type TrafficSpec = z.output<typeof trafficSchema>;
export type EgressRuleSpec = z.output<typeof egressRuleSchema>;

/** The exposure's host names: its `hosts`, then each subdomain under the platform domain. */
export function exposureHosts(exposure: { readonly hosts: readonly string[]; readonly subdomains: readonly string[] }, domain: string | undefined): string[] {
  const relative = domain === undefined ? [] : exposure.subdomains.map((s) => `${s}.${domain}`);
  return [...exposure.hosts, ...relative];
}

/** Whether a platform routes through the Gateway API (else NGINX Ingress). */
export function usesGateway(traffic: Pick<TrafficSpec, 'routing'>, gatewayApi: boolean): boolean {
  return traffic.routing === 'gateway' || (traffic.routing === 'auto' && gatewayApi);
}
