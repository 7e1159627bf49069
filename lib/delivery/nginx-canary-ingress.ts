import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isDns1123Subdomain } from '../core/names';
import { ingressRules } from '../networking/nginx-ingress';

export interface NginxCanaryIngressProps {
  /** Object name. @default the construct id */
  readonly name?: string;
  /** Labels on the Ingress. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The controller's IngressClass (the main Ingress's). @default 'nginx' */
  readonly ingressClassName?: string;
  /** Host names: exactly the main Ingress's, which the controller pairs this one with. */
  readonly hosts: readonly string[];
  /** Path prefixes: exactly the main Ingress's. @default ['/'] */
  readonly paths?: readonly string[];
  /** The canary's Service and its port number. */
  readonly backend: { readonly serviceName: string; readonly port: number };
  /** Percent (0–100) of the requests matching the main Ingress that go to the canary. */
  readonly weight: number;
  /** The main Ingress's TLS Secret, when it serves HTTPS. @default none */
  readonly tlsSecretName?: string;
}

const A = 'nginx.ingress.kubernetes.io';

/**
 * The second Ingress of an ingress-nginx canary: same hosts and paths as the main Ingress, marked
 * `canary: "true"` with `canary-weight` out of `canary-weight-total: "100"`, so the controller sends
 * that share to the canary Service and the rest to the main Ingress's backend. The controller
 * ignores every other nginx annotation here and applies the main Ingress's.
 */
export class NginxCanaryIngress extends Construct {
  public readonly ingress: k8s.KubeIngress;
  public readonly name: string;
  public readonly weight: number;

  constructor(scope: Construct, id: string, props: NginxCanaryIngressProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1123Subdomain(this.name)) throw new Error(`Ingress name "${this.name}" is not a DNS-1123 subdomain`);
    if (!Number.isInteger(props.weight) || props.weight < 0 || props.weight > 100) throw new Error(`${this.name}: the canary weight must be a whole percentage from 0 to 100; received ${props.weight}`);
    if (props.hosts.length === 0) throw new Error(`${this.name}: a canary Ingress needs the main Ingress's hosts`);
    const paths = props.paths ?? ['/'];
    for (const p of paths) if (!p.startsWith('/')) throw new Error(`${this.name}: path "${p}" must start with "/"`);
    this.weight = props.weight;
    this.ingress = new k8s.KubeIngress(this, 'ingress', {
      metadata: {
        name: this.name,
        labels: props.labels ? { ...props.labels } : undefined,
        annotations: { [`${A}/canary`]: 'true', [`${A}/canary-weight`]: String(props.weight), [`${A}/canary-weight-total`]: '100' },
      },
      spec: {
        ingressClassName: props.ingressClassName ?? 'nginx',
        tls: props.tlsSecretName ? [{ hosts: [...props.hosts], secretName: props.tlsSecretName }] : undefined,
        // The main Ingress's hosts and paths, to the canary's Service.
        rules: ingressRules(props.hosts, paths, props.backend),
      },
    });
  }
}
