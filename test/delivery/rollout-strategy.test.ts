import { describe, expect, it } from 'vitest';
import { CanaryTraffic, canaryReplicasFor, replicaShare } from '../../lib/delivery/canary-traffic';
import { CanaryStep, RolloutStrategy } from '../../lib/delivery/rollout-strategy';

const prometheusAddress = 'http://prometheus-operated.monitoring.svc:9090';

describe('RolloutStrategy', () => {
  it('defaults a rolling update to Kubernetes\' own settings', () => {
    expect(RolloutStrategy.rolling().spec).toEqual({ kind: 'rolling', maxSurge: '25%', maxUnavailable: '25%', minReadySeconds: 0, progressDeadlineSeconds: 600 });
  });

  it('counts the extra pods an update needs at its peak, per strategy', () => {
    expect(RolloutStrategy.rolling({ maxSurge: 2 }).peakSurge).toBe(2);
    expect(RolloutStrategy.rolling().peakSurge).toBe('25%');
    expect(RolloutStrategy.recreate().peakSurge).toBe(0);
    // Each blue-green slot and canary track rolls like a Deployment of its own.
    expect(RolloutStrategy.blueGreen({ activeSlot: 'blue' }).peakSurge).toBe('25%');
    // Argo Rollouts brings the new version up to full size beside the old one behind a router.
    const steps = [CanaryStep.setWeight(50)];
    expect(RolloutStrategy.argoCanary({ steps, traffic: CanaryTraffic.nginxIngress('shop') }).peakSurge).toBe('100%');
    expect(RolloutStrategy.argoCanary({ steps }).peakSurge).toBe('25%');
    expect(RolloutStrategy.argoBlueGreen().peakSurge).toBe('100%');
    expect(RolloutStrategy.argoBlueGreen({ previewReplicas: 1 }).peakSurge).toBe(1);
  });

  it('fails when a rolling update could never replace a pod', () => {
    expect(() => RolloutStrategy.rolling({ maxSurge: 0, maxUnavailable: '0%' })).toThrow('rolling update: maxSurge and maxUnavailable cannot both be 0, or no pod could ever be replaced');
    expect(() => RolloutStrategy.rolling({ maxSurge: '150%' })).toThrow('rolling update: maxSurge must be a whole number ≥ 0 or a percentage from "0%" to "100%"; received "150%"');
    expect(() => RolloutStrategy.rolling({ minReadySeconds: 600 })).toThrow('rolling update: progressDeadlineSeconds (600) must exceed minReadySeconds (600)');
  });

  it('fails when the active blue-green slot runs no pods', () => {
    expect(() => RolloutStrategy.blueGreen({ activeSlot: 'green', green: { replicas: 0 } })).toThrow('blue-green: the active slot (green) takes all traffic and cannot run 0 replicas');
  });

  it('fails on a canary weight outside 0–100 and on canary replicas that cannot carry the weight', () => {
    expect(() => RolloutStrategy.canary({ weight: 101, image: 'ghcr.io/acme/shop:2.0.0' })).toThrow('canary weight must be a whole percentage from 0 to 100; received 101');
    expect(() => RolloutStrategy.canary({ weight: 10, image: 'ghcr.io/acme/shop:2.0.0', replicas: 0, traffic: CanaryTraffic.gatewayRoute() })).toThrow('canary: a weight of 10% needs at least one canary replica to receive it');
    expect(() => RolloutStrategy.canary({ weight: 10, image: 'ghcr.io/acme/shop:2.0.0', replicas: 2 })).toThrow('canary: with CanaryTraffic.replicaRatio() the canary replicas follow the weight; do not set replicas');
    expect(() => RolloutStrategy.canary({ weight: 100, image: 'ghcr.io/acme/shop:2.0.0' })).toThrow('canary: a weight of 100% by replica ratio would leave no stable pods; promote the canary image instead');
  });

  it('fails on Argo canary steps that never shift traffic or an analysis that starts after the last step', () => {
    expect(() => RolloutStrategy.argoCanary({ steps: [CanaryStep.pause('5m')] })).toThrow('Argo canary: steps needs at least one setWeight step');
    expect(() => RolloutStrategy.argoCanary({ steps: [CanaryStep.setWeight(50)], analysis: { prometheusAddress, startingStep: 1 } }))
      .toThrow('Argo canary: analysis.startingStep must name one of the 1 steps (0–0); received 1');
    expect(() => RolloutStrategy.argoCanary({ steps: [CanaryStep.setWeight(50)], traffic: CanaryTraffic.gatewayRoute() })).toThrow('Argo Rollouts routes Gateway API traffic through a plugin');
    expect(() => CanaryStep.pause('five minutes')).toThrow('canary step: a pause lasts a duration such as "30s", "5m" or "1h"; received "five minutes"');
  });
});

describe('canary replica ratio', () => {
  it('picks the canary pod count whose share of all pods is nearest the weight', () => {
    expect([canaryReplicasFor(10, 9), replicaShare(1, 9)]).toEqual([1, 10]);
    expect([canaryReplicasFor(25, 3), replicaShare(1, 3)]).toEqual([1, 25]);
    expect([canaryReplicasFor(50, 2), replicaShare(2, 2)]).toEqual([2, 50]);
    // A small weight still gets one pod, which is then far from the weight (the caller refuses it).
    expect([canaryReplicasFor(10, 3), replicaShare(1, 3)]).toEqual([1, 25]);
    expect(canaryReplicasFor(0, 3)).toBe(0);
  });
});
