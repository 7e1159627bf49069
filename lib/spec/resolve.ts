import * as z from 'zod';
import { SpecError, type SpecProblem } from './errors';
import { gitopsSchema, type ResolvedGitops } from './gitops';
import { mergeOverlay, type Overlay } from './merge';
import { platformSchema, type PlatformInput, type ResolvedPlatform } from './platform';
import { checkPlatform } from './rules';
import { closestName } from '../core/closest-name';

type PathSegment = string | number;

/** Validates one environment's merged spec: all problems, or the resolved platform. */
export function resolvePlatform(environment: string, input: unknown): ResolvedPlatform {
  const problems: SpecProblem[] = [];
  const result = platformSchema.safeParse(input, { reportInput: true });
  const where = (path: readonly PathSegment[]) => renderPath(input, path);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...fromIssue(environment, input, issue, platformSchema));
    throw new SpecError(problems);
  }
  if (result.data.environment !== environment) {
    problems.push({ environment, path: 'environment', received: result.data.environment, message: `expected "${environment}", the name of the environment file` });
  }
  const resolved = deepFreeze({ ...result.data, namespace: result.data.namespace ?? `${result.data.name}-${result.data.environment}` });
  checkPlatform(resolved, (path, received, message) => problems.push({ environment, path: where(path), received, message }));
  if (problems.length > 0) throw new SpecError(problems);
  return resolved;
}

/** Merges each environment's overlay over the base and resolves them all, reporting every problem of every environment. */
export function resolveEnvironments(
  base: Overlay<PlatformInput>,
  overlays: Readonly<Record<string, Overlay<PlatformInput>>>,
): ResolvedPlatform[] {
  const problems: SpecProblem[] = [];
  const resolved: ResolvedPlatform[] = [];
  for (const [environment, overlay] of Object.entries(overlays)) {
    try {
      resolved.push(resolvePlatform(environment, mergeOverlay(base, overlay)));
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
  return resolved;
}

/**
 * Validates the GitOps block (environments/index.ts) against the environments it syncs; problems
 * are reported under the name `gitops`.
 */
export function resolveGitops(input: unknown, environments: readonly string[]): ResolvedGitops {
  const result = gitopsSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new SpecError(result.error.issues.flatMap((issue) => fromIssue('gitops', input, issue, gitopsSchema)));
  const problems: SpecProblem[] = [];
  const report = (path: string, received: unknown, message: string) => problems.push({ environment: 'gitops', path, received, message });
  if (environments.includes('gitops')) report('', 'gitops', 'an environment cannot be named "gitops": dist/gitops/ holds the Argo CD and Flux objects');
  for (const env of Object.keys(result.data.clusters)) {
    if (!environments.includes(env)) report(`clusters.${env}`, result.data.clusters[env], `expected the name of an environment: ${[...environments].sort().join(', ')}`);
  }
  if (problems.length > 0) throw new SpecError(problems);
  return deepFreeze(result.data);
}

function fromIssue(environment: string, input: unknown, issue: z.core.$ZodIssue, root: z.core.$ZodType): SpecProblem[] {
  // A discriminated union reports the whole object; the discriminator's own value is what is wrong.
  const discriminated = issue.code === 'invalid_union' && Array.isArray((issue as { options?: unknown }).options);
  const received = 'input' in issue && !discriminated ? issue.input : valueAt(input, issue.path);
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(root, input, issue.path);
    return issue.keys.map((key) => ({
      environment,
      path: renderPath(input, [...issue.path, key] as PathSegment[]),
      received: valueAt(input, [...issue.path, key] as PathSegment[]),
      message: `unknown field "${key}"${suggest(key, allowed)}; allowed fields: ${allowed.join(', ')}`,
    }));
  }
  let message = issue.message;
  if (issue.code === 'invalid_type' && received === undefined) message = `required field is missing (expected ${issue.expected})`;
  else if (issue.code === 'invalid_type') message = `expected ${issue.expected}`;
  else if (issue.code === 'invalid_value') message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  else if (issue.code === 'too_small') message = `expected ${issue.origin === 'array' ? 'at least ' + issue.minimum + ' item(s)' : issue.inclusive ? '≥ ' + issue.minimum : '> ' + issue.minimum}`;
  else if (issue.code === 'too_big') message = `expected ${issue.origin === 'array' ? 'at most ' + issue.maximum + ' item(s)' : issue.inclusive ? '≤ ' + issue.maximum : '< ' + issue.maximum}`;
  else if (issue.code === 'invalid_format' && issue.format === 'starts_with') message = `expected a string starting with "${(issue as { prefix?: string }).prefix}"`;
  else if (issue.code === 'invalid_format' && issue.message.startsWith('Invalid')) message = `expected ${issue.format}`;
  else if (issue.code === 'invalid_key') message = issue.issues[0]?.message ?? issue.message;
  else if (discriminated) {
    // A discriminated union (e.g. delivery.strategy) with an unknown or missing discriminator.
    message = `expected one of ${((issue as { options: unknown[] }).options).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return [{ environment, path: renderPath(input, issue.path as PathSegment[]), received, message }];
}

/** `services[1].ports[0].name` becomes `services[api].ports[http].name` where items have names. */
function renderPath(input: unknown, path: readonly PathSegment[]): string {
  let out = '';
  let node: unknown = input;
  for (const segment of path) {
    if (typeof segment === 'number') {
      const item = Array.isArray(node) ? node[segment] : undefined;
      const name = typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string'
        ? (item as { name: string }).name
        : undefined;
      out += name !== undefined && /^[\w.-]+$/.test(name) ? `[${name}]` : `[${segment}]`;
    } else {
      out += out === '' ? segment : `.${segment}`;
    }
    node = typeof node === 'object' && node !== null ? (node as Record<PathSegment, unknown>)[segment] : undefined;
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

/**
 * The keys the schema allows at a path, found by walking the schema through wrappers; a
 * discriminated union contributes the option the input's discriminator picks.
 */
function allowedKeys(root: z.core.$ZodType, input: unknown, path: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType = root;
  for (let i = 0; i <= path.length; i++) {
    const segment = i < path.length ? path[i] : null;
    for (;;) {
      const def = schema._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType; discriminator?: string; options?: z.core.$ZodType[] };
      if (def.innerType) schema = def.innerType;
      else if (def.type === 'pipe' && def.in) schema = def.in;
      else if (def.type === 'union' && def.discriminator && def.options) {
        const value = (valueAt(input, path.slice(0, i)) as Record<string, unknown> | undefined)?.[def.discriminator];
        const option = def.options.find((o) => (o._zod.def as { shape?: Record<string, z.core.$ZodType> }).shape?.[def.discriminator!]?._zod.values?.has(value as never));
        if (!option) return [];
        schema = option;
      } else break;
    }
    if (segment === null) break;
    const def = schema._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType; valueType?: z.core.$ZodType };
    if (def.type === 'object' && def.shape) schema = def.shape[segment as string];
    else if (def.type === 'array' && def.element) schema = def.element;
    else if (def.type === 'record' && def.valueType) schema = def.valueType;
    else return [];
    if (schema === undefined) return [];
  }
  const def = schema._zod.def as { type: string; shape?: Record<string, unknown> };
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function suggest(key: string, allowed: readonly string[]): string {
  const close = closestName(key, allowed);
  return close ? ` (did you mean "${close}"?)` : '';
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
