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
  it('serves plain HTTP inside the cluster and leaves outside access to the traffic layer', () => {
    const { objects } = synth();
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'ConfigMap', 'Service']);
    expect(objects).toMatchSnapshot();
  });

  it('builds its links on the public URL when something outside routes to it', () => {
    expect(synth().settings).not.toHaveProperty('server.publicBaseUrl');
    expect(synth({ publicUrl: 'https://kibana.example.com' }).settings['server.publicBaseUrl']).toBe('https://kibana.example.com');
    expect(() => synth({ publicUrl: 'http://kibana.example.com/app' })).toThrow('publicUrl must be an https:// origin without a path; received http://kibana.example.com/app');
  });

  it('keeps its status API for signed-in users only, so an exposed Kibana tells anonymous visitors nothing', () => {
    expect(synth().settings).not.toHaveProperty('status.allowAnonymous');
    expect(synth({ publicUrl: 'https://kibana.example.com' }).settings).not.toHaveProperty('status.allowAnonymous');
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

  it('is ready on the login page (as under ECK) but live on the socket, so an Elasticsearch outage does not restart it', () => {
    const { container } = synth();
    expect(container.readinessProbe.httpGet.path).toBe('/login');
    expect(container.livenessProbe.tcpSocket.port).toBe('http');
  });
});
