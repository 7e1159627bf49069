import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isDns1035Label, isPortName } from '../core/names';
import { ServiceType, SessionAffinity } from './service-type';

/** A port the Service offers. */
export interface NetworkServicePort {
  /** Port name (≤15 characters); also the container port it targets. */
  readonly name: string;
  /** Port the Service offers. */
  readonly port: number;
  /** Container port name or number it forwards to. @default the port name */
  readonly targetPort?: string | number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface NetworkServiceProps {
  /** Service name (a DNS-1035 label). @default the construct id */
  readonly name?: string;
  /** Labels of the pods it sends to (the stable selector subset). */
  readonly selector: Readonly<Record<string, string>>;
  /** Ports offered. */
  readonly ports: readonly NetworkServicePort[];
  /** Labels on the Service itself. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** ClusterIP, headless, NodePort or LoadBalancer. @default ServiceType.clusterIp() */
  readonly type?: ServiceType;
  /** Client stickiness. @default SessionAffinity.none() */
  readonly sessionAffinity?: SessionAffinity;
}

/**
 * A Service selecting pods by their stable labels and targeting ports by name. External types
 * (NodePort, LoadBalancer) keep the client's source IP (`externalTrafficPolicy: Local`), so
 * network policies and logs see real clients.
 */
export class NetworkService extends Construct {
  public readonly service: k8s.KubeService;
  public readonly name: string;
  public readonly type: ServiceType;

  constructor(scope: Construct, id: string, props: NetworkServiceProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1035Label(this.name)) throw new Error(`Service name "${this.name}" is not a DNS-1035 label (lowercase letters, digits and "-", starting with a letter)`);
    if (props.ports.length === 0) throw new Error(`${this.name}: a Service needs at least one port`);
    for (const p of props.ports) {
      if (!isPortName(p.name)) throw new Error(`${this.name}: port name "${p.name}" is not a valid port name (≤15 chars, lowercase, a letter)`);
    }
    if (Object.keys(props.selector).length === 0) throw new Error(`${this.name}: a Service needs a pod selector; an empty one would match every pod in the namespace`);
    this.type = props.type ?? ServiceType.clusterIp();
    const affinity = props.sessionAffinity ?? SessionAffinity.none();
    const annotations = Object.keys(this.type.annotations).length > 0 ? { ...this.type.annotations } : undefined;
    this.service = new k8s.KubeService(this, 'service', {
      metadata: { name: this.name, labels: props.labels ? { ...props.labels } : undefined, annotations },
      spec: {
        type: this.type.type,
        clusterIp: this.type.headless ? 'None' : undefined,
        externalTrafficPolicy: this.type.external ? 'Local' : undefined,
        loadBalancerSourceRanges: this.type.sourceRanges.length > 0 ? [...this.type.sourceRanges] : undefined,
        selector: { ...props.selector },
        ports: props.ports.map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: typeof p.targetPort === 'number' ? k8s.IntOrString.fromNumber(p.targetPort) : k8s.IntOrString.fromString(p.targetPort ?? p.name),
          protocol: p.protocol ?? 'TCP',
        })),
        sessionAffinity: affinity.clientIpTimeoutSeconds === undefined ? undefined : 'ClientIP',
        sessionAffinityConfig: affinity.clientIpTimeoutSeconds === undefined ? undefined : { clientIp: { timeoutSeconds: affinity.clientIpTimeoutSeconds } },
      },
    });
  }
}
