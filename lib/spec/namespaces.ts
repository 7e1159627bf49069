// Where the platform's components run, resolved from the spec: shared by the assembly, the spec
// rules and the operator documentation, so a Secret declared "in the telemetry namespace" lands where
// the stack reads it.
import type { ResolvedPlatform } from './platform';
import { metricsMode } from './rules/metrics';
import type { SecretSpec } from './secrets';

/** The logs and traces stack's namespace: `telemetry.namespace`, else `<namespace>-telemetry`. */
export function telemetryNamespace(platform: ResolvedPlatform): string {
  return platform.telemetry.namespace ?? `${platform.namespace}-telemetry`;
}

/** The log shipper's namespace: `telemetry.shipperNamespace`, else `<namespace>-log-shipper`. */
export function shipperNamespace(platform: ResolvedPlatform): string {
  return platform.telemetry.shipperNamespace ?? `${platform.namespace}-log-shipper`;
}

/** Grafana's namespace: the cluster's (`cluster.grafana`) with the Prometheus Operator, the standalone stack's (`cluster.prometheus`) otherwise. */
export function monitoringNamespace(platform: ResolvedPlatform): string {
  return metricsMode(platform) === 'operator' ? platform.cluster.grafana.namespace : platform.cluster.prometheus.namespace;
}

/** The namespace a declared Secret lives in: its `namespace`, the namespace of the component `namespaceOf` names, or the application's. */
export function secretNamespace(platform: ResolvedPlatform, secret: Pick<SecretSpec, 'namespace' | 'namespaceOf'>): string {
  if (secret.namespace !== undefined) return secret.namespace;
  if (secret.namespaceOf === 'telemetry') return telemetryNamespace(platform);
  if (secret.namespaceOf === 'monitoring') return monitoringNamespace(platform);
  return platform.namespace;
}
