import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { SuccessRateAnalysis } from '../../lib/delivery/success-rate-analysis';
import { metricNames, promqlErrors } from '../observability/promql';

function synth(props: Partial<ConstructorParameters<typeof SuccessRateAnalysis>[2]> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const analysis = new SuccessRateAnalysis(chart, 'shop-success-rate', {
    prometheusAddress: 'http://prometheus-operated.monitoring.svc:9090', namespace: 'acme-prod', job: 'shop', rolloutName: 'shop', ...props,
  });
  return { analysis, template: Testing.synth(chart)[0] };
}

describe('SuccessRateAnalysis', () => {
  it('measures the non-5xx share of the new version\'s pods, chosen by the pod-template hash the Rollout passes', () => {
    const { analysis, template } = synth();
    expect(template.spec.args).toEqual([{ name: 'pod-template-hash' }]);
    const metric = template.spec.metrics[0];
    expect(metric.provider.prometheus.query).toBe(analysis.query);
    expect(analysis.query).toContain('pod=~"shop-{{args.pod-template-hash}}-[a-z0-9]+"');
    // With the argument filled in it is PromQL the Prometheus grammar accepts, reading the request counter.
    const resolved = analysis.query.replaceAll('{{args.pod-template-hash}}', '7d4b9c8f6');
    expect(promqlErrors(resolved)).toEqual([]);
    expect(metricNames(resolved)).toEqual(['http_requests_total']);
    expect(template).toMatchSnapshot();
  });

  it('fails a measurement below the rate, passes one at or above it, and leaves no data inconclusive', () => {
    const metric = synth({ successRate: 0.95, failureLimit: 3 }).template.spec.metrics[0];
    expect(metric.successCondition).toBe('len(result) > 0 && result[0] >= 0.95');
    expect(metric.failureCondition).toBe('len(result) > 0 && result[0] < 0.95');
    expect(metric.failureLimit).toBe(3);
  });

  it('fails on a success rate outside (0, 1]', () => {
    expect(() => synth({ successRate: 99 })).toThrow('shop-success-rate: successRate must be above 0 and at most 1; received 99');
  });
});
