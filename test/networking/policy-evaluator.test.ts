import { describe, expect, it } from 'vitest';
import { NetworkPolicyEvaluator, podsOf, selects, type PodEndpoint } from '../../lib/networking/policy-evaluator';

const policy = (namespace: string, name: string, spec: Record<string, unknown>) => ({ kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const web: PodEndpoint = { namespace: 'app', labels: { app: 'web' }, ports: [{ name: 'http', port: 8080 }] };
const db: PodEndpoint = { namespace: 'data', labels: { app: 'db' }, ports: [{ name: 'postgres', port: 5432 }] };
const other: PodEndpoint = { namespace: 'app', labels: { app: 'other' }, ports: [{ name: 'http', port: 8080 }] };

describe('NetworkPolicyEvaluator', () => {
  it('allows everything between pods no policy selects', () => {
    expect(new NetworkPolicyEvaluator([]).allows(web, db, 5432)).toBe(true);
  });

  it('denies everything under a default deny on either end', () => {
    const deny = (ns: string) => policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
    expect(new NetworkPolicyEvaluator([deny('data')]).allows(web, db, 5432)).toBe(false);
    expect(new NetworkPolicyEvaluator([deny('app')]).allows(web, db, 5432)).toBe(false);
  });

  it('needs both the source\'s egress and the destination\'s ingress to allow a flow', () => {
    const ingress = policy('data', 'db-ingress', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'app' } }, podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }] });
    const egressDeny = policy('app', 'default-deny', { podSelector: {}, policyTypes: ['Egress'], egress: [] });
    const egressAllow = policy('app', 'web-egress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }] }] });
    expect(new NetworkPolicyEvaluator([ingress]).allows(web, db, 5432)).toBe(true);
    expect(new NetworkPolicyEvaluator([ingress]).allows(other, db, 5432)).toBe(false);
    expect(new NetworkPolicyEvaluator([ingress]).allows(web, db, 5433)).toBe(false);
    expect(new NetworkPolicyEvaluator([ingress, egressDeny]).allows(web, db, 5432)).toBe(false);
    expect(new NetworkPolicyEvaluator([ingress, egressDeny, egressAllow]).allows(web, db, 5432)).toBe(true);
    expect(new NetworkPolicyEvaluator([ingress, egressDeny, egressAllow]).explain(web, db, 5432)).toEqual({ egress: ['web-egress'], ingress: ['db-ingress'] });
  });

  it('reads a peer without a namespace selector as the policy\'s own namespace', () => {
    const ingress = policy('data', 'db-ingress', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    expect(new NetworkPolicyEvaluator([ingress]).allows(web, db, 5432)).toBe(false);
    expect(new NetworkPolicyEvaluator([ingress]).allows({ ...web, namespace: 'data' }, db, 5432)).toBe(true);
  });

  it('resolves a named port against the destination pod\'s container ports', () => {
    const ingress = policy('data', 'db-ingress', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 'postgres' }] }] });
    expect(new NetworkPolicyEvaluator([ingress]).allows(web, db, 5432)).toBe(true);
    expect(new NetworkPolicyEvaluator([ingress]).allows(web, { ...db, ports: [{ name: 'postgres', port: 6432 }] }, 5432)).toBe(false);
  });

  it('matches outside addresses against ipBlocks and their exceptions, and port ranges', () => {
    const egress = policy('app', 'web-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 8000, endPort: 8100 }] }] });
    const evaluator = new NetworkPolicyEvaluator([egress]);
    expect(evaluator.allows(web, { ip: '10.2.3.4' }, 8080)).toBe(true);
    expect(evaluator.allows(web, { ip: '10.1.3.4' }, 8080)).toBe(false);
    expect(evaluator.allows(web, { ip: '10.2.3.4' }, 8200)).toBe(false);
    expect(evaluator.allows(web, { ip: '10.2.3.4' }, 8080, 'UDP')).toBe(false);
    expect(evaluator.allows(web, db, 8080)).toBe(false);
  });

  it('applies Egress without policyTypes only when egress rules are written', () => {
    const onlyIngress = policy('app', 'p', { podSelector: {}, ingress: [] });
    expect(new NetworkPolicyEvaluator([onlyIngress]).allows(web, db, 5432)).toBe(true);
    expect(new NetworkPolicyEvaluator([onlyIngress]).allows(db, web, 8080)).toBe(false);
  });

  it('matches label selector expressions', () => {
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, { tier: 'api' })).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, { tier: 'web' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, {})).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, {})).toBe(true);
  });

  it('finds the pods of Deployments, StatefulSets and CronJobs with their container ports', () => {
    const template = (app: string, port: number) => ({ metadata: { labels: { app } }, spec: { containers: [{ ports: [{ name: 'p', containerPort: port }] }] } });
    const pods = podsOf([
      { kind: 'Deployment', metadata: { name: 'web', namespace: 'app' }, spec: { template: template('web', 8080) } },
      { kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data' }, spec: { template: template('db', 5432) } },
      { kind: 'CronJob', metadata: { name: 'backup', namespace: 'data' }, spec: { jobTemplate: { spec: { template: template('backup', 9000) } } } },
      { kind: 'Service', metadata: { name: 'web', namespace: 'app' }, spec: {} },
    ]);
    expect(pods.map((p) => [p.name, p.namespace, p.labels.app, p.ports?.[0].port])).toEqual([
      ['Deployment/web', 'app', 'web', 8080],
      ['StatefulSet/db', 'data', 'db', 5432],
      ['CronJob/backup', 'data', 'backup', 9000],
    ]);
  });
});
