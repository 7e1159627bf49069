import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { FluxGitRepository } from '../../lib/gitops/flux-git-repository';
import { FluxKustomization } from '../../lib/gitops/flux-kustomization';

describe('FluxGitRepository', () => {
  it('follows one branch and keeps only the output folder in its artifact', () => {
    const chart = Testing.chart();
    new FluxGitRepository(chart, 'acme', { url: 'https://github.com/acme/platform.git', branch: 'main', onlyPath: 'dist' });
    const [repo] = Testing.synth(chart);
    expect(repo.spec).toEqual({ url: 'https://github.com/acme/platform.git', ref: { branch: 'main' }, interval: '1m', ignore: '/*\n!/dist/\n' });
    expect(repo).toMatchSnapshot();
  });
});

describe('FluxKustomization', () => {
  it('applies a folder with prune and wait, within a timeout, re-applied every interval', () => {
    const chart = Testing.chart();
    new FluxKustomization(chart, 'acme-prod', { sourceName: 'acme', path: './dist/prod', kubeConfigSecret: 'acme-prod-kubeconfig' });
    const [k] = Testing.synth(chart);
    expect(k.spec).toEqual({
      sourceRef: { kind: 'GitRepository', name: 'acme' },
      path: './dist/prod',
      interval: '10m',
      retryInterval: '2m',
      timeout: '5m',
      prune: true,
      wait: true,
      kubeConfig: { secretRef: { name: 'acme-prod-kubeconfig', key: 'value' } },
    });
    expect(k).toMatchSnapshot();
  });

  it('fails on a path that leaves the source or a duration Flux cannot read', () => {
    expect(() => new FluxKustomization(Testing.chart(), 'x', { sourceName: 'acme', path: 'dist/prod' })).toThrow('x: path must start with "./" and stay inside the source; received "dist/prod"');
    expect(() => new FluxKustomization(Testing.chart(), 'x', { sourceName: 'acme', path: './dist/prod', timeout: '5 minutes' })).toThrow('x: timeout must be a duration such as "5m"; received "5 minutes"');
  });
});
