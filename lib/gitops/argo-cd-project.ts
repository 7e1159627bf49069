import { Construct } from 'constructs';
import { AppProject } from '../../imports/appprojects-argoproj.io';
import { isDns1123Label, isDns1123Subdomain } from '../core/names';

/** A kind of object, by API group (`''` for the core group) and kind. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** A namespace on a cluster that Applications of the project may deploy to. */
export interface ProjectDestination {
  /** The cluster by the name Argo CD registered it under (set exactly one of `name` and `server`). */
  readonly name?: string;
  /** The cluster by its API server URL, e.g. https://kubernetes.default.svc. */
  readonly server?: string;
  readonly namespace: string;
}

export interface ArgoCdProjectProps {
  /** Object name. @default the construct id */
  readonly name?: string;
  /** Labels on the AppProject. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** One line about what the project deploys. @default none */
  readonly description?: string;
  /** Repositories Applications may deploy from. */
  readonly sourceRepos: readonly string[];
  /** Namespaces (per cluster) Applications may deploy to. */
  readonly destinations: readonly ProjectDestination[];
  /** Cluster-scoped kinds Applications may create (Namespace, StorageClass, ...). */
  readonly clusterResources: readonly GroupKind[];
  /** Namespaced kinds Applications may create. */
  readonly namespaceResources: readonly GroupKind[];
}

/**
 * An Argo CD `AppProject` that allows exactly what its Applications deploy: the listed repositories,
 * namespaces and kinds, each named (a wildcard is refused), so an Application cannot reach a
 * namespace or create a kind nobody reviewed.
 */
export class ArgoCdProject extends Construct {
  public readonly project: AppProject;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ArgoCdProjectProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1123Subdomain(this.name)) throw new Error(`AppProject name "${this.name}" is not a DNS-1123 subdomain`);
    const wildcard = (what: string, value: string) => {
      if (value.includes('*')) throw new Error(`${this.name}: ${what} "${value}" is a wildcard; list what the Applications deploy`);
    };
    if (props.sourceRepos.length === 0) throw new Error(`${this.name}: an AppProject needs at least one source repository`);
    for (const repo of props.sourceRepos) wildcard('source repository', repo);
    if (props.destinations.length === 0) throw new Error(`${this.name}: an AppProject needs at least one destination`);
    for (const d of props.destinations) {
      if ((d.name === undefined) === (d.server === undefined)) throw new Error(`${this.name}: a destination names its cluster by exactly one of name and server; received ${JSON.stringify(d)}`);
      if (!isDns1123Label(d.namespace)) throw new Error(`${this.name}: destination namespace "${d.namespace}" is not a DNS-1123 label`);
      wildcard('destination cluster', d.name ?? d.server!);
    }
    for (const k of [...props.clusterResources, ...props.namespaceResources]) {
      wildcard('kind', k.kind);
      wildcard('group', k.group);
    }
    this.project = new AppProject(this, 'project', {
      metadata: { name: this.name, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        description: props.description,
        sourceRepos: [...props.sourceRepos],
        destinations: props.destinations.map((d) => ({ name: d.name, server: d.server, namespace: d.namespace })),
        clusterResourceWhitelist: sortKinds(props.clusterResources),
        namespaceResourceWhitelist: sortKinds(props.namespaceResources),
      },
    });
  }
}

/** Kinds without duplicates, by group then kind, so the object is the same however they were found. */
function sortKinds(kinds: readonly GroupKind[]): GroupKind[] {
  const unique = new Map(kinds.map((k) => [`${k.group}/${k.kind}`, { group: k.group, kind: k.kind }]));
  return [...unique.values()].sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind));
}
