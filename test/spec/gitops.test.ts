import { describe, expect, it } from 'vitest';
import { resolveGitops } from '../../lib/spec';
import { specProblems } from '../spec-problems';

const environments = ['dev', 'staging', 'prod'];
const repoUrl = 'https://github.com/acme/platform.git';

function problemsOf(input: unknown, envs: readonly string[] = environments): string[] {
  return specProblems(() => resolveGitops(input, envs));
}

describe('the GitOps block', () => {
  it('defaults the branch, the folder, and the Argo CD and Flux namespaces and intervals', () => {
    expect(resolveGitops({ repoUrl }, environments)).toEqual({
      repoUrl, revision: 'main', path: 'dist', clusters: {},
      argoCd: { namespace: 'argocd' },
      flux: { namespace: 'flux-system', sourceInterval: '1m', interval: '10m', retryInterval: '2m', timeout: '5m' },
    });
  });

  it('fails on a repository that is not a Git URL', () => {
    expect(problemsOf({ repoUrl: 'github.com/acme/platform' })).toEqual([
      'gitops: repoUrl: expected a Git URL such as https://github.com/org/repo.git, ssh://git@github.com/org/repo.git or git@github.com:org/repo.git; received "github.com/acme/platform"',
    ]);
  });

  it('fails on a cluster for an environment that does not exist, and on a misspelled field', () => {
    expect(problemsOf({ repoUrl, clusters: { qa: 'acme-qa' }, flux: { timout: '5m' } })).toEqual([
      'gitops: flux.timout: unknown field "timout" (did you mean "timeout"?); allowed fields: namespace, sourceInterval, interval, retryInterval, timeout; received "5m"',
    ]);
    expect(problemsOf({ repoUrl, clusters: { qa: 'acme-qa' } })).toEqual(['gitops: clusters.qa: expected the name of an environment: dev, prod, staging; received "acme-qa"']);
  });

  it('fails on a Flux duration it cannot read and on a branch name Git refuses', () => {
    expect(problemsOf({ repoUrl, revision: 'feature..x', flux: { interval: '10 minutes' } })).toEqual([
      'gitops: revision: expected a Git branch name such as "main" or "release/2024"; received "feature..x"',
      'gitops: flux.interval: expected a duration such as "30s", "5m" or "1h30m"; received "10 minutes"',
    ]);
  });

  it('fails when an environment is named gitops, the folder of the Argo CD and Flux objects', () => {
    expect(problemsOf({ repoUrl }, ['dev', 'gitops'])).toEqual(['gitops: (root): an environment cannot be named "gitops": dist/gitops/ holds the Argo CD and Flux objects; received "gitops"']);
  });
});
