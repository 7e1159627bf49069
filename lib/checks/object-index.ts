import type { Finding, Manifest, ManifestFile } from './finding';
import type { RuleName } from './rules';

/** An object with where it came from. */
export interface Located {
  readonly object: Manifest;
  readonly file: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** A pod template some object declares: its spec, its labels, and the JSON path to it. */
export interface PodTemplate {
  readonly owner: Located;
  readonly spec: PodSpec;
  readonly labels: Readonly<Record<string, string>>;
  /** Where the pod spec sits, for messages, e.g. `spec.template.spec`. */
  readonly path: string;
  /** Whether the pods run until stopped (not Jobs or CronJobs). */
  readonly longRunning: boolean;
  /** Names of the owner's claim templates (StatefulSet `volumeClaimTemplates`). */
  readonly claimTemplates: readonly string[];
}

/** The parts of a pod spec the checks read; everything else passes through untyped. */
export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly ephemeralContainers?: readonly Container[];
  readonly volumes?: readonly { readonly name?: string; readonly [key: string]: unknown }[];
  readonly securityContext?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface Container {
  readonly name?: string;
  readonly image?: string;
  readonly ports?: readonly { readonly name?: string; readonly containerPort?: number; readonly protocol?: string; readonly hostPort?: number }[];
  readonly resources?: { readonly requests?: Record<string, unknown>; readonly limits?: Record<string, unknown> };
  readonly volumeMounts?: readonly { readonly name?: string; readonly mountPath?: string }[];
  readonly securityContext?: Record<string, unknown>;
  readonly readinessProbe?: unknown;
  readonly livenessProbe?: unknown;
  readonly restartPolicy?: string;
  readonly [key: string]: unknown;
}

/** Workload kinds whose pod template sits at `spec.template`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Rollout', 'ReplicationController']);

/**
 * Every object of one environment, indexed once: by `kind/namespace/name`, by kind, and the pod
 * templates by namespace, so cross-object rules look things up instead of scanning every object.
 */
export class ObjectIndex {
  public readonly objects: readonly Located[];
  private readonly byKey = new Map<string, Located[]>();
  private readonly byKind = new Map<string, Located[]>();
  private readonly templatesByNamespace = new Map<string, PodTemplate[]>();
  public readonly templates: readonly PodTemplate[];

  constructor(public readonly environment: string, files: readonly ManifestFile[]) {
    const objects: Located[] = [];
    const templates: PodTemplate[] = [];
    for (const file of files) {
      for (const object of file.objects) {
        const located: Located = {
          object,
          file: file.path,
          kind: String(object.kind),
          namespace: typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : '',
          name: typeof object.metadata?.name === 'string' ? object.metadata.name : '',
        };
        objects.push(located);
        push(this.byKey, ObjectIndex.key(located.kind, located.namespace, located.name), located);
        push(this.byKind, located.kind, located);
        const template = podTemplateOf(located);
        if (template) {
          templates.push(template);
          push(this.templatesByNamespace, located.namespace, template);
        }
      }
    }
    this.objects = objects;
    this.templates = templates;
  }

