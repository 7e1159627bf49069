/** One step of a field path: an object key, a list item matched by its name, or a list index. */
export type PathStep =
  | { readonly key: string }
  | { readonly itemName: string }
  | { readonly index: number };

/** A field that differs between two versions of an object; `before`/`after` is undefined when absent. */
export interface FieldChange {
  readonly path: readonly PathStep[];
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * Every leaf that differs between two JSON values, as field paths. Objects compare key by key; lists
 * whose items all carry a unique `name` (or `metadata.name`, as in `volumeClaimTemplates`) compare item
 * by name, so inserting a container or env var does not shift every later item; other lists of objects
 * compare by index; lists of scalars compare whole. A value present on one side only is one change.
 */
export function diffValues(before: unknown, after: unknown, path: readonly PathStep[] = []): FieldChange[] {
  if (deepEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffValues(before[key], after[key], [...path, { key }]));
  }
  if (Array.isArray(before) && Array.isArray(after)) return diffLists(before, after, path);
  return [{ path, before, after }];
}

function diffLists(before: readonly unknown[], after: readonly unknown[], path: readonly PathStep[]): FieldChange[] {
  const beforeNames = itemNames(before);
  const afterNames = itemNames(after);
  if (beforeNames && afterNames) {
    const changes: FieldChange[] = [];
    const all = [...new Set([...beforeNames, ...afterNames])];
    for (const name of all) {
      const b = before[beforeNames.indexOf(name)];
      const a = after[afterNames.indexOf(name)];
      changes.push(...diffValues(b, a, [...path, { itemName: name }]));
    }
    const common = (names: readonly string[], other: readonly string[]) => names.filter((n) => other.includes(n));
    const orderBefore = common(beforeNames, afterNames);
    const orderAfter = common(afterNames, beforeNames);
    // Reordering named items (containers, env vars) changes the bytes and can change meaning ($(VAR) expansion).
    if (!deepEqual(orderBefore, orderAfter)) changes.push({ path, before: orderBefore.map(nameRef), after: orderAfter.map(nameRef) });
    return changes;
  }
  if (before.some(isRecord) || after.some(isRecord)) {
    const changes: FieldChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) changes.push(...diffValues(before[i], after[i], [...path, { index: i }]));
    return changes;
  }
  return [{ path, before, after }];
}

const nameRef = (name: string) => `[${name}]`;

/** The names of a list's items when every item has a distinct one, else undefined. */
function itemNames(list: readonly unknown[]): string[] | undefined {
  if (list.length === 0) return [];
  const names: string[] = [];
  for (const item of list) {
    if (!isRecord(item)) return undefined;
    const meta = item.metadata;
    const name = typeof item.name === 'string' ? item.name : isRecord(meta) && typeof meta.name === 'string' ? meta.name : undefined;
    if (name === undefined || names.includes(name)) return undefined;
    names.push(name);
  }
  return names;
}

/** `spec.template.spec.containers[api].image`; keys that are not plain words are quoted: `labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly PathStep[]): string {
  let out = '';
  for (const step of path) {
    if ('key' in step) out += /^[A-Za-z_$][\w$-]*$/.test(step.key) ? `${out ? '.' : ''}${step.key}` : `[${JSON.stringify(step.key)}]`;
    else if ('itemName' in step) out += `[${step.itemName}]`;
    else out += `[${step.index}]`;
  }
  return out || '(whole object)';
}

/** A value for one line of a plan: scalars as they read in YAML, structures as compact JSON, cut at `max` characters. */
export function formatValue(value: unknown, max = 100): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string'
    ? (/^[\w./:@+=,…-][\w./:@+=,… -]*$/.test(value) && !value.endsWith(' ') && !value.includes(': ') ? value : JSON.stringify(value))
    : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Old and new value for one line; two long strings are cut to the part that differs, with some
 * context, so `…service.version=1.4.2,deploy…` is seen instead of a shared prefix.
 */
export function formatChange(before: unknown, after: unknown, max = 100): [string, string] {
  if (typeof before !== 'string' || typeof after !== 'string' || (before.length <= max && after.length <= max)) {
    return [formatValue(before, max), formatValue(after, max)];
  }
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  const context = 16;
  const cut = (v: string) => {
    const from = Math.max(0, start - context);
    const to = Math.min(v.length, v.length - end + context);
    return `${from > 0 ? '…' : ''}${v.slice(from, to)}${to < v.length ? '…' : ''}`;
  };
  return [formatValue(cut(before), max), formatValue(cut(after), max)];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
