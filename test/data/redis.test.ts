import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { REDIS_IMAGE, Redis } from '../../lib/data/redis';

function synth(props: ConstructorParameters<typeof Redis>[2] = {}) {
  const chart = Testing.chart();
  const redis = new Redis(chart, 'redis', props);
  const objects = Testing.synth(chart);
  const sts = objects.find((o) => o.kind === 'StatefulSet');
  const pod = sts.spec.template.spec;
  const container = (name: string) => pod.containers.find((c: { name: string }) => c.name === name);
  const conf: string = objects.find((o) => o.kind === 'ConfigMap').data['redis.conf'];
  return { redis, objects, sts, pod, container, conf };
}

const prodSized = { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };

describe('Redis', () => {
  it('evicts least recently used keys at maxmemory and persists to an append-only file on its claimed volume', () => {
    const { conf, sts, objects } = synth({ resources: prodSized, maxMemory: '768Mi', storageSize: '10Gi', storageClassName: 'fast-ssd' });
    expect(conf).toContain('maxmemory 768mb\n');
    expect(conf).toContain('maxmemory-policy allkeys-lru\n');
    expect(conf).toContain('appendonly yes\n');
    expect(conf).toContain('appendfsync everysec\n');
    expect(conf).toContain('dir /data\n');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('fast-ssd');
    expect(objects).toMatchSnapshot();
  });

  it('defaults maxmemory to three quarters of the memory limit', () => {
    expect(synth({ resources: prodSized }).conf).toContain('maxmemory 768mb\n');
  });

  it('takes the password from the Secret by reference and authenticates its probes without a command-line password', () => {
    const { container, objects } = synth({ credentials: { secretName: 'cache', passwordKey: 'pw' } });
    const server = container('redis');
    const ref = { secretKeyRef: { name: 'cache', key: 'pw' } };
    expect(server.env).toEqual([{ name: 'REDIS_PASSWORD', valueFrom: ref }, { name: 'REDISCLI_AUTH', valueFrom: ref }]);
    expect(server.args).toEqual(['redis-server', '/etc/redis/redis.conf', '--requirepass', '$(REDIS_PASSWORD)']);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(server[probe].exec.command).toEqual(['redis-cli', '-h', '127.0.0.1', '-p', '6379', 'ping']);
    }
    expect(container('exporter').env).toContainEqual({ name: 'REDIS_PASSWORD', valueFrom: ref });
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
  });

  it('runs the exporter on a named metrics port that its startup, readiness and liveness probes and the client Service use', () => {
    const { container, objects } = synth();
    const exporter = container('exporter');
    expect(exporter.ports).toEqual([{ name: 'metrics', containerPort: 9121, protocol: 'TCP' }]);
    expect(exporter.readinessProbe.httpGet).toEqual({ path: '/health', port: 'metrics', scheme: 'HTTP' });
    expect(exporter.livenessProbe.httpGet.port).toBe('metrics');
    expect(exporter.startupProbe.httpGet).toEqual({ path: '/health', port: 'metrics', scheme: 'HTTP' });
    const client = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'redis');
    expect(client.spec.ports).toContainEqual({ name: 'metrics', port: 9121, targetPort: 'metrics', protocol: 'TCP' });
  });

  it('runs as the image\'s redis user on a read-only root with fsGroup for its volume', () => {
    const { pod, container } = synth();
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999 });
    expect(container('redis').securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container('redis').volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/data', '/etc/redis', '/tmp']);
    expect(REDIS_IMAGE).toMatch(/^redis:7\.\d+\.\d+-/);
  });

  it('gives clients host and port as values and the password as a secretKeyRef', () => {
    expect(synth().redis.clientEnv()).toEqual([
      { name: 'REDIS_HOST', value: 'redis' },
      { name: 'REDIS_PORT', value: '6379' },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-credentials', key: 'password' } } },
    ]);
  });

  it('fails when maxmemory leaves no room for the append-only file rewrite', () => {
    expect(() => synth({ resources: prodSized, maxMemory: '900Mi' })).toThrow('maxMemory 900Mi exceeds 75% of the memory limit 1Gi');
  });
});
