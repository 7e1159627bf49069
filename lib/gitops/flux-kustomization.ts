import { Construct } from 'constructs';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../imports/kustomizations-kustomize.toolkit.fluxcd.io';
import { isDns1123Subdomain } from '../core/names';
import { isDuration } from './flux-git-repository';

export interface FluxKustomizationProps {
  /** Object name. @default the construct id */
  readonly name?: string;
  /** Labels on the object. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The GitRepository (same namespace) holding the manifests. */
  readonly sourceName: string;
  /** Folder of plain manifests in the source, e.g. ./dist/prod. */
  readonly path: string;
  /** How often to re-apply, repairing drift. @default '10m' */
  readonly interval?: string;
  /** How soon to retry a failed apply. @default '2m' */
  readonly retryInterval?: string;
  /** How long the apply and the wait for readiness may take. @default '5m' */
  readonly timeout?: string;
  /** Delete objects that left the folder. @default true */
  readonly prune?: boolean;
  /** Report ready only when every applied object is ready. @default true */
  readonly wait?: boolean;
  /** A Secret (same namespace, key `value`) with the kubeconfig of a remote cluster. @default the cluster Flux runs in */
  readonly kubeConfigSecret?: string;
}

/**
 * A Flux `Kustomization` (kustomize.toolkit.fluxcd.io/v1) for a folder of plain manifests: the
 * controller generates the kustomization.yaml, applies with server-side apply, prunes what left
 * the folder and waits for every object to become ready.
 */
export class FluxKustomization extends Construct {
  public readonly kustomization: Kustomization;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1123Subdomain(this.name)) throw new Error(`Kustomization name "${this.name}" is not a DNS-1123 subdomain`);
    if (!/^\.\/[A-Za-z0-9._/-]+$/.test(props.path) || props.path.split('/').includes('..')) throw new Error(`${this.name}: path must start with "./" and stay inside the source; received "${props.path}"`);
    const interval = props.interval ?? '10m';
    const retryInterval = props.retryInterval ?? '2m';
    const timeout = props.timeout ?? '5m';
    for (const [field, value] of [['interval', interval], ['retryInterval', retryInterval], ['timeout', timeout]] as const) {
      if (!isDuration(value)) throw new Error(`${this.name}: ${field} must be a duration such as "5m"; received "${value}"`);
    }
    this.kustomization = new Kustomization(this, 'kustomization', {
      metadata: { name: this.name, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: props.sourceName },
        path: props.path,
        interval,
        retryInterval,
        timeout,
        prune: props.prune ?? true,
        wait: props.wait ?? true,
        kubeConfig: props.kubeConfigSecret === undefined ? undefined : { secretRef: { name: props.kubeConfigSecret, key: 'value' } },
      },
    });
  }
}
