// Rules `known-kind`, `schema` and `unknown-field`: every object against the schema of its
// apiVersion and kind, and every field it sets against the fields that schema declares.
import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import type { ErrorObject } from 'ajv';
import type { FindingSink, Located, ObjectIndex } from '../object-index';
import { crdErrors, crdSchemaSource, crdValidator } from './crd-schemas';
import { DROPPED_PROPERTIES, packageFor, packageModel } from './package-models';
import { closestName } from '../../core/closest-name';

/** What one validator run saw: its errors, and the fields it never looked at. */
interface SchemaResult {
  readonly errors: readonly ErrorObject[];
  readonly unknown: readonly { readonly path: string; readonly declared: readonly string[] }[];
}

/**
 * Runs a validator over the object through a proxy that records which properties it reads. A
 * validator reads every property its schema declares (and enumerates the keys of maps and of
 * objects that preserve unknown fields), so a key it never touched is one the schema does not
 * declare. Objects the validator never looked into (free-form, e.g. `{}` schemas) are skipped.
 */
function runTracked(value: unknown, validate: (data: unknown) => readonly ErrorObject[]): SchemaResult {
  interface Node { readonly path: string; readonly value: Record<string, unknown>; readonly read: Set<string>; enumerated: boolean }
  const nodes: Node[] = [];
  const wrap = (target: unknown, path: string): unknown => {
    if (typeof target !== 'object' || target === null) return target;
    const node: Node = { path, value: target as Record<string, unknown>, read: new Set(), enumerated: false };
    if (!Array.isArray(target)) nodes.push(node);
    const children = new Map<string, unknown>();
    return new Proxy(target as object, {
      get(t, key, receiver) {
        if (typeof key !== 'string') return Reflect.get(t, key, receiver);
        node.read.add(key);
        const child = (t as Record<string, unknown>)[key];
        if (typeof child !== 'object' || child === null || !Object.prototype.hasOwnProperty.call(t, key)) return child;
        if (!children.has(key)) children.set(key, wrap(child, Array.isArray(t) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`));
        return children.get(key);
      },
      has(t, key) {
        if (typeof key === 'string') node.read.add(key);
        return Reflect.has(t, key);
      },
      ownKeys(t) {
        node.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
  };
  const errors = validate(wrap(value, ''));
  const unknown: { path: string; declared: string[] }[] = [];
  for (const node of nodes) {
    if (node.enumerated || node.read.size === 0) continue;
    const declared = [...node.read].filter((k) => !/^\d+$/.test(k) && k !== 'length');
    for (const key of Object.keys(node.value)) {
      if (!node.read.has(key)) unknown.push({ path: node.path === '' ? key : `${node.path}.${key}`, declared });
    }
  }
  return { errors, unknown };
}

/** ajv's errors of one run, thrown by a kubernetes-models validate() or set on a compiled validator. */
function modelErrors(model: { prototype: { validate(this: unknown): void } }) {
  return (data: unknown): readonly ErrorObject[] => {
    try {
      model.prototype.validate.call(data);
      return [];
    } catch (error) {
      const errors = (error as { errors?: ErrorObject[] }).errors;
      if (!errors) throw error;
      return errors;
    }
  };
}

/** `/spec/template/spec/containers/0/name` → `spec.template.spec.containers[0].name`. */
function dotted(instancePath: string): string {
  return instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, seg) => (/^\d+$/.test(seg) ? `${out}[${seg}]` : out === '' ? seg : `${out}.${seg}`), '');
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) return `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (error.keyword === 'additionalProperties') return `unknown field "${String(params.additionalProperty)}"`;
  return error.message ?? error.keyword;
}

/** Reports one finding per field with errors (a oneOf's branch errors merge into one message). */
function reportErrors(sink: FindingSink, at: Located, errors: readonly ErrorObject[], against: string): void {
  const byPath = new Map<string, string[]>();
  for (const error of errors) {
    const path = dotted(error.instancePath) || '(object)';
    const messages = byPath.get(path) ?? [];
    const message = describe(error);
    if (!messages.includes(message)) messages.push(message);
    byPath.set(path, messages);
  }
  for (const [path, messages] of byPath) sink.report('schema', at, `${path}: ${messages.join('; ')} (${against})`);
}

function reportUnknown(sink: FindingSink, at: Located, unknown: SchemaResult['unknown'], against: string, dropped: readonly string[] = []): void {
  for (const field of unknown) {
    if (dropped.includes(field.path)) continue;
    const key = field.path.slice(field.path.lastIndexOf('.') + 1);
    const parent = field.path.slice(0, Math.max(0, field.path.lastIndexOf('.')));
    const siblings = dropped.filter((d) => d.slice(0, Math.max(0, d.lastIndexOf('.'))) === parent).map((d) => d.slice(d.lastIndexOf('.') + 1));
    const close = closestName(key, [...field.declared, ...siblings]);
    sink.report('unknown-field', at, `${field.path}: unknown field "${key}"${close ? ` (did you mean "${close}"?)` : ''}; ${against} does not declare it`);
  }
}

const objectMetaErrors = modelErrors(ObjectMeta as unknown as { prototype: { validate(this: unknown): void } });

/** Which schema validates an apiVersion and kind: a kubernetes-models package, a CRD (by upstream URL), or none. */
export function schemaSource(apiVersion: string, kind: string): string | undefined {
  if (packageModel(apiVersion, kind)) return packageFor(apiVersion);
  const source = crdSchemaSource(apiVersion, kind);
  return source === undefined ? undefined : `CRD ${source}`;
}

/** Validates every object of the index against its kind's schema. */
export function checkSchemas(index: ObjectIndex, sink: FindingSink): void {
  for (const at of index.objects) {
    const { apiVersion, kind } = at.object;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      sink.report('known-kind', at, 'the object has no apiVersion or kind');
      continue;
    }
    const model = packageModel(apiVersion, kind);
    if (model) {
      const against = `the ${apiVersion} ${kind} schema (kubernetes-models)`;
      const result = runTracked(at.object, modelErrors(model));
      reportErrors(sink, at, result.errors, against);
      reportUnknown(sink, at, result.unknown, against, DROPPED_PROPERTIES[kind]);
      continue;
    }
    const crd = crdValidator(apiVersion, kind);
    if (crd) {
      const against = `the ${apiVersion} ${kind} CRD schema`;
      const result = runTracked(at.object, (data) => crdErrors(crd.validate, data));
      reportErrors(sink, at, result.errors, against);
      reportUnknown(sink, at, result.unknown.filter((u) => !u.path.startsWith('metadata.')), against);
      // A CRD schema leaves metadata to the API server's ObjectMeta rules.
      const meta = runTracked(at.object.metadata, objectMetaErrors);
      reportErrors(sink, at, meta.errors.map((e) => ({ ...e, instancePath: `/metadata${e.instancePath}` })), 'ObjectMeta');
      reportUnknown(sink, at, meta.unknown.map((u) => ({ ...u, path: `metadata.${u.path}` })), 'ObjectMeta');
      continue;
    }
    sink.report('known-kind', at, `no schema covers ${apiVersion} ${kind}: neither a kubernetes-models package nor a CRD in imports/schemas (add its CRD to cdk8s.yaml and run npm run import)`);
  }
}
