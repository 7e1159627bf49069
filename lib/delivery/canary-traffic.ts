import { isDns1123Subdomain } from '../core/names';

/**
 * How a canary's share of the requests reaches it: weighted backends of a Gateway API HTTPRoute, an
 * NGINX canary Ingress beside the main one, or (the last resort, for services no route reaches)
 * one Service over both versions, so the share follows the replica counts.
 */
export class CanaryTraffic {
  /** An HTTPRoute with two weighted backends: `<name>` (stable) and `<name>-canary`. */
  public static gatewayRoute(): CanaryTraffic {
    return new CanaryTraffic('gateway', []);
  }

  /**
   * An NGINX canary Ingress (`nginx.ingress.kubernetes.io/canary`, `canary-weight`) routing to
   * `<name>-canary` beside each of the component's Ingresses, named here (Argo Rollouts reads them by name).
   */
  public static nginxIngress(...stableIngresses: string[]): CanaryTraffic {
    if (stableIngresses.length === 0) throw new Error('canary traffic: name at least one Ingress that routes to the stable Service');
    for (const name of stableIngresses) if (!isDns1123Subdomain(name)) throw new Error(`canary traffic: Ingress name "${name}" is not a DNS-1123 subdomain`);
    return new CanaryTraffic('nginx', stableIngresses);
  }

  /** One Service over the stable and canary pods: each gets requests in proportion to its replicas. */
  public static replicaRatio(): CanaryTraffic {
    return new CanaryTraffic('replicas', []);
  }

  private constructor(
    /** `gateway`, `nginx` or `replicas`. */
    public readonly mode: 'gateway' | 'nginx' | 'replicas',
    /** The Ingresses routing to the stable Service, for `nginx`. */
    public readonly stableIngresses: readonly string[],
  ) {}

  /** Whether a router splits the requests, so the stable and canary pods need a Service each. */
  public get routed(): boolean {
    return this.mode !== 'replicas';
  }
}

/** Canary replicas whose share of all pods is nearest `weight` percent (at least one unless the weight is 0). */
export function canaryReplicasFor(weight: number, stableReplicas: number): number {
  if (weight === 0) return 0;
  return Math.max(1, Math.round((stableReplicas * weight) / (100 - weight)));
}

/** The canary's share of the requests, in percent, when a Service spreads them over all pods. */
export function replicaShare(canaryReplicas: number, stableReplicas: number): number {
  return canaryReplicas + stableReplicas === 0 ? 0 : (100 * canaryReplicas) / (canaryReplicas + stableReplicas);
}
