import { describe, expect, it } from 'vitest';
import { base } from '../../environments/base';
import { dev } from '../../environments/dev';
import { prod } from '../../environments/prod';
import { mergeOverlay, resolvePlatform, secretNamespace, SpecError, type SpecProblem } from '../../lib/spec';

/** The problems of an environment of the reference platform with `overlay` merged over it. */
function problems(overlay: object, env: { environment: string } = prod): SpecProblem[] {
  try {
    resolvePlatform(env.environment, mergeOverlay(mergeOverlay(base, env), overlay));
    return [];
  } catch (error) {
    if (error instanceof SpecError) return [...error.problems];
    throw error;
  }
}

function only(overlay: object, env?: { environment: string }): Pick<SpecProblem, 'path' | 'message' | 'received'> {
  const found = problems(overlay, env);
  expect(found, JSON.stringify(found, null, 2)).toHaveLength(1);
  const [{ path, message, received }] = found;
  return { path, message, received };
}

const logging = { name: 'logging', podSecurity: 'privileged', reason: 'the log shipper reads /var/log/pods on every node through hostPath' };

describe('security spec', () => {
  it('accepts the reference platform and a reasoned Pod Security exception', () => {
    expect(problems({})).toEqual([]);
    expect(problems({ security: { namespaces: [logging] } })).toEqual([]);
  });

  it('fails when a Pod Security exception has no reason', () => {
    expect(only({ security: { namespaces: [{ name: 'logging', podSecurity: 'privileged' }] } })).toEqual({
      path: 'security.namespaces[logging].reason',
      received: undefined,
      message: 'a "privileged" Pod Security exception needs a reason of at least 20 characters saying why restricted cannot work',
    });
  });

  it('fails when a restricted namespace carries a reason, which would read as an exception', () => {
    expect(only({ security: { namespaces: [{ name: 'batch', reason: 'some reason that is long enough' }] } }).path).toBe('security.namespaces[batch].reason');
  });

  it('fails when an extra namespace repeats the application namespace', () => {
    expect(only({ security: { namespaces: [{ name: 'atlas-prod' }] } })).toMatchObject({
      path: 'security.namespaces[atlas-prod].name', message: 'this is the application namespace, which exists already',
    });
  });

  it('fails when a quota limit is below its request', () => {
    expect(only({ security: { quota: { requests: { cpu: '8' }, limits: { cpu: '6' } } } })).toEqual({
      path: 'security.quota.limits.cpu',
      received: '6',
      message: 'expected at least requests.cpu (8); pods could never use what the quota lets them request',
    });
  });

  it('fails when the limit range default limit is above its maximum', () => {
    expect(only({ security: { limitRange: { defaultLimit: { memory: '16Gi' } } } })).toMatchObject({
      path: 'security.limitRange.max.memory',
      message: 'expected at least defaultLimit.memory (16Gi): the API server needs min ≤ defaultRequest ≤ defaultLimit ≤ max',
    });
  });

  it('fails when a service asks for more than the limit range admits per container', () => {
    expect(only({ services: [{ name: 'api', resources: { limits: { cpu: '6' } } }] })).toEqual({
      path: 'services[api].resources.limits.cpu',
      received: '6',
      message: 'above the limit range maximum per container (security.limitRange.max.cpu = 4)',
    });
  });

  it('fails when a service requests less than the limit range minimum', () => {
    expect(only({ services: [{ name: 'api', resources: { requests: { cpu: '5m' } } }] }).message)
      .toBe('below the limit range minimum per container (security.limitRange.min.cpu = 10m)');
  });

  it('fails on RBAC for a service that does not exist', () => {
    expect(only({ security: { rbac: [{ name: 'billing', rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }] } })).toMatchObject({
      path: 'security.rbac[billing].name', message: 'expected one of the declared services: api, dashboard, worker',
    });
  });

  it.each([
    ['a wildcard', { apiGroups: [''], resources: ['*'], verbs: ['get'] }, 'forbidden: a wildcard in resources ("*") grants everything that exists now and anything added later; list what is needed explicitly; add waiver.reason if it is truly needed'],
    ['escalate', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }, 'forbidden: the verb "escalate" lets it create or edit roles with permissions it does not hold; add waiver.reason if it is truly needed'],
    ['bind', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }, 'forbidden: the verb "bind" lets it bind roles with permissions it does not hold; add waiver.reason if it is truly needed'],
    ['impersonate', { apiGroups: [''], resources: ['users'], verbs: ['impersonate'] }, 'forbidden: the verb "impersonate" lets it act as any user, group or ServiceAccount; add waiver.reason if it is truly needed'],
    ['list on secrets', { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }, 'forbidden: "list" on secrets returns the values of every Secret in the namespace; use "get" with resourceNames; add waiver.reason if it is truly needed'],
    ['watch on secrets', { apiGroups: [''], resources: ['secrets'], verbs: ['watch'] }, 'forbidden: "watch" on secrets returns the values of every Secret in the namespace; use "get" with resourceNames; add waiver.reason if it is truly needed'],
  ])('fails when a service asks for %s without a waiver', (_what, rule, message) => {
    expect(only({ security: { rbac: [{ name: 'worker', rules: [rule] }] } })).toEqual({ path: 'security.rbac[worker].rules[0]', received: rule, message });
  });

  it('accepts a forbidden request waived with a reason', () => {
    const rule = { apiGroups: [''], resources: ['secrets'], verbs: ['list'], waiver: { reason: 'mirrors every TLS Secret into the edge proxy' } };
    expect(problems({ security: { rbac: [{ name: 'worker', rules: [rule] }] } })).toEqual([]);
  });

  it('fails when a waiver covers a rule that requests nothing forbidden', () => {
    const rule = { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], waiver: { reason: 'just in case somebody needs it later' } };
    expect(only({ security: { rbac: [{ name: 'worker', rules: [rule] }] } }).message).toBe('the rule requests nothing forbidden; remove the waiver so waivers stay meaningful');
  });

  it('fails on a verb the API server does not know', () => {
    expect(only({ security: { rbac: [{ name: 'worker', rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['read'] }] }] } }).path).toBe('security.rbac[worker].rules[0].verbs[0]');
  });

  it('fails on resourceNames with create, which can never match', () => {
    const rule = { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['worker-leader'], verbs: ['create'] };
    expect(only({ security: { rbac: [{ name: 'worker', rules: [rule] }] } }).message)
      .toBe('resourceNames cannot restrict "create" (the name is unknown when it is authorized); put it in a rule without resourceNames');
  });

  it('fails when an external secret is asked for on a cluster without the External Secrets Operator', () => {
    expect(problems({ security: { secretSource: { kind: 'external', store: { name: 'vault' } } } }, dev)[0]).toMatchObject({
      path: 'security.secrets[api-session].source',
      received: 'external',
      message: 'the cluster has no External Secrets Operator (cluster.capabilities.externalSecrets is false); use "existing" or "sealed"',
    });
  });

  it('fails when external secrets name no store', () => {
    expect(problems({ cluster: { capabilities: { externalSecrets: true } }, security: { secretSource: { kind: 'external' } } }, dev)[0]).toMatchObject({
      path: 'security.secretSource.store', message: 'secret api-session is external: name the ClusterSecretStore or SecretStore it reads from',
    });
  });

  it('fails when a sealed secret is asked for on a cluster without the Sealed Secrets controller', () => {
    const sealed = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'api-session', namespace: 'atlas-prod' }, spec: { encryptedData: { 'signing-key': `AgB${'Q'.repeat(100)}` } } };
    expect(only({ security: { secrets: [{ name: 'api-session', source: 'sealed', sealed }] } }).message)
      .toBe('the cluster has no Sealed Secrets controller (cluster.capabilities.sealedSecrets is false); use "existing" or "external"');
  });

  it('fails when a service reads a key the secret does not have', () => {
    expect(only({ security: { secrets: [{ name: 'api-session', env: [{ service: 'api', variable: 'SESSION_KEY', key: 'key' }] }] } })).toEqual({
      path: 'security.secrets[api-session].env[0].key', received: 'key', message: "expected one of the secret's keys: signing-key",
    });
  });

  it('fails when a secret variable collides with a plain one', () => {
    expect(only({ security: { secrets: [{ name: 'api-session', env: [{ service: 'api', variable: 'PORT', key: 'signing-key' }] }] } }).message)
      .toBe('service api already sets PORT as a plain env value');
  });

  it('fails when a secret is read by a service that does not exist', () => {
    expect(only({ security: { secrets: [{ name: 'api-session', env: [{ service: 'billing', variable: 'K', key: 'signing-key' }] }] } }).path)
      .toBe('security.secrets[api-session].env[0].service');
  });

  it('fails when a TLS secret lacks a key its type needs', () => {
    expect(only({ security: { secrets: [{ name: 'edge-tls', type: 'kubernetes.io/tls', keys: ['tls.crt'] }] } })).toMatchObject({
      path: 'security.secrets[edge-tls].keys', message: 'a kubernetes.io/tls Secret needs the key(s) tls.key',
    });
  });

  it('places a secret in the namespace of the component namespaceOf names, in every environment', () => {
    const where = (env: { environment: string }, namespaceOf: 'telemetry' | 'monitoring', overlay: object = {}) =>
      secretNamespace(resolvePlatform(env.environment, mergeOverlay(mergeOverlay(base, env), overlay)), { namespaceOf });
    expect(where(prod, 'telemetry')).toBe('atlas-prod-telemetry');
    expect(where(dev, 'telemetry')).toBe('atlas-dev-telemetry');
    expect(where(prod, 'telemetry', { telemetry: { namespace: 'observability' }, security: { namespaces: [{ name: 'observability' }] } })).toBe('observability');
    // Grafana's namespace: kube-prometheus-stack's with the Prometheus Operator, the standalone stack's otherwise.
    expect(where(prod, 'monitoring', { cluster: { grafana: { namespace: 'kube-prometheus' } } })).toBe('kube-prometheus');
    expect(where(dev, 'monitoring', { cluster: { prometheus: { namespace: 'obs-dev' } } })).toBe('obs-dev');
  });

  it('fails on a secret that names both its namespace and a component\'s', () => {
    expect(only({ security: { secrets: [{ name: 'grafana-admin', keys: ['admin-user'], namespace: 'monitoring', namespaceOf: 'monitoring' }] } })).toEqual({
      path: 'security.secrets[grafana-admin].namespaceOf', received: 'monitoring', message: 'the secret names its namespace (monitoring) already; keep one of namespace and namespaceOf',
    });
  });

  it('fails on a secret in the telemetry namespace when the logs and traces stack is off', () => {
    const off = { telemetry: { logs: { enabled: false }, traces: { enabled: false } }, security: { secrets: [{ name: 'elasticsearch-credentials' }] } };
    expect(problems(off).filter((p) => p.path.startsWith('security.secrets[elasticsearch-'))).toEqual([
      expect.objectContaining({ path: 'security.secrets[elasticsearch-credentials].namespaceOf', message: 'the logs and traces stack is off (telemetry.logs and telemetry.traces are disabled), so there is no telemetry namespace' }),
      expect.objectContaining({ path: 'security.secrets[elasticsearch-tls].namespaceOf' }),
    ]);
  });

  it('fails on a remote key for a secret that is not external', () => {
    expect(only({ security: { secrets: [{ name: 'api-session', remoteKey: 'atlas/dev/session' }] } }, dev).message)
      .toBe('only an external secret has a remote key; this one is existing');
  });

  describe('sealed', () => {
    const ciphertext = `AgB${'Q'.repeat(340)}==`;
    const kubeseal = (namespace: string, encryptedData: Record<string, string>) => ({
      apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'api-session', namespace, creationTimestamp: null }, spec: { encryptedData },
    });
    const sealed = (output: object | undefined) => ({
      cluster: { capabilities: { sealedSecrets: true } },
      security: { secrets: [{ name: 'api-session', source: 'sealed', sealed: output }] },
    });

    it('accepts kubeseal output for this name and namespace with the declared keys', () => {
      expect(problems(sealed(kubeseal('atlas-prod', { 'signing-key': ciphertext })))).toEqual([]);
    });

    it('fails when the ciphertext was sealed for another namespace, where it could never be unsealed', () => {
      expect(only(sealed(kubeseal('atlas-staging', { 'signing-key': ciphertext })))).toEqual({
        path: 'security.secrets[api-session].sealed.metadata',
        received: 'atlas-staging/api-session',
        message: 'sealed for another Secret; expected atlas-prod/api-session (reseal it for this name and namespace)',
      });
    });

    it('fails when the sealed keys differ from the declared ones', () => {
      expect(only(sealed(kubeseal('atlas-prod', { other: ciphertext }))).message).toBe('expected exactly the declared keys: signing-key');
    });

    it('fails on a plain value where ciphertext belongs', () => {
      expect(only(sealed(kubeseal('atlas-prod', { 'signing-key': 'hunter2' })))).toMatchObject({
        path: 'security.secrets[api-session].sealed.spec.encryptedData.signing-key',
        message: 'expected kubeseal ciphertext (base64, at least 64 characters), never a plain value',
      });
    });

    it('fails without the kubeseal output, naming the command that makes it', () => {
      expect(only(sealed(undefined)).message).toBe(
        'a sealed secret needs the kubeseal output: kubectl create secret generic api-session --namespace atlas-prod --dry-run=client -o json '
        + '--from-file=signing-key=./signing-key | kubeseal --format json > environments/sealed-secrets/prod/api-session.json, then import that file here',
      );
    });
  });
});
