import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ElasticsearchExporter } from '../../../lib/observability/logging/elasticsearch-exporter';

type Obj = { kind: string; metadata: { name: string }; spec: any };

function synth() {
  const chart = Testing.chart();
  new ElasticsearchExporter(chart, 'exporter', {
    image: 'quay.io/prometheuscommunity/elasticsearch-exporter:v1.9.0',
    elasticsearchUrl: 'https://elasticsearch.obs.svc:9200',
    credentialsSecret: 'elasticsearch-credentials',
    tlsSecret: 'elasticsearch-tls',
  });
  const objects = Testing.synth(chart) as Obj[];
  return { objects, container: objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0] };
}

describe('ElasticsearchExporter', () => {
  it('emits a ServiceAccount, a single-replica Deployment and a metrics Service', () => {
    const { objects } = synth();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/elasticsearch-exporter', 'Deployment/elasticsearch-exporter', 'Service/elasticsearch-exporter']);
    expect(objects.find((o) => o.kind === 'Deployment')!.spec.replicas).toBe(1);
    expect(objects).toMatchSnapshot();
  });

  it('reads the cluster as remote_monitoring_user over verified TLS', () => {
    const { container } = synth();
    expect(container.args).toContain('--es.uri=https://elasticsearch.obs.svc:9200');
    expect(container.args).toContain('--es.ca=/certs/ca.crt');
    expect(container.env).toEqual([
      { name: 'ES_USERNAME', value: 'remote_monitoring_user' },
      { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'elasticsearch-credentials', key: 'remote_monitoring_user' } } },
    ]);
  });
});
