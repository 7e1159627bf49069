import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isDns1123Label, isDns1123Subdomain } from '../core/names';

/** How an Ingress gets its certificate. */
export class IngressTls {
  /** cert-manager issues the certificate into `secretName` from a ClusterIssuer (ingress-shim annotation). */
  public static certManager(clusterIssuer: string, secretName: string): IngressTls {
    return new IngressTls(secretName, clusterIssuer);
  }

  /** A TLS Secret the operator provides (or another Ingress's cert-manager certificate). */
  public static secret(secretName: string): IngressTls {
    return new IngressTls(secretName, undefined);
  }

  private constructor(
    /** Secret holding `tls.crt` and `tls.key`. */
    public readonly secretName: string,
    /** ClusterIssuer for cert-manager, when it issues the certificate. */
    public readonly clusterIssuer: string | undefined,
  ) {
    if (!isDns1123Subdomain(secretName)) throw new Error(`TLS secret name "${secretName}" is not a DNS-1123 subdomain`);
    if (clusterIssuer !== undefined && !isDns1123Subdomain(clusterIssuer)) throw new Error(`ClusterIssuer name "${clusterIssuer}" is not a DNS-1123 subdomain`);
  }
}

/** Cross-origin access for browsers. */
export interface IngressCors {
  /** Allowed origins, e.g. https://app.example.com. */
  readonly allowOrigins: readonly string[];
  /** @default GET, POST, PUT, PATCH, DELETE, OPTIONS */
  readonly allowMethods?: readonly string[];
  /** @default Authorization, Content-Type */
  readonly allowHeaders?: readonly string[];
  /** Response headers scripts may read. @default none */
  readonly exposeHeaders?: readonly string[];
  /** @default false */
  readonly allowCredentials?: boolean;
  /** Preflight cache seconds. @default 600 */
  readonly maxAgeSeconds?: number;
}

export interface NginxIngressProps {
  /** Object name. @default the construct id */
  readonly name?: string;
  /** Labels on the Ingress (and its headers ConfigMap). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The controller's IngressClass. @default 'nginx' */
  readonly ingressClassName?: string;
  /** Host names routed to the backend. */
  readonly hosts: readonly string[];
  /** Path prefixes. @default ['/'] */
  readonly paths?: readonly string[];
  /** The backend Service and its port number. */
  readonly backend: { readonly serviceName: string; readonly port: number };
  /** HTTPS for all hosts. @default plain HTTP */
  readonly tls?: IngressTls;
  /** Redirect HTTP to HTTPS (only with `tls`). @default true */
  readonly sslRedirect?: boolean;
  /** Per-client-IP rate limit. @default none */
  readonly rateLimit?: { readonly requestsPerMinute: number; readonly burstMultiplier?: number };
  /** CORS answered by the controller. @default none */
  readonly cors?: IngressCors;
  /** Largest request body, an nginx size. @default '10m' */
  readonly bodySize?: string;
  /** Proxy timeouts in seconds. @default connect 5, read 60, send 60 */
  readonly timeouts?: { readonly connectSeconds?: number; readonly readSeconds?: number; readonly sendSeconds?: number };
  /** Headers added to every response (a ConfigMap read through the `custom-headers` annotation). @default none */
  readonly responseHeaders?: Readonly<Record<string, string>>;
}

const A = 'nginx.ingress.kubernetes.io';

/**
 * An Ingress for the ingress-nginx controller: hosts and path prefixes to one Service port, TLS
 * (cert-manager or a named Secret), and typed options rendered to the controller's annotations.
 * Response headers go through a ConfigMap and `custom-headers`, not snippets, which current
 * controllers disable by default.
 */
