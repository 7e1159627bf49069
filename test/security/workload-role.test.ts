import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { RBAC_WAIVER_ANNOTATION, RbacScope, WorkloadRole, type WorkloadRule } from '../../lib/security/workload-role';

const leases: WorkloadRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['worker-leader'], verbs: ['get', 'update'] },
];

function role(rules: readonly WorkloadRule[]) {
  const chart = Testing.chart();
  new WorkloadRole(chart, 'worker', { serviceAccount: 'worker', namespace: 'shop-prod', rules });
  return Testing.synth(chart);
}

describe('WorkloadRole', () => {
  it('grants exactly the declared rules to the workload\'s ServiceAccount, in its namespace', () => {
    const [r, binding] = role(leases);
    expect(r.kind).toBe('Role');
    expect(r.metadata).toMatchObject({ name: 'worker', namespace: 'shop-prod' });
    expect(r.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['worker-leader'], verbs: ['get', 'update'] },
    ]);
    expect(binding.kind).toBe('RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'worker' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'worker', namespace: 'shop-prod' }]);
    expect(r.metadata.annotations).toBeUndefined();
    expect(role(leases)).toMatchSnapshot();
  });

  it.each([
    ['a wildcard API group', { apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }, 'a wildcard in apiGroups ("*") grants everything'],
    ['a wildcard resource', { apiGroups: [''], resources: ['pods/*'], verbs: ['get'] }, 'a wildcard in resources ("pods/*") grants everything'],
    ['a wildcard verb', { apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }, 'a wildcard in verbs ("*") grants everything'],
    ['escalate', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }, 'the verb "escalate" lets it create or edit roles with permissions it does not hold'],
    ['bind', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['bind'] }, 'the verb "bind" lets it bind roles with permissions it does not hold'],
    ['impersonate', { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }, 'the verb "impersonate" lets it act as any user, group or ServiceAccount'],
    ['list on secrets', { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }, '"list" on secrets returns the values of every Secret in the namespace; use "get" with resourceNames'],
    ['watch on secrets', { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch'] }, '"watch" on secrets returns the values of every Secret in the namespace'],
  ] as const)('fails on %s unless waived', (_what, rule, message) => {
    expect(() => role([rule])).toThrow(`worker: rule 1 is forbidden unless waived with a reason: ${message}`);
  });

  it('accepts a forbidden rule with a waiver and records the reason on the Role', () => {
    const [r] = role([{ apiGroups: [''], resources: ['secrets'], verbs: ['list'], waiver: 'the cert syncer mirrors every TLS Secret it finds' }]);
    expect(r.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]);
    expect(r.metadata.annotations).toEqual({ [RBAC_WAIVER_ANNOTATION]: 'rule 1: the cert syncer mirrors every TLS Secret it finds' });
  });

  it('fails on resourceNames with create, which the name can never match', () => {
    expect(() => role([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['x'], verbs: ['create', 'get'] }]))
      .toThrow('worker: rule 1 is invalid: resourceNames cannot restrict "create" (the name is unknown when it is authorized)');
  });

  it('fails on an unknown verb', () => {
    expect(() => role([{ apiGroups: [''], resources: ['pods'], verbs: ['read'] }])).toThrow('unknown verb(s) "read"');
  });

  it('binds a ClusterRole only with the reason a cluster-wide grant is unavoidable', () => {
    const chart = Testing.chart();
    new WorkloadRole(chart, 'prometheus', {
      serviceAccount: 'prometheus',
      namespace: 'monitoring',
      scope: RbacScope.cluster('service discovery of pods in every application namespace'),
      rules: [{ apiGroups: [''], resources: ['pods', 'endpoints', 'services'], verbs: ['get', 'list', 'watch'] }],
    });
    const [r, binding] = Testing.synth(chart);
    expect(r.kind).toBe('ClusterRole');
    expect(r.metadata.name).toBe('monitoring-prometheus');
    expect(r.metadata.namespace).toBeUndefined();
    expect(binding.kind).toBe('ClusterRoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }]);
    expect(() => RbacScope.cluster('needed')).toThrow('a cluster-wide grant needs a reason');
  });

  it('fails without rules: a workload without API access gets no Role', () => {
    expect(() => role([])).toThrow('worker: a role needs at least one rule');
  });
});
