import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PriorityClass } from '../../lib/autoscaling/priority-class';

describe('PriorityClass', () => {
  it('is never the cluster default and preempts lower priorities', () => {
    const chart = Testing.chart();
    new PriorityClass(chart, 'data', { name: 'atlas-prod-data', value: 100000, description: 'Data stores.' });
    const [pc] = Testing.synth(chart);
    expect(pc).toMatchObject({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', value: 100000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('fails on values reserved for system-critical pods and on reserved names', () => {
    expect(() => new PriorityClass(Testing.chart(), 'x', { value: 2_000_000_000, description: 'x' })).toThrow('received 2000000000');
    expect(() => new PriorityClass(Testing.chart(), 'system-high', { value: 10, description: 'x' })).toThrow('must be a DNS-1123 subdomain not starting with "system-"');
  });
});
