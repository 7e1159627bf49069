import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { runSynth } from '../../lib/synth';
import { writeTreeAtomically } from '../../lib/synth/write';

function tempDist(): string {
  const root = mkdtempSync(join(tmpdir(), 'stackwright-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'prod'), { recursive: true });
  writeFileSync(join(dist, 'prod', 'old.k8s.yaml'), 'kind: Old\n');
  return dist;
}

describe('atomic write of dist/', () => {
  it('replaces the whole tree and reports added, changed and removed files', () => {
    const dist = tempDist();
    const result = writeTreeAtomically(dist, new Map([['prod/new.k8s.yaml', 'kind: New\n']]));
    expect(result.added).toEqual(['prod/new.k8s.yaml']);
    expect(result.removed).toEqual(['prod/old.k8s.yaml']);
    expect(readdirSync(join(dist, 'prod'))).toEqual(['new.k8s.yaml']);
    expect(readdirSync(join(dist, '..')).filter((n) => n.startsWith('.dist-'))).toEqual([]);
  });

  it('writes nothing when dist/ already holds exactly the files', () => {
    const dist = tempDist();
    const files = new Map([['prod/new.k8s.yaml', 'kind: New\n']]);
    writeTreeAtomically(dist, files);
    const file = join(dist, 'prod', 'new.k8s.yaml');
    const [folder, written] = [statSync(dist).ino, statSync(file).ino];
    const result = writeTreeAtomically(dist, files);
    expect(result.unchanged).toEqual(['prod/new.k8s.yaml']);
    expect(result.added.length + result.changed.length + result.removed.length).toBe(0);
    // Not swapped: the same folder and file as before (a swap puts a new folder with new files in place).
    expect([statSync(dist).ino, statSync(file).ino]).toEqual([folder, written]);
  });

  it('leaves dist/ untouched when a spec is invalid, and exits 1 naming the environment, path and value', () => {
    const dist = tempDist();
    const lines: string[] = [];
    const broken = {
      ...environmentSources,
      environments: { ...environmentSources.environments, prod: { ...environmentSources.environments.prod, services: [{ name: 'api', replicas: -2 }] } },
    };
    expect(runSynth(broken, dist, (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toContain('prod: services[api].replicas: expected ≥ 0; received -2');
    expect(readFileSync(join(dist, 'prod', 'old.k8s.yaml'), 'utf8')).toBe('kind: Old\n');
    expect(readdirSync(join(dist, 'prod'))).toEqual(['old.k8s.yaml']);
  });
});
