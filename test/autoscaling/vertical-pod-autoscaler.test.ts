import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { VerticalPodAutoscaler, VpaUpdateMode, type VerticalPodAutoscalerProps } from '../../lib/autoscaling/vertical-pod-autoscaler';

const target = { kind: 'StatefulSet', name: 'postgres' };

function synth(props: VerticalPodAutoscalerProps) {
  const chart = Testing.chart();
  new VerticalPodAutoscaler(chart, 'postgres', props);
  return Testing.synth(chart);
}

describe('VerticalPodAutoscaler', () => {
  it('only recommends by default, on the v1 API', () => {
    const [vpa] = synth({ target, excludedContainers: ['exporter'] });
    expect(vpa.apiVersion).toBe('autoscaling.k8s.io/v1');
    expect(vpa.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'postgres' });
    expect(vpa.spec.updatePolicy).toEqual({ updateMode: 'Off' });
    expect(vpa.spec.resourcePolicy.containerPolicies).toEqual([
      { containerName: '*', controlledResources: ['cpu', 'memory'], controlledValues: 'RequestsAndLimits' },
      // The sidecar is left out of recommendations.
      { containerName: 'exporter', mode: 'Off' },
    ]);
    expect(synth({ target, excludedContainers: ['exporter'] })).toMatchSnapshot();
  });

  it('writes bounds as quantities and the updater minimum in updating modes', () => {
    const [vpa] = synth({
      target,
      updateMode: VpaUpdateMode.RECREATE,
      controlledResources: ['memory'],
      controlledValues: 'RequestsOnly',
      minAllowed: { memory: '256Mi' },
      maxAllowed: { cpu: '2', memory: '4Gi' },
      minReplicas: 2,
    });
    expect(vpa.spec.updatePolicy).toEqual({ updateMode: 'Recreate', minReplicas: 2 });
    expect(vpa.spec.resourcePolicy.containerPolicies[0]).toEqual({
      containerName: '*', controlledResources: ['memory'], controlledValues: 'RequestsOnly', minAllowed: { memory: '256Mi' }, maxAllowed: { cpu: '2', memory: '4Gi' },
    });
  });

  it('knows which modes change pods and which need in-place resize', () => {
    expect(VpaUpdateMode.ALL.filter((m) => m.updatesPods).map((m) => m.value)).toEqual(['Initial', 'Recreate', 'InPlaceOrRecreate']);
    expect(VpaUpdateMode.IN_PLACE_OR_RECREATE.minimumKubernetesVersion).toBe('1.33');
    expect(() => VpaUpdateMode.of('Auto')).toThrow('unknown VPA update mode "Auto"; expected one of Off, Initial, Recreate, InPlaceOrRecreate');
  });

  it('fails when minAllowed exceeds maxAllowed', () => {
    expect(() => synth({ target, minAllowed: { cpu: '2' }, maxAllowed: { cpu: '500m' } })).toThrow('postgres: minAllowed.cpu (2) exceeds maxAllowed.cpu (500m)');
  });

  it('fails on an empty or repeated controlledResources list', () => {
    expect(() => synth({ target, controlledResources: [] })).toThrow('controlledResources must list cpu and/or memory once each; received []');
    expect(() => synth({ target, controlledResources: ['cpu', 'cpu'] })).toThrow('received ["cpu","cpu"]');
  });
});
