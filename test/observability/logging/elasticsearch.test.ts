import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { Elasticsearch, elasticHeap, type ElasticsearchProps } from '../../../lib/observability/logging/elasticsearch';

type Obj = { kind: string; metadata: { name: string }; spec: any; data?: Record<string, string> };
const IMAGE = 'docker.elastic.co/elasticsearch/elasticsearch:9.4.1';

function synth(props: Partial<ElasticsearchProps> = {}) {
  const chart = Testing.chart();
  new Elasticsearch(chart, 'elasticsearch', { image: IMAGE, ...props });
  const objects = Testing.synth(chart) as Obj[];
  const get = (kind: string, name?: string) => objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  const sts = get('StatefulSet')!;
  const config = YAML.parse(get('ConfigMap')!.data!['elasticsearch.yml']);
  return { objects, get, sts, pod: sts.spec.template.spec, config };
}

describe('Elasticsearch', () => {
  it('emits a config, a ServiceAccount, a headless and a client Service and a StatefulSet', () => {
    const { objects } = synth();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/elasticsearch-config', 'ServiceAccount/elasticsearch', 'Service/elasticsearch-headless', 'Service/elasticsearch', 'StatefulSet/elasticsearch',
    ]);
    expect(objects).toMatchSnapshot();
  });

  it('sizes the JVM heap as half the memory limit, capped at 31Gi so pointers stay compressed', () => {
    expect(elasticHeap('2Gi')).toBe('1024m');
    expect(elasticHeap('4Gi')).toBe('2048m');
    expect(elasticHeap('128Gi')).toBe('31744m');
    const env = synth({ resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } } }).pod.containers[0].env;
    expect(env.find((e: any) => e.name === 'ES_JAVA_OPTS').value).toBe('-Xms2048m -Xmx2048m');
  });

  it('turns mmap off so no privileged sysctl init container is needed, and every container is restricted', () => {
    const { config, pod } = synth({ nodes: 3 });
    expect(config['node.store.allow_mmap']).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.resources.limits).toBeDefined();
    }
  });

  it('enables security with transport and HTTP TLS from the Secret, and the elastic password by reference', () => {
    const { config, pod } = synth();
    expect(config).toMatchObject({
      'xpack.security.enabled': true,
      'xpack.security.transport.ssl.enabled': true,
      'xpack.security.http.ssl.enabled': true,
      'xpack.security.http.ssl.certificate': 'certs/tls.crt',
    });
    expect(pod.volumes.find((v: any) => v.name === 'certs').secret.secretName).toBe('elasticsearch-tls');
    expect(pod.containers[0].env.find((e: any) => e.name === 'ELASTIC_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'elasticsearch-credentials', key: 'elastic' });
  });

  it('is ready only when the cluster health is at least yellow', () => {
    const probe = synth().pod.containers[0].readinessProbe.exec.command.join(' ');
    expect(probe).toContain('/_cluster/health?wait_for_status=yellow');
    expect(probe).toContain('--fail');
  });

  it('verifies the node certificate in its readiness probe against the cluster CA, under the Service name, over loopback', () => {
    const probe = synth().pod.containers[0].readinessProbe.exec.command.join(' ');
    expect(probe).not.toContain('--insecure');
    expect(probe).not.toMatch(/(^|\s)-k(\s|$)/);
    expect(probe).toContain('--cacert /usr/share/elasticsearch/config/certs/ca.crt');
    // The name is a SAN of the certificate; --resolve keeps the request on the pod's own loopback.
    expect(probe).toContain('--resolve elasticsearch:9200:127.0.0.1');
    expect(probe).toContain('"https://elasticsearch:9200/_cluster/health');
  });

  it('runs one node in single-node discovery, and three master-eligible data nodes that bootstrap together', () => {
    const one = synth();
    expect(one.config['discovery.type']).toBe('single-node');
    expect(one.get('PodDisruptionBudget')).toBeUndefined();
    const three = synth({ nodes: 3 });
    expect(three.sts.spec.replicas).toBe(3);
    expect(three.sts.spec.podManagementPolicy).toBe('Parallel');
    expect(three.config['node.roles']).toEqual(['master', 'data', 'ingest']);
    expect(three.config['discovery.seed_hosts']).toEqual(['elasticsearch-headless']);
    expect(three.config['cluster.initial_master_nodes']).toEqual(['elasticsearch-0', 'elasticsearch-1', 'elasticsearch-2']);
    expect(three.get('Service', 'elasticsearch-headless')!.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  });

  it('spreads three nodes across zones and hosts strictly and allows one disruption at a time', () => {
    const { pod, get } = synth({ nodes: 3 });
    expect(pod.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'DoNotSchedule'], ['kubernetes.io/hostname', 'DoNotSchedule'],
    ]);
    expect(get('PodDisruptionBudget')!.spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  it('claims a volume per node on the given StorageClass and keeps it when the set is deleted', () => {
    const { sts } = synth({ storageClass: 'fast-ssd', storageSize: '100Gi' });
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '100Gi' } } });
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  it('fails with two nodes, which cannot elect a master after losing one', () => {
    expect(() => synth({ nodes: 2 })).toThrow('nodes must be 1 or at least 3 (two master-eligible nodes cannot elect a master after losing one); received 2');
  });

  it('fails when the memory request differs from the limit', () => {
    expect(() => synth({ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } } }))
      .toThrow('the memory request must equal the limit (the heap is sized from it); received 1Gi and 2Gi');
  });

  it('fails on an Elasticsearch 7 image', () => {
    expect(() => synth({ image: 'docker.elastic.co/elasticsearch/elasticsearch:7.17.9' })).toThrow('expected an Elasticsearch 8.x or 9.x image; received docker.elastic.co/elasticsearch/elasticsearch:7.17.9');
  });
});
