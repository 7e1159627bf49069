import { Yaml } from 'cdk8s';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManifestYaml } from '../../lib/synth/manifest-yaml';

const cdk8s = (objects: unknown[]) => Yaml.stringify(...objects);

// Strings YAML 1.1 reads as something else, or that need quoting, folding or block style.
const tricky = [
  '', ' ', 'yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null', 'Null', 'true', 'False', '0', '-1', '1.0', '1e3', '.5', '0x1F', '0o17', '017',
  '0b101', '1_000', '1:20', '190:20:30', '.inf', '-.Inf', '.NaN', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '=', '<<', '-', '?', ':',
  '- a', '? a', 'a: b', 'a:b', 'a #b', 'a# b', '#a', '&a', '*a', '!a', '|', '>', "'", '"', "it's", 'say "hi"', `both ' and "`, '%TAG', '@a', '`a',
  '[a]', '{a}', 'a,b', '---', '--- a', '...', 'a\n---\nb', 'line\n', 'two\nlines', 'two\nlines\n', 'trailing\n\n', '\nleading', ' lead', 'trail ',
  'tab\there', 'a \nb', 'a\n b', '\t', 'x'.repeat(1100), 'é ü', '💡', '\u0007bell', '\u0085', '\u2028', 'back\\slash', 'back\\nslash',
  'apiVersion', 'app.kubernetes.io/name', '8080', 'http://a:80/b', 'sum(rate(x[5m])) > 0.5', 'a: |\n  b\n', '  indented\nlines\n',
];

const key = fc.oneof(fc.constantFrom(...tricky), fc.string({ maxLength: 12 }), fc.constantFrom('name', 'labels', 'spec', 'x'));
const scalar = fc.oneof(
  fc.constantFrom(...tricky),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 0.1, 5e-7, Number.MAX_SAFE_INTEGER),
  fc.boolean(),
  fc.constant(null),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
}));
const manifest = fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 });

describe('ManifestYaml', () => {
  it('writes the same bytes as cdk8s Yaml.stringify for any JSON objects', () => {
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), (objects) => {
        expect(new ManifestYaml().stringify(objects)).toBe(cdk8s(objects));
      }),
      { numRuns: 400 },
    );
  });

  it('writes the same bytes for strings YAML 1.1 would read as other types, as keys, values and items', () => {
    const objects = tricky.map((s) => ({ [s]: s, items: [s, [s], { [s]: [s] }], nested: { [s]: { [s]: s } } }));
    expect(new ManifestYaml().stringify(objects)).toBe(cdk8s(objects));
  });

  it('writes multi-line strings as indented block literals at every depth', () => {
    const script = '#!/bin/sh\nset -eu\nexec pg_dump "$DB"\n';
    const objects = [{ kind: 'ConfigMap', data: { 'run.sh': script }, spec: { containers: [{ args: [script, 'x\n\n'] }] } }];
    const out = new ManifestYaml().stringify(objects);
    expect(out).toContain('  run.sh: |\n    #!/bin/sh\n    set -eu\n');
    expect(out).toBe(cdk8s(objects));
  });

  it('leaves to Yaml.stringify what is not plain JSON data: shared objects (anchors), undefined, class instances', () => {
    const shared = { a: 1 };
    const objects = [{ x: shared, y: shared }, { u: undefined, list: [undefined] }, { when: new Date(0) }, undefined, { ok: true }];
    const out = new ManifestYaml().stringify(objects);
    expect(out).toContain('&a1');
    expect(out).toBe(cdk8s(objects));
  });

  it('remembers single-line strings across documents without changing later output', () => {
    const yaml = new ManifestYaml();
    const first = [{ metadata: { name: 'yes', labels: { 'app.kubernetes.io/name': 'api' } } }];
    const second = [{ data: { name: 'yes\nno' }, metadata: { name: 'yes' } }];
    expect(yaml.stringify(first)).toBe(cdk8s(first));
    expect(yaml.stringify(second)).toBe(cdk8s(second));
  });
});
