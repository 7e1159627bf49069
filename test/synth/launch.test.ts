import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const dir = join(root, 'node_modules', '.cache', 'launch-test');
const run = () => execFileSync('node', ['lib/synth/launch.js', 'node_modules/.cache/launch-test/entry.ts', 'x'], { cwd: root, encoding: 'utf8' });

describe('bundled launcher', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a TypeScript entry through its main(root, argv) and rebuilds when an imported file changes', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'value.ts'), "export const value: string = 'one';\n");
    writeFileSync(join(dir, 'entry.ts'), "import { value } from './value';\nexport function main(root: string, argv: string[]): number { console.log(value, argv.join(','), root.length > 0); return 0; }\n");
    expect(run()).toBe('one x true\n');
    writeFileSync(join(dir, 'value.ts'), "export const value: string = 'second';\n");
    expect(run()).toBe('second x true\n');
  });

  it('runs from the V8 code cache of its previous run, and drops the cache with a stale bundle', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'value.ts'), "export const value: string = 'cached';\n");
    writeFileSync(join(dir, 'entry.ts'), "import { value } from './value';\nexport function main(): number { console.log(value); return 0; }\n");
    const cache = join(root, 'node_modules', '.cache', 'stackwright', 'node-modules-cache-launch-test-entry.cjs.v8-cache');
    expect(run()).toBe('cached\n');
    const made = statSync(cache).mtimeMs;
    // Accepted by V8, so not written again.
    expect(run()).toBe('cached\n');
    expect(statSync(cache).mtimeMs).toBe(made);
    writeFileSync(join(dir, 'value.ts'), "export const value: string = 'rebuilt';\n");
    expect(run()).toBe('rebuilt\n');
    expect(statSync(cache).mtimeMs).not.toBe(made);
  });

  it("bundles packages with their own __dirname: cdk8s's Yaml.load runs the script beside its sources", () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'doc.yaml'), 'kind: ConfigMap\nmetadata:\n  name: loaded\n');
    writeFileSync(join(dir, 'entry.ts'), "import { Yaml } from 'cdk8s';\nexport function main(root: string): number { console.log(Yaml.load(`${root}/node_modules/.cache/launch-test/doc.yaml`)[0].metadata.name); return 0; }\n");
    expect(run()).toBe('loaded\n');
  });

  it('exits with the code main returns', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'entry.ts'), 'export function main(): number { return 3; }\n');
    expect(() => run()).toThrow(expect.objectContaining({ status: 3 }));
  });
});
