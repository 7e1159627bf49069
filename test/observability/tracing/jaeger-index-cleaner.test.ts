import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { JaegerIndexCleaner, type JaegerIndexCleanerProps } from '../../../lib/observability/tracing/jaeger-index-cleaner';

type Obj = { kind: string; metadata: { name: string }; spec: any };

function synth(props: Partial<JaegerIndexCleanerProps> = {}) {
  const chart = Testing.chart();
  new JaegerIndexCleaner(chart, 'cleaner', {
    image: 'docker.elastic.co/elasticsearch/elasticsearch:9.4.1',
    elasticsearchUrl: 'https://elasticsearch.obs.svc:9200',
    credentialsSecret: 'elasticsearch-credentials',
    tlsSecret: 'elasticsearch-tls',
    indexPrefix: 'atlas-traces',
    retentionDays: 7,
    ...props,
  });
  const objects = Testing.synth(chart) as Obj[];
  const cron = objects.find((o) => o.kind === 'CronJob')!;
  return { objects, cron, container: cron.spec.jobTemplate.spec.template.spec.containers[0] };
}

describe('JaegerIndexCleaner', () => {
  it('runs once a day, never twice at once', () => {
    const { cron, objects } = synth();
    expect(cron.spec).toMatchObject({ schedule: '15 1 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    expect(objects).toMatchSnapshot();
  });

  it('deletes only dated Jaeger indices of its prefix older than the retention, as the jaeger user', () => {
    const { container } = synth();
    const script = container.command[2];
    expect(script).toContain('_cat/indices/${INDEX_PREFIX}-jaeger-*');
    expect(script).toContain('date -u -d "-${RETENTION_DAYS} days" +%Y-%m-%d');
    expect(script).toContain('"$day" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ && "$day" < "$cutoff"');
    expect(script).toContain('--user "jaeger:${ES_PASSWORD}"');
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef.key]));
    expect(env).toEqual({ ES_URL: 'https://elasticsearch.obs.svc:9200', INDEX_PREFIX: 'atlas-traces', RETENTION_DAYS: '7', ES_PASSWORD: 'jaeger' });
  });

  it('fails on a retention of zero days', () => {
    expect(() => synth({ retentionDays: 0 })).toThrow('retentionDays must be a whole number ≥ 1; received 0');
  });
});
