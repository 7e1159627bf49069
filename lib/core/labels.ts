import packageJson from '../../package.json';

/** Who a set of Kubernetes objects belongs to: the source of the `app.kubernetes.io/*` labels. */
export interface ComponentIdentity {
  /** The component's own name, e.g. `api` (`app.kubernetes.io/name`). */
  readonly name: string;
  /** The instance: component and environment, e.g. `api-prod` (`app.kubernetes.io/instance`). */
  readonly instance: string;
  /** The role in the architecture, e.g. `web`, `worker`, `database` (`app.kubernetes.io/component`). */
  readonly component: string;
  /** The platform it belongs to (`app.kubernetes.io/part-of`). */
  readonly partOf: string;
  /** The version it runs, usually the image tag (`app.kubernetes.io/version`). */
  readonly version: string;
}

export const MANAGED_BY = 'stackwright';

/**
 * The Stackwright release that generated the output (package.json `version`): the
 * `app.kubernetes.io/version` of objects that belong to the platform as a whole rather than to one
 * running component (namespaces, quotas, network policies, secret references, the Gateway,
 * dashboards), whose shape is decided by the generator and the spec, not by an image.
 */
export const STACKWRIGHT_VERSION: string = packageJson.version;

/**
 * The identity of a platform-level object: its own name and instance (never a workload's, so a
 * `-l app.kubernetes.io/instance=<workload>` query does not match it), versioned by the generator.
 */
export function platformObjectIdentity(id: Omit<ComponentIdentity, 'version'>): ComponentIdentity {
  return { ...id, version: STACKWRIGHT_VERSION };
}

/** The full recommended label set, for metadata. */
export function recommendedLabels(id: ComponentIdentity): Record<string, string> {
  return {
    'app.kubernetes.io/name': id.name,
    'app.kubernetes.io/instance': id.instance,
    'app.kubernetes.io/component': id.component,
    'app.kubernetes.io/part-of': id.partOf,
    'app.kubernetes.io/version': id.version,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** The stable subset for selectors: never `version`, which changes on every release. */
export function selectorLabels(id: Pick<ComponentIdentity, 'name' | 'instance'>): Record<string, string> {
  return {
    'app.kubernetes.io/name': id.name,
    'app.kubernetes.io/instance': id.instance,
  };
}

/**
 * A label value derived from an image reference: the tag, or the first 12 hex digits of the digest
 * (label values are at most 63 characters of `[A-Za-z0-9_.-]`).
 */
export function versionFromImage(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1).replace(/^sha256:/, '').slice(0, 12);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > slash ? image.slice(colon + 1) : 'unversioned';
  return tag.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'unversioned';
}
