import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

  it('exits with the code main returns', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'entry.ts'), 'export function main(): number { return 3; }\n');
    expect(() => run()).toThrow(expect.objectContaining({ status: 3 }));
  });
});
