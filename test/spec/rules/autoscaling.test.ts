import { describe, expect, it } from 'vitest';
import { base } from '../../../environments/base';
import { dev } from '../../../environments/dev';
import { prod } from '../../../environments/prod';
import { mergeOverlay, resolvePlatform, type Overlay, type PlatformInput } from '../../../lib/spec';
import { specProblems } from '../../spec-problems';

type Env = 'dev' | 'prod';
const overlays = { dev, prod } as const;

/** The problem lines for the reference environment with `patch` overlaid. */
function problems(environment: Env, patch: unknown): string[] {
  return specProblems(() => resolvePlatform(environment, mergeOverlay(mergeOverlay(base, overlays[environment]), patch)));
}

const api = (autoscaling: unknown) => ({ services: [{ name: 'api', autoscaling }] }) as Overlay<PlatformInput>;
const backlog = { type: 'prometheus', serverAddress: 'http://prometheus-operated.monitoring.svc:9090', query: 'sum(pending)', threshold: 10 };

describe('autoscaling rules', () => {
  it('accept the reference platform', () => {
    expect(problems('prod', {})).toEqual([]);
    expect(problems('dev', {})).toEqual([]);
  });

  it('fails on an HPA and a KEDA ScaledObject on one workload, saying KEDA owns its own HPA', () => {
    expect(problems('prod', api({ keda: { minReplicas: 2, maxReplicas: 4, triggers: [backlog] } }))).toEqual([
      'prod: services[api].autoscaling: an HPA and a KEDA ScaledObject cannot scale the same workload: KEDA creates and owns its own HPA for it, and two HPAs on one target fight over the replica count; keep one of hpa or keda; received {"hpa":"set","keda":"set"}',
    ]);
  });

  it('fails on an updating VPA controlling the resources the HPA scales on', () => {
    expect(problems('prod', api({ vpa: { updateMode: 'Recreate' } }))).toEqual([
      'prod: services[api].autoscaling.vpa.updateMode: a VPA in an updating mode controls cpu and memory while the HPA scales on cpu and memory utilization: the VPA raises the requests the HPA\'s percentage is measured against, and the two chase each other; use updateMode Off, or drop cpu and memory from vpa.controlledResources, or scale the HPA on other metrics; received "Recreate"',
    ]);
  });

  it('accepts a recommendation-only VPA beside the HPA, and an updating one on a resource the HPA ignores', () => {
    expect(problems('prod', api({ vpa: { updateMode: 'Off' } }))).toEqual([]);
    const dashboard = { hpa: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70 }, vpa: { updateMode: 'Initial', controlledResources: ['memory'] } };
    expect(problems('prod', { services: [{ name: 'dashboard', autoscaling: dashboard }] })).toEqual([]);
  });

  it('fails when minReplicas exceeds maxReplicas, for the HPA and for KEDA', () => {
    expect(problems('prod', api({ hpa: { minReplicas: 12 } }))).toEqual([
      'prod: services[api].autoscaling.hpa.minReplicas: minReplicas must not exceed maxReplicas (10); received 12',
    ]);
    expect(problems('prod', { services: [{ name: 'worker', autoscaling: { keda: { minReplicas: 9 } } }] })).toEqual([
      'prod: services[worker].autoscaling.keda.minReplicas: minReplicas must not exceed maxReplicas (8); received 9',
    ]);
  });

  it('fails on an HPA whose bounds leave it nothing to do', () => {
    expect(problems('prod', api({ hpa: { minReplicas: 10 } }))).toEqual([
      'prod: services[api].autoscaling.hpa.maxReplicas: maxReplicas equals minReplicas, so the HPA could never change the count; raise maxReplicas or drop the hpa and set replicas; received 10',
    ]);
  });

  it('fails on an HPA without metrics', () => {
    expect(problems('dev', api({ hpa: { minReplicas: 1, maxReplicas: 3 } }))).toEqual([
      'dev: services[api].autoscaling.hpa: an HPA needs at least one metric: cpuUtilization, memoryUtilization or podsMetrics (without one Kubernetes silently scales on 80% CPU); received {"minReplicas":1,"maxReplicas":3,"podsMetrics":[]}',
    ]);
  });

  it('fails on custom Pods metrics on a cluster without a custom-metrics adapter', () => {
    expect(problems('dev', api({ hpa: { minReplicas: 1, maxReplicas: 3, podsMetrics: [{ name: 'http_requests_per_second', averageValue: '100' }] } }))).toEqual([
      'dev: services[api].autoscaling.hpa.podsMetrics: custom Pods metrics need a custom-metrics API adapter (e.g. prometheus-adapter), and cluster.capabilities.customMetricsAdapter is false; enable it or scale on cpu/memory; received ["http_requests_per_second"]',
    ]);
  });

  it('fails on KEDA on a cluster without KEDA', () => {
    expect(problems('dev', { services: [{ name: 'worker', autoscaling: { keda: { minReplicas: 1, maxReplicas: 3, triggers: [backlog] } } }] })).toEqual([
      'dev: services[worker].autoscaling.keda: KEDA is not installed on this cluster (cluster.capabilities.keda is false), so a ScaledObject would fail with "no matches for kind"; enable the capability or use an hpa; received "ScaledObject"',
    ]);
  });

  it('fails on a VPA on a cluster without the VPA', () => {
    expect(problems('dev', api({ vpa: {} }))).toEqual([
      'dev: services[api].autoscaling.vpa: the Vertical Pod Autoscaler is not installed on this cluster (cluster.capabilities.vpa is false), so the object would fail with "no matches for kind"; enable the capability or remove vpa; received "VerticalPodAutoscaler"',
    ]);
  });

  it('fails on a VPA for the logs and traces stack on a cluster without the VPA', () => {
    expect(problems('dev', { telemetry: { vpa: { updateMode: 'Off' } } })).toEqual([
      'dev: telemetry.vpa: the Vertical Pod Autoscaler is not installed on this cluster (cluster.capabilities.vpa is false), so the object would fail with "no matches for kind"; enable the capability or remove vpa; received "VerticalPodAutoscaler"',
    ]);
  });

  it('fails on a data store VPA that would evict or resize the single replica', () => {
    expect(problems('prod', { dataStores: { postgres: [{ name: 'postgres', vpa: { updateMode: 'Recreate' } }] } })).toEqual([
      'prod: dataStores.postgres[postgres].vpa.updateMode: a data store runs one replica whose tuning (shared_buffers, effective_cache_size) is sized to its memory: evicting or resizing it under load is an outage and a mis-tuned server; use Off (recommendations) or Initial (applied at the next restart); received "Recreate"',
    ]);
  });

  it('fails on a data store VPA on a cluster without the VPA', () => {
    expect(problems('dev', { dataStores: { redis: [{ name: 'redis', vpa: { updateMode: 'Off' } }] } })).toEqual([
      'dev: dataStores.redis[redis].vpa: the Vertical Pod Autoscaler is not installed on this cluster (cluster.capabilities.vpa is false), so the object would fail with "no matches for kind"; enable the capability or remove vpa; received "VerticalPodAutoscaler"',
    ]);
  });

  it('fails on in-place resizing on a cluster older than 1.33', () => {
    const patch = { services: [{ name: 'dashboard', autoscaling: { vpa: { updateMode: 'InPlaceOrRecreate' } } }] };
    expect(problems('prod', patch)).toEqual([
      'prod: services[dashboard].autoscaling.vpa.updateMode: InPlaceOrRecreate resizes running pods, which needs in-place pod resize (Kubernetes ≥ 1.33); the cluster runs 1.31: use Recreate or Off; received "InPlaceOrRecreate"',
    ]);
    expect(problems('prod', { ...patch, cluster: { kubernetesVersion: '1.33' } })).toEqual([]);
  });

  it('fails on VPA bounds that cross', () => {
    expect(problems('prod', { services: [{ name: 'dashboard', autoscaling: { vpa: { minAllowed: { memory: '1Gi' }, maxAllowed: { memory: '512Mi' } } } }] })).toEqual([
      'prod: services[dashboard].autoscaling.vpa.minAllowed.memory: minAllowed must not exceed maxAllowed (512Mi); received "1Gi"',
    ]);
  });

  it('fails on KEDA fallback replicas outside the bounds', () => {
    expect(problems('prod', { services: [{ name: 'worker', autoscaling: { keda: { fallback: { failureThreshold: 3, replicas: 12 } } } }] })).toEqual([
      'prod: services[worker].autoscaling.keda.fallback.replicas: fallback replicas must lie within minReplicas and maxReplicas (2–8); received 12',
    ]);
  });

  it('fails on a KEDA cooldown with a minimum above zero, pointing at scale-down behavior instead', () => {
    expect(problems('prod', { services: [{ name: 'worker', autoscaling: { keda: { cooldownPeriodSeconds: 300 } } }] })).toEqual([
      'prod: services[worker].autoscaling.keda.cooldownPeriodSeconds: KEDA\'s cooldown only delays scaling to zero, and minReplicas is 2, so it would do nothing; pace scale-down with keda.behavior.scaleDown (stabilizationWindowSeconds, policies), or set minReplicas 0; received 300',
    ]);
    expect(problems('prod', { services: [{ name: 'worker', autoscaling: { keda: { minReplicas: 0, cooldownPeriodSeconds: 300 } } }] })).toEqual([]);
  });

  it('fails on two KEDA triggers of one name', () => {
    expect(problems('prod', { services: [{ name: 'worker', autoscaling: { keda: { triggers: [backlog, backlog] } } }] })).toEqual([
      'prod: services[worker].autoscaling.keda.triggers[1].name: trigger name "prometheus" is used twice; give each trigger a unique name; received nothing',
    ]);
  });

  it('fails on a Redis trigger naming a store that is not declared', () => {
    const redis = { type: 'redis', store: 'cache', listName: 'analytics', listLength: 50 };
    expect(problems('prod', { services: [{ name: 'worker', autoscaling: { keda: { triggers: [redis] } } }] })).toEqual([
      'prod: services[worker].autoscaling.keda.triggers[0].store: expected the name of a declared redis data store: redis; received "cache"',
    ]);
  });

  it('fails on a disruption budget that would block every drain', () => {
    expect(problems('prod', { availability: { disruptionBudgets: { maxUnavailable: '0%' } } })).toEqual([
      'prod: availability.disruptionBudgets.maxUnavailable: expected a count ≥ 1 or a percentage from "1%" to "100%" (0 would block every drain); received "0%"',
    ]);
  });

  it('fails on a data tier priority at or below the apps\'', () => {
    expect(problems('prod', { availability: { priorityClasses: { data: 5000 } } })).toEqual([
      'prod: availability.priorityClasses.data: the data tier\'s priority must be above the apps\' (10000): preempting a database to place an app pod takes down every app that needs it; received 5000',
    ]);
  });
});
