import { Construct } from 'constructs';
import { GitRepository } from '../../imports/gitrepositories-source.toolkit.fluxcd.io';
import { isDns1123Subdomain } from '../core/names';

export interface FluxGitRepositoryProps {
  /** Object name. @default the construct id */
  readonly name?: string;
  /** Labels on the object. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The repository to clone. */
  readonly url: string;
  /** The branch to follow. */
  readonly branch: string;
  /** How often to fetch it, a duration such as "1m". @default '1m' */
  readonly interval?: string;
  /** The one folder of the repository the Kustomizations read (the artifact holds only it). @default the whole repository */
  readonly onlyPath?: string;
}

/**
 * A Flux `GitRepository` (source.toolkit.fluxcd.io/v1) following one branch; with `onlyPath` its
 * artifact holds only that folder, so source changes elsewhere (code, tests) never reach the cluster.
 */
export class FluxGitRepository extends Construct {
  public readonly repository: GitRepository;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: FluxGitRepositoryProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1123Subdomain(this.name)) throw new Error(`GitRepository name "${this.name}" is not a DNS-1123 subdomain`);
    const interval = props.interval ?? '1m';
    if (!isDuration(interval)) throw new Error(`${this.name}: interval must be a duration such as "1m"; received "${interval}"`);
    if (props.onlyPath !== undefined && !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(props.onlyPath)) throw new Error(`${this.name}: onlyPath must be a folder relative to the repository root; received "${props.onlyPath}"`);
    this.repository = new GitRepository(this, 'repository', {
      metadata: { name: this.name, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        url: props.url,
        ref: { branch: props.branch },
        interval,
        // .gitignore syntax: exclude everything, then include the one folder back.
        ignore: props.onlyPath === undefined ? undefined : `/*\n!/${props.onlyPath}/\n`,
      },
    });
  }
}

/** A Go duration such as "30s", "5m" or "1h30m". */
export function isDuration(value: string): boolean {
  return /^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/.test(value) && value.length > 0;
}
