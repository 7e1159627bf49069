import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { Logstash, type LogstashProps } from '../../../lib/observability/logging/logstash';

type Obj = { kind: string; metadata: { name: string }; spec: any; data?: Record<string, string> };

function synth(props: Partial<LogstashProps> = {}) {
  const chart = Testing.chart();
  new Logstash(chart, 'logstash', {
    image: 'docker.elastic.co/logstash/logstash:9.4.1',
    elasticsearchUrl: 'https://elasticsearch.obs.svc:9200',
    credentialsSecret: 'elasticsearch-credentials',
    tlsSecret: 'elasticsearch-tls',
    lifecycleName: 'atlas-logs',
    environment: 'prod',
    ...props,
  });
  const objects = Testing.synth(chart) as Obj[];
  const get = (kind: string) => objects.find((o) => o.kind === kind);
  const files = get('ConfigMap')!.data!;
  return { objects, get, container: get('Deployment')!.spec.template.spec.containers[0], pipeline: files['main.conf'], settings: YAML.parse(files['logstash.yml']) };
}

describe('Logstash', () => {
  it('emits a ServiceAccount, a Deployment, a ConfigMap and a Service', () => {
    const { objects } = synth();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/logstash', 'Deployment/logstash', 'ConfigMap/logstash', 'Service/logstash']);
    expect(objects).toMatchSnapshot();
  });

  it('reads Beats on 5044, parses JSON application lines and writes through the lifecycle alias and policy', () => {
    const { pipeline } = synth();
    expect(pipeline).toContain('beats { port => 5044 }');
    expect(pipeline).toContain('json { source => "message" target => "app" skip_on_invalid_json => true }');
    expect(pipeline).toContain('hosts => ["https://elasticsearch.obs.svc:9200"]');
    expect(pipeline).toContain('ilm_rollover_alias => "atlas-logs"');
    expect(pipeline).toContain('ilm_policy => "atlas-logs"');
    expect(pipeline).toContain('manage_template => false');
    // Kubernetes metadata is kept: nothing removes the shipper's fields.
    expect(pipeline).not.toContain('remove_field');
  });

  it('probes the API port and serves it on all interfaces', () => {
    const { container, settings } = synth();
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(container[probe].httpGet.port).toBe('api');
    expect(container.ports.find((p: any) => p.name === 'api').containerPort).toBe(9600);
    expect(settings).toMatchObject({ 'api.http.host': '0.0.0.0', 'api.http.port': 9600 });
  });

  it('sizes the heap as half the memory limit and reads the password from the Secret', () => {
    const { container } = synth({ resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } } });
    expect(container.env.find((e: any) => e.name === 'LS_JAVA_OPTS').value).toBe('-Xms1024m -Xmx1024m');
    expect(container.env.find((e: any) => e.name === 'LOGSTASH_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'elasticsearch-credentials', key: 'logstash_internal' });
  });

  it('serves each pod\'s pipeline metrics from a hardened logstash-exporter sidecar reading the API over localhost', () => {
    const { get } = synth();
    const pod = get('Deployment')!.spec.template.spec;
    const exporter = pod.containers.find((c: any) => c.name === 'exporter');
    expect(exporter.image).toBe('ghcr.io/kuskoman/logstash-exporter:v1.9.1');
    expect(exporter.env).toEqual([{ name: 'LOGSTASH_URL', value: 'http://localhost:9600' }, { name: 'PORT', value: '9198' }]);
    expect(exporter.ports).toEqual([{ name: 'metrics', containerPort: 9198, protocol: 'TCP' }]);
    expect(exporter.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(exporter.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } });
    expect(exporter.readinessProbe.httpGet).toMatchObject({ path: '/health', port: 'metrics' });
    expect(exporter.livenessProbe.httpGet).toMatchObject({ path: '/health', port: 'metrics' });
    // The Service offers it for a ServiceMonitor; the pod's size counts it.
    expect(get('Service')!.spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['beats:5044', 'api:9600', 'metrics:9198']);
  });

  it('sizes a pod as Logstash plus its exporter', () => {
    const chart = Testing.chart();
    const logstash = new Logstash(chart, 'logstash', {
      image: 'docker.elastic.co/logstash/logstash:9.4.1', elasticsearchUrl: 'https://es:9200', credentialsSecret: 'c', tlsSecret: 't', lifecycleName: 'l', environment: 'prod',
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } },
    });
    expect(logstash.podResources).toEqual({ requests: { cpu: '510m', memory: '2080Mi' }, limits: { cpu: '2100m', memory: '2112Mi' } });
  });

  it('adds a disruption budget only with more than one replica', () => {
    expect(synth().get('PodDisruptionBudget')).toBeUndefined();
    expect(synth({ replicas: 2 }).get('PodDisruptionBudget')!.spec.maxUnavailable).toBe(1);
  });
});
