import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { NetworkPolicy, PolicyPeer, type NetworkPolicyProps } from '../../lib/networking/network-policy';

const api = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api-prod' };

function synth(...policies: [string, NetworkPolicyProps][]) {
  const chart = Testing.chart();
  for (const [id, props] of policies) new NetworkPolicy(chart, id, props);
  return Testing.synth(chart) as { metadata: { name: string; namespace?: string }; spec: any }[];
}

describe('NetworkPolicy', () => {
  it('denies all traffic of a namespace with an empty pod selector and empty rule lists', () => {
    const [deny] = synth(['default-deny', { podSelector: {}, ingress: [], egress: [] }]);
    expect(deny.metadata.name).toBe('default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
  });

  it('keeps explicit names, so two policies of one chart never overwrite each other', () => {
    const policies = synth(
      ['a', { name: 'api-ingress', podSelector: api, ingress: [{ peers: [PolicyPeer.pods({ app: 'web' })], ports: [{ port: 8080 }] }] }],
      ['b', { name: 'api-egress', podSelector: api, egress: [{ peers: [PolicyPeer.ipBlock('198.51.100.0/24')], ports: [{ port: 443 }] }] }],
    );
    expect(policies.map((p) => p.metadata.name)).toEqual(['api-ingress', 'api-egress']);
    expect(policies).toMatchSnapshot();
  });

  it('selects a peer in another namespace by the namespace\'s name label, and in its own namespace by pods alone', () => {
    const [policy] = synth(['p', { podSelector: api, ingress: [{ peers: [PolicyPeer.pods({ app: 'prometheus' }, 'monitoring'), PolicyPeer.pods({ app: 'web' })], ports: [{ port: 'metrics' }] }] }]);
    expect(policy.spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } },
      { podSelector: { matchLabels: { app: 'web' } } },
    ]);
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 'metrics', protocol: 'TCP' }]);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
  });

  it('writes ipBlock exceptions and port ranges', () => {
    const [policy] = synth(['p', { podSelector: api, egress: [{ peers: [PolicyPeer.ipBlock('10.0.0.0/8', ['10.1.0.0/16'])], ports: [{ port: 30000, endPort: 30100, protocol: 'UDP' }] }] }]);
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 30000, endPort: 30100, protocol: 'UDP' }] }]);
  });

  it('fails on a rule without peers, which would admit everyone', () => {
    expect(() => synth(['p', { podSelector: api, ingress: [{ peers: [], ports: [{ port: 80 }] }] }])).toThrow('p: ingress rule 0 has no peers, which would admit everyone; name the peers');
  });

  it('fails on a rule without ports, which would admit every port', () => {
    expect(() => synth(['p', { podSelector: api, egress: [{ peers: [PolicyPeer.namespace('kube-system')], ports: [] }] }])).toThrow('p: egress rule 0 has no ports, which would admit every port; name the ports');
  });

  it('fails on a CIDR with host bits set', () => {
    expect(() => PolicyPeer.ipBlock('10.0.0.1/8')).toThrow('"10.0.0.1/8" is not a network in CIDR notation with host bits zero');
  });

  it('fails without any rules, which would isolate nothing', () => {
    expect(() => synth(['p', { podSelector: api }])).toThrow('p: a NetworkPolicy needs ingress or egress rules (an empty list denies)');
  });
});
