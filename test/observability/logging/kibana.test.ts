import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { Kibana, type KibanaProps } from '../../../lib/observability/logging/kibana';

type Obj = { kind: string; metadata: { name: string }; spec: any; data?: Record<string, string> };

function synth(props: Partial<KibanaProps> = {}) {
  const chart = Testing.chart();
  new Kibana(chart, 'kibana', {
    image: 'docker.elastic.co/kibana/kibana:9.4.1',
    elasticsearchUrl: 'https://elasticsearch.obs.svc:9200',
    credentialsSecret: 'elasticsearch-credentials',
    tlsSecret: 'elasticsearch-tls',
    encryptionKeySecret: 'kibana-encryption-key',
    ...props,
  });
  const objects = Testing.synth(chart) as Obj[];
  const get = (kind: string) => objects.find((o) => o.kind === kind);
  return { objects, get, settings: YAML.parse(get('ConfigMap')!.data!['kibana.yml']), container: get('Deployment')!.spec.template.spec.containers[0] };
}

describe('Kibana', () => {
  it('is reachable only inside the cluster unless exposed', () => {
    const { objects } = synth();
    expect(objects.map((o) => o.kind)).not.toContain('Ingress');
    expect(objects).toMatchSnapshot();
  });

  it('gets an Ingress with TLS for the host when exposed', () => {
    const { get, settings } = synth({ exposure: { host: 'kibana.example.com', tlsSecret: 'kibana-tls', ingressClass: 'nginx' } });
    expect(get('Ingress')!.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['kibana.example.com'], secretName: 'kibana-tls' }],
      rules: [{ host: 'kibana.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'kibana', port: { name: 'http' } } } }] } }],
    });
    expect(settings['server.publicBaseUrl']).toBe('https://kibana.example.com');
  });

  it('connects to Elasticsearch over verified TLS as kibana_system, with secrets by reference only', () => {
    const { settings, container } = synth();
    expect(settings).toMatchObject({
      'elasticsearch.hosts': ['https://elasticsearch.obs.svc:9200'],
      'elasticsearch.username': 'kibana_system',
      'elasticsearch.password': '${KIBANA_SYSTEM_PASSWORD}',
      'elasticsearch.ssl.verificationMode': 'full',
    });
    expect(container.env.filter((e: any) => e.valueFrom).map((e: any) => e.valueFrom.secretKeyRef)).toEqual([
      { name: 'elasticsearch-credentials', key: 'kibana_system' },
      { name: 'kibana-encryption-key', key: 'encryptionKey' },
    ]);
  });

  it('is ready on /api/status but live on the socket, so an Elasticsearch outage does not restart it', () => {
    const { container } = synth();
    expect(container.readinessProbe.httpGet.path).toBe('/api/status');
    expect(container.livenessProbe.tcpSocket.port).toBe('http');
  });
});
