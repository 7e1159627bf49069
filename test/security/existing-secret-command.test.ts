import { describe, expect, it } from 'vitest';
import { kubectlCreateSecretCommand } from '../../lib/security/existing-secret-command';

describe('kubectlCreateSecretCommand', () => {
  it('creates the Secret from one file per key, so no value lands on the command line', () => {
    expect(kubectlCreateSecretCommand({ name: 'postgres-credentials', namespace: 'shop-dev', keys: ['username', 'password'] })).toBe([
      'kubectl create secret generic postgres-credentials \\',
      '    --namespace shop-dev \\',
      '    --from-file=username=./postgres-credentials/username \\',
      '    --from-file=password=./postgres-credentials/password',
    ].join('\n'));
  });

  it('sets the type for typed Secrets', () => {
    expect(kubectlCreateSecretCommand({ name: 'tls', namespace: 'ns', type: 'kubernetes.io/tls', keys: ['tls.crt', 'tls.key'] }))
      .toContain('--type kubernetes.io/tls');
  });

  it('fails on a key the API server rejects', () => {
    expect(() => kubectlCreateSecretCommand({ name: 's', namespace: 'ns', keys: ['pass word'] })).toThrow('key "pass word" is not a valid Secret key');
  });
});
