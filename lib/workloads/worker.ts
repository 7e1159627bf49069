import { Construct } from 'constructs';
import { AppDeployment, type AppDeploymentProps } from './app-deployment';
import { AppService } from './app-service';

export interface WorkerProps extends AppDeploymentProps {
  /** Port name serving metrics; the worker gets a Service (for scraping) only when set. @default none */
  readonly metricsPort?: string;
}

/** A background worker: a hardened Deployment and ServiceAccount; a Service only to expose metrics. */
export class Worker extends Construct {
  public readonly workload: AppDeployment;
  public readonly service?: AppService;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id);
    const name = props.name ?? id;
    this.workload = new AppDeployment(this, 'workload', { component: 'worker', ...props, name });
    if (props.metricsPort !== undefined) {
      const port = this.workload.ports.find((p) => p.name === props.metricsPort);
      if (!port) throw new Error(`${name}: metricsPort "${props.metricsPort}" is not one of its ports (${this.workload.ports.map((p) => p.name).join(', ') || 'none'})`);
      this.service = new AppService(this, 'service', { target: this.workload, ports: [port] });
    }
  }
}
