import { parseQuantity } from '../../core/quantity';
import type { ResolvedPlatform } from '../platform';
import type { Report } from './report';

/** The data stores a KEDA trigger may read, by engine: names of declared stores. */
export interface StoreNames {
  readonly redis: ReadonlySet<string>;
  readonly postgresql: ReadonlySet<string>;
}

/** Cross-field rules for autoscaling: one horizontal scaler per workload, bounds, capabilities, HPA/VPA conflicts. */
export function checkAutoscaling(platform: ResolvedPlatform, report: Report, stores: StoreNames): void {
  const caps = platform.cluster.capabilities;

  platform.services.forEach((svc, i) => {
    const at = (...rest: (string | number)[]) => ['services', i, 'autoscaling', ...rest];
    const { hpa, keda, vpa } = svc.autoscaling;

    if (hpa && keda) {
      report(at(), { hpa: 'set', keda: 'set' }, 'an HPA and a KEDA ScaledObject cannot scale the same workload: KEDA creates and owns its own HPA for it, and two HPAs on one target fight over the replica count; keep one of hpa or keda');
    }

    if (hpa) {
      if (hpa.minReplicas > hpa.maxReplicas) {
        report(at('hpa', 'minReplicas'), hpa.minReplicas, `minReplicas must not exceed maxReplicas (${hpa.maxReplicas})`);
      } else if (hpa.minReplicas === hpa.maxReplicas) {
        report(at('hpa', 'maxReplicas'), hpa.maxReplicas, `maxReplicas equals minReplicas, so the HPA could never change the count; raise maxReplicas or drop the hpa and set replicas`);
      }
      if (hpa.cpuUtilization === undefined && hpa.memoryUtilization === undefined && hpa.podsMetrics.length === 0) {
        report(at('hpa'), hpa, 'an HPA needs at least one metric: cpuUtilization, memoryUtilization or podsMetrics (without one Kubernetes silently scales on 80% CPU)');
      }
      if (hpa.podsMetrics.length > 0 && !caps.customMetricsAdapter) {
        report(at('hpa', 'podsMetrics'), hpa.podsMetrics.map((m) => m.name), 'custom Pods metrics need a custom-metrics API adapter (e.g. prometheus-adapter), and cluster.capabilities.customMetricsAdapter is false; enable it or scale on cpu/memory');
      }
      const names = hpa.podsMetrics.map((m) => m.name);
      names.forEach((name, j) => {
        if (names.indexOf(name) !== j) report(at('hpa', 'podsMetrics', j, 'name'), name, 'the metric is listed twice');
      });
    }

    if (keda) {
      if (!caps.keda) {
        report(at('keda'), 'ScaledObject', 'KEDA is not installed on this cluster (cluster.capabilities.keda is false), so a ScaledObject would fail with "no matches for kind"; enable the capability or use an hpa');
      }
      if (keda.minReplicas > keda.maxReplicas) {
        report(at('keda', 'minReplicas'), keda.minReplicas, `minReplicas must not exceed maxReplicas (${keda.maxReplicas})`);
      }
      if (keda.cooldownPeriodSeconds !== undefined && keda.minReplicas > 0) {
        report(at('keda', 'cooldownPeriodSeconds'), keda.cooldownPeriodSeconds, `KEDA's cooldown only delays scaling to zero, and minReplicas is ${keda.minReplicas}, so it would do nothing; pace scale-down with keda.behavior.scaleDown (stabilizationWindowSeconds, policies), or set minReplicas 0`);
      }
      if (keda.fallback && keda.minReplicas <= keda.maxReplicas && (keda.fallback.replicas < keda.minReplicas || keda.fallback.replicas > keda.maxReplicas)) {
        report(at('keda', 'fallback', 'replicas'), keda.fallback.replicas, `fallback replicas must lie within minReplicas and maxReplicas (${keda.minReplicas}–${keda.maxReplicas})`);
      }
      const triggerNames = new Set<string>();
      keda.triggers.forEach((trigger, j) => {
        const name = trigger.name ?? trigger.type;
        if (triggerNames.has(name)) report(at('keda', 'triggers', j, 'name'), trigger.name, `trigger name "${name}" is used twice; give each trigger a unique name`);
        triggerNames.add(name);
        if (trigger.type === 'redis' || trigger.type === 'postgresql') {
          const known = stores[trigger.type];
          if (!known.has(trigger.store)) {
            report(at('keda', 'triggers', j, 'store'), trigger.store, `expected the name of a declared ${trigger.type} data store: ${list(known)}`);
          }
        }
      });
    }

    if (vpa) {
      checkVpa(platform, vpa, report, at('vpa'));
      const scaledOn = hpa ? [hpa.cpuUtilization !== undefined ? 'cpu' : '', hpa.memoryUtilization !== undefined ? 'memory' : ''].filter(Boolean) : [];
      const fought = vpa.controlledResources.filter((r) => scaledOn.includes(r));
      if (vpa.updateMode !== 'Off' && fought.length > 0) {
        report(at('vpa', 'updateMode'), vpa.updateMode, `a VPA in an updating mode controls ${fought.join(' and ')} while the HPA scales on ${fought.join(' and ')} utilization: the VPA raises the requests the HPA's percentage is measured against, and the two chase each other; use updateMode Off, or drop ${fought.join(' and ')} from vpa.controlledResources, or scale the HPA on other metrics`);
      }
    }
  });

  for (const engine of ['postgres', 'redis'] as const) {
    platform.dataStores[engine].forEach((store, i) => {
      if (!store.vpa) return;
      checkVpa(platform, store.vpa, report, ['dataStores', engine, i, 'vpa']);
      if (store.vpa.updateMode === 'Recreate' || store.vpa.updateMode === 'InPlaceOrRecreate') {
        report(['dataStores', engine, i, 'vpa', 'updateMode'], store.vpa.updateMode, `a data store runs one replica whose tuning (${engine === 'postgres' ? 'shared_buffers, effective_cache_size' : 'maxmemory'}) is sized to its memory: evicting or resizing it under load is an outage and a mis-tuned server; use Off (recommendations) or Initial (applied at the next restart)`);
      }
    });
  }

  if (platform.telemetry.vpa) checkVpa(platform, platform.telemetry.vpa, report, ['telemetry', 'vpa']);

  const priorities = platform.availability.priorityClasses;
  if (priorities && priorities.data <= priorities.apps) {
    report(['availability', 'priorityClasses', 'data'], priorities.data, `the data tier's priority must be above the apps' (${priorities.apps}): preempting a database to place an app pod takes down every app that needs it`);
  }
}

