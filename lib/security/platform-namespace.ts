import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MANAGED_BY, STACKWRIGHT_VERSION } from '../core/labels';
import { isDns1123Label } from '../core/names';
import { PodSecurityLevel, podSecurityLabels } from './pod-security';

/** Annotation carrying the reason of a Pod Security exception, for reviewers and auditors. */
export const POD_SECURITY_EXCEPTION_ANNOTATION = 'security.stackwright.io/pod-security-exception';

export interface PlatformNamespaceProps {
  /** Namespace name (a DNS-1123 label). */
  readonly name: string;
  /** Kubernetes minor version the Pod Security labels are pinned to, e.g. "1.30". */
  readonly kubernetesVersion: string;
  /** Pod Security level enforced, audited and warned. @default PodSecurityLevel.restricted() */
  readonly podSecurity?: PodSecurityLevel;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** `app.kubernetes.io/version`. @default the Stackwright release that generated it */
  readonly version?: string;
  /** `app.kubernetes.io/component`: what the namespace holds, e.g. `apps`, `logging`. @default 'namespace' */
  readonly component?: string;
}

/** A Namespace enforcing a Pod Security level (restricted unless a reasoned exception) on every pod in it. */
export class PlatformNamespace extends Construct {
  public readonly name: string;
  public readonly podSecurity: PodSecurityLevel;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps) {
    super(scope, id);
    if (!isDns1123Label(props.name)) {
      throw new Error(`namespace name "${props.name}" is not a DNS-1123 label (lowercase alphanumeric and '-', at most 63 characters)`);
    }
    this.name = props.name;
    this.podSecurity = props.podSecurity ?? PodSecurityLevel.restricted();
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: this.name,
        labels: {
          'app.kubernetes.io/name': this.name,
          'app.kubernetes.io/instance': this.name,
          'app.kubernetes.io/component': props.component ?? 'namespace',
          'app.kubernetes.io/part-of': props.partOf ?? this.name,
          'app.kubernetes.io/version': props.version ?? STACKWRIGHT_VERSION,
          'app.kubernetes.io/managed-by': MANAGED_BY,
          ...podSecurityLabels(this.podSecurity, props.kubernetesVersion),
        },
        annotations: this.podSecurity.reason ? { [POD_SECURITY_EXCEPTION_ANNOTATION]: this.podSecurity.reason } : undefined,
      },
    });
  }
}
