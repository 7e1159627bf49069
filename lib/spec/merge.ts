/**
 * Deep partial of a spec input, for environment overlays: objects merge key by key, arrays of named
 * items merge item by item on `name` (so an overlay names only what it changes), other arrays replace.
 */
export type Overlay<T> = T extends readonly (infer E)[]
  ? [E] extends [{ name: string }]
    ? ReadonlyArray<Overlay<E> & { readonly name: string }>
    : readonly E[]
  : T extends object
    ? { readonly [K in keyof T]?: Overlay<T[K]> }
    : T;

type Json = unknown;

function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNamedList(value: Json): value is Record<string, Json>[] {
  return Array.isArray(value) && value.every((item) => isPlainObject(item) && typeof item.name === 'string');
}

/** Merges `overlay` over `base` without mutating either (see {@link Overlay}). */
export function mergeOverlay<T>(base: T, overlay: Json): T {
  return merge(base, overlay) as T;
}

function merge(base: Json, overlay: Json): Json {
  if (overlay === undefined) return clone(base);
  if (isPlainObject(base) && isPlainObject(overlay)) {
    const out: Record<string, Json> = {};
    for (const key of Object.keys(base)) out[key] = clone(base[key]);
    for (const key of Object.keys(overlay)) out[key] = merge(base[key], overlay[key]);
    return out;
  }
  if (isNamedList(base) && isNamedList(overlay) && base.length > 0) {
    // By name through maps, not a scan per item: lists of a thousand services merge in linear time.
    const overlayByName = new Map<unknown, Record<string, Json>>();
    for (const o of overlay) if (!overlayByName.has(o.name)) overlayByName.set(o.name, o);
    const baseNames = new Set(base.map((b) => b.name));
    const out = base.map((item) => {
      const match = overlayByName.get(item.name);
      return match ? merge(item, match) : clone(item);
    });
    for (const item of overlay) if (!baseNames.has(item.name)) out.push(clone(item) as Record<string, Json>);
    return out;
  }
  return clone(overlay);
}

function clone(value: Json): Json {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}
