// Pod Security admission levels and the namespace labels that enforce them.
// https://kubernetes.io/docs/concepts/security/pod-security-admission/

/** A Pod Security Standard level: `restricted`, or a weaker level that must carry the reason it is needed. */
export class PodSecurityLevel {
  /** The hardened level every namespace gets unless it is an exception. */
  public static restricted(): PodSecurityLevel {
    return new PodSecurityLevel('restricted', undefined);
  }

  /** Blocks known privilege escalations but allows e.g. hostPath-free root containers; needs a reason. */
  public static baseline(reason: string): PodSecurityLevel {
    return new PodSecurityLevel('baseline', PodSecurityLevel.checkReason('baseline', reason));
  }

  /** No restrictions (e.g. a log collector reading node files through hostPath); needs a reason. */
  public static privileged(reason: string): PodSecurityLevel {
    return new PodSecurityLevel('privileged', PodSecurityLevel.checkReason('privileged', reason));
  }

  private static checkReason(level: string, reason: string): string {
    if (reason.trim().length < 10) {
      throw new Error(`a "${level}" Pod Security exception needs a reason of at least 10 characters saying why restricted cannot work; received "${reason}"`);
    }
    return reason.trim();
  }

  private constructor(
    /** The level name as the admission labels spell it. */
    public readonly name: 'restricted' | 'baseline' | 'privileged',
    /** Why a level weaker than restricted is needed; undefined for restricted. */
    public readonly reason: string | undefined,
  ) {}

  /** Whether this is an exception to restricted. */
  public get isException(): boolean {
    return this.name !== 'restricted';
  }
}

/**
 * The admission labels: enforce, audit and warn at the same level, each pinned to the cluster's
 * minor version so a cluster upgrade does not change enforcement silently.
 */
export function podSecurityLabels(level: PodSecurityLevel, kubernetesVersion: string): Record<string, string> {
  if (!/^1\.\d+$/.test(kubernetesVersion)) {
    throw new Error(`expected a Kubernetes minor version such as "1.30" to pin Pod Security to; received "${kubernetesVersion}"`);
  }
  const version = `v${kubernetesVersion}`;
  return {
    'pod-security.kubernetes.io/enforce': level.name,
    'pod-security.kubernetes.io/enforce-version': version,
    'pod-security.kubernetes.io/audit': level.name,
    'pod-security.kubernetes.io/audit-version': version,
    'pod-security.kubernetes.io/warn': level.name,
    'pod-security.kubernetes.io/warn-version': version,
  };
}
