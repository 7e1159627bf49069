import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ExternalSecretReference, SecretStoreRef } from '../../lib/security/external-secret-reference';

describe('ExternalSecretReference', () => {
  it('asks the External Secrets Operator (v1 API) for each key by remote key and property, never by value', () => {
    const chart = Testing.chart();
    const ref = new ExternalSecretReference(chart, 'pg', {
      name: 'postgres-credentials',
      namespace: 'shop-prod',
      store: SecretStoreRef.cluster('aws-secrets-manager'),
      refreshInterval: '15m',
      data: [
        { secretKey: 'username', remoteKey: 'shop/prod/postgres', property: 'username' },
        { secretKey: 'password', remoteKey: 'shop/prod/postgres', property: 'password' },
      ],
    });
    const [es] = Testing.synth(chart);
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.kind).toBe('ExternalSecret');
    expect(ref.secretName).toBe('postgres-credentials');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
    expect(es.spec.refreshInterval).toBe('15m');
    expect(es.spec.target).toMatchObject({ name: 'postgres-credentials', creationPolicy: 'Owner', deletionPolicy: 'Retain' });
    expect(es.spec.data).toEqual([
      { secretKey: 'username', remoteRef: { key: 'shop/prod/postgres', property: 'username' } },
      { secretKey: 'password', remoteRef: { key: 'shop/prod/postgres', property: 'password' } },
    ]);
    // A template with data would put literal values into git; only type and labels are templated.
    expect(Object.keys(es.spec.target.template).sort()).toEqual(['metadata', 'type']);
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('reads from a namespaced SecretStore when asked', () => {
    const chart = Testing.chart();
    new ExternalSecretReference(chart, 'k', { name: 'k', store: SecretStoreRef.namespaced('vault'), data: [{ secretKey: 'k', remoteKey: 'a/b' }] });
    expect(Testing.synth(chart)[0].spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'vault' });
  });

  it('fails on a refresh interval that is not a Go duration', () => {
    expect(() => new ExternalSecretReference(Testing.chart(), 'k', {
      name: 'k', store: SecretStoreRef.cluster('s'), refreshInterval: '1 hour', data: [{ secretKey: 'k', remoteKey: 'a' }],
    })).toThrow('refreshInterval "1 hour" is not a positive Go duration such as "1h" or "15m"');
  });

  it('fails when a TLS secret lacks the keys its type needs', () => {
    expect(() => new ExternalSecretReference(Testing.chart(), 'k', {
      name: 'tls', type: 'kubernetes.io/tls', store: SecretStoreRef.cluster('s'), data: [{ secretKey: 'tls.crt', remoteKey: 'a' }],
    })).toThrow('Secret tls: type kubernetes.io/tls needs the key(s) tls.key');
  });
});
