import type { RuleName } from './rules';

/** A manifest as the checks see it: plain JSON, from a synth in memory or from YAML on disk. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** One file of one environment's output, with its objects in file order. */
export interface ManifestFile {
  /** Path relative to dist/, e.g. `prod/0300-api.k8s.yaml`. */
  readonly path: string;
  readonly objects: readonly Manifest[];
}

/** One problem in one object: which rule, where, and what is wrong. */
export interface Finding {
  readonly rule: RuleName;
  readonly environment: string;
  /** Path relative to dist/. */
  readonly file: string;
  readonly kind: string;
  /** Empty for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
  readonly message: string;
}

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
export function objectRef(kind: string, namespace: string | undefined, name: string | undefined): string {
  return namespace ? `${kind}/${namespace}/${name ?? '(unnamed)'}` : `${kind}/${name ?? '(unnamed)'}`;
}

/** One line per finding: rule, environment, file, object, message. */
export function formatFinding(f: Finding): string {
  return `  [${f.rule}] ${f.environment} ${f.file} ${objectRef(f.kind, f.namespace, f.name)}: ${f.message}`;
}
