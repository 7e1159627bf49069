import { Construct } from 'constructs';
import type { ServiceType, SessionAffinity } from '../networking/service-type';
import { AppDeployment, type AppDeploymentProps } from './app-deployment';
import { AppService } from './app-service';

export interface WebServiceProps extends AppDeploymentProps {
  /** How the Service is reached. @default ServiceType.clusterIp() */
  readonly serviceType?: ServiceType;
  /** Client stickiness at the Service. @default SessionAffinity.none() */
  readonly sessionAffinity?: SessionAffinity;
}

/** An HTTP service: a hardened Deployment, its ServiceAccount and a ClusterIP Service on all its ports. */
export class WebService extends Construct {
  public readonly workload: AppDeployment;
  public readonly service: AppService;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    if ((props.ports ?? []).length === 0) throw new Error(`${props.name ?? id}: a WebService needs at least one port`);
    const { serviceType, sessionAffinity, ...deployment } = props;
    this.workload = new AppDeployment(this, 'workload', { component: 'web', ...deployment, name: props.name ?? id });
    this.service = new AppService(this, 'service', { target: this.workload, type: serviceType, sessionAffinity });
  }
}
