import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { readTree, synthesize } from '../../lib/synth';

const distDir = join(__dirname, '..', '..', 'dist');

describe('committed dist/', () => {
  const output = synthesize(environmentSources);
  const fresh = output.files;
  const committed = readTree(distDir);

  it('has exactly the files a fresh synth writes', () => {
    expect([...committed.keys()], 'dist/ is stale: run `npm run synth` and commit dist/').toEqual([...fresh.keys()].sort());
  });

  it.each([...fresh.keys()])('%s equals a fresh synth byte for byte', (path) => {
    expect(committed.get(path) === fresh.get(path), `dist/${path} is stale: run \`npm run synth\` and commit dist/`).toBe(true);
  });

  it('holds in each file exactly the objects a synth has in memory (the plan reads those instead of parsing)', () => {
    for (const file of output.environments.flatMap((env) => env.files)) {
      expect(parseAllDocuments(committed.get(file.path) ?? '').map((doc) => doc.toJS()), file.path).toStrictEqual(file.objects);
    }
  });

  it('is byte-identical across two synths in one process', () => {
    const again = synthesize(environmentSources).files;
    expect([...again.entries()]).toEqual([...fresh.entries()]);
  });
});
