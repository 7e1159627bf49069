import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { NamespaceLimitRange } from '../../lib/security/namespace-limit-range';

const props = {
  defaultRequest: { cpu: '100m', memory: '128Mi' },
  defaultLimit: { cpu: '500m', memory: '256Mi' },
  min: { cpu: '10m', memory: '16Mi' },
  max: { cpu: '2', memory: '4Gi' },
  maxClaimStorage: '50Gi',
};

describe('NamespaceLimitRange', () => {
  it('gives containers default requests and limits, bounds each container, and bounds each claim', () => {
    const chart = Testing.chart();
    new NamespaceLimitRange(chart, 'limits', props);
    const [range] = Testing.synth(chart);
    expect(range.kind).toBe('LimitRange');
    expect(range.spec.limits).toEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: '100m', memory: '128Mi' },
        default: { cpu: '500m', memory: '256Mi' },
        min: { cpu: '10m', memory: '16Mi' },
        max: { cpu: '2', memory: '4Gi' },
      },
      { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '50Gi' } },
    ]);
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('fails when the default limit is above the maximum, which the API server rejects', () => {
    expect(() => new NamespaceLimitRange(Testing.chart(), 'limits', { ...props, defaultLimit: { cpu: '4', memory: '256Mi' } }))
      .toThrow('namespace-limits: max.cpu 2 is below defaultLimit.cpu 4; expected min ≤ defaultRequest ≤ defaultLimit ≤ max');
  });

  it('fails when the default request is below the minimum', () => {
    expect(() => new NamespaceLimitRange(Testing.chart(), 'limits', { ...props, defaultRequest: { cpu: '100m', memory: '8Mi' } }))
      .toThrow('defaultRequest.memory 8Mi is below min.memory 16Mi');
  });

  it('fails when the largest claim is smaller than the smallest', () => {
    expect(() => new NamespaceLimitRange(Testing.chart(), 'limits', { ...props, minClaimStorage: '10Gi', maxClaimStorage: '5Gi' }))
      .toThrow('maxClaimStorage 5Gi is below minClaimStorage 10Gi');
  });
});
