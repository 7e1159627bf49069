import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppRelease, SLOT_LABEL, TRACK_LABEL, type AppReleaseProps } from '../../lib/delivery/app-release';
import { CanaryTraffic } from '../../lib/delivery/canary-traffic';
import { CanaryStep, RolloutStrategy } from '../../lib/delivery/rollout-strategy';
import { diffValues, formatPath } from '../../lib/review/object-diff';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; labels: Record<string, string> }; spec: any };

const base: AppReleaseProps = {
  image: 'ghcr.io/acme/shop:1.0.0',
  instance: 'shop-prod',
  component: 'web',
  partOf: 'acme',
  replicas: 3,
  ports: [{ name: 'http', port: 8080, servicePort: 80 }, { name: 'metrics', port: 9090 }],
  service: {},
};
const component = { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/instance': 'shop-prod' };
const prometheus = 'http://prometheus-operated.monitoring.svc:9090';

function synth(props: Partial<AppReleaseProps> = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'acme-prod' });
  const release = new AppRelease(chart, 'shop', { ...base, ...props });
  const objects = Testing.synth(chart) as Obj[];
  const get = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
  return { release, objects, get, names: objects.map((o) => `${o.kind}/${o.metadata.name}`) };
}

describe('AppRelease', () => {
  it('writes nothing about the update without a strategy: Kubernetes\' rolling defaults apply', () => {
    const { names, get } = synth();
    expect(names).toEqual(['ServiceAccount/shop', 'Deployment/shop', 'Service/shop']);
    const spec = get('Deployment', 'shop').spec;
    expect([spec.strategy, spec.minReadySeconds, spec.progressDeadlineSeconds]).toEqual([undefined, undefined, undefined]);
  });

  it('writes a rolling update\'s surge, unavailability and readiness settings on the Deployment', () => {
    const { get, objects } = synth({ strategy: RolloutStrategy.rolling({ maxSurge: 1, maxUnavailable: 0, minReadySeconds: 10 }) });
    const spec = get('Deployment', 'shop').spec;
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect([spec.minReadySeconds, spec.progressDeadlineSeconds]).toEqual([10, 600]);
    expect(objects).toMatchSnapshot();
  });

  it('stops every old pod before new ones start under recreate', () => {
    const spec = synth({ strategy: RolloutStrategy.recreate() }).get('Deployment', 'shop').spec;
    expect(spec.strategy).toEqual({ type: 'Recreate' });
    expect(spec.progressDeadlineSeconds).toBe(600);
  });

  describe('blue-green', () => {
    const blueGreen = (activeSlot: 'blue' | 'green') => RolloutStrategy.blueGreen({ activeSlot, green: { image: 'ghcr.io/acme/shop:1.1.0', replicas: 1 } });

    it('runs a Deployment per slot, one ServiceAccount, the Service on the active slot and the preview on the other', () => {
      const { names, get, objects, release } = synth({ strategy: blueGreen('blue') });
      expect(names).toEqual(['ServiceAccount/shop', 'Deployment/shop-blue', 'Deployment/shop-green', 'Service/shop', 'Service/shop-preview']);
      const blue = get('Deployment', 'shop-blue').spec;
      const green = get('Deployment', 'shop-green').spec;
      expect(blue.selector.matchLabels).toEqual({ ...component, [SLOT_LABEL]: 'blue' });
      expect(green.selector.matchLabels).toEqual({ ...component, [SLOT_LABEL]: 'green' });
      expect([blue.replicas, blue.template.spec.containers[0].image]).toEqual([3, 'ghcr.io/acme/shop:1.0.0']);
      expect([green.replicas, green.template.spec.containers[0].image]).toEqual([1, 'ghcr.io/acme/shop:1.1.0']);
      expect(green.template.metadata.labels['app.kubernetes.io/version']).toBe('1.1.0');
      expect([blue.template.spec.serviceAccountName, green.template.spec.serviceAccountName]).toEqual(['shop', 'shop']);
      expect(get('Service', 'shop').spec.selector).toEqual({ ...component, [SLOT_LABEL]: 'blue' });
      expect(get('Service', 'shop-preview').spec.selector).toEqual({ ...component, [SLOT_LABEL]: 'green' });
      // Policies and scraping select every pod of the component, whichever slot it is in.
      expect(release.selector).toEqual(component);
      expect(objects).toMatchSnapshot();
    });

    it('switches by changing only the two Services\' selectors', () => {
      const blue = synth({ strategy: blueGreen('blue') }).objects;
      const green = synth({ strategy: blueGreen('green') }).objects;
      const changes = blue.flatMap((o, i) => diffValues(o, green[i]).map((c) => `${o.kind}/${o.metadata.name} ${formatPath(c.path)}: ${String(c.before)} → ${String(c.after)}`));
      expect(changes).toEqual([
        `Service/shop spec.selector["${SLOT_LABEL}"]: blue → green`,
        `Service/shop-preview spec.selector["${SLOT_LABEL}"]: green → blue`,
      ]);
    });

    it('fails without a Service to switch', () => {
      expect(() => synth({ strategy: blueGreen('blue'), service: undefined })).toThrow('shop: a blue-green release needs a Service');
    });
  });

  describe('canary', () => {
    it('behind a weighted route: a stable and a canary Deployment by track, each with its own Service', () => {
      const { names, get, objects, release } = synth({ strategy: RolloutStrategy.canary({ weight: 10, image: 'ghcr.io/acme/shop:1.1.0', traffic: CanaryTraffic.gatewayRoute() }) });
      expect(names).toEqual(['ServiceAccount/shop', 'Deployment/shop', 'Deployment/shop-canary', 'Service/shop', 'Service/shop-canary']);
      expect(get('Deployment', 'shop').spec.selector.matchLabels).toEqual({ ...component, [TRACK_LABEL]: 'stable' });
      expect(get('Deployment', 'shop-canary').spec).toMatchObject({ replicas: 1, selector: { matchLabels: { ...component, [TRACK_LABEL]: 'canary' } } });
      expect(get('Service', 'shop').spec.selector).toEqual({ ...component, [TRACK_LABEL]: 'stable' });
      expect(get('Service', 'shop-canary').spec.selector).toEqual({ ...component, [TRACK_LABEL]: 'canary' });
      expect(release.canaryWeight).toBe(10);
      expect(objects).toMatchSnapshot();
    });

    it('by replica ratio: one Service over both tracks and as many canary pods as the weight asks', () => {
      const { names, get, release } = synth({ replicas: 9, strategy: RolloutStrategy.canary({ weight: 10, image: 'ghcr.io/acme/shop:1.1.0' }) });
      expect(names).toEqual(['ServiceAccount/shop', 'Deployment/shop', 'Deployment/shop-canary', 'Service/shop']);
      expect(get('Deployment', 'shop-canary').spec.replicas).toBe(1);
      expect(get('Service', 'shop').spec.selector).toEqual(component);
      expect(release.canaryWeight).toBe(10);
    });

    it('fails when the replica counts cannot come near the weight', () => {
      expect(() => synth({ replicas: 3, strategy: RolloutStrategy.canary({ weight: 10, image: 'ghcr.io/acme/shop:1.1.0' }) }))
        .toThrow('shop: by replica ratio, 3 stable replicas and 1 canary replica(s) give the canary 25% of the requests, not 10%');
    });
  });

  describe('Argo Rollouts', () => {
    const steps = [CanaryStep.setWeight(20), CanaryStep.pause('5m'), CanaryStep.setWeight(50), CanaryStep.pause()];

    it('replaces the Deployment with a Rollout that moves through the steps and checks the canary\'s success rate', () => {
      const { names, get, objects, release } = synth({
        strategy: RolloutStrategy.argoCanary({ steps, analysis: { prometheusAddress: prometheus, startingStep: 1 }, traffic: CanaryTraffic.nginxIngress('shop') }),
      });
      expect(names).toEqual(['ServiceAccount/shop', 'Rollout/shop', 'Service/shop', 'Service/shop-canary', 'AnalysisTemplate/shop-success-rate']);
      const rollout = get('Rollout', 'shop');
      expect(rollout.apiVersion).toBe('argoproj.io/v1alpha1');
      expect(rollout.spec.strategy.canary).toEqual({
        stableService: 'shop',
        canaryService: 'shop-canary',
        trafficRouting: { nginx: { stableIngress: 'shop' } },
        // An indefinite pause waits for `kubectl argo rollouts promote`.
        steps: [{ setWeight: 20 }, { pause: { duration: '5m' } }, { setWeight: 50 }, { pause: {} }],
        analysis: { templates: [{ templateName: 'shop-success-rate' }], startingStep: 1, args: [{ name: 'pod-template-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] },
      });
      // Same selector and pod template a Deployment would have; each version spreads on its own hash.
      expect(rollout.spec.selector.matchLabels).toEqual(component);
      expect(rollout.spec.template.spec.topologySpreadConstraints.map((t: { matchLabelKeys: string[] }) => t.matchLabelKeys)).toEqual([['rollouts-pod-template-hash'], ['rollouts-pod-template-hash']]);
      expect(rollout.spec.replicas).toBe(3);
      // Argo Rollouts narrows both Services to a pod-template hash as the rollout moves.
      expect([get('Service', 'shop').spec.selector, get('Service', 'shop-canary').spec.selector]).toEqual([component, component]);
      expect(release.primary.kind).toBe('Rollout');
      expect(objects).toMatchSnapshot();
    });

    it('runs an Argo blue-green with the preview Service and an analysis before promotion', () => {
      const { names, get } = synth({ strategy: RolloutStrategy.argoBlueGreen({ previewReplicas: 1, analysis: { prometheusAddress: prometheus } }) });
      expect(names).toEqual(['ServiceAccount/shop', 'Rollout/shop', 'Service/shop', 'Service/shop-preview', 'AnalysisTemplate/shop-success-rate']);
      expect(get('Rollout', 'shop').spec.strategy).toEqual({
        blueGreen: {
          activeService: 'shop',
          previewService: 'shop-preview',
          autoPromotionEnabled: false,
          scaleDownDelaySeconds: 30,
          previewReplicaCount: 1,
          prePromotionAnalysis: { templates: [{ templateName: 'shop-success-rate' }], args: [{ name: 'pod-template-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] },
        },
      });
    });
  });
});
