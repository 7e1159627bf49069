import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { NamespaceQuota } from '../../lib/security/namespace-quota';

const props = { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '8', memory: '16Gi' }, storage: '100Gi' };

describe('NamespaceQuota', () => {
  it('caps compute, storage, claims, pods and externally reachable Services', () => {
    const chart = Testing.chart();
    new NamespaceQuota(chart, 'quota', { ...props, namespace: 'shop-prod', pods: 40 });
    const [quota] = Testing.synth(chart);
    expect(quota.kind).toBe('ResourceQuota');
    expect(quota.metadata).toMatchObject({ name: 'namespace-quota', namespace: 'shop-prod' });
    // Quantities stay strings: the L1 conversion must not null them (see DESIGN, known traps).
    expect(quota.spec.hard).toEqual({
      'requests.cpu': '4',
      'requests.memory': '8Gi',
      'limits.cpu': '8',
      'limits.memory': '16Gi',
      'requests.storage': '100Gi',
      persistentvolumeclaims: '10',
      pods: '40',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('fails when a limit is below the request it caps', () => {
    expect(() => new NamespaceQuota(Testing.chart(), 'quota', { ...props, limits: { cpu: '2', memory: '16Gi' } }))
      .toThrow('namespace-quota: limits.cpu 2 is below requests.cpu 4');
  });

  it('fails on a malformed quantity', () => {
    expect(() => new NamespaceQuota(Testing.chart(), 'quota', { ...props, storage: '100GB' }))
      .toThrow('namespace-quota: storage "100GB" is not a non-negative Kubernetes quantity');
  });

  it('fails on a fractional pod count', () => {
    expect(() => new NamespaceQuota(Testing.chart(), 'quota', { ...props, pods: 2.5 })).toThrow('pods must be a whole number ≥ 0; received 2.5');
  });
});
