import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { resolveGitops } from '../../lib/spec';
import { renderGitops, synthesize, type KubeObject } from '../../lib/synth';

type Obj = KubeObject & { spec: any };

const output = synthesize(environmentSources);
const gitops = output.gitops.flatMap((f) => f.objects) as Obj[];
const ofKind = (kind: string) => gitops.filter((o) => o.kind === kind);
const GITOPS_KINDS = ['AppProject', 'Application', 'ApplicationSet', 'GitRepository', 'Kustomization'];
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

describe('GitOps objects of the reference platform', () => {
  it('go to dist/gitops/ only: no environment folder holds an Argo CD or Flux object', () => {
    expect(output.gitops.map((f) => f.path)).toEqual(['gitops/argo-cd.k8s.yaml', 'gitops/flux.k8s.yaml']);
    for (const env of output.environments) {
      expect(env.files.flatMap((f) => f.objects).filter((o) => GITOPS_KINDS.includes(o.kind)), env.environment).toEqual([]);
    }
    expect(gitops.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'AppProject/argocd/atlas', 'Application/argocd/atlas-dev', 'Application/argocd/atlas-staging', 'Application/argocd/atlas-prod',
      'GitRepository/flux-system/atlas', 'Kustomization/flux-system/atlas-dev', 'Kustomization/flux-system/atlas-staging', 'Kustomization/flux-system/atlas-prod',
    ]);
  });

  it('lets the AppProject deploy from this repository exactly the namespaces and kinds each environment renders', () => {
    const [project] = ofKind('AppProject');
    expect(project.spec.sourceRepos).toEqual(['https://github.com/atlas-platform/platform.git']);
    const expected = { destinations: new Set<string>(), cluster: new Set<string>(), namespaced: new Set<string>() };
    for (const env of output.environments) {
      for (const o of env.files.flatMap((f) => f.objects)) {
        const kind = `${groupOf(o.apiVersion)}/${o.kind}`;
        if (o.metadata.namespace === undefined) expected.cluster.add(kind);
        else {
          expected.namespaced.add(kind);
          expected.destinations.add(`atlas-${env.environment} ${o.metadata.namespace}`);
        }
      }
    }
    expect(project.spec.destinations.map((d: { name: string; namespace: string }) => `${d.name} ${d.namespace}`).sort()).toEqual([...expected.destinations].sort());
    expect(project.spec.clusterResourceWhitelist.map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`).sort()).toEqual([...expected.cluster].sort());
    expect(project.spec.namespaceResourceWhitelist.map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`).sort()).toEqual([...expected.namespaced].sort());
    expect(JSON.stringify(project.spec)).not.toContain('*');
  });

  it('syncs dev and staging by themselves with prune and self-heal, and prod only when someone presses Sync', () => {
    const policy = (name: string) => ofKind('Application').find((a) => a.metadata.name === name)!.spec.syncPolicy;
    expect(policy('atlas-dev').automated).toEqual({ prune: true, selfHeal: true });
    expect(policy('atlas-staging').automated).toEqual({ prune: true, selfHeal: true });
    expect(policy('atlas-prod').automated).toBeUndefined();
    expect(policy('atlas-prod').retry).toBeUndefined();
  });

  it('points each Application and Kustomization at its environment\'s folder, on its environment\'s cluster', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const app = ofKind('Application').find((a) => a.metadata.name === `atlas-${env}`)!;
      expect(app.spec).toMatchObject({
        project: 'atlas',
        source: { repoURL: 'https://github.com/atlas-platform/platform.git', targetRevision: 'main', path: `dist/${env}` },
        destination: { name: `atlas-${env}`, namespace: `atlas-${env}` },
      });
      const kustomization = ofKind('Kustomization').find((k) => k.metadata.name === `atlas-${env}`)!;
      expect(kustomization.spec).toMatchObject({
        path: `./dist/${env}`, prune: true, wait: true, timeout: '5m', interval: '10m',
        sourceRef: { kind: 'GitRepository', name: 'atlas' }, kubeConfig: { secretRef: { name: `atlas-${env}-kubeconfig` } },
      });
    }
    expect(ofKind('GitRepository')[0].spec).toMatchObject({ url: 'https://github.com/atlas-platform/platform.git', ref: { branch: 'main' }, ignore: '/*\n!/dist/\n' });
  });

  it('runs an environment on the controllers\' own cluster when the GitOps block names no cluster for it', () => {
    const spec = resolveGitops({ ...environmentSources.gitops!, clusters: {} }, output.environments.map((e) => e.environment));
    const local = renderGitops(spec, output.environments).flatMap((f) => f.objects) as Obj[];
    expect(local.find((o) => o.kind === 'Application')!.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'atlas-dev' });
    expect(local.find((o) => o.kind === 'Kustomization')!.spec.kubeConfig).toBeUndefined();
  });
});
