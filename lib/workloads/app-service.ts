import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { recommendedLabels } from '../core/labels';
import type { AppDeployment, AppPort } from './app-deployment';

export interface AppServiceProps {
  /** The workload whose pods the Service selects. */
  readonly target: AppDeployment;
  /** Ports to offer, from the workload's ports. @default all of the workload's ports */
  readonly ports?: readonly AppPort[];
  /** Service name. @default the workload's name */
  readonly name?: string;
}

/** A ClusterIP Service selecting a workload's pods on the stable labels, targeting ports by name. */
export class AppService extends Construct {
  public readonly service: k8s.KubeService;
  public readonly name: string;
  public readonly ports: readonly AppPort[];

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    this.ports = props.ports ?? props.target.ports;
    if (this.ports.length === 0) throw new Error(`${props.target.name}: a Service needs at least one port`);
    this.name = props.name ?? props.target.name;
    this.service = new k8s.KubeService(this, 'service', {
      metadata: { name: this.name, labels: recommendedLabels(props.target.identity) },
      spec: {
        type: kplus.ServiceType.CLUSTER_IP,
        selector: props.target.selector,
        ports: this.ports.map((p) => ({
          name: p.name,
          port: p.servicePort ?? p.port,
          targetPort: k8s.IntOrString.fromString(p.name),
          protocol: p.protocol ?? 'TCP',
        })),
      },
    });
  }
}
