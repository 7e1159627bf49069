import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  HorizontalPodAutoscaler, ScalingMetric, ScalingPolicy, SelectPolicy, type HorizontalPodAutoscalerProps,
} from '../../lib/autoscaling/horizontal-pod-autoscaler';

const target = { kind: 'Deployment', name: 'api' };

/** The reference prod api: up fast, down slowly. */
const reference: HorizontalPodAutoscalerProps = {
  target,
  minReplicas: 3,
  maxReplicas: 10,
  metrics: [ScalingMetric.cpuUtilization(70), ScalingMetric.memoryUtilization(80), ScalingMetric.podsAverageValue('http_requests_per_second', '100')],
  scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: SelectPolicy.MAX, policies: [ScalingPolicy.percent(100, 30), ScalingPolicy.pods(4, 30)] },
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: SelectPolicy.MIN, policies: [ScalingPolicy.percent(50, 60), ScalingPolicy.pods(2, 60)] },
};

interface Rules { selectPolicy: string; policies: { type: string; value: number; periodSeconds: number }[] }

/** The most pods one period may add (or remove), as the HPA controller combines the policies. */
function periodLimit(rules: Rules, current: number): number {
  const limits = rules.policies.map((p) => (p.type === 'Pods' ? p.value : Math.ceil((current * p.value) / 100)));
  return rules.selectPolicy === 'Min' ? Math.min(...limits) : Math.max(...limits);
}

function synth(props: HorizontalPodAutoscalerProps) {
  const chart = Testing.chart();
  new HorizontalPodAutoscaler(chart, 'api', props);
  return Testing.synth(chart);
}

describe('HorizontalPodAutoscaler', () => {
  it('writes an autoscaling/v2 HPA on cpu, memory and a custom Pods metric', () => {
    const [hpa] = synth(reference);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 10]);
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      // The quantity survives as a string: a plain string in L1 props would have become null.
      { type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } },
    ]);
    expect(synth(reference)).toMatchSnapshot();
  });

  it('scales up by the larger of doubling or 4 pods per 30s, with no stabilization', () => {
    const up = synth(reference)[0].spec.behavior.scaleUp;
    expect(up.stabilizationWindowSeconds).toBe(0);
    expect(up.policies.every((p: { periodSeconds: number }) => p.periodSeconds === 30)).toBe(true);
    // At the minimum of 3, doubling adds 3 but the Pods policy allows 4: the larger wins.
    expect(periodLimit(up, 3)).toBe(4);
    // At 6, doubling (6) beats 4 pods.
    expect(periodLimit(up, 6)).toBe(6);
  });

  it('scales down by the smaller of half or 2 pods per 60s, after a 300s window', () => {
    const down = synth(reference)[0].spec.behavior.scaleDown;
    expect(down.stabilizationWindowSeconds).toBe(300);
    expect(down.policies.every((p: { periodSeconds: number }) => p.periodSeconds === 60)).toBe(true);
    // At the maximum of 10, half would be 5 pods; the Pods policy caps it at 2.
    expect(periodLimit(down, 10)).toBe(2);
    // At 3, half rounds up to 2 and the cap is 2 as well.
    expect(periodLimit(down, 3)).toBe(2);
  });

  it('leaves behavior to Kubernetes when none is given', () => {
    const [hpa] = synth({ target, minReplicas: 2, maxReplicas: 4, metrics: [ScalingMetric.cpuUtilization(75)] });
    expect(hpa.spec.behavior).toBeUndefined();
  });

  it('exposes the resources it scales on, for conflict checks with a VPA', () => {
    const hpa = new HorizontalPodAutoscaler(Testing.chart(), 'api', reference);
    expect(hpa.resourceMetrics).toEqual(['cpu', 'memory']);
  });

  it('fails when minReplicas exceeds maxReplicas', () => {
    expect(() => synth({ ...reference, minReplicas: 5, maxReplicas: 3 })).toThrow('api: maxReplicas must be a whole number ≥ minReplicas (5); received 3');
  });

  it('fails for minReplicas 0, which needs an alpha feature gate', () => {
    expect(() => synth({ ...reference, minReplicas: 0 })).toThrow('minReplicas must be a whole number ≥ 1 (scaling an HPA to zero needs the HPAScaleToZero alpha gate; use KEDA for that); received 0');
  });

  it('fails without metrics, where Kubernetes would silently use 80% CPU', () => {
    expect(() => synth({ ...reference, metrics: [] })).toThrow('an HPA needs at least one metric');
  });

  it('fails on a metric listed twice', () => {
    expect(() => synth({ ...reference, metrics: [ScalingMetric.cpuUtilization(70), ScalingMetric.cpuUtilization(60)] })).toThrow('metric cpu is listed twice');
  });

  it('fails on utilization targets outside 1–100% and on non-positive custom targets', () => {
    expect(() => ScalingMetric.cpuUtilization(0)).toThrow('received 0');
    expect(() => ScalingMetric.memoryUtilization(120)).toThrow('received 120');
    expect(() => ScalingMetric.podsAverageValue('http_requests_per_second', '0')).toThrow('received "0"');
    expect(() => ScalingMetric.podsAverageValue('http-requests', '10')).toThrow('received "http-requests"');
  });

  it('fails on policies and windows the API server rejects', () => {
    expect(() => ScalingPolicy.pods(0, 60)).toThrow('a Pods scaling policy needs a whole value ≥ 1; received 0');
    expect(() => ScalingPolicy.percent(50, 3600)).toThrow('1 to 1800 seconds');
    expect(() => synth({ ...reference, scaleDown: { stabilizationWindowSeconds: 7200 } })).toThrow('scaleDown.stabilizationWindowSeconds must be 0 to 3600; received 7200');
  });
});
