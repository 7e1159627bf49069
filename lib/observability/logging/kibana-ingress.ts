import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export interface KibanaIngressProps {
  /** Object name. @default 'kibana' */
  readonly name?: string;
  /** Labels of the Ingress. */
  readonly labels: Readonly<Record<string, string>>;
  /** Host name, e.g. kibana.example.com. */
  readonly host: string;
  /** Secret with the host's TLS certificate. */
  readonly tlsSecret: string;
  /** IngressClass of the cluster's ingress controller. */
  readonly ingressClass: string;
  /** Kibana's Service and the name of its HTTP port. */
  readonly serviceName: string;
  readonly servicePort: string;
}

/** Outside HTTPS access to Kibana through the cluster's ingress controller, on one host. */
export class KibanaIngress extends Construct {
  public readonly ingress: k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: KibanaIngressProps) {
    super(scope, id);
    this.ingress = new k8s.KubeIngress(this, 'ingress', {
      metadata: { name: props.name ?? 'kibana', labels: { ...props.labels } },
      spec: {
        ingressClassName: props.ingressClass,
        tls: [{ hosts: [props.host], secretName: props.tlsSecret }],
        rules: [{
          host: props.host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: props.serviceName, port: { name: props.servicePort } } } }] },
        }],
      },
    });
  }
}
