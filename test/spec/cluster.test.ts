import { describe, expect, it } from 'vitest';
import { resolvePlatform, type PlatformInput } from '../../lib/spec';
import { specProblems } from '../spec-problems';

const base = { name: 'shop', environment: 'dev' } satisfies PlatformInput;

function problems(input: unknown): string[] {
  return specProblems(() => resolvePlatform('dev', input));
}

describe('cluster spec', () => {
  it('defaults the API server port by provider: 443 on managed control planes, 6443 on kubeadm-style local clusters', () => {
    const port = (provider: 'aws' | 'gcp' | 'azure' | 'local') => resolvePlatform('dev', { ...base, cluster: { provider, apiServer: { cidrs: ['10.0.0.0/28'] } } }).cluster.apiServer?.port;
    expect([port('aws'), port('gcp'), port('azure'), port('local')]).toEqual([443, 443, 443, 6443]);
    expect(resolvePlatform('dev', { ...base, cluster: { apiServer: { cidrs: ['192.168.49.2/32'], port: 8443 } } }).cluster.apiServer).toEqual({ cidrs: ['192.168.49.2/32'], port: 8443 });
    expect(resolvePlatform('dev', base).cluster.apiServer).toBeUndefined();
  });

  it('fails on an API server without addresses, or with a ClusterIP-style address that is not a network', () => {
    expect(problems({ ...base, cluster: { apiServer: { cidrs: [] } } })).toEqual(['dev: cluster.apiServer.cidrs: expected at least 1 item(s); received []']);
    expect(problems({ ...base, cluster: { apiServer: { cidrs: ['10.96.0.1'] } } })).toEqual([
      'dev: cluster.apiServer.cidrs[0]: expected a network in CIDR notation such as 10.0.0.0/16 or 2001:db8::/32 (host bits zero); received "10.96.0.1"',
    ]);
  });

  it('names the cluster fields, the new ones included, when one is misspelled', () => {
    expect(problems({ ...base, cluster: { apiserver: {} } })[0]).toMatch(/^dev: cluster\.apiserver: unknown field "apiserver" \(did you mean "apiServer"\?\); allowed fields: .*podCidrs, serviceCidrs, nodeCidrs, apiServer, .*eckOperator/);
  });

  it('knows the ECK operator by the labels of its YAML manifests unless told otherwise', () => {
    expect(resolvePlatform('dev', base).cluster.eckOperator).toEqual({ namespace: 'elastic-system', podLabels: { 'control-plane': 'elastic-operator' } });
  });
});
