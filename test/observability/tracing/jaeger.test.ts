import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { Jaeger, JaegerStorage } from '../../../lib/observability/tracing/jaeger';

type Obj = { kind: string; metadata: { name: string }; spec: any; data?: Record<string, string> };
const es = { url: 'https://elasticsearch.obs.svc:9200', credentialsSecret: 'elasticsearch-credentials', tlsSecret: 'elasticsearch-tls', indexPrefix: 'atlas-traces', indexReplicas: 1 };

function synth(storage: JaegerStorage, replicas = 1) {
  const chart = Testing.chart();
  new Jaeger(chart, 'jaeger', { image: 'jaegertracing/jaeger:2.11.0', storage, replicas });
  const objects = Testing.synth(chart) as Obj[];
  const config = (name: string) => YAML.parse(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)!.data!['config.yaml']);
  return { objects, config, names: objects.map((o) => `${o.kind}/${o.metadata.name}`) };
}

describe('Jaeger', () => {
  it('runs one all-in-one pod keeping traces in memory', () => {
    const { names, config, objects } = synth(JaegerStorage.memory(50000), 3);
    expect(names).toEqual(['ServiceAccount/jaeger', 'Deployment/jaeger', 'ConfigMap/jaeger', 'Service/jaeger']);
    expect(objects.find((o) => o.kind === 'Deployment')!.spec.replicas).toBe(1);
    const c = config('jaeger');
    expect(c.extensions.jaeger_storage.backends.traces).toEqual({ memory: { max_traces: 50000 } });
    expect(c.service.extensions).toEqual(['jaeger_storage', 'jaeger_query', 'healthcheckv2']);
    expect(c.service.pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] });
    expect(objects).toMatchSnapshot();
  });

  it('splits into a collector and a query Deployment on Elasticsearch, with budgets when replicated', () => {
    const { names, config, objects } = synth(JaegerStorage.elasticsearch(es), 2);
    expect(names).toEqual([
      'ServiceAccount/jaeger-collector', 'Deployment/jaeger-collector', 'ConfigMap/jaeger-collector', 'Service/jaeger-collector', 'PodDisruptionBudget/jaeger-collector',
      'ServiceAccount/jaeger-query', 'Deployment/jaeger-query', 'ConfigMap/jaeger-query', 'Service/jaeger-query', 'PodDisruptionBudget/jaeger-query',
    ]);
    const collector = config('jaeger-collector');
    expect(collector.extensions).not.toHaveProperty('jaeger_query');
    expect(collector.receivers).toHaveProperty('otlp');
    const query = config('jaeger-query');
    expect(query.receivers).toEqual({ nop: {} });
    expect(query.extensions.jaeger_query.storage).toEqual({ traces: 'traces' });
    expect(objects).toMatchSnapshot();
  });

  it('authenticates to Elasticsearch with a watched password file and verifies its certificate', () => {
    const { config, objects } = synth(JaegerStorage.elasticsearch(es));
    const backend = config('jaeger-collector').extensions.jaeger_storage.backends.traces.elasticsearch;
    expect(backend).toMatchObject({
      server_urls: ['https://elasticsearch.obs.svc:9200'],
      auth: { basic: { username: 'jaeger', password_file: '/etc/jaeger/es-password/password' } },
      tls: { ca_file: '/etc/jaeger/certs/ca.crt' },
      indices: { index_prefix: 'atlas-traces' },
    });
    const pod = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec;
    expect(pod.volumes.find((v: any) => v.name === 'es-password').secret).toEqual({ secretName: 'elasticsearch-credentials', items: [{ key: 'jaeger', path: 'password' }], defaultMode: 0o440 });
    expect(JSON.stringify(objects)).not.toContain('"password":');
  });

  it('fails on a zero in-memory trace count', () => {
    expect(() => JaegerStorage.memory(0)).toThrow('maxTraces must be a whole number ≥ 1; received 0');
  });
});
