import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PlatformNamespace, POD_SECURITY_EXCEPTION_ANNOTATION } from '../../lib/security/platform-namespace';
import { PodSecurityLevel } from '../../lib/security/pod-security';

describe('PlatformNamespace', () => {
  it('enforces, audits and warns at restricted, pinned to the cluster version, by default', () => {
    const chart = Testing.chart();
    new PlatformNamespace(chart, 'ns', { name: 'shop-prod', kubernetesVersion: '1.31', partOf: 'shop', version: 'prod' });
    const [ns] = Testing.synth(chart);
    expect(ns.kind).toBe('Namespace');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.31',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.31',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.31',
    });
    // A restricted namespace carries no exception annotation, so an auditor can grep for exceptions.
    expect(ns.metadata.annotations).toBeUndefined();
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('writes a weaker level only with its reason, as an annotation', () => {
    const chart = Testing.chart();
    const reason = 'the log collector reads /var/log/pods on every node through hostPath';
    new PlatformNamespace(chart, 'ns', { name: 'logging', kubernetesVersion: '1.30', podSecurity: PodSecurityLevel.privileged(reason) });
    const [ns] = Testing.synth(chart);
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('privileged');
    expect(ns.metadata.annotations).toEqual({ [POD_SECURITY_EXCEPTION_ANNOTATION]: reason });
  });

  it('fails when an exception has no real reason', () => {
    expect(() => PodSecurityLevel.baseline('because')).toThrow('a "baseline" Pod Security exception needs a reason of at least 10 characters');
  });

  it('fails on a name the API server rejects', () => {
    expect(() => new PlatformNamespace(Testing.chart(), 'ns', { name: 'Shop_Prod', kubernetesVersion: '1.30' }))
      .toThrow('namespace name "Shop_Prod" is not a DNS-1123 label');
  });

  it('fails on a Kubernetes version it cannot pin to', () => {
    expect(() => new PlatformNamespace(Testing.chart(), 'ns', { name: 'shop', kubernetesVersion: 'latest' }))
      .toThrow('expected a Kubernetes minor version such as "1.30"');
  });
});
