import type { ResolvedPlatform } from '../platform';
import type { Report } from './report';

/** Which monitoring mode a platform runs: `auto` follows the cluster's Prometheus Operator capability. */
export function metricsMode(platform: ResolvedPlatform): 'operator' | 'standalone' {
  const { mode } = platform.metrics;
  if (mode !== 'auto') return mode;
  return platform.cluster.capabilities.prometheusOperator ? 'operator' : 'standalone';
}

/** Cross-field rules for metrics: the mode fits the cluster, and settings fit the mode. */
export function checkMetrics(platform: ResolvedPlatform, report: Report): void {
  const metrics = platform.metrics;
  const mode = metricsMode(platform);
  const monitoringNamespace = platform.cluster.prometheus.namespace;
  if (metrics.mode === 'operator' && !platform.cluster.capabilities.prometheusOperator) {
    report(['metrics', 'mode'], metrics.mode, 'operator mode emits ServiceMonitors and PrometheusRules, whose CRDs this cluster lacks; set cluster.capabilities.prometheusOperator: true, or use "standalone" or "auto"');
    return;
  }
  if (mode === 'operator') {
    if (metrics.alertmanager.slack !== undefined) {
      report(['metrics', 'alertmanager', 'slack'], metrics.alertmanager.slack, 'in operator mode the cluster\'s own Alertmanager routes notifications; receivers apply only to mode "standalone"');
    }
    if (metrics.alertmanager.pagerduty !== undefined) {
      report(['metrics', 'alertmanager', 'pagerduty'], metrics.alertmanager.pagerduty, 'in operator mode the cluster\'s own Alertmanager routes notifications; receivers apply only to mode "standalone"');
    }
    if (metrics.alertmanager.egress.length > 0) {
      report(['metrics', 'alertmanager', 'egress'], metrics.alertmanager.egress, 'in operator mode the cluster\'s own Alertmanager sends notifications; egress applies only to mode "standalone"');
    }
    return;
  }
  if (monitoringNamespace === platform.namespace) {
    report(['cluster', 'prometheus', 'namespace'], monitoringNamespace, `the standalone monitoring stack needs a namespace of its own, not the application namespace ${platform.namespace}`);
  }
  for (const [key, value] of Object.entries(platform.cluster.prometheus.podLabels)) {
    const own: Record<string, string> = {
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/instance': `prometheus-${platform.environment}`,
    };
    if (key.startsWith('app.kubernetes.io/') && own[key] !== value) {
      report(['cluster', 'prometheus', 'podLabels', key], value, `the standalone Prometheus sets its own app.kubernetes.io labels (${Object.entries(own).map(([k, v]) => `${k}=${v}`).join(', ')}); use another key to mark its pods`);
    }
  }
  const receivers = [metrics.alertmanager.slack && 'Slack', metrics.alertmanager.pagerduty && 'PagerDuty'].filter(Boolean);
  if (receivers.length > 0 && platform.traffic.networkPolicies && metrics.alertmanager.egress.length === 0) {
    report(['metrics', 'alertmanager', 'egress'], [], `Alertmanager sends to ${receivers.join(' and ')} outside the cluster, which the default-deny network policies block unless declared; declare where, e.g. [{ cidr: '0.0.0.0/0', port: 443 }] (the cluster's own networks are excepted)`);
  }
  if (receivers.length === 0 && metrics.alertmanager.egress.length > 0) {
    report(['metrics', 'alertmanager', 'egress'], metrics.alertmanager.egress, 'egress with no receiver (slack or pagerduty) would open connections nothing makes; remove it or add a receiver');
  }
  if (platform.production && metrics.alertmanager.pagerduty === undefined) {
    report(['metrics', 'alertmanager', 'pagerduty'], undefined, 'a production platform with a standalone Alertmanager must page someone: set pagerduty.routingKey (a Secret reference)');
  }
}
