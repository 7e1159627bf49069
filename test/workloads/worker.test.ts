import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Worker } from '../../lib/workloads/worker';

describe('Worker', () => {
  it('has no Service when it exposes no metrics', () => {
    const chart = Testing.chart();
    new Worker(chart, 'worker', { image: 'a/worker:1', livenessProbe: { command: ['/bin/healthcheck'] }, readinessProbe: { command: ['/bin/healthcheck'] } });
    const kinds = Testing.synth(chart).map((o) => o.kind);
    expect(kinds).toEqual(['ServiceAccount', 'Deployment']);
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('gets a Service offering only the metrics port when it exposes metrics', () => {
    const chart = Testing.chart();
    new Worker(chart, 'worker', {
      image: 'a/worker:1',
      ports: [{ name: 'metrics', port: 9090 }, { name: 'debug', port: 6060 }],
      metricsPort: 'metrics',
    });
    const service = Testing.synth(chart).find((o) => o.kind === 'Service');
    expect(service?.spec.ports).toEqual([{ name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 'metrics' }]);
    expect(service?.metadata.labels['app.kubernetes.io/component']).toBe('worker');
  });

  it('fails when metricsPort names no port', () => {
    const chart = Testing.chart();
    expect(() => new Worker(chart, 'worker', { image: 'a/worker:1', ports: [{ name: 'metrics', port: 9090 }], metricsPort: 'prom' }))
      .toThrow('metricsPort "prom" is not one of its ports (metrics)');
  });
});
