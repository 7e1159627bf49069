// Multi-document YAML for synthesized objects, byte for byte what cdk8s's `Yaml.stringify` writes
// (the `yaml` package with YAML 1.1, no line folding), several times faster: `Yaml.stringify`
// builds a node tree per document and tests every plain string against every YAML 1.1 tag. Here
// the block layout of maps and sequences is written directly, and each string goes through the
// stringifier of the tag `yaml` picks for it, remembered per distinct single-line value. Anything
// outside plain JSON data (undefined, a shared or cyclic object, a class instance, a key that needs
// the explicit `? ` form) sends that document to `Yaml.stringify` itself.
import { Yaml } from 'cdk8s';
import { Document, Scalar, stringify as yamlStringify } from 'yaml';
import type { StringifyContext } from 'yaml/util';

/** The options cdk8s's `Yaml.stringify` passes to the `yaml` package. */
const CDK8S_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

/** `yaml`'s stringify defaults (createStringifyContext in yaml/dist/stringify/stringify.js), with cdk8s's options over them. */
function baseContext(): StringifyContext {
  const doc = new Document(null, CDK8S_OPTIONS);
  const defaults: Record<string, unknown> = {
    blockQuote: true,
    commentString: (s: string) => s.replace(/^(?!$)(?: $)?/gm, '#'),
    defaultKeyType: null,
    defaultStringType: 'PLAIN',
    directives: null,
    doubleQuotedAsJSON: false,
    doubleQuotedMinMultiLineLength: 40,
    falseStr: 'false',
    flowCollectionPadding: true,
    indentSeq: true,
    lineWidth: 80,
    minContentWidth: 20,
    nullStr: 'null',
    simpleKeys: false,
    singleQuote: null,
    trailingComma: false,
    trueStr: 'true',
    verifyAliasOrder: true,
  };
  const options = { ...defaults, ...doc.schema.toStringOptions, ...CDK8S_OPTIONS } as unknown as StringifyContext['options'];
  return { anchors: new Set(), doc, flowCollectionPadding: ' ', indent: '', indentStep: '  ', inFlow: null, options };
}

/** Raised inside the fast path for a value it does not write itself; the document goes to `Yaml.stringify`. */
class NotPlainData extends Error {}

/** A key longer than this becomes an explicit `? key` in `yaml`'s output. */
const MAX_IMPLICIT_KEY = 1024;
const STEP = '  ';
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

export class ManifestYaml {
  private readonly base = baseContext();
  private readonly keys = new Map<string, string>();
  private readonly values = new Map<string, string>();
  private readonly others = new Map<unknown, string>();
  private seen = new Set<object>();

  /** Every object as one YAML document, joined by `---` (what `Yaml.stringify(...objects)` returns). */
  public stringify(objects: readonly unknown[]): string {
    return objects.map((o) => (o === undefined ? '\n' : this.document(o))).join('---\n');
  }

  private document(value: unknown): string {
    if (!isPlainObject(value)) return Yaml.stringify(value);
    this.seen = new Set();
    try {
      return `${this.map(value, '')}\n`;
    } catch (error) {
      if (error instanceof NotPlainData) return Yaml.stringify(value);
      throw error;
    }
  }

  /** `value` as `yaml` writes it where its context indent is `indent` (the value of a pair or an item of a sequence). */
  private node(value: unknown, indent: string): string {
    if (typeof value === 'string') return this.string(value, indent, false);
    if (typeof value === 'object' && value !== null) {
      if (Array.isArray(value)) return this.seq(value, indent);
      if (isPlainObject(value)) return this.map(value, indent);
      throw new NotPlainData();
    }
    return this.scalar(value);
  }

  /** A block map: `key: value` lines at `indent` (an empty map is `{}`). */
  private map(value: Record<string, unknown>, indent: string): string {
    this.enter(value);
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    if ('toJSON' in value && typeof value.toJSON === 'function') throw new NotPlainData();
    let out = '';
    const inner = indent + STEP;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const item = value[key];
      const keyText = this.string(key, inner, true);
      if (keyText.length > MAX_IMPLICIT_KEY) throw new NotPlainData();
      let pair: string;
      if (typeof item === 'object' && item !== null) {
        const collection = Array.isArray(item) ? item.length : isPlainObject(item) ? Object.keys(item).length : -1;
        if (collection < 0) throw new NotPlainData();
        const text = this.node(item, inner);
        // A non-empty collection starts on the next line; an empty one (`{}`, `[]`) stays on the key's line.
        pair = collection === 0 ? `${keyText}: ${text}` : `${keyText}:\n${inner}${text}`;
      } else {
        const text = typeof item === 'string' ? this.string(item, inner, false) : this.scalar(item);
        pair = text === '' || text[0] === '\n' ? `${keyText}:${text}` : `${keyText}: ${text}`;
      }
      out += i === 0 ? pair : `\n${indent}${pair}`;
    }
    return out;
  }

  /** A block sequence: `- item` lines at `indent`, items indented one step (an empty sequence is `[]`). */
  private seq(value: readonly unknown[], indent: string): string {
    this.enter(value);
    if (value.length === 0) return '[]';
    const inner = indent + STEP;
    let out = '';
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new NotPlainData();
      const line = `- ${this.node(value[i], inner)}`;
      out += i === 0 ? line : `\n${indent}${line}`;
    }
    return out;
  }

  /** `yaml` writes an object met twice in one document as an anchor and aliases: leave that to it. */
  private enter(value: object): void {
    if (this.seen.has(value)) throw new NotPlainData();
    this.seen.add(value);
  }

  /**
   * A string as `yaml` writes a string scalar in a collection: through the stringifier of the tag
   * it picks (the string tag, or YAML 1.1's merge key for `<<`). Single-line values do not depend
   * on the indent, so they are remembered.
   */
  private string(value: string, indent: string, implicitKey: boolean): string {
    const memo = value.includes('\n') || DOCUMENT_MARKER.test(value) ? undefined : implicitKey ? this.keys : this.values;
    const known = memo?.get(value);
    if (known !== undefined) return known;
    const ctx: StringifyContext = { ...this.base, indent, implicitKey };
    const text = this.tagOf(value).stringify!(new Scalar(value), ctx, undefined, undefined);
    memo?.set(value, text);
    return text;
  }

  /** The tag `yaml` stringifies a scalar with (getTagObject in yaml/dist/stringify/stringify.js). */
  private tagOf(value: unknown): ScalarTagLike {
    let match = (this.base.doc.schema.tags as ScalarTagLike[]).filter((t) => t.identify?.(value));
    if (match.length > 1) {
      const tested = match.filter((t) => t.test);
      if (tested.length > 0) match = tested;
    }
    const tag = match.find((t) => !t.format);
    if (!tag?.stringify) throw new NotPlainData();
    return tag;
  }

  /** Numbers, booleans and null, as `yaml` writes them (-0 is not remembered: a Map does not tell it from 0). */
  private scalar(value: unknown): string {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') throw new NotPlainData();
    if (Object.is(value, -0)) return yamlStringify(value, CDK8S_OPTIONS).slice(0, -1);
    const known = this.others.get(value);
    if (known !== undefined) return known;
    const text = yamlStringify(value, CDK8S_OPTIONS).slice(0, -1);
    this.others.set(value, text);
    return text;
  }
}

/** What is used of a schema tag here. */
interface ScalarTagLike {
  identify?: (value: unknown) => boolean;
  test?: RegExp;
  format?: string;
  stringify?: (item: Scalar, ctx: StringifyContext, onComment?: () => void, onChompKeep?: () => void) => string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
