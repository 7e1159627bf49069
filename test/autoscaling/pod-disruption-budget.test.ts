import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PodDisruptionBudget } from '../../lib/autoscaling/pod-disruption-budget';

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
