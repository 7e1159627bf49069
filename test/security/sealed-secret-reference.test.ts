import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { SealedSecretReference } from '../../lib/security/sealed-secret-reference';

const ciphertext = `AgB${'x'.repeat(300)}==`;

describe('SealedSecretReference', () => {
  it('carries only ciphertext, unsealed into a Secret of the same name in the namespace it was sealed for', () => {
    const chart = Testing.chart();
    new SealedSecretReference(chart, 's', { name: 'api-session', namespace: 'shop-prod', encryptedData: { 'signing-key': ciphertext } });
    const [sealed] = Testing.synth(chart);
    expect(sealed.apiVersion).toBe('bitnami.com/v1alpha1');
    expect(sealed.kind).toBe('SealedSecret');
    expect(sealed.metadata).toMatchObject({ name: 'api-session', namespace: 'shop-prod' });
    expect(sealed.spec.encryptedData).toEqual({ 'signing-key': ciphertext });
    expect(sealed.spec.template.metadata).toMatchObject({ name: 'api-session', namespace: 'shop-prod' });
    expect(sealed.spec.template.data).toBeUndefined();
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('fails when a value is not kubeseal ciphertext, so plain values are never committed', () => {
    expect(() => new SealedSecretReference(Testing.chart(), 's', { name: 'api-session', namespace: 'shop', encryptedData: { 'signing-key': 'hunter2' } }))
      .toThrow('Secret api-session: encryptedData.signing-key is not kubeseal ciphertext');
  });

  it('fails without a namespace, which the ciphertext is bound to', () => {
    expect(() => new SealedSecretReference(Testing.chart(), 's', { name: 'x', encryptedData: { k: ciphertext } }))
      .toThrow('Secret x: sealed data is bound to a namespace');
  });
});
