import { describe, expect, it } from 'vitest';
import { resolvePlatform, type PlatformInput } from '../../lib/spec';
import { metricsMode } from '../../lib/spec/rules/metrics';
import { specProblems } from '../spec-problems';

const base = {
  name: 'shop',
  environment: 'dev',
  services: [{
    name: 'api', image: 'ghcr.io/shop/api:1.0.0', ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }], metricsPort: 'metrics',
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  }],
} satisfies PlatformInput;

function problems(input: unknown): string[] {
  return specProblems(() => resolvePlatform('dev', input));
}

const operatorCluster = { capabilities: { prometheusOperator: true } };

describe('metrics spec', () => {
  it('picks operator mode when the cluster has the Prometheus Operator, standalone otherwise', () => {
    expect(metricsMode(resolvePlatform('dev', { ...base, cluster: operatorCluster }))).toBe('operator');
    expect(metricsMode(resolvePlatform('dev', base))).toBe('standalone');
  });

  it('defaults to the kube-prometheus-stack selectors and a 15s scrape interval', () => {
    const { metrics } = resolvePlatform('dev', base);
    expect(metrics.scrapeInterval).toBe('15s');
    expect(metrics.operator.monitorLabels).toEqual({ release: 'kube-prometheus-stack' });
    expect(metrics.operator.dashboardLabels).toEqual({ grafana_dashboard: '1' });
  });

  it('fails operator mode on a cluster without the Prometheus Operator', () => {
    expect(problems({ ...base, metrics: { mode: 'operator' } })).toEqual([
      'dev: metrics.mode: operator mode emits ServiceMonitors and PrometheusRules, whose CRDs this cluster lacks; set cluster.capabilities.prometheusOperator: true, or use "standalone" or "auto"; received "operator"',
    ]);
  });

  it('fails on receivers in operator mode, where the cluster\'s Alertmanager routes', () => {
    const found = problems({ ...base, cluster: operatorCluster, metrics: { alertmanager: { slack: { channel: '#alerts' } } } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^dev: metrics\.alertmanager\.slack: in operator mode the cluster's own Alertmanager routes notifications/);
  });

  it('fails when a standalone Alertmanager has a receiver but no declared egress, which default-deny would block', () => {
    expect(problems({ ...base, metrics: { alertmanager: { slack: { channel: '#alerts' } } } })).toEqual([
      'dev: metrics.alertmanager.egress: Alertmanager sends to Slack outside the cluster, which the default-deny network policies block unless declared; declare where, e.g. [{ cidr: \'0.0.0.0/0\', port: 443 }] (the cluster\'s own networks are excepted); received []',
    ]);
    expect(problems({ ...base, metrics: { alertmanager: { slack: { channel: '#alerts' }, egress: [{ cidr: '0.0.0.0/0', port: 443 }] } } })).toEqual([]);
    expect(problems({ ...base, traffic: { networkPolicies: false }, metrics: { alertmanager: { slack: { channel: '#alerts' } } } })).toEqual([]);
  });

  it('fails on Alertmanager egress without a receiver, and in operator mode', () => {
    const egress = [{ cidr: '0.0.0.0/0', port: 443 }];
    expect(problems({ ...base, metrics: { alertmanager: { egress } } })).toEqual([
      'dev: metrics.alertmanager.egress: egress with no receiver (slack or pagerduty) would open connections nothing makes; remove it or add a receiver; received [{"cidr":"0.0.0.0/0","except":[],"port":443,"protocol":"TCP"}]',
    ]);
    expect(problems({ ...base, cluster: operatorCluster, metrics: { alertmanager: { egress } } })).toEqual([
      'dev: metrics.alertmanager.egress: in operator mode the cluster\'s own Alertmanager sends notifications; egress applies only to mode "standalone"; received [{"cidr":"0.0.0.0/0","except":[],"port":443,"protocol":"TCP"}]',
    ]);
  });

  it('fails when the standalone stack would share the application namespace', () => {
    expect(problems({ ...base, namespace: 'monitoring' })).toEqual([
      'dev: cluster.prometheus.namespace: the standalone monitoring stack needs a namespace of its own, not the application namespace monitoring; received "monitoring"',
    ]);
  });

  it('fails when the Prometheus peer labels contradict the standalone Prometheus\'s own labels', () => {
    const found = problems({ ...base, cluster: { prometheus: { podLabels: { 'app.kubernetes.io/name': 'prom' } } } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^dev: cluster\.prometheus\.podLabels\.app\.kubernetes\.io\/name: the standalone Prometheus sets its own app\.kubernetes\.io labels .*; received "prom"$/);
  });

  it('fails on a production platform whose standalone Alertmanager pages nobody', () => {
    expect(problems({ ...base, production: true }).filter((p) => p.startsWith('dev: metrics.'))).toEqual([
      'dev: metrics.alertmanager.pagerduty: a production platform with a standalone Alertmanager must page someone: set pagerduty.routingKey (a Secret reference); received nothing',
    ]);
  });

  it('fails on a scrape interval that is not a Prometheus duration', () => {
    expect(problems({ ...base, metrics: { scrapeInterval: '15 seconds' } })).toEqual([
      'dev: metrics.scrapeInterval: expected a Prometheus duration such as "15s", "5m" or "30d"; received "15 seconds"',
    ]);
  });

  it('fails on a runbook URL that is not https', () => {
    const found = problems({ ...base, metrics: { runbookBaseUrl: 'http://runbooks.example.com' } });
    expect(found).toEqual(['dev: metrics.runbookBaseUrl: expected an https:// URL; received "http://runbooks.example.com"']);
  });

  it('fails on an unpinned monitoring image', () => {
    const found = problems({ ...base, metrics: { grafana: { image: 'grafana/grafana:latest' } } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^dev: metrics\.grafana\.image: expected a pinned image reference/);
  });
});
