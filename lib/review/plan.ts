import { parseAllDocuments } from 'yaml';
import { diffValues, isRecord, type FieldChange, type PathStep } from './object-diff';
import { risksOf, type Risk } from './risks';

/** What identifies an object on a cluster. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** One object added, removed or changed. */
export interface ObjectChange {
  readonly action: 'add' | 'remove' | 'change';
  readonly ref: ObjectRef;
  /** Changed fields, without the version label (see `versionLabel`); empty for adds and removes. */
  readonly fields: readonly FieldChange[];
  /** The `app.kubernetes.io/version` label's change on this object, reported once per environment. */
  readonly versionLabel?: { readonly before?: string; readonly after?: string };
  /** Fields other than labels that only echo the new version (e.g. `service.version` in OTel attributes). */
  readonly versionEchoes?: readonly FieldChange[];
  readonly risks: readonly Risk[];
}

/** A non-object output file (e.g. the overview `prod.md`) or a file whose bytes changed while its objects did not. */
export interface FileChange {
  readonly action: 'add' | 'remove' | 'change';
  readonly path: string;
}

/** The plan of one environment (one folder of dist/). */
export interface EnvironmentPlan {
  readonly environment: string;
  readonly production: boolean;
  /** Adds, changes and removes, in that order, each sorted by kind and name. */
  readonly objects: readonly ObjectChange[];
  readonly files: readonly FileChange[];
}

/** Counts of a plan (of one environment or all). */
export interface PlanTotals {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** Objects whose only change is the version label. */
  readonly relabelled: number;
  readonly risky: number;
  readonly files: number;
}

/** dist/gitops/: the Argo CD and Flux objects, planned like an environment's folder though it is none. */
export const GITOPS_FOLDER = 'gitops';

/** The label every object carries that follows the image tag: noise in a review, so it is summarized once. */
export const VERSION_LABEL = 'app.kubernetes.io/version';

/**
 * Compares two output trees (path relative to dist/ → file content) object by object. Objects match
 * by apiVersion, kind, namespace and name, whichever file they are in; files group into environments
 * by their folder (`prod/…`), and top-level files by their base name (`prod.md` → prod).
 */
export function planTrees(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  isProduction: (environment: string) => boolean = () => false,
  /** The objects of `after`'s manifests by path, when the caller has them (a synth does): not parsed again. */
  afterObjects?: ReadonlyMap<string, readonly object[]>,
): EnvironmentPlan[] {
  const envs = new Set([...before.keys(), ...after.keys()].map(environmentOf));
  return [...envs].sort().map((env) => {
    const inEnv = (tree: ReadonlyMap<string, string>) => new Map([...tree].filter(([path]) => environmentOf(path) === env));
    return planEnvironment(env, inEnv(before), inEnv(after), isProduction(env), afterObjects);
  });
}

function planEnvironment(
  environment: string,
  before: Map<string, string>,
  after: Map<string, string>,
  production: boolean,
  afterObjects: ReadonlyMap<string, readonly object[]> | undefined,
): EnvironmentPlan {
  // A manifest with the same bytes on both sides holds the same objects on both: it can add, change
  // or remove nothing, so only the files that differ are parsed (a synth usually changes a few files).
  const differing = (tree: Map<string, string>, other: Map<string, string>) => new Map([...tree].filter(([path, content]) => other.get(path) !== content));
  const oldObjects = indexObjects(differing(before, after));
  const newObjects = indexObjects(differing(after, before), afterObjects);
  const objects: ObjectChange[] = [];
  for (const [id, obj] of newObjects) {
    const old = oldObjects.get(id);
    if (!old) {
      objects.push({ action: 'add', ref: refOf(obj), fields: [], risks: risksOf({ ...kindOf(obj), after: obj, fields: [], production }) });
      continue;
    }
    const all = diffValues(old, obj);
    if (all.length === 0) continue;
    const label = all.find((c) => isVersionLabel(c.path) && c.path.length === 3) ?? all.find((c) => isVersionLabel(c.path));
    const versionLabel = label ? { before: label.before as string | undefined, after: label.after as string | undefined } : undefined;
    const rest = all.filter((c) => !isVersionLabel(c.path));
    const versionEchoes = rest.filter((c) => echoesVersion(c, versionLabel));
    const fields = rest.filter((c) => !versionEchoes.includes(c));
    objects.push({
      action: 'change', ref: refOf(obj), fields, versionLabel, versionEchoes,
      risks: risksOf({ ...kindOf(obj), before: old, after: obj, fields: all, production }),
    });
  }
  for (const [id, old] of oldObjects) {
    if (!newObjects.has(id)) objects.push({ action: 'remove', ref: refOf(old), fields: [], risks: risksOf({ ...kindOf(old), before: old, fields: [], production }) });
  }
  const order = { add: 0, change: 1, remove: 2 } as const;
  objects.sort((a, b) => order[a.action] - order[b.action] || compareRefs(a.ref, b.ref));

  const files: FileChange[] = [];
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(path);
    const a = after.get(path);
    if (b === a) continue;
    // A manifest file's object changes are already listed; its bytes alone matter only when no object changed.
    if (isManifest(path) && objects.length > 0) continue;
    files.push({ path, action: b === undefined ? 'add' : a === undefined ? 'remove' : 'change' });
  }
  return { environment, production, objects, files };
}

