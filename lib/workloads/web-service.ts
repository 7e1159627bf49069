import { Construct } from 'constructs';
import { AppDeployment, type AppDeploymentProps } from './app-deployment';
import { AppService } from './app-service';

export interface WebServiceProps extends AppDeploymentProps {}

/** An HTTP service: a hardened Deployment, its ServiceAccount and a ClusterIP Service on all its ports. */
export class WebService extends Construct {
  public readonly workload: AppDeployment;
  public readonly service: AppService;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    if ((props.ports ?? []).length === 0) throw new Error(`${props.name ?? id}: a WebService needs at least one port`);
    this.workload = new AppDeployment(this, 'workload', { component: 'web', ...props, name: props.name ?? id });
    this.service = new AppService(this, 'service', { target: this.workload });
  }
}
