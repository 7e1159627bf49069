import { Construct } from 'constructs';
import { recommendedLabels } from '../core/labels';
import { NetworkService } from '../networking/network-service';
import type { ServiceType, SessionAffinity } from '../networking/service-type';
import type { AppDeployment, AppPort } from './app-deployment';

export interface AppServiceProps {
  /** The workload whose pods the Service selects. */
  readonly target: AppDeployment;
  /** Ports to offer, from the workload's ports. @default all of the workload's ports */
  readonly ports?: readonly AppPort[];
  /** Service name. @default the workload's name */
  readonly name?: string;
  /** ClusterIP, headless, NodePort or LoadBalancer. @default ServiceType.clusterIp() */
  readonly type?: ServiceType;
  /** Client stickiness. @default SessionAffinity.none() */
  readonly sessionAffinity?: SessionAffinity;
}

/** A Service (ClusterIP unless told otherwise) selecting a workload's pods on the stable labels, targeting ports by name. */
export class AppService extends Construct {
  public readonly service: NetworkService['service'];
  public readonly name: string;
  public readonly ports: readonly AppPort[];
  public readonly type: ServiceType;

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    this.ports = props.ports ?? props.target.ports;
    if (this.ports.length === 0) throw new Error(`${props.target.name}: a Service needs at least one port`);
    this.name = props.name ?? props.target.name;
    const network = new NetworkService(this, 'network', {
      name: this.name,
      labels: recommendedLabels(props.target.identity),
      selector: props.target.selector,
      ports: this.ports.map((p) => ({ name: p.name, port: p.servicePort ?? p.port, protocol: p.protocol })),
      type: props.type,
      sessionAffinity: props.sessionAffinity,
    });
    this.service = network.service;
    this.type = network.type;
  }
}