  public static key(kind: string, namespace: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  /** Objects of a kind, namespace and name (more than one only when duplicated). */
  public get(kind: string, namespace: string, name: string): readonly Located[] {
    return this.byKey.get(ObjectIndex.key(kind, namespace, name)) ?? [];
  }

  public ofKind(kind: string): readonly Located[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Every key with more than one object. */
  public duplicates(): readonly (readonly Located[])[] {
    return [...this.byKey.values()].filter((list) => list.length > 1);
  }

  public templatesIn(namespace: string): readonly PodTemplate[] {
    return this.templatesByNamespace.get(namespace) ?? [];
  }
}

/** The pod template of a workload object, if it has one Stackwright authors in full. */
export function podTemplateOf(located: Located): PodTemplate | undefined {
  const { object, kind } = located;
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return undefined;
  let template: Record<string, unknown> | undefined;
  let path: string;
  if (TEMPLATE_KINDS.has(kind)) {
    template = spec.template as Record<string, unknown> | undefined;
    path = 'spec.template';
  } else if (kind === 'CronJob') {
    const jobSpec = (spec.jobTemplate as { spec?: Record<string, unknown> } | undefined)?.spec;
    template = jobSpec?.template as Record<string, unknown> | undefined;
    path = 'spec.jobTemplate.spec.template';
  } else if (kind === 'Pod' && object.apiVersion === 'v1') {
    return { owner: located, spec: spec as PodSpec, labels: labelsOf(object.metadata), path: 'spec', longRunning: true, claimTemplates: [] };
  } else {
    return undefined;
  }
  if (!template || typeof template.spec !== 'object' || template.spec === null) return undefined;
  const claimTemplates = kind === 'StatefulSet'
    ? ((spec.volumeClaimTemplates as { metadata?: { name?: string } }[] | undefined) ?? []).map((c) => c.metadata?.name ?? '')
    : [];
  return {
    owner: located,
    spec: template.spec as PodSpec,
    labels: labelsOf(template.metadata as Manifest['metadata'] | undefined),
    path: `${path}.spec`,
    longRunning: kind !== 'Job' && kind !== 'CronJob',
    claimTemplates,
  };
}

function labelsOf(metadata: Manifest['metadata'] | undefined): Record<string, string> {
  const labels = metadata?.labels;
  return typeof labels === 'object' && labels !== null ? (labels as Record<string, string>) : {};
}

/** Every container of a pod spec, with the list it is in. */
export function containersOf(spec: PodSpec): { container: Container; list: 'containers' | 'initContainers' | 'ephemeralContainers' }[] {
  return [
    ...(spec.containers ?? []).map((container) => ({ container, list: 'containers' as const })),
    ...(spec.initContainers ?? []).map((container) => ({ container, list: 'initContainers' as const })),
    ...(spec.ephemeralContainers ?? []).map((container) => ({ container, list: 'ephemeralContainers' as const })),
  ];
}

/** Whether a label selector (`matchLabels` and `matchExpressions`) selects a label set. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (typeof selector !== 'object' || selector === null) return false;
  const { matchLabels, matchExpressions } = selector as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  for (const [key, value] of Object.entries(matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expr of matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
    const inValues = has && (expr.values ?? []).includes(labels[expr.key]);
    if (expr.operator === 'In' && !inValues) return false;
    if (expr.operator === 'NotIn' && inValues) return false;
    if (expr.operator === 'Exists' && !has) return false;
    if (expr.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Whether a plain `key: value` map (a Service selector) selects a label set; an empty map selects nothing here. */
export function mapSelects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** Collects findings for one environment; rules call `report` with the object a finding is about. */
export class FindingSink {
  public readonly findings: Finding[] = [];

  constructor(private readonly environment: string) {}

  public report(rule: RuleName, at: Located, message: string): void {
    this.findings.push({ rule, environment: this.environment, file: at.file, kind: at.kind, namespace: at.namespace, name: at.name, message });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Items with label sets (pod templates), indexed by namespace and each `key=value` pair, so the
 * templates a selector picks are found from one of its pairs instead of by scanning them all.
 */
export class LabelIndex<T> {
  private readonly byPair = new Map<string, T[]>();

  public add(namespace: string, labels: Readonly<Record<string, string>>, item: T): void {
    for (const [k, v] of Object.entries(labels)) push(this.byPair, `${namespace}\u0000${k}=${v}`, item);
  }

  /** Items in the namespace whose labels contain every pair of a non-empty `key: value` selector. */
  public selectedBy(namespace: string, selector: Readonly<Record<string, string>>, labelsOf: (item: T) => Readonly<Record<string, string>>): T[] {
    const pairs = Object.entries(selector);
    if (pairs.length === 0) return [];
    let smallest: T[] | undefined;
    for (const [k, v] of pairs) {
      const list = this.byPair.get(`${namespace}\u0000${k}=${v}`);
      if (!list) return [];
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return smallest!.filter((item) => mapSelects(selector, labelsOf(item)));
  }
}

/**
 * Items with label selectors (PodDisruptionBudgets), indexed by namespace and one `key=value` pair of
 * their `matchLabels`, so the selectors that pick a label set are found from its pairs.
 */
export class SelectorIndex<T> {
  private readonly byPair = new Map<string, T[]>();
  /** Selectors without matchLabels (expressions only): checked against every label set. */
  private readonly unkeyed = new Map<string, T[]>();

  public add(namespace: string, selector: unknown, item: T): void {
    const matchLabels = (selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
    const first = Object.keys(matchLabels).sort()[0];
    if (first === undefined) push(this.unkeyed, namespace, item);
    else push(this.byPair, `${namespace}\u0000${first}=${matchLabels[first]}`, item);
  }

  /** Items in the namespace whose selector matches the label set. */
  public selecting(namespace: string, labels: Readonly<Record<string, string>>, selectorOf: (item: T) => unknown): T[] {
    const candidates = [...(this.unkeyed.get(namespace) ?? [])];
    for (const [k, v] of Object.entries(labels)) candidates.push(...(this.byPair.get(`${namespace}\u0000${k}=${v}`) ?? []));
    return candidates.filter((item) => selectorMatches(selectorOf(item), labels));
  }
}
