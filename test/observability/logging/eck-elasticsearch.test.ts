import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { EckElasticsearch, type EckElasticsearchProps } from '../../../lib/observability/logging/eck-elasticsearch';

type Obj = { apiVersion: string; kind: string; metadata: { name: string }; spec: any };
const resources = { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } };

function synth(props: Partial<EckElasticsearchProps> = {}) {
  const chart = Testing.chart();
  const eck = new EckElasticsearch(chart, 'elasticsearch', {
    image: 'docker.elastic.co/elasticsearch/elasticsearch:9.4.1', nodes: 3, resources, storageSize: '30Gi', storageClass: 'fast-ssd', tlsSecret: 'elasticsearch-tls', ...props,
  });
  const objects = Testing.synth(chart) as Obj[];
  return { eck, objects, es: objects.find((o) => o.kind === 'Elasticsearch')!, kibana: objects.find((o) => o.kind === 'Kibana') };
}

describe('EckElasticsearch', () => {
  it('emits an ECK v1 Elasticsearch, and a Kibana when asked', () => {
    const { objects } = synth({ kibana: { image: 'docker.elastic.co/kibana/kibana:9.4.1', replicas: 1, resources } });
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual([
      'elasticsearch.k8s.elastic.co/v1 Elasticsearch/elasticsearch', 'kibana.k8s.elastic.co/v1 Kibana/kibana',
    ]);
    expect(objects).toMatchSnapshot();
  });

  it('keeps the version, mmap off, heap from the limit and the restricted security context on every node', () => {
    const { es } = synth();
    expect(es.spec.version).toBe('9.4.1');
    const nodeSet = es.spec.nodeSets[0];
    expect(nodeSet.count).toBe(3);
    expect(nodeSet.config['node.store.allow_mmap']).toBe(false);
    const container = nodeSet.podTemplate.spec.containers[0];
    expect(container.env).toEqual([{ name: 'ES_JAVA_OPTS', value: '-Xms1024m -Xmx1024m' }]);
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(nodeSet.volumeClaimTemplates[0]).toEqual({ metadata: { name: 'elasticsearch-data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '30Gi' } } } });
    expect(es.spec.http.tls.certificate.secretName).toBe('elasticsearch-tls');
  });

  it('names what ECK creates: the client Service, the elastic user Secret and the pod labels', () => {
    const { eck } = synth({ kibana: { image: 'docker.elastic.co/kibana/kibana:9.4.1', replicas: 1, resources } });
    expect([eck.serviceName, eck.elasticUserSecret, eck.kibanaServiceName]).toEqual(['elasticsearch-es-http', 'elasticsearch-es-elastic-user', 'kibana-kb-http']);
    expect(eck.selector).toEqual({ 'elasticsearch.k8s.elastic.co/cluster-name': 'elasticsearch' });
    expect(eck.url('obs')).toBe('https://elasticsearch-es-http.obs.svc:9200');
  });

  it('connects Kibana by reference, with TLS ending at the ingress controller', () => {
    const { kibana } = synth({ kibana: { image: 'docker.elastic.co/kibana/kibana:9.4.1', replicas: 2, resources, publicBaseUrl: 'https://kibana.example.com' } });
    expect(kibana!.spec).toMatchObject({ count: 2, elasticsearchRef: { name: 'elasticsearch' }, http: { tls: { selfSignedCertificate: { disabled: true } } } });
    expect(kibana!.spec.config['server.publicBaseUrl']).toBe('https://kibana.example.com');
  });

  it('fails with two nodes', () => {
    expect(() => synth({ nodes: 2 })).toThrow('nodes must be 1 or at least 3');
  });
});
