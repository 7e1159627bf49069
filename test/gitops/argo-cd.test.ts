import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ArgoCdApplication, SyncPolicy } from '../../lib/gitops/argo-cd-application';
import { ArgoCdProject, type ArgoCdProjectProps } from '../../lib/gitops/argo-cd-project';

const repo = 'https://github.com/acme/platform.git';
const project: ArgoCdProjectProps = {
  sourceRepos: [repo],
  destinations: [{ name: 'acme-prod', namespace: 'acme-prod' }],
  clusterResources: [{ group: '', kind: 'Namespace' }],
  namespaceResources: [{ group: 'apps', kind: 'Deployment' }, { group: '', kind: 'Service' }, { group: 'apps', kind: 'Deployment' }],
};

function application(syncPolicy?: SyncPolicy) {
  const chart = Testing.chart();
  new ArgoCdApplication(chart, 'acme-prod', { project: 'acme', repoUrl: repo, revision: 'main', path: 'dist/prod', destination: { name: 'acme-prod', namespace: 'acme-prod' }, syncPolicy });
  return Testing.synth(chart)[0];
}

describe('ArgoCdProject', () => {
  it('allows exactly the listed repositories, namespaces and kinds, each kind once and in a stable order', () => {
    const chart = Testing.chart();
    new ArgoCdProject(chart, 'acme', project);
    const [obj] = Testing.synth(chart);
    expect(obj.spec).toEqual({
      sourceRepos: [repo],
      destinations: [{ name: 'acme-prod', namespace: 'acme-prod' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      namespaceResourceWhitelist: [{ group: '', kind: 'Service' }, { group: 'apps', kind: 'Deployment' }],
    });
    expect(obj).toMatchSnapshot();
  });

  it('fails on a wildcard, which would let an Application deploy what nobody reviewed', () => {
    expect(() => new ArgoCdProject(Testing.chart(), 'acme', { ...project, sourceRepos: ['*'] })).toThrow('acme: source repository "*" is a wildcard; list what the Applications deploy');
    expect(() => new ArgoCdProject(Testing.chart(), 'acme', { ...project, clusterResources: [{ group: '*', kind: '*' }] })).toThrow('acme: kind "*" is a wildcard');
    expect(() => new ArgoCdProject(Testing.chart(), 'acme', { ...project, destinations: [{ server: '*', namespace: 'acme-prod' }] })).toThrow('acme: destination cluster "*" is a wildcard');
  });

  it('fails on a destination naming its cluster twice or not at all', () => {
    expect(() => new ArgoCdProject(Testing.chart(), 'acme', { ...project, destinations: [{ namespace: 'acme-prod' }] })).toThrow('acme: a destination names its cluster by exactly one of name and server');
  });
});

describe('ArgoCdApplication', () => {
  it('syncs by itself with prune and self-heal when automated, and retries a failed sync', () => {
    const app = application(SyncPolicy.automated());
    expect(app.spec.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true },
      syncOptions: ['PruneLast=true'],
      retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
    });
    expect(app.spec.source).toEqual({ repoURL: repo, targetRevision: 'main', path: 'dist/prod' });
    expect(app).toMatchSnapshot();
  });

  it('waits for someone to sync by default', () => {
    expect(application().spec.syncPolicy).toEqual({ syncOptions: ['PruneLast=true'] });
  });

  it('fails on a path outside the repository', () => {
    expect(() => new ArgoCdApplication(Testing.chart(), 'x', { project: 'acme', repoUrl: repo, revision: 'main', path: '../dist', destination: { server: 'https://kubernetes.default.svc', namespace: 'acme' } }))
      .toThrow('x: path "../dist" must be relative to the repository root');
  });
});
