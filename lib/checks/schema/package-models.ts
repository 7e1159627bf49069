// Schemas from the kubernetes-models packages (4.x line, Node 20): built-in kinds from
// `kubernetes-models`, CRD kinds from the `@kubernetes-models/*` package of their API group.
import { createRequire } from 'node:module';

/** A kubernetes-models class: its validate() throws an ajv ValidationError listing every error. */
interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(this: unknown): void };
}

/** API groups whose kinds a `@kubernetes-models/*` package of the same line as kubernetes-models 4 covers. */
const CRD_PACKAGES: Readonly<Record<string, string>> = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'keda.sh': '@kubernetes-models/keda',
  'cert-manager.io': '@kubernetes-models/cert-manager',
  'argoproj.io': '@kubernetes-models/argo-cd',
  'source.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'kustomize.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'external-secrets.io': '@kubernetes-models/external-secrets',
  'autoscaling.k8s.io': '@kubernetes-models/autoscaler',
};

/**
 * Properties the kubernetes-models generator drops from its validators (it strips every schema key
 * named `description`, including properties of that name), by kind: declared upstream, so not unknown.
 */
export const DROPPED_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  PriorityClass: ['description'],
  AppProject: ['spec.description'],
};

const load = createRequire(__filename);
const cache = new Map<string, ModelClass | undefined>();

/** The package that would hold an API version's kinds; `kubernetes-models` exports only built-in groups. */
export function packageFor(apiVersion: string): string {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return CRD_PACKAGES[group] ?? 'kubernetes-models';
}

/** The kubernetes-models class for exactly this apiVersion and kind, if a package has one. */
export function packageModel(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion}/${kind}`;
  if (cache.has(key)) return cache.get(key);
  let model: ModelClass | undefined;
  const pkg = packageFor(apiVersion);
  if (/^[A-Za-z0-9]+$/.test(kind) && /^[a-z0-9.-]*\/?[a-z0-9]+$/.test(apiVersion)) {
    // `<package>/<group>/<version>/<Kind>`; core kinds are at `kubernetes-models/v1/<Kind>`.
    try {
      const candidate = (load(`${pkg}/${apiVersion}/${kind}`) as Record<string, ModelClass | undefined>)[kind];
      if (candidate && candidate.apiVersion === apiVersion && candidate.kind === kind) model = candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' && (error as NodeJS.ErrnoException).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
    }
  }
  cache.set(key, model);
  return model;
}
