import { readFileSync, writeFileSync } from 'node:fs';
import { Testing } from 'cdk8s';
import { afterEach, describe, expect, it } from 'vitest';
import { REDIS_IMAGE, Redis } from '../../lib/data/redis';
import { runContainer, Scratch } from './container-script';

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

  it('keeps the password off every command line: the server reads it from the mounted Secret, the probes from REDISCLI_AUTH', () => {
    const { container, pod, objects } = synth({ credentials: { secretName: 'cache', passwordKey: 'pw' } });
    const server = container('redis');
    const ref = { secretKeyRef: { name: 'cache', key: 'pw' } };
    expect(server.args).toBeUndefined();
    expect(JSON.stringify(server.command)).not.toMatch(/requirepass \$\(|\$\(REDIS_PASSWORD\)/);
    expect(server.env).toEqual([
      { name: 'REDIS_PASSWORD_FILE', value: '/run/secrets/redis/password' },
      { name: 'REDISCLI_AUTH', valueFrom: ref },
    ]);
    expect(pod.volumes).toContainEqual({ name: 'credentials', secret: { secretName: 'cache', items: [{ key: 'pw', path: 'password' }], defaultMode: 0o440 } });
    expect(server.volumeMounts).toContainEqual({ name: 'credentials', mountPath: '/run/secrets/redis', readOnly: true });
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(server[probe].exec.command).toEqual(['redis-cli', '-h', '127.0.0.1', '-p', '6379', 'ping']);
    }
    // Only the exporter, which has no other way, takes the password as a variable; it does not mount the Secret.
    expect(container('exporter').env).toContainEqual({ name: 'REDIS_PASSWORD', valueFrom: ref });
    expect(container('exporter').volumeMounts).toBeUndefined();
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
  });

  describe('start script', () => {
    let scratch: Scratch;
    afterEach(() => scratch.cleanup());

    // A stand-in redis-server that reports its arguments and the configuration it reads on stdin.
    const start = (password: string) => {
      scratch = new Scratch();
      scratch.stub('redis-server', 'printf "%s\\n" "$@" > "$ARGV_OUT"; cat > "$STDIN_OUT"');
      const file = `${scratch.path('secret')}/password`;
      writeFileSync(file, password);
      const out = scratch.path('out');
      const result = runContainer(scratch, synth().container('redis'), { REDIS_PASSWORD_FILE: file, ARGV_OUT: `${out}/argv`, STDIN_OUT: `${out}/stdin` });
      const read = (name: string) => readFileSync(`${out}/${name}`, 'utf8');
      return { result, argv: read('argv').split('\n').filter(Boolean), stdin: read('stdin') };
    };
    // How Redis reads a double-quoted config argument (sdssplitargs): \" \\ \n are escapes.
    const unquote = (line: string) => {
      const m = /^requirepass "((?:[^"\\]|\\.)*)"\n$/.exec(line);
      if (!m) throw new Error(`not a quoted requirepass line: ${JSON.stringify(line)}`);
      return m[1].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    };

    it('passes requirepass on stdin, after the config file, and never as an argument', () => {
      const { result, argv, stdin } = start('s3cret-Value');
      expect(result.status).toBe(0);
      expect(argv).toEqual(['/etc/redis/redis.conf', '-']);
      expect(unquote(stdin)).toBe('s3cret-Value');
    });

    it('hands Redis every byte of the Secret, quotes, backslashes and the trailing newline of a --from-file value included', () => {
      const password = 'a"b\\c d$(id)\n';
      const { argv, stdin } = start(password);
      expect(argv.join(' ')).not.toContain('a"b');
      expect(unquote(stdin)).toBe(password);
    });
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
    expect(container('redis').volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/data', '/etc/redis', '/run/secrets/redis', '/tmp']);
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
