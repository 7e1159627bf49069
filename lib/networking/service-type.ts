/** The cloud a LoadBalancer Service is provisioned on; decides its annotations. */
export type LoadBalancerProvider = 'aws' | 'gcp' | 'azure' | 'local';

export interface LoadBalancerOptions {
  /** Cloud provider, for the annotations that make the load balancer internal or external. @default 'local' */
  readonly provider?: LoadBalancerProvider;
  /** Reachable only from the cloud network. @default false */
  readonly internal?: boolean;
  /** Client networks admitted (CIDR). @default any */
  readonly sourceRanges?: readonly string[];
}

/** How a Service is reached: the `spec.type`, headless-ness and provider annotations. */
export class ServiceType {
  /** A virtual IP inside the cluster (the default). */
  public static clusterIp(): ServiceType {
    return new ServiceType('ClusterIP', false, {}, []);
  }

  /** No virtual IP: DNS answers with the ready pods' addresses (StatefulSets, client-side balancing). */
  public static headless(): ServiceType {
    return new ServiceType('ClusterIP', true, {}, []);
  }

  /** A port on every node, for clusters fronted by an outside balancer. */
  public static nodePort(): ServiceType {
    return new ServiceType('NodePort', false, {}, []);
  }

  /** A cloud load balancer; internal ones get the provider's annotations. */
  public static loadBalancer(options: LoadBalancerOptions = {}): ServiceType {
    const provider = options.provider ?? 'local';
    const internal = options.internal ?? false;
    if (internal && provider === 'local') throw new Error('an internal load balancer needs a cloud provider (aws, gcp or azure); received provider "local"');
    return new ServiceType('LoadBalancer', false, loadBalancerAnnotations(provider, internal), [...(options.sourceRanges ?? [])]);
  }

  private constructor(
    /** The Service's `spec.type`. */
    public readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer',
    /** `clusterIP: None`. */
    public readonly headless: boolean,
    /** Provider annotations on the Service. */
    public readonly annotations: Readonly<Record<string, string>>,
    /** `loadBalancerSourceRanges`. */
    public readonly sourceRanges: readonly string[],
  ) {}

  /** Whether clients outside the cluster reach the pods directly (NodePort, LoadBalancer). */
  public get external(): boolean {
    return this.type !== 'ClusterIP';
  }
}

/** Which pod serves a client: any, or the same one per client IP for a while. */
export class SessionAffinity {
  /** Any ready pod (the default). */
  public static none(): SessionAffinity {
    return new SessionAffinity(undefined);
  }

  /** The same pod for each client IP, until it has been idle for `timeoutSeconds` (1 to 86400). */
  public static clientIp(timeoutSeconds = 10800): SessionAffinity {
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 86400) {
      throw new Error(`ClientIP session affinity needs a timeout from 1 to 86400 seconds; received ${timeoutSeconds}`);
    }
    return new SessionAffinity(timeoutSeconds);
  }

  private constructor(
    /** Seconds of ClientIP stickiness; undefined for none. */
    public readonly clientIpTimeoutSeconds: number | undefined,
  ) {}
}

function loadBalancerAnnotations(provider: LoadBalancerProvider, internal: boolean): Record<string, string> {
  switch (provider) {
    case 'aws':
      // AWS Load Balancer Controller: an NLB sending straight to pod IPs.
      return {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': internal ? 'internal' : 'internet-facing',
      };
    case 'gcp':
      return internal ? { 'networking.gke.io/load-balancer-type': 'Internal' } : {};
    case 'azure':
      return internal ? { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } : {};
    case 'local':
      return {};
  }
}
