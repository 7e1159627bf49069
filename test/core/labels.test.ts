import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { platformObjectIdentity, recommendedLabels, STACKWRIGHT_VERSION, versionFromImage } from '../../lib/core/labels';
import { readTree } from '../../lib/synth';

const root = join(__dirname, '..', '..');
type Obj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: Record<string, any> };

/** The committed output of each environment (test/synth/dist.test.ts proves it is fresh). */
function environments(): Map<string, Obj[]> {
  const byEnv = new Map<string, Obj[]>();
  for (const [path, text] of readTree(join(root, 'dist'))) {
    const [env, file] = path.split('/');
    if (file === undefined || !file.endsWith('.yaml')) continue;
    const objects = parseAllDocuments(text).map((d) => d.toJSON() as Obj).filter((o) => o !== null);
    byEnv.set(env, [...(byEnv.get(env) ?? []), ...objects]);
  }
  return byEnv;
}

// Objects that belong to the platform as a whole, not to one running component.
const PLATFORM_LEVEL = [
  'Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ExternalSecret', 'SealedSecret', 'Gateway', 'GatewayClass', 'PriorityClass', 'StorageClass', 'PrometheusRule',
  // dist/gitops/: how Argo CD and Flux sync the environments.
  'AppProject', 'Application', 'GitRepository', 'Kustomization',
];

describe('labels', () => {
  it('version a platform-level object with the Stackwright release in package.json, keeping its own name and instance', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const labels = recommendedLabels(platformObjectIdentity({ name: 'default-deny', instance: 'default-deny-atlas-prod', component: 'network-policy', partOf: 'atlas' }));
    expect(labels).toEqual({
      'app.kubernetes.io/name': 'default-deny',
      'app.kubernetes.io/instance': 'default-deny-atlas-prod',
      'app.kubernetes.io/component': 'network-policy',
      'app.kubernetes.io/part-of': 'atlas',
      'app.kubernetes.io/version': pkg.version,
      'app.kubernetes.io/managed-by': 'stackwright',
    });
  });

  it('take the version from the image tag, or the start of its digest', () => {
    expect(versionFromImage('ghcr.io/atlas-platform/api:1.4.2')).toBe('1.4.2');
    expect(versionFromImage('localhost:5000/api@sha256:0123456789abcdef0123')).toBe('0123456789ab');
    expect(versionFromImage('localhost:5000/api')).toBe('unversioned');
  });

  const envs = [...environments()];
  describe.each(envs)('in dist/%s', (env, objects) => {
    it('never use an environment or provider name as app.kubernetes.io/version', () => {
      const wrong = objects
        .filter((o) => ['dev', 'staging', 'prod', 'aws', 'gcp', 'azure', 'local', env].includes(o.metadata.labels?.['app.kubernetes.io/version'] ?? ''))
        .map((o) => `${o.kind}/${o.metadata.name}`);
      expect(wrong).toEqual([]);
    });

    it('version every platform-level object with the Stackwright release', () => {
      const platformLevel = objects.filter((o) => PLATFORM_LEVEL.includes(o.kind));
      expect(platformLevel.length).toBeGreaterThan(0);
      expect(platformLevel.filter((o) => o.metadata.labels?.['app.kubernetes.io/version'] !== STACKWRIGHT_VERSION).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    });
  });

  // dist/gitops/ runs no workloads.
  describe.each(envs.filter(([env]) => env !== 'gitops'))('in dist/%s', (_, objects) => {
    it('give no network policy, quota or limit range the name and instance of a workload, so a label query for a workload finds only its own objects', () => {
      const template = (o: Obj) => (o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.spec?.template);
      const workloads = new Set(objects.filter((o) => template(o)?.metadata?.labels).map((o) => {
        const l = template(o).metadata.labels as Record<string, string>;
        return `${l['app.kubernetes.io/name']}/${l['app.kubernetes.io/instance']}`;
      }));
      expect(workloads.size).toBeGreaterThan(3);
      const clashes = objects
        .filter((o) => ['NetworkPolicy', 'ResourceQuota', 'LimitRange'].includes(o.kind))
        .filter((o) => workloads.has(`${o.metadata.labels?.['app.kubernetes.io/name']}/${o.metadata.labels?.['app.kubernetes.io/instance']}`))
        .map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
      expect(clashes).toEqual([]);
    });
  });
});
