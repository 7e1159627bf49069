/**
 * Apply order. A wave is both the file prefix in `dist/<env>/` (so `kubectl apply -f` applies in
 * order) and the Argo CD sync wave. Components within one wave sort by name.
 */
export class Wave {
  /** Namespaces and cluster-scoped objects (StorageClasses, ClusterRoles). */
  public static readonly CLUSTER = new Wave(0, 'cluster');
  /** Quotas, limit ranges, service accounts, RBAC, secret references, configuration. */
  public static readonly CONFIG = new Wave(1, 'config');
  /** Databases and caches, with their backups. */
  public static readonly DATA = new Wave(2, 'data');
  /** Application workloads and their Services. */
  public static readonly APPS = new Wave(3, 'apps');
  /** Ingress, Gateway API routes, certificates. */
  public static readonly TRAFFIC = new Wave(4, 'traffic');
  /** Network policies, disruption budgets, autoscalers. */
  public static readonly POLICIES = new Wave(5, 'policies');
  /** Metrics, dashboards, logs and traces. */
  public static readonly OBSERVABILITY = new Wave(6, 'observability');

  public static readonly ALL: readonly Wave[] = [
    Wave.CLUSTER, Wave.CONFIG, Wave.DATA, Wave.APPS, Wave.TRAFFIC, Wave.POLICIES, Wave.OBSERVABILITY,
  ];

  private constructor(
    /** Position in the apply order; also the Argo CD sync wave. */
    public readonly order: number,
    /** A short word for summaries. */
    public readonly label: string,
  ) {}

  /** The 4-digit file prefix, e.g. `0300` for apps. */
  public get prefix(): string {
    return String(this.order * 100).padStart(4, '0');
  }

  /** The file name of one component's chart in this wave. */
  public fileName(component: string): string {
    return `${this.prefix}-${component}.k8s.yaml`;
  }
}
