import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Alertmanager } from '../../../lib/observability/metrics/alertmanager';
import { run, toolAvailable } from '../tools';

const hasAmtool = toolAvailable('amtool');
const secret = (key: string) => ({ name: 'alertmanager-receivers', key });

function build(props: Partial<ConstructorParameters<typeof Alertmanager>[2]> = {}) {
  const chart = Testing.chart();
  const am = new Alertmanager(chart, 'alertmanager', {
    image: 'quay.io/prometheus/alertmanager:v0.28.1',
    environment: 'prod',
    slack: { channel: '#atlas-alerts', webhookUrl: secret('slack-webhook-url') },
    pagerduty: { routingKey: secret('pagerduty-routing-key') },
    ...props,
  });
  return { am, objects: Testing.synth(chart) };
}

describe('Alertmanager', () => {
  it('reads receiver credentials from the mounted Secret, never inline', () => {
    const { am, objects } = build();
    const config = parse(am.configYaml);
    const slack = config.receivers.find((r: { name: string }) => r.name === 'slack').slack_configs[0];
    const pd = config.receivers.find((r: { name: string }) => r.name === 'pagerduty').pagerduty_configs[0];
    expect(slack.api_url_file).toBe('/etc/alertmanager/secrets/alertmanager-receivers/slack-webhook-url');
    expect(pd.routing_key_file).toBe('/etc/alertmanager/secrets/alertmanager-receivers/pagerduty-routing-key');
    expect(am.configYaml).not.toMatch(/api_url:|routing_key:|service_key:|hooks\.slack\.com/);
    const sts = objects.find((o) => o.kind === 'StatefulSet');
    expect(sts.spec.template.spec.volumes).toContainEqual({ name: 'secret-alertmanager-receivers', secret: { secretName: 'alertmanager-receivers', defaultMode: 0o440, optional: false } });
    expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'secret-alertmanager-receivers', mountPath: '/etc/alertmanager/secrets/alertmanager-receivers', readOnly: true });
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
  });

  it('inhibits a warning while the critical alert of the same name fires for the same service', () => {
    const config = parse(build().am.configYaml);
    expect(config.inhibit_rules[0]).toEqual({
      source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'environment', 'namespace', 'service'],
    });
  });

  it('runs one hardened replica with its config checksum on the pod', () => {
    const { objects } = build();
    const sts = objects.find((o) => o.kind === 'StatefulSet');
    const pod = sts.spec.template.spec;
    expect(sts.spec.replicas).toBe(1);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0].args).toContain('--cluster.listen-address=');
    expect(sts.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{16}$/);
    expect(objects).toMatchSnapshot();
  });

  it('changes the pod checksum when the routing changes, so the pod restarts with it', () => {
    const a = build().objects.find((o) => o.kind === 'StatefulSet');
    const b = build({ slack: { channel: '#other', webhookUrl: secret('slack-webhook-url') } }).objects.find((o) => o.kind === 'StatefulSet');
    expect(a.spec.template.metadata.annotations['checksum/config']).not.toBe(b.spec.template.metadata.annotations['checksum/config']);
  });

  it('fails on a credential file path that is not absolute', async () => {
    const { alertmanagerConfig } = await import('../../../lib/observability/metrics/alertmanager-config');
    expect(() => alertmanagerConfig({ environment: 'dev', slack: { channel: '#x', webhookUrlFile: 'slack-url' } })).toThrow('received "slack-url"');
  });
});

describe.skipIf(!hasAmtool)('Alertmanager configuration under amtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stackwright-amtool-'));
  writeFileSync(join(dir, 'alertmanager.yml'), build().am.configYaml);
  const route = (...labels: string[]) => run('amtool', ['config', 'routes', 'test', '--config.file=alertmanager.yml', ...labels], dir).stdout.trim();

  it('passes amtool check-config', () => {
    const result = run('amtool', ['check-config', 'alertmanager.yml'], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('3 receivers');
  });

  it('pages criticals of its environment and posts them to Slack too', () => {
    expect(route('severity=critical', 'environment=prod', 'alertname=TargetDown')).toBe('pagerduty,slack');
  });

  it('posts warnings to Slack only', () => {
    expect(route('severity=warning', 'environment=prod', 'alertname=HighCPUUsage')).toBe('slack');
  });

  it('drops info alerts and alerts of other environments', () => {
    expect(route('severity=info', 'environment=prod')).toBe('null');
    expect(route('severity=critical', 'environment=staging')).toBe('null');
  });
});
