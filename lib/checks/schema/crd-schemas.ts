// CRD kinds no kubernetes-models package covers (at the version Stackwright emits) validate against
// the CRD's own openAPIV3Schema, generated into imports/schemas/ by `npm run import`.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import localize from 'ajv-i18n';
import { formats } from '@kubernetes-models/validate';
import { crdSchemas } from '../../../imports/schemas';

/** One CRD's schemas as `npm run import` generates them. */
export interface CrdSchemaModule {
  /** The upstream CRD file it was generated from. */
  readonly source: string;
  readonly group: string;
  readonly kind: string;
  /** openAPIV3Schema per served version, descriptions dropped. */
  readonly versions: Readonly<Record<string, object>>;
}

const byApiVersionKind = new Map<string, { module: CrdSchemaModule; schema: object }>();
for (const module of crdSchemas as readonly CrdSchemaModule[]) {
  for (const [version, schema] of Object.entries(module.versions)) byApiVersionKind.set(`${module.group}/${version}/${module.kind}`, { module, schema });
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function compiler(): Ajv {
  if (ajv) return ajv;
  // The API server's structural-schema rules: every error reported, Kubernetes formats (int32,
  // int64, byte, quantity, date-time, ...), and the x-kubernetes-* extensions known to ajv. Large
  // CRDs compile in half the time without code optimization and messages (ajv-i18n adds those to
  // the errors of a failed run, as kubernetes-models does).
  ajv = new Ajv({ allErrors: true, strict: false, logger: false, formats, messages: false, code: { optimize: false } });
  ajv.addKeyword({
    keyword: 'x-kubernetes-preserve-unknown-fields',
    // Reading the keys marks every field of this object as declared for the unknown-field walk.
    validate: (preserve: unknown, data: unknown) => {
      if (preserve === true && typeof data === 'object' && data !== null) Reflect.ownKeys(data);
      return true;
    },
    errors: false,
  });
  for (const keyword of ['x-kubernetes-int-or-string', 'x-kubernetes-embedded-resource', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-validations']) {
    ajv.addKeyword({ keyword });
  }
  return ajv;
}

/** The upstream CRD file whose generated schema covers this apiVersion and kind, if any (nothing is compiled). */
export function crdSchemaSource(apiVersion: string, kind: string): string | undefined {
  return byApiVersionKind.get(`${apiVersion}/${kind}`)?.module.source;
}

/** A validator's errors of one run, with English messages. */
export function crdErrors(validate: ValidateFunction, data: unknown): ErrorObject[] {
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  localize.en(errors);
  return errors;
}

/** The compiled validator of a CRD kind's schema (compiled once, on first use), with its source. */
export function crdValidator(apiVersion: string, kind: string): { validate: ValidateFunction; source: string } | undefined {
  const key = `${apiVersion}/${kind}`;
  const entry = byApiVersionKind.get(key);
  if (!entry) return undefined;
  let validate = compiled.get(key);
  if (!validate) {
    validate = compiler().compile(entry.schema);
    compiled.set(key, validate);
  }
  return { validate, source: entry.module.source };
}
