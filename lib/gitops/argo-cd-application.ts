import { Construct } from 'constructs';
import { Application } from '../../imports/applications-argoproj.io';
import { isDns1123Label, isDns1123Subdomain } from '../core/names';

/** When Argo CD applies what Git holds. */
export class SyncPolicy {
  /** On every change in Git; `prune` deletes what Git no longer holds, `selfHeal` reverts changes made on the cluster. */
  public static automated(options: { readonly prune?: boolean; readonly selfHeal?: boolean } = {}): SyncPolicy {
    return new SyncPolicy(true, options.prune ?? true, options.selfHeal ?? true);
  }

  /** Only when someone presses Sync (the UI, `argocd app sync`): Argo CD shows the drift and waits. */
  public static manual(): SyncPolicy {
    return new SyncPolicy(false, false, false);
  }

  private constructor(
    /** Whether Argo CD syncs by itself. */
    public readonly automated: boolean,
    public readonly prune: boolean,
    public readonly selfHeal: boolean,
  ) {}
}

export interface ArgoCdApplicationProps {
  /** Object name. @default the construct id */
  readonly name?: string;
  /** Labels on the Application. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The AppProject it belongs to. */
  readonly project: string;
  /** Repository and branch (or tag, or commit). */
  readonly repoUrl: string;
  readonly revision: string;
  /** Folder of plain manifests in the repository, e.g. dist/prod. */
  readonly path: string;
  /** The cluster (by Argo CD name, or API server URL) and the default namespace. */
  readonly destination: { readonly name?: string; readonly server?: string; readonly namespace: string };
  /** When it syncs. @default SyncPolicy.manual() */
  readonly syncPolicy?: SyncPolicy;
}

/**
 * An Argo CD `Application` for one folder of plain manifests. Objects are applied in the order of
 * their `argocd.argoproj.io/sync-wave`, deleted objects are pruned last, and an automated sync
 * that fails is retried with backoff.
 */
export class ArgoCdApplication extends Construct {
  public readonly application: Application;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1123Subdomain(this.name)) throw new Error(`Application name "${this.name}" is not a DNS-1123 subdomain`);
    const d = props.destination;
    if ((d.name === undefined) === (d.server === undefined)) throw new Error(`${this.name}: the destination names its cluster by exactly one of name and server`);
    if (!isDns1123Label(d.namespace)) throw new Error(`${this.name}: destination namespace "${d.namespace}" is not a DNS-1123 label`);
    if (props.path.startsWith('/') || props.path.split('/').includes('..')) throw new Error(`${this.name}: path "${props.path}" must be relative to the repository root`);
    const sync = props.syncPolicy ?? SyncPolicy.manual();
    this.application = new Application(this, 'application', {
      metadata: { name: this.name, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        project: props.project,
        source: { repoUrl: props.repoUrl, targetRevision: props.revision, path: props.path },
        destination: { name: d.name, server: d.server, namespace: d.namespace },
        syncPolicy: {
          automated: sync.automated ? { prune: sync.prune, selfHeal: sync.selfHeal } : undefined,
          syncOptions: ['PruneLast=true'],
          retry: sync.automated ? { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } } : undefined,
        },
        revisionHistoryLimit: 10,
      },
    });
  }
}
