import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { SelectPolicy, ScalingPolicy } from '../../lib/autoscaling/horizontal-pod-autoscaler';
import { KedaTrigger, ScaledObject, type ScaledObjectProps } from '../../lib/autoscaling/scaled-object';

const target = { kind: 'Deployment', name: 'worker' };
const labels = { 'app.kubernetes.io/name': 'worker' };

const redis = KedaTrigger.redisList({
  address: 'redis.atlas-prod.svc:6379',
  listName: 'analytics',
  listLength: 50,
  password: { name: 'redis-auth', key: 'password' },
});
const backlog = KedaTrigger.prometheus({
  name: 'backlog',
  serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
  query: 'sum(worker_jobs_pending{namespace="atlas-prod"})',
  threshold: 100,
});
const jobs = KedaTrigger.postgresql({
  host: 'postgres.atlas-prod.svc',
  userName: 'atlas',
  dbName: 'atlas',
  query: "SELECT count(*) FROM jobs WHERE state = 'queued'",
  targetQueryValue: 20,
  password: { name: 'postgres-auth', key: 'password' },
});

const reference: ScaledObjectProps = { target, labels, minReplicas: 2, maxReplicas: 8, triggers: [redis, backlog, jobs] };

function synth(props: ScaledObjectProps) {
  const chart = Testing.chart();
  new ScaledObject(chart, 'worker', props);
  return Testing.synth(chart);
}

