import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { PrometheusServer } from '../../../lib/observability/metrics/prometheus-server';
import { run, toolAvailable } from '../tools';
import { alertCase, podName, unitTests, writeAlertTests, type AlertTarget } from './alert-cases';
import { fixtureGroups } from './alert-fixture';

const hasPromtool = toolAvailable('promtool');

// The fixture's components as Prometheus sees them: scrape labels as a ServiceMonitor sets them,
// pods as their controllers name them, and pods of other workloads whose names start alike.
const scrape = (namespace: string, job: string, kind: string, port: number, extra: Record<string, string> = {}) =>
  ({ namespace, job, pod: podName(kind, job), instance: `10.0.0.1:${port}`, service: job, endpoint: 'metrics', ...extra });
const targets: Record<string, Omit<AlertTarget, 'environment' | 'service'>> = {
  api: { role: 'web', namespace: 'shop', scrape: scrape('shop', 'api', 'Deployment', 9090, { container: 'api' }), pod: podName('Deployment', 'api'), container: 'api', lookalikePods: [podName('Deployment', 'api-gateway')], hpa: { name: 'api', targetKind: 'Deployment', targetName: 'api' } },
  worker: { role: 'worker', namespace: 'shop', scrape: scrape('shop', 'worker', 'Deployment', 9090), pod: podName('Deployment', 'worker'), container: 'worker', lookalikePods: [] },
  postgres: { role: 'postgres', namespace: 'shop', scrape: scrape('shop', 'postgres', 'StatefulSet', 9187), pod: podName('StatefulSet', 'postgres'), container: 'postgres', lookalikePods: [podName('CronJob', 'postgres-backup')], claim: 'data-postgres-0' },
  redis: { role: 'redis', namespace: 'shop', scrape: scrape('shop', 'redis', 'StatefulSet', 9121), pod: podName('StatefulSet', 'redis'), container: 'redis', lookalikePods: [] },
  'elasticsearch-exporter': { role: 'elasticsearch-exporter', namespace: 'shop-telemetry', scrape: scrape('shop-telemetry', 'elasticsearch-exporter', 'Deployment', 9114), pod: podName('Deployment', 'elasticsearch-exporter'), container: 'elasticsearch-exporter', lookalikePods: [] },
  logstash: { role: 'logstash', namespace: 'shop-telemetry', scrape: scrape('shop-telemetry', 'logstash', 'Deployment', 9198, { container: 'exporter' }), pod: podName('Deployment', 'logstash'), container: 'logstash', lookalikePods: [] },
  'otel-collector': { role: 'otel-collector', namespace: 'shop-telemetry', scrape: scrape('shop-telemetry', 'otel-collector', 'Deployment', 8888), pod: podName('Deployment', 'otel-collector'), container: 'otel-collector', lookalikePods: [] },
};
const targetOf = (group: { name: string }): AlertTarget => {
  const service = group.name.slice('shop-test.'.length);
  return { ...targets[service], environment: 'test', service };
};

function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'stackwright-promtool-'));
}

describe.skipIf(!hasPromtool)('alert rules under promtool', () => {
  it('has a firing and a silent case for every alert of the catalog', () => {
    const alerts = fixtureGroups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(alerts.length).toBeGreaterThan(40);
    for (const g of fixtureGroups) for (const r of g.rules) expect(() => alertCase(r.alert, targetOf(g)), `${g.name} ${r.alert}`).not.toThrow();
  });

  it('passes promtool check rules with lint errors fatal', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: fixtureGroups }));
    const result = run('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', 'rules.yaml'], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
    expect(result.output).not.toContain('FAILED');
  });

  it('passes promtool test rules: each alert fires when its condition holds long enough and stays silent otherwise', () => {
    const dir = workdir();
    const files = writeAlertTests(dir, fixtureGroups, targetOf);
    const result = run('promtool', ['test', 'rules', ...files], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('fails promtool test rules when an expectation is wrong, so the suite can fail', () => {
    const dir = workdir();
    const [group] = fixtureGroups;
    const rules = group.rules.map(({ annotations: _, ...r }) => r);
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: [{ name: group.name, rules }] }));
    // The silent series of TargetDown, expected to fire.
    const targetDown = alertCase('TargetDown', targetOf(group));
    const wrong = { ...targetDown, firing: targetDown.silent };
    writeFileSync(join(dir, 'tests.yaml'), stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests: unitTests([wrong]) }));
    const result = run('promtool', ['test', 'rules', 'tests.yaml'], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('TargetDown');
  });

  it('passes promtool check config on the standalone Prometheus configuration, rule file included', () => {
    const chart = Testing.chart();
    const server = new PrometheusServer(chart, 'prometheus', {
      image: 'quay.io/prometheus/prometheus:v3.5.0',
      ruleGroups: fixtureGroups,
      config: {
        externalLabels: { environment: 'test' },
        targets: [
          { name: 'api', namespace: 'shop', port: 'metrics', serviceName: 'api', selector: { 'app.kubernetes.io/name': 'api' } },
          { name: 'batch', namespace: 'shop', port: 'metrics', selector: { 'app.kubernetes.io/name': 'batch', 'app.kubernetes.io/instance': 'batch-test' } },
        ],
        staticTargets: [{ job: 'kube-state-metrics', address: 'kube-state-metrics.monitoring.svc:8080', honorLabels: true }],
        alertmanagers: ['alertmanager.monitoring.svc:9093'],
        kubeletNamespaces: ['shop'],
      },
    });
    const dir = workdir();
    mkdirSync(join(dir, 'sa'));
    writeFileSync(join(dir, 'sa', 'token'), '');
    writeFileSync(join(dir, 'sa', 'ca.crt'), '');
    // Debian builds Prometheus without Kubernetes service discovery, so its promtool rejects
    // `kubernetes_sd_configs`; file discovery stands in for it (the SD blocks are checked in
    // prometheus-config.test.ts), and the service-account files point into the work dir.
    const config = server.configYaml
      .replaceAll('/var/run/secrets/kubernetes.io/serviceaccount/', `${dir}/sa/`)
      .replace(/kubernetes_sd_configs:\n(\s+)- role: \w+\n(\1  namespaces:\n\1    names:\n(\1      - .*\n)+)?/g, (_m, indent: string) => `file_sd_configs:\n${indent}- files: [targets.json]\n`);
    expect(config).not.toContain('kubernetes_sd_configs');
    writeFileSync(join(dir, 'targets.json'), '[]');
    writeFileSync(join(dir, 'prometheus.yml'), config);
    writeFileSync(join(dir, 'alert-rules.yaml'), server.rulesYaml);
    const result = run('promtool', ['check', 'config', 'prometheus.yml'], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS: 1 rule files found');
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
  });
});
