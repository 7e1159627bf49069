// The restricted Pod Security Standard, in one place, for every pod Stackwright emits.
// https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted

/** The non-root identity used when an image does not bring its own. */
export const DEFAULT_UID = 10001;

export interface RunAs {
  /** Non-zero user id. */
  readonly user: number;
  /** Non-zero group id. */
  readonly group: number;
  /** Group owning mounted volumes. */
  readonly fsGroup: number;
}

/** Pod-level security context (L1 shape) for restricted Pod Security. */
export function restrictedPodSecurityContext(runAs: RunAs) {
  return {
    runAsNonRoot: true,
    runAsUser: runAs.user,
    runAsGroup: runAs.group,
    fsGroup: runAs.fsGroup,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security context (L1 shape) for restricted Pod Security. */
export function restrictedContainerSecurityContext(runAs: Pick<RunAs, 'user' | 'group'>) {
  return {
    runAsNonRoot: true,
    runAsUser: runAs.user,
    runAsGroup: runAs.group,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