describe('ScaledObject', () => {
  it('scales the worker 2–8 on a Redis list, a Prometheus query and a SQL query', () => {
    const objects = synth(reference);
    const so = objects.find((o) => o.kind === 'ScaledObject');
    expect(so.apiVersion).toBe('keda.sh/v1alpha1');
    expect(so.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 8, pollingInterval: 30 });
    // KEDA's cooldown only governs scaling to zero: with a minimum of 2 it is left out.
    expect(so.spec).not.toHaveProperty('cooldownPeriod');
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' });
    expect(so.spec.triggers).toEqual([
      { type: 'redis', name: 'redis', metadata: { address: 'redis.atlas-prod.svc:6379', listName: 'analytics', listLength: '50' }, authenticationRef: { name: 'worker-redis' } },
      { type: 'prometheus', name: 'backlog', metadata: { serverAddress: 'http://prometheus-operated.monitoring.svc:9090', query: 'sum(worker_jobs_pending{namespace="atlas-prod"})', threshold: '100' } },
      {
        type: 'postgresql',
        name: 'postgresql',
        metadata: { host: 'postgres.atlas-prod.svc', port: '5432', userName: 'atlas', dbName: 'atlas', sslmode: 'require', query: "SELECT count(*) FROM jobs WHERE state = 'queued'", targetQueryValue: '20' },
        authenticationRef: { name: 'worker-postgresql' },
      },
    ]);
    expect(objects).toMatchSnapshot();
  });

  it('hands credentials over by Secret reference only, one TriggerAuthentication per trigger that needs them', () => {
    const auths = synth(reference).filter((o) => o.kind === 'TriggerAuthentication');
    expect(auths.map((a) => [a.metadata.name, a.spec])).toEqual([
      ['worker-redis', { secretTargetRef: [{ parameter: 'password', name: 'redis-auth', key: 'password' }] }],
      ['worker-postgresql', { secretTargetRef: [{ parameter: 'password', name: 'postgres-auth', key: 'password' }] }],
    ]);
    // No trigger carries a password in its metadata.
    const so = synth(reference).find((o) => o.kind === 'ScaledObject');
    for (const t of so.spec.triggers) expect(Object.keys(t.metadata).some((k: string) => /password/i.test(k))).toBe(false);
  });

  it('reads a PostgreSQL user name kept in a Secret through the TriggerAuthentication, not the metadata', () => {
    const fromSecret = KedaTrigger.postgresql({
      host: 'postgres.atlas-prod.svc',
      userName: { name: 'postgres-credentials', key: 'username' },
      dbName: 'atlas',
      query: 'SELECT 1',
      targetQueryValue: 1,
      password: { name: 'postgres-credentials', key: 'password' },
    });
    const objects = synth({ ...reference, triggers: [fromSecret] });
    expect(objects.find((o) => o.kind === 'ScaledObject').spec.triggers[0].metadata).not.toHaveProperty('userName');
    expect(objects.find((o) => o.kind === 'TriggerAuthentication').spec.secretTargetRef).toEqual([
      { parameter: 'userName', name: 'postgres-credentials', key: 'username' },
      { parameter: 'password', name: 'postgres-credentials', key: 'password' },
    ]);
  });

  it('passes scaling behavior to the HPA KEDA creates', () => {
    const so = synth({ ...reference, triggers: [backlog], scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: SelectPolicy.MIN, policies: [ScalingPolicy.pods(1, 60)] } })[0];
    expect(so.spec.advanced).toEqual({
      horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } },
    });
  });

  it('allows scaling to zero with an activation threshold and a cooldown before the last replica goes', () => {
    const wake = KedaTrigger.prometheus({ serverAddress: 'http://prometheus:9090', query: 'sum(x)', threshold: 10, activationThreshold: 1 });
    const so = synth({ ...reference, minReplicas: 0, cooldownPeriodSeconds: 600, triggers: [wake] })[0];
    expect(so.spec.minReplicaCount).toBe(0);
    expect(so.spec.cooldownPeriod).toBe(600);
    expect(so.spec.triggers[0].metadata.activationThreshold).toBe('1');
  });

  it('fails on a cooldown with a minimum above zero, where KEDA ignores it', () => {
    expect(() => synth({ ...reference, cooldownPeriodSeconds: 300 })).toThrow('worker: cooldownPeriodSeconds only delays scaling to zero and minReplicas is 2; pace scale-down with scaleDown instead; received 300');
  });

  it('fails when minReplicas exceeds maxReplicas', () => {
    expect(() => synth({ ...reference, minReplicas: 9 })).toThrow('worker: maxReplicas must be a whole number ≥ 1 and ≥ minReplicas (9); received 8');
  });

  it('fails without triggers, or with two triggers of one name', () => {
    expect(() => synth({ ...reference, triggers: [] })).toThrow('a ScaledObject needs at least one trigger; received none');
    expect(() => synth({ ...reference, triggers: [backlog, backlog] })).toThrow('trigger name backlog is used twice');
  });

  it('fails on a Redis address without a port and a Prometheus address that is not a URL', () => {
    expect(() => KedaTrigger.redisList({ address: 'redis', listName: 'q', listLength: 5 })).toThrow('address must be host:port; received "redis"');
    expect(() => KedaTrigger.prometheus({ serverAddress: 'prometheus:9090', query: 'up', threshold: 1 })).toThrow('serverAddress must be an http(s) URL; received "prometheus:9090"');
  });

  it('fails on a zero target, which would ask for infinite replicas', () => {
    expect(() => KedaTrigger.redisList({ address: 'redis:6379', listName: 'q', listLength: 0 })).toThrow('listLength must be a number above 0; received 0');
  });
});

describe('KedaTrigger.postgresql', () => {
  it('reads the user name from the credentials Secret when given as a reference', () => {
    const trigger = KedaTrigger.postgresql({
      host: 'postgres.atlas-prod.svc', userName: { name: 'postgres-credentials', key: 'username' }, dbName: 'atlas',
      query: 'SELECT 1', targetQueryValue: 1, password: { name: 'postgres-credentials', key: 'password' },
    });
    expect(trigger.metadata).not.toHaveProperty('userName');
    expect(trigger.secrets).toEqual([
      { parameter: 'userName', secretName: 'postgres-credentials', key: 'username' },
      { parameter: 'password', secretName: 'postgres-credentials', key: 'password' },
    ]);
  });
});
