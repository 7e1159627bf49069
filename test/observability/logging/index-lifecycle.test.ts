import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ElasticsearchSetupJob, lifecyclePolicy, logIndexTemplate, type ElasticsearchSetupJobProps } from '../../../lib/observability/logging/index-lifecycle';

type Obj = { kind: string; metadata: { name: string }; spec: any; data?: Record<string, string> };
const lifecycle = { name: 'atlas-logs', hotDays: 7, deleteDays: 30, rolloverMaxAgeDays: 1, rolloverMaxPrimaryShardSizeGb: 50 };

function synth(props: Partial<ElasticsearchSetupJobProps> = {}) {
  const chart = Testing.chart();
  new ElasticsearchSetupJob(chart, 'setup', {
    image: 'docker.elastic.co/elasticsearch/elasticsearch:9.4.1',
    url: 'https://elasticsearch.obs.svc:9200',
    credentialsSecret: 'elasticsearch-credentials',
    tlsSecret: 'elasticsearch-tls',
    lifecycle,
    replicas: 1,
    ...props,
  });
  const objects = Testing.synth(chart) as Obj[];
  const job = objects.find((o) => o.kind === 'Job')!;
  const files = objects.find((o) => o.kind === 'ConfigMap')!.data!;
  return { objects, job, files, script: files['setup.sh'] };
}

describe('log lifecycle', () => {
  it('keeps logs hot for 7 days, then warm, and deletes them at 30 days', () => {
    const phases = (lifecyclePolicy(lifecycle) as any).policy.phases;
    expect(Object.keys(phases)).toEqual(['hot', 'warm', 'delete']);
    expect(phases.hot.actions.rollover).toEqual({ max_age: '1d', max_primary_shard_size: '50gb' });
    expect(phases.warm.min_age).toBe('7d');
    expect(phases.warm.actions).toMatchObject({ readonly: {}, forcemerge: { max_num_segments: 1 } });
    expect(phases.delete).toEqual({ min_age: '30d', actions: { delete: {} } });
  });

  it('attaches the policy and rollover alias to every log index through the template', () => {
    const template = logIndexTemplate(lifecycle, 0) as any;
    expect(template.index_patterns).toEqual(['atlas-logs-*']);
    expect(template.template.settings).toMatchObject({ 'index.lifecycle.name': 'atlas-logs', 'index.lifecycle.rollover_alias': 'atlas-logs', 'index.number_of_replicas': 0 });
    expect(template.priority).toBeGreaterThan(100);
  });

  it('fails when logs would be deleted before they leave the hot phase', () => {
    expect(() => lifecyclePolicy({ ...lifecycle, deleteDays: 7 })).toThrow('atlas-logs: deleteDays (7) must be after hotDays (7)');
  });
});

describe('ElasticsearchSetupJob', () => {
  it('emits a ConfigMap with the bodies, a ServiceAccount and a restricted Job', () => {
    const { objects, job } = synth();
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'ServiceAccount', 'Job']);
    const pod = job.spec.template.spec;
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(objects).toMatchSnapshot();
  });

  it('is safe to re-run: PUTs the same bodies and creates the first write index only when the alias is missing', () => {
    const { script, files } = synth();
    expect(script).toContain('es PUT "/_ilm/policy/atlas-logs" --data-binary @/setup/ilm-policy.json');
    expect(script).toContain('es PUT "/_index_template/atlas-logs" --data-binary @/setup/index-template.json');
    expect(script).toMatch(/if es GET "\/_alias\/atlas-logs" [^\n]*; then\n[^\n]*exists"\nelse\n  es PUT "\/%3Catlas-logs-%7Bnow%2Fd%7D-000001%3E"/);
    expect(JSON.parse(files['write-index.json'])).toEqual({ aliases: { 'atlas-logs': { is_write_index: true } } });
    expect(JSON.parse(files['ilm-policy.json'])).toEqual(lifecyclePolicy(lifecycle));
  });

  it('passes passwords through stdin and the environment, never on a command line or in the ConfigMap', () => {
    const { script, job } = synth({ tracesIndexPrefix: 'atlas-traces' });
    for (const line of script.split('\n').filter((l) => l.includes('_security/user'))) expect(line).toMatch(/^printf .* \| es (PUT|POST) .* --data-binary @-$/);
    const env = job.spec.template.spec.containers[0].env;
    expect(env.filter((e: any) => e.valueFrom).map((e: any) => e.valueFrom.secretKeyRef.key)).toEqual(['elastic', 'logstash_internal', 'grafana', 'kibana_system', 'remote_monitoring_user', 'jaeger']);
  });

  it('gets a new name when its configuration changes, since a Job\'s pod template is immutable', () => {
    const a = synth().job.metadata.name;
    const b = synth({ lifecycle: { ...lifecycle, deleteDays: 14 } }).job.metadata.name;
    expect(a).toMatch(/^elasticsearch-setup-[0-9a-f]{8}$/);
    expect(b).not.toBe(a);
    expect(synth().job.metadata.name).toBe(a);
  });
});