type VpaBlock = NonNullable<ResolvedPlatform['services'][number]['autoscaling']['vpa']>;

/** Any VPA block (services, data stores, the telemetry stack): capability, Kubernetes version, bounds. */
export function checkVpa(platform: ResolvedPlatform, vpa: VpaBlock, report: Report, path: readonly (string | number)[]): void {
  if (!platform.cluster.capabilities.vpa) {
    report(path, 'VerticalPodAutoscaler', 'the Vertical Pod Autoscaler is not installed on this cluster (cluster.capabilities.vpa is false), so the object would fail with "no matches for kind"; enable the capability or remove vpa');
  }
  const [, minor] = platform.cluster.kubernetesVersion.split('.').map(Number);
  if (vpa.updateMode === 'InPlaceOrRecreate' && minor < 33) {
    report([...path, 'updateMode'], vpa.updateMode, `InPlaceOrRecreate resizes running pods, which needs in-place pod resize (Kubernetes ≥ 1.33); the cluster runs ${platform.cluster.kubernetesVersion}: use Recreate or Off`);
  }

  if (new Set(vpa.controlledResources).size !== vpa.controlledResources.length) {
    report([...path, 'controlledResources'], vpa.controlledResources, 'each resource may be listed once');
  }
  for (const resource of ['cpu', 'memory'] as const) {
    const min = vpa.minAllowed?.[resource];
    const max = vpa.maxAllowed?.[resource];
    if (min !== undefined && max !== undefined && parseQuantity(min) > parseQuantity(max)) {
      report([...path, 'minAllowed', resource], min, `minAllowed must not exceed maxAllowed (${max})`);
    }
  }
}

function list(values: Iterable<string>): string {
  const sorted = [...values].sort();
  return sorted.length > 0 ? sorted.join(', ') : '(none declared)';
}
