// Every environment folder builds with kubectl's built-in kustomize the way Flux's kustomize-controller
// builds a folder without a kustomization.yaml: it generates one listing every manifest. The
// generated file lives in a temporary directory only; committing one would break `kubectl apply -f dist/<env>`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { Wave } from '../../lib/core/waves';
import { SYNC_WAVE_ANNOTATION } from '../../lib/platform/context';
import { GITOPS_FOLDER } from '../../lib/review/plan';

const distDir = join(__dirname, '..', '..', 'dist');
const environments = readdirSync(distDir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== GITOPS_FOLDER).map((d) => d.name).sort();

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> } };
const idOf = (o: Obj) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const docs = (yaml: string): Obj[] => parseAllDocuments(yaml).map((d) => d.toJS() as Obj).filter((o) => o !== null);

/** Builds a folder as Flux would: a kustomization.yaml listing every YAML file, in a temporary directory. */
function kustomize(env: string): { files: string[]; built: Obj[] } {
  const files = readdirSync(join(distDir, env)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const dir = mkdtempSync(join(tmpdir(), `stackwright-kustomize-${env}-`));
  try {
    for (const f of files) copyFileSync(join(distDir, env, f), join(dir, f));
    const kustomization = stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files });
    writeFileSync(join(dir, 'kustomization.yaml'), kustomization);
    const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { files, built: docs(out) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('dist/<env> under kubectl kustomize (as Flux builds it)', () => {
  it('has environment folders to build, and no kustomization.yaml committed in them', () => {
    expect(environments).toEqual(['dev', 'prod', 'staging']);
    for (const env of environments) expect(readdirSync(join(distDir, env))).not.toContain('kustomization.yaml');
  });

  describe.each(environments)('%s', (env) => {
    const { files, built } = kustomize(env);
    const byFile = files.map((f) => ({ file: f, objects: docs(readFileSync(join(distDir, env, f), 'utf8')) }));
    const committed = byFile.flatMap((f) => f.objects);

    it('builds every object of every file, each exactly once and unchanged', () => {
      expect(built.map(idOf).sort()).toEqual(committed.map(idOf).sort());
      const builtById = new Map(built.map((o) => [idOf(o), o]));
      for (const o of committed) expect(builtById.get(idOf(o)), idOf(o)).toEqual(o);
    });

    it('annotates every object with the sync wave of its file prefix, so Argo CD applies in file order', () => {
      const waves: number[] = [];
      for (const { file, objects } of byFile) {
        const wave = Wave.ALL.find((w) => file.startsWith(`${w.prefix}-`));
        expect(wave, `${file} has no wave prefix`).toBeDefined();
        for (const o of objects) expect(o.metadata.annotations?.[SYNC_WAVE_ANNOTATION], `${file}: ${idOf(o)}`).toBe(String(wave!.order));
        waves.push(wave!.order);
      }
      // Files sort by name, and their waves never decrease: kubectl apply -f and Argo CD agree on the order.
      expect(waves).toEqual([...waves].sort((a, b) => a - b));
      expect(new Set(waves).size).toBeGreaterThan(3);
      // kustomize keeps the annotations: what Flux applies carries the same waves.
      const builtWave = new Map(built.map((o) => [idOf(o), o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]]));
      for (const { objects } of byFile) for (const o of objects) expect(builtWave.get(idOf(o))).toBe(o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]);
    });
  });
});
