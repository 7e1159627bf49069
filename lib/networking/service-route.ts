import { Construct } from 'constructs';
import {
  HttpRoute, HttpRouteSpecRulesFiltersCorsAllowMethods, HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesMatchesPathType,
  type HttpRouteSpecRules, type HttpRouteSpecRulesFilters,
} from '../../imports/httproutes-gateway.networking.k8s.io';
import { isDns1123Subdomain } from '../core/names';

/** A Service a route sends to, with its share of the traffic. */
export interface RouteBackend {
  readonly serviceName: string;
  /** Service port number. */
  readonly port: number;
  /** Relative weight; canary delivery splits traffic with it. @default 1 */
  readonly weight?: number;
}

/** CORS answered by the gateway. */
export interface RouteCors {
  readonly allowOrigins: readonly string[];
  /** @default GET, POST, PUT, PATCH, DELETE, OPTIONS */
  readonly allowMethods?: readonly string[];
  /** @default Authorization, Content-Type */
  readonly allowHeaders?: readonly string[];
  /** @default none */
  readonly exposeHeaders?: readonly string[];
  /** @default false */
  readonly allowCredentials?: boolean;
  /** @default 600 */
  readonly maxAgeSeconds?: number;
}

export interface ServiceRouteProps {
  /** HTTPRoute name. @default the construct id */
  readonly name?: string;
  /** Labels on the route. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The Gateway, its namespace when not the route's (its listeners must admit the route's namespace), and the listener sections to attach to. */
  readonly gateway: { readonly name: string; readonly namespace?: string; readonly sectionNames: readonly string[] };
  /** Host names matched. */
  readonly hostnames: readonly string[];
  /** Path prefixes. @default ['/'] */
  readonly paths?: readonly string[];
  /** Backends; more than one splits traffic by weight. */
  readonly backends: readonly RouteBackend[];
  /** Seconds the gateway waits for a whole response. @default 60 */
  readonly requestTimeoutSeconds?: number;
  /** Path prefixes serving websockets, routed by their own rule with a long timeout. @default none */
  readonly websocket?: { readonly paths: readonly string[]; readonly timeoutSeconds?: number };
  /** CORS. @default none */
  readonly cors?: RouteCors;
  /** Headers set on every response (ResponseHeaderModifier). @default none */
  readonly responseHeaders?: Readonly<Record<string, string>>;
}

/**
 * An HTTPRoute from a Gateway's HTTPS listeners to a Service: path-prefix matches, security
 * headers and CORS as filters, a request timeout, and weighted backends. Websocket paths get a
 * rule of their own whose timeout covers a long-lived connection.
 */
export class ServiceRoute extends Construct {
  public readonly route: HttpRoute;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ServiceRouteProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1123Subdomain(this.name)) throw new Error(`HTTPRoute name "${this.name}" is not a DNS-1123 subdomain`);
    if (props.backends.length === 0) throw new Error(`${this.name}: a route needs at least one backend`);
    if (props.gateway.sectionNames.length === 0) throw new Error(`${this.name}: a route needs at least one listener section`);
    for (const b of props.backends) {
      if (b.weight !== undefined && (!Number.isInteger(b.weight) || b.weight < 0 || b.weight > 1000000)) throw new Error(`${this.name}: backend weight must be a whole number from 0 to 1000000; received ${b.weight}`);
    }
    const paths = props.paths ?? ['/'];
    const wsPaths = props.websocket?.paths ?? [];
    for (const p of [...paths, ...wsPaths]) if (!p.startsWith('/')) throw new Error(`${this.name}: path "${p}" must start with "/"`);

    const filters: HttpRouteSpecRulesFilters[] = [];
    const headers = Object.entries(props.responseHeaders ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    if (headers.length > 0) {
      filters.push({ type: HttpRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER, responseHeaderModifier: { set: headers.map(([name, value]) => ({ name, value })) } });
    }
    if (props.cors) {
      const c = props.cors;
      if (c.allowOrigins.length === 0) throw new Error(`${this.name}: cors.allowOrigins needs at least one origin`);
      filters.push({
        type: HttpRouteSpecRulesFiltersType.CORS,
        cors: {
          allowOrigins: [...c.allowOrigins],
          allowMethods: (c.allowMethods ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).map((m) => m as HttpRouteSpecRulesFiltersCorsAllowMethods),
          allowHeaders: [...(c.allowHeaders ?? ['Authorization', 'Content-Type'])],
          exposeHeaders: (c.exposeHeaders ?? []).length > 0 ? [...c.exposeHeaders!] : undefined,
          allowCredentials: c.allowCredentials ?? false,
          maxAge: c.maxAgeSeconds ?? 600,
        },
      });
    }
    const backendRefs = props.backends.map((b) => ({ kind: 'Service', group: '', name: b.serviceName, port: b.port, weight: b.weight ?? 1 }));
    const rule = (name: string, prefixes: readonly string[], timeoutSeconds: number): HttpRouteSpecRules => ({
      name,
      matches: prefixes.map((value) => ({ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value } })),
      filters: filters.length > 0 ? filters : undefined,
      timeouts: { request: duration(this.name, timeoutSeconds) },
      backendRefs,
    });
    const rules = [rule('http', paths, props.requestTimeoutSeconds ?? 60)];
    if (wsPaths.length > 0) rules.push(rule('websocket', wsPaths, props.websocket?.timeoutSeconds ?? 3600));

    this.route = new HttpRoute(this, 'route', {
      metadata: { name: this.name, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        parentRefs: props.gateway.sectionNames.map((sectionName) => ({ name: props.gateway.name, namespace: props.gateway.namespace, sectionName })),
        hostnames: [...props.hostnames],
        rules,
      },
    });
  }
}

/** A Gateway API duration (GEP-2257) in seconds, at most 5 digits per unit. */
function duration(owner: string, seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 99999) throw new Error(`${owner}: a timeout must be 1 to 99999 whole seconds; received ${seconds}`);
  return `${seconds}s`;
}
