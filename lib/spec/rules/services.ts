import { parseQuantity } from '../../core/quantity';
import type { ResolvedPlatform } from '../platform';
import type { Report } from './report';

/** Cross-field rules for services: names, ports, probes, resources, dependencies. */
export function checkServices(platform: ResolvedPlatform, report: Report, dependencyTargets: ReadonlySet<string>): void {
  const seen = new Set<string>();
  platform.services.forEach((svc, i) => {
    if (seen.has(svc.name)) report(['services', i, 'name'], svc.name, 'duplicate service name; each service needs a unique name');
    seen.add(svc.name);

    const portNames = new Set<string>();
    const portNumbers = new Set<number>();
    svc.ports.forEach((port, j) => {
      if (portNames.has(port.name)) report(['services', i, 'ports', j, 'name'], port.name, 'duplicate port name within the service');
      if (portNumbers.has(port.port)) report(['services', i, 'ports', j, 'port'], port.port, 'duplicate container port within the service');
      portNames.add(port.name);
      portNumbers.add(port.port);
    });
    if (svc.kind === 'web' && svc.ports.length === 0) {
      report(['services', i, 'ports'], svc.ports, 'a web service needs at least one port');
    }
    if (typeof svc.metricsPort === 'string' && !portNames.has(svc.metricsPort)) {
      report(['services', i, 'metricsPort'], svc.metricsPort, `expected one of the service's port names: ${list(portNames)}`);
    }
    if (svc.kind === 'web' && svc.metricsPort === undefined) {
      report(['services', i, 'metricsPort'], svc.metricsPort,
        'a web service must name the port serving its Prometheus metrics (they drive TargetDown, HighErrorRate, HighResponseTime and the API dashboard), or set metricsPort: false to run it unmonitored (resource and crash alerts only)');
    }
    if (svc.exposure?.port !== undefined && !portNames.has(svc.exposure.port)) {
      report(['services', i, 'exposure', 'port'], svc.exposure.port, `expected one of the service's port names: ${list(portNames)}`);
    }
    if (svc.exposure !== undefined && svc.kind !== 'web') {
      report(['services', i, 'exposure'], svc.exposure, 'only a web service can be exposed');
    }

    for (const kind of ['startup', 'readiness', 'liveness'] as const) {
      const probe = svc.probes[kind];
      const path = ['services', i, 'probes', kind];
      if (probe === undefined) {
        // Startup falls back to the liveness probe; a web service without ports is reported above.
        if (kind !== 'startup' && svc.kind === 'worker' && svc.ports.length === 0) {
          report(path, probe, `a worker without ports needs an explicit ${kind} probe (command)`);
        }
        continue;
      }
      const modes = [probe.path !== undefined, probe.command !== undefined, probe.tcp === true].filter(Boolean).length;
      if (modes !== 1) report(path, probe, 'expected exactly one of path (HTTP GET), command (exec) or tcp: true');
      if (probe.port !== undefined && !portNames.has(probe.port)) {
        report([...path, 'port'], probe.port, `expected one of the service's port names: ${list(portNames)}`);
      }
      if (probe.command === undefined && probe.port === undefined && svc.ports.length === 0) {
        report([...path, 'port'], probe.port, 'an HTTP or TCP probe needs a port, and the service declares none');
      }
    }

    for (const resource of ['cpu', 'memory'] as const) {
      const request = svc.resources.requests[resource];
      const limit = svc.resources.limits[resource];
      if (parseQuantity(limit) < parseQuantity(request)) {
        report(['services', i, 'resources', 'limits', resource], limit, `the limit must be at least the request (${request})`);
      }
      if (parseQuantity(request) <= 0) {
        report(['services', i, 'resources', 'requests', resource], request, 'expected a request above zero');
      }
    }

    svc.dependsOn.forEach((target, j) => {
      if (target === svc.name) report(['services', i, 'dependsOn', j], target, 'a service cannot depend on itself');
      else if (!dependencyTargets.has(target)) {
        report(['services', i, 'dependsOn', j], target, `unknown dependency; expected one of the declared services or data stores: ${list(dependencyTargets)}`);
      }
    });
    if (new Set(svc.dependsOn).size !== svc.dependsOn.length) {
      report(['services', i, 'dependsOn'], svc.dependsOn, 'a dependency is listed twice');
    }
  });
}

function list(values: Iterable<string>): string {
  const sorted = [...values].sort();
  return sorted.length > 0 ? sorted.join(', ') : '(none)';
}