export class NginxIngress extends Construct {
  public readonly ingress: k8s.KubeIngress;
  public readonly headers?: k8s.KubeConfigMap;
  public readonly name: string;
  /** The annotations as rendered, for tests and overviews. */
  public readonly annotations: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: NginxIngressProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1123Subdomain(this.name)) throw new Error(`Ingress name "${this.name}" is not a DNS-1123 subdomain`);
    if (props.hosts.length === 0) throw new Error(`${this.name}: an Ingress needs at least one host`);
    for (const h of props.hosts) if (!isDns1123Subdomain(h) || !h.includes('.')) throw new Error(`${this.name}: "${h}" is not a fully qualified host name`);
    const paths = props.paths ?? ['/'];
    for (const p of paths) if (!p.startsWith('/')) throw new Error(`${this.name}: path "${p}" must start with "/"`);
    if (props.sslRedirect === true && props.tls === undefined) throw new Error(`${this.name}: sslRedirect needs tls`);
    const labels = props.labels ? { ...props.labels } : undefined;

    const annotations: Record<string, string> = {};
    if (props.tls?.clusterIssuer) annotations['cert-manager.io/cluster-issuer'] = props.tls.clusterIssuer;
    const redirect = props.tls !== undefined && (props.sslRedirect ?? true);
    annotations[`${A}/ssl-redirect`] = String(redirect);
    annotations[`${A}/force-ssl-redirect`] = String(redirect);
    if (props.rateLimit) {
      const { requestsPerMinute, burstMultiplier = 5 } = props.rateLimit;
      positive(this.name, 'rateLimit.requestsPerMinute', requestsPerMinute);
      positive(this.name, 'rateLimit.burstMultiplier', burstMultiplier);
      annotations[`${A}/limit-rpm`] = String(requestsPerMinute);
      annotations[`${A}/limit-burst-multiplier`] = String(burstMultiplier);
    }
    if (props.cors) {
      const c = props.cors;
      if (c.allowOrigins.length === 0) throw new Error(`${this.name}: cors.allowOrigins needs at least one origin`);
      if (c.allowCredentials && c.allowOrigins.includes('*')) throw new Error(`${this.name}: CORS credentials cannot be combined with origin "*"`);
      annotations[`${A}/enable-cors`] = 'true';
      annotations[`${A}/cors-allow-origin`] = c.allowOrigins.join(', ');
      annotations[`${A}/cors-allow-methods`] = (c.allowMethods ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).join(', ');
      annotations[`${A}/cors-allow-headers`] = (c.allowHeaders ?? ['Authorization', 'Content-Type']).join(', ');
      if ((c.exposeHeaders ?? []).length > 0) annotations[`${A}/cors-expose-headers`] = c.exposeHeaders!.join(', ');
      annotations[`${A}/cors-allow-credentials`] = String(c.allowCredentials ?? false);
      annotations[`${A}/cors-max-age`] = String(c.maxAgeSeconds ?? 600);
    }
    const bodySize = props.bodySize ?? '10m';
    if (!/^\d+[kKmMgG]?$/.test(bodySize)) throw new Error(`${this.name}: bodySize "${bodySize}" is not an nginx size such as "10m"`);
    annotations[`${A}/proxy-body-size`] = bodySize;
    const t = props.timeouts ?? {};
    for (const [key, value] of [['proxy-connect-timeout', t.connectSeconds ?? 5], ['proxy-read-timeout', t.readSeconds ?? 60], ['proxy-send-timeout', t.sendSeconds ?? 60]] as const) {
      positive(this.name, key, value);
      annotations[`${A}/${key}`] = String(value);
    }
    if (props.responseHeaders && Object.keys(props.responseHeaders).length > 0) {
      const namespace = Chart.of(this).namespace;
      if (namespace === undefined) throw new Error(`${this.name}: response headers need the chart's namespace (the annotation names namespace/configmap)`);
      const configMapName = `${this.name}-response-headers`;
      if (!isDns1123Label(configMapName)) throw new Error(`${this.name}: derived name "${configMapName}" is longer than 63 characters`);
      this.headers = new k8s.KubeConfigMap(this, 'response-headers', {
        metadata: { name: configMapName, labels },
        data: Object.fromEntries(Object.entries(props.responseHeaders).sort(([a], [b]) => (a < b ? -1 : 1))),
      });
      annotations[`${A}/custom-headers`] = `${namespace}/${configMapName}`;
    }
    this.annotations = Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : 1)));

    this.ingress = new k8s.KubeIngress(this, 'ingress', {
      metadata: { name: this.name, labels, annotations: { ...this.annotations } },
      spec: {
        ingressClassName: props.ingressClassName ?? 'nginx',
        tls: props.tls ? [{ hosts: [...props.hosts], secretName: props.tls.secretName }] : undefined,
        rules: ingressRules(props.hosts, paths, props.backend),
      },
    });
  }
}

/** An Ingress's rules: every host routes every path prefix to one Service port. */
export function ingressRules(
  hosts: readonly string[],
  paths: readonly string[],
  backend: { readonly serviceName: string; readonly port: number },
): k8s.IngressRule[] {
  return hosts.map((host) => ({
    host,
    http: {
      paths: paths.map((path) => ({
        path,
        pathType: 'Prefix',
        backend: { service: { name: backend.serviceName, port: { number: backend.port } } },
      })),
    },
  }));
}

function positive(owner: string, field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${owner}: ${field} must be a positive whole number; received ${value}`);
}
