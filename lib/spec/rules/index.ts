import type { ResolvedPlatform } from '../platform';
import { checkAutoscaling } from './autoscaling';
import type { Report } from './report';
import { checkDataStores } from './data';
import { checkDelivery } from './delivery';
import { checkMetrics } from './metrics';
import { checkSecurity } from './security';
import { checkServices } from './services';
import { checkTelemetry } from './telemetry';
import { checkTraffic } from './traffic';

export type { Report } from './report';

/** Names a service may depend on: services and, once declared, data stores. */
export function dependencyTargets(platform: ResolvedPlatform): ReadonlySet<string> {
  return new Set([
    ...platform.services.map((s) => s.name),
    ...platform.dataStores.postgres.map((s) => s.name),
    ...platform.dataStores.redis.map((s) => s.name),
  ]);
}

/** Runs every cross-field rule; each area of the spec adds its own rule function here. */
export function checkPlatform(platform: ResolvedPlatform, report: Report): void {
  checkServices(platform, report, dependencyTargets(platform));
  checkAutoscaling(platform, report, {
    redis: new Set(platform.dataStores.redis.map((s) => s.name)),
    postgresql: new Set(platform.dataStores.postgres.map((s) => s.name)),
  });
  checkDataStores(platform, report);
  checkTelemetry(platform, report);
  checkMetrics(platform, report);
  checkSecurity(platform, report);
  checkTraffic(platform, report);
  checkDelivery(platform, report);
}
