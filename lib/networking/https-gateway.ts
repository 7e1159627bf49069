import { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy } from '../../imports/certificates-cert-manager.io';
import { Gateway, GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsMode } from '../../imports/gateways-gateway.networking.k8s.io';
import { HttpRoute, HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesFiltersRequestRedirectScheme } from '../../imports/httproutes-gateway.networking.k8s.io';
import { isDns1123Label, isDns1123Subdomain } from '../core/names';

/** One HTTPS host of the Gateway and the Secret holding its certificate. */
export interface GatewayHost {
  readonly hostname: string;
  /** Secret (same namespace) with `tls.crt` and `tls.key`. */
  readonly secretName: string;
  /** Namespace whose routes may attach to this host's listener (e.g. a platform component's own). @default the Gateway's namespace */
  readonly routeNamespace?: string;
}

export interface HttpsGatewayProps {
  /** Gateway name. @default the construct id */
  readonly name?: string;
  /** Labels on every object. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** GatewayClass of the implementation. */
  readonly gatewayClassName: string;
  /** HTTPS hosts, one listener each. */
  readonly hosts: readonly GatewayHost[];
  /** Issue each Secret with cert-manager from this ClusterIssuer. @default the Secrets are provided */
  readonly clusterIssuer?: string;
}

/**
 * A Gateway API Gateway (standard channel v1) that serves HTTPS only: one HTTPS listener per host
 * terminating TLS with its certificate, and a plain-HTTP listener on 80 whose single route answers
 * every request with a permanent redirect to HTTPS. Routes attach from the Gateway's namespace only,
 * or, for a host that names one, from that single other namespace.
 * With a ClusterIssuer, a cert-manager Certificate per Secret keeps the certificates issued.
 */
export class HttpsGateway extends Construct {
  public readonly gateway: Gateway;
  public readonly redirect: HttpRoute;
  public readonly certificates: readonly Certificate[];
  public readonly name: string;

  constructor(scope: Construct, id: string, props: HttpsGatewayProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1123Label(this.name)) throw new Error(`Gateway name "${this.name}" is not a DNS-1123 label`);
    if (props.hosts.length === 0) throw new Error(`${this.name}: a Gateway needs at least one HTTPS host`);
    if (props.hosts.length > 63) throw new Error(`${this.name}: a Gateway holds at most 64 listeners; received ${props.hosts.length} hosts plus the HTTP listener`);
    const seen = new Set<string>();
    for (const h of props.hosts) {
      if (!isDns1123Subdomain(h.hostname) || !h.hostname.includes('.')) throw new Error(`${this.name}: "${h.hostname}" is not a fully qualified host name`);
      if (h.routeNamespace !== undefined && !isDns1123Label(h.routeNamespace)) throw new Error(`${this.name}: route namespace "${h.routeNamespace}" of ${h.hostname} is not a DNS-1123 label`);
      if (seen.has(h.hostname)) throw new Error(`${this.name}: host ${h.hostname} is listed twice`);
      seen.add(h.hostname);
    }
    const labels = props.labels ? { ...props.labels } : undefined;
    const sameNamespace = { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } };

    this.gateway = new Gateway(this, 'gateway', {
      metadata: { name: this.name, labels },
      spec: {
        gatewayClassName: props.gatewayClassName,
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: sameNamespace },
          ...props.hosts.map((h) => ({
            name: HttpsGateway.listenerName(h.hostname),
            protocol: 'HTTPS',
            port: 443,
            hostname: h.hostname,
            tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', group: '', name: h.secretName }] },
            allowedRoutes: h.routeNamespace === undefined
              ? sameNamespace
              // Exactly one other namespace, by the name label the API server sets on every namespace.
              : { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR, selector: { matchLabels: { 'kubernetes.io/metadata.name': h.routeNamespace } } } },
          })),
        ],
      },
    });

    this.redirect = new HttpRoute(this, 'https-redirect', {
      metadata: { name: `${this.name}-https-redirect`, labels },
      spec: {
        parentRefs: [{ name: this.name, sectionName: 'http' }],
        hostnames: props.hosts.map((h) => h.hostname),
        rules: [{
          filters: [{
            type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
            requestRedirect: { scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS, statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301 },
          }],
        }],
      },
    });

    const bySecret = new Map<string, string[]>();
    for (const h of props.hosts) bySecret.set(h.secretName, [...(bySecret.get(h.secretName) ?? []), h.hostname]);
    this.certificates = props.clusterIssuer === undefined ? [] : [...bySecret].map(([secretName, dnsNames]) => new Certificate(this, `certificate-${secretName}`, {
      metadata: { name: secretName, labels },
      spec: {
        secretName,
        dnsNames,
        issuerRef: { kind: 'ClusterIssuer', name: props.clusterIssuer!, group: 'cert-manager.io' },
        // A fresh ECDSA P-256 key on every renewal.
        privateKey: { rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS, algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
      },
    }));
  }

  /** The HTTPS listener (section) name of a host, which routes attach to. */
  public static listenerName(hostname: string): string {
    return `https-${hostname}`;
  }
}
