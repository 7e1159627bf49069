import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PodDisruptionBudget, allowedDisruptions } from '../../lib/autoscaling/pod-disruption-budget';

const selector = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api-prod' };

describe('PodDisruptionBudget', () => {
  it('lets one pod go at a time and always lets unhealthy pods be evicted', () => {
    const chart = Testing.chart();
    new PodDisruptionBudget(chart, 'api', { selector, minReplicas: 3 });
    const [pdb] = Testing.synth(chart);
    expect(pdb.spec).toEqual({ selector: { matchLabels: selector }, maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('accepts a percentage, which rounds up to at least one pod', () => {
    const chart = Testing.chart();
    new PodDisruptionBudget(chart, 'api', { selector, minReplicas: 10, maxUnavailable: '20%' });
    expect(Testing.synth(chart)[0].spec.maxUnavailable).toBe('20%');
  });

  it('fails for a single-replica workload, whose only pod a budget would pin', () => {
    expect(() => new PodDisruptionBudget(Testing.chart(), 'api', { selector, minReplicas: 1 })).toThrow('received minReplicas 1');
  });

  it('fails when maxUnavailable would block every eviction', () => {
    expect(() => new PodDisruptionBudget(Testing.chart(), 'api', { selector, minReplicas: 3, maxUnavailable: 0 })).toThrow('received 0');
    expect(() => new PodDisruptionBudget(Testing.chart(), 'api', { selector, minReplicas: 3, maxUnavailable: '0%' })).toThrow('received "0%"');
  });
});

describe('PodDisruptionBudget for autoscaled workloads', () => {
  it('protects a workload that scales from 1 to several replicas without pinning its single pod', () => {
    const chart = Testing.chart();
    const pdb = new PodDisruptionBudget(chart, 'api', { selector, namespace: 'atlas-prod', minReplicas: 1, maxReplicas: 5 });
    expect(Testing.synth(chart)[0].metadata.namespace).toBe('atlas-prod');
    // At one replica, the one pod may still be evicted: a drain never waits on it.
    expect(allowedDisruptions(pdb.maxUnavailable, 1)).toBe(1);
  });

  it('fails for a workload that never runs more than one replica', () => {
    expect(() => new PodDisruptionBudget(Testing.chart(), 'api', { selector, minReplicas: 0, maxReplicas: 1 })).toThrow('received maxReplicas 1');
  });
});

describe('allowedDisruptions', () => {
  it('rounds a percentage up, as the disruption controller does', () => {
    expect(allowedDisruptions('25%', 3)).toBe(1);
    expect(allowedDisruptions('50%', 5)).toBe(3);
    expect(allowedDisruptions(1, 10)).toBe(1);
    expect(allowedDisruptions(2, 1)).toBe(1);
  });
});