/**
 * Whether a field changed only by the object's version label changing from old to new, as a
 * `service.version=` in OTel attributes does. Images are never echoes: they are where versions come from.
 */
function echoesVersion(change: FieldChange, label: { before?: string; after?: string } | undefined): boolean {
  if (!label?.before || !label.after) return false;
  const last = change.path[change.path.length - 1];
  if (last && 'key' in last && last.key === 'image') return false;
  const { before, after } = change;
  return typeof before === 'string' && typeof after === 'string' && before.includes(label.before) && before.split(label.before).join(label.after) === after;
}

/** Whether a field path is the version label of the object or of its pod template(s). */
function isVersionLabel(path: readonly PathStep[]): boolean {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  const grand = path[path.length - 3];
  return last !== undefined && 'key' in last && last.key === VERSION_LABEL
    && parent !== undefined && 'key' in parent && parent.key === 'labels'
    && grand !== undefined && 'key' in grand && grand.key === 'metadata';
}

export function totalsOf(plans: readonly EnvironmentPlan[]): PlanTotals {
  const count = (pred: (o: ObjectChange) => boolean) => plans.reduce((n, p) => n + p.objects.filter(pred).length, 0);
  return {
    added: count((o) => o.action === 'add'),
    changed: count((o) => o.action === 'change' && o.fields.length > 0),
    removed: count((o) => o.action === 'remove'),
    relabelled: count((o) => o.action === 'change' && o.fields.length === 0),
    risky: count((o) => o.risks.length > 0),
    files: plans.reduce((n, p) => n + p.files.length, 0),
  };
}

/** Whether a plan changes anything at all (objects or files). */
export function hasChanges(plans: readonly EnvironmentPlan[]): boolean {
  return plans.some((p) => p.objects.length > 0 || p.files.length > 0);
}

/** `Deployment/api`; the namespace is added when it is not the environment's main one. */
export function displayRef(ref: ObjectRef, mainNamespace?: string): string {
  const ns = ref.namespace !== undefined && ref.namespace !== mainNamespace ? ` (${ref.namespace})` : '';
  return `${ref.kind}/${ref.name}${ns}`;
}

/** The namespace most changed objects of a plan are in, so lines can omit it. */
export function mainNamespaceOf(plan: EnvironmentPlan): string | undefined {
  const counts = new Map<string, number>();
  for (const o of plan.objects) if (o.ref.namespace) counts.set(o.ref.namespace, (counts.get(o.ref.namespace) ?? 0) + 1);
  return [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0];
}

function environmentOf(path: string): string {
  const slash = path.indexOf('/');
  if (slash >= 0) return path.slice(0, slash);
  const dot = path.indexOf('.');
  return dot > 0 ? path.slice(0, dot) : path;
}

function isManifest(path: string): boolean {
  return /\.ya?ml$/.test(path);
}

type Obj = Record<string, unknown>;

/** Every object of the manifest files of a tree, by identity; a duplicate identity (among the files given) is an error. */
function indexObjects(tree: ReadonlyMap<string, string>, known?: ReadonlyMap<string, readonly object[]>): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const [path, content] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
    if (!isManifest(path)) continue;
    for (const obj of known?.get(path) ?? parseObjects(path, content)) {
      if (obj === null || obj === undefined) continue;
      if (!isRecord(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || !isRecord(obj.metadata) || typeof obj.metadata.name !== 'string') {
        throw new Error(`${path}: a document without apiVersion, kind and metadata.name`);
      }
      const id = identity(refOf(obj));
      if (out.has(id)) throw new Error(`${path}: ${id} appears twice in one environment`);
      out.set(id, obj);
    }
  }
  return out;
}

function parseObjects(path: string, content: string): unknown[] {
  return parseAllDocuments(content).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: not valid YAML: ${doc.errors[0].message}`);
    return doc.toJS();
  });
}

function refOf(obj: Obj): ObjectRef {
  const meta = obj.metadata as Obj;
  return {
    apiVersion: obj.apiVersion as string,
    kind: obj.kind as string,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
    name: meta.name as string,
  };
}

function kindOf(obj: Obj): { apiVersion: string; kind: string } {
  return { apiVersion: obj.apiVersion as string, kind: obj.kind as string };
}

function identity(ref: ObjectRef): string {
  return `${ref.apiVersion} ${ref.kind} ${ref.namespace ?? ''}/${ref.name}`;
}

function compareRefs(a: ObjectRef, b: ObjectRef): number {
  return a.kind.localeCompare(b.kind) || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name) || a.apiVersion.localeCompare(b.apiVersion);
}
