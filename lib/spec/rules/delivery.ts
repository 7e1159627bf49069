import { canaryReplicasFor, replicaShare } from '../../delivery/canary-traffic';
import type { ResolvedPlatform } from '../platform';
import type { Report } from './report';

const TWO_TRACKS = new Set(['blueGreen', 'canary', 'argoCanary', 'argoBlueGreen']);

/** Cross-field rules for delivery strategies: capabilities, traffic, autoscaling, slots and steps. */
export function checkDelivery(platform: ResolvedPlatform, report: Report): void {
  const caps = platform.cluster.capabilities;
  platform.services.forEach((svc, i) => {
    const d = svc.delivery;
    if (!d) return;
    const at = (...rest: (string | number)[]) => ['services', i, 'delivery', ...rest];
    const { hpa, keda } = svc.autoscaling;

    if ((d.strategy === 'argoCanary' || d.strategy === 'argoBlueGreen') && !caps.argoRollouts) {
      report(at('strategy'), d.strategy, 'Argo Rollouts is not installed on this cluster (cluster.capabilities.argoRollouts is false), so a Rollout would fail with "no matches for kind"; enable the capability or use "canary" or "blueGreen" with plain Deployments');
    }
    if (TWO_TRACKS.has(d.strategy) && svc.kind === 'worker') {
      report(at('strategy'), d.strategy, 'a worker takes no requests through a Service, so there is no traffic to switch or weigh between versions; use "rolling" or "recreate"');
    }

    switch (d.strategy) {
      case 'rolling': {
        if (isZero(d.maxSurge) && isZero(d.maxUnavailable)) {
          report(at('maxUnavailable'), d.maxUnavailable, 'maxSurge and maxUnavailable cannot both be 0: no pod could ever be replaced');
        }
        if (d.progressDeadlineSeconds <= d.minReadySeconds) {
          report(at('progressDeadlineSeconds'), d.progressDeadlineSeconds, `expected more than minReadySeconds (${d.minReadySeconds}): every new pod waits that long before it counts`);
        }
        break;
      }
      case 'recreate': {
        if (platform.production && svc.kind === 'web') {
          report(at('strategy'), d.strategy, 'recreate stops every pod before the new ones start: an outage on each update of a production web service; use "rolling", "blueGreen" or "canary"');
        }
        break;
      }
      case 'blueGreen': {
        if (keda) {
          report(at('strategy'), d.strategy, 'KEDA scales one Deployment and cannot follow the active slot; use an hpa (each slot gets its own, within its bounds) or fixed replicas per slot');
        }
        const active = d.activeSlot;
        const idle: 'blue' | 'green' = active === 'blue' ? 'green' : 'blue';
        for (const slot of [active, idle] as const) {
          const s = d[slot];
          if (s.replicas !== undefined && s.hpa !== undefined) {
            report(at(slot, 'hpa'), s.hpa, 'a slot has either fixed replicas or its own hpa bounds, not both');
          }
          if (s.hpa && !hpa) {
            report(at(slot, 'hpa'), s.hpa, 'slot bounds scale on the service\'s autoscaling.hpa metrics, and the service has no hpa; add autoscaling.hpa or set replicas');
          }
          if (s.hpa && s.hpa.minReplicas > s.hpa.maxReplicas) {
            report(at(slot, 'hpa', 'minReplicas'), s.hpa.minReplicas, `minReplicas must not exceed maxReplicas (${s.hpa.maxReplicas})`);
          }
        }
        const activeScaled = hpa !== undefined && d[active].replicas === undefined;
        if (!activeScaled && (d[active].replicas ?? svc.replicas) === 0) {
          report(at(active, 'replicas'), d[active].replicas ?? svc.replicas, 'the active slot takes all traffic and cannot run 0 replicas; scale it up before switching to it');
        }
        if (hpa && ([active, idle] as const).every((s) => d[s].replicas === undefined && d[s].hpa === undefined)) {
          report(at(idle), d[idle], `with autoscaling.hpa and no bounds per slot, both slots get an HPA of ${hpa.minReplicas}–${hpa.maxReplicas} replicas: the idle slot would hold as many pods as the active one and the quota must hold both at their maximum; give the idle slot fixed replicas (0 allowed) or its own hpa bounds`);
        }
        break;
      }
      case 'canary': {
        const routed = svc.exposure !== undefined;
        if (routed && d.weight > 0 && d.replicas === 0) {
          report(at('replicas'), d.replicas, `a weight of ${d.weight}% needs at least one canary replica to receive it`);
        }
        if (!routed) {
          if (d.replicas !== undefined) report(at('replicas'), d.replicas, 'the service is not exposed, so no route weighs its requests: the canary\'s share is its share of the pods, and its replicas follow the weight; remove replicas');
          if (d.weight === 100) report(at('weight'), d.weight, 'without a weighted route a weight of 100 would leave no stable pods; set the service\'s image to the canary\'s instead');
          if (hpa || keda) report(at('strategy'), d.strategy, 'the service is not exposed, so the canary\'s share of requests is its share of the pods, and the autoscaler changes the stable count under it; expose the service (weighted route) or scale it with fixed replicas');
          else if (d.replicas === undefined && d.weight < 100) {
            const canary = canaryReplicasFor(d.weight, svc.replicas);
            const share = replicaShare(canary, svc.replicas);
            if (Math.abs(share - d.weight) > 1) {
              report(at('weight'), d.weight, `the service is not exposed, so the canary's share is its share of the pods: with ${svc.replicas} stable replica(s) the nearest is ${Math.round(share)}% (${canary} canary pod(s)); choose that weight, or more stable replicas`);
            }
          }
        }
        break;
      }
      case 'argoCanary': {
        d.steps.forEach((step, j) => {
          if ((step.setWeight === undefined) === (step.pause === undefined)) {
            report(at('steps', j), step, 'expected exactly one of setWeight or pause');
          }
        });
        if (!d.steps.some((s) => s.setWeight !== undefined)) {
          report(at('steps'), d.steps, 'expected at least one setWeight step, or the new version takes no traffic before it is promoted');
        }
        if (d.analysis && d.analysis.startingStep >= d.steps.length) {
          report(at('analysis', 'startingStep'), d.analysis.startingStep, `expected the index of one of the ${d.steps.length} steps (0–${d.steps.length - 1})`);
        }
        break;
      }
      case 'argoBlueGreen':
        break;
    }

    if ((d.strategy === 'argoCanary' || d.strategy === 'argoBlueGreen') && d.analysis && !svc.metricsPort) {
      const why = svc.metricsPort === false ? 'metricsPort: false' : 'metricsPort is unset';
      report(at('analysis'), d.analysis, `the analysis reads the service's request metrics from Prometheus, and the service exposes none (${why})`);
    }
  });
}

function isZero(value: number | string): boolean {
  return value === 0 || value === '0%';
}
