import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { POSTGRES_IMAGE, Postgres } from '../../lib/data/postgres';

function synth(props: ConstructorParameters<typeof Postgres>[2] = {}) {
  const chart = Testing.chart();
  const pg = new Postgres(chart, 'postgres', props);
  const objects = Testing.synth(chart);
  const sts = objects.find((o) => o.kind === 'StatefulSet');
  const pod = sts.spec.template.spec;
  const container = (name: string) => pod.containers.find((c: { name: string }) => c.name === name);
  return { pg, objects, sts, pod, container };
}

describe('Postgres', () => {
  it('claims its data volume from a template of the given size and class, without the version label', () => {
    const { sts, objects } = synth({ storageSize: '20Gi', storageClassName: 'fast-ssd', partOf: 'atlas' });
    const [claim] = sts.spec.volumeClaimTemplates;
    expect(claim.metadata.name).toBe('data');
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '20Gi' } } });
    // Claim templates are immutable: a version label would break the next image upgrade's apply.
    expect(claim.metadata.labels).not.toHaveProperty(['app.kubernetes.io/version']);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(objects).toMatchSnapshot();
  });

  it('leaves storageClassName out so the cluster default class is used when none is given', () => {
    const { sts } = synth();
    expect(sts.spec.volumeClaimTemplates[0].spec).not.toHaveProperty('storageClassName');
  });

  it('gets a headless Service for identity and a client Service that also offers the metrics port', () => {
    const { objects, sts } = synth();
    const services = objects.filter((o) => o.kind === 'Service');
    expect(services.map((s) => [s.metadata.name, s.spec.clusterIP ?? 'ClusterIP', s.spec.ports.map((p: { name: string }) => p.name)])).toEqual([
      ['postgres-headless', 'None', ['postgres']],
      ['postgres', 'ClusterIP', ['postgres', 'metrics']],
    ]);
    expect(sts.spec.serviceName).toBe('postgres-headless');
  });

  it('runs the exporter on a named metrics port that its startup, readiness and liveness probes and the Service use', () => {
    const { container } = synth();
    const exporter = container('exporter');
    expect(exporter.image).toMatch(/^prometheuscommunity\/postgres-exporter:v\d+\.\d+\.\d+$/);
    expect(exporter.ports).toEqual([{ name: 'metrics', containerPort: 9187, protocol: 'TCP' }]);
    // Startup, readiness and liveness, like every container of the platform.
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(exporter[probe].httpGet.port).toBe('metrics');
    expect(exporter.startupProbe.periodSeconds * exporter.startupProbe.failureThreshold).toBe(60);
  });

  it('probes the server with pg_isready over TCP, allowing minutes for initdb on start', () => {
    const { container } = synth();
    const server = container('postgres');
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(server[probe].exec.command.slice(0, 2)).toEqual(['pg_isready', '--host=127.0.0.1']);
    }
    expect(server.startupProbe.periodSeconds * server.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    expect(server.lifecycle.preStop.exec.command).toContain('--mode=fast');
  });

  it('runs as the image\'s postgres user on a read-only root, with emptyDirs for the socket, /tmp and /dev/shm', () => {
    const { pod, container } = synth();
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of pod.containers) {
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
    }
    const mounts = Object.fromEntries(container('postgres').volumeMounts.map((m: { name: string; mountPath: string }) => [m.mountPath, m.name]));
    const volumes = Object.fromEntries(pod.volumes.map((v: { name: string }) => [v.name, v]));
    expect(volumes[mounts['/var/run/postgresql']].emptyDir).toBeDefined();
    expect(volumes[mounts['/tmp']].emptyDir).toBeDefined();
    expect(volumes[mounts['/dev/shm']].emptyDir.medium).toBe('Memory');
    expect(container('postgres').image).toBe(POSTGRES_IMAGE);
    expect(POSTGRES_IMAGE).toMatch(/^postgres:16\.\d+-/);
  });

  it('reads credentials from the referenced Secrets as files and never carries a value', () => {
    const { pod, objects, container } = synth({
      credentials: { secretName: 'db-creds', usernameKey: 'user', passwordKey: 'pass' },
      monitoringCredentials: { secretName: 'db-monitoring', passwordKey: 'pw' },
    });
    const volume = (name: string) => pod.volumes.find((v: { name: string }) => v.name === name).secret;
    expect(volume('credentials')).toEqual({ secretName: 'db-creds', defaultMode: 0o440 });
    expect(volume('monitoring-credentials')).toEqual({ secretName: 'db-monitoring', defaultMode: 0o440 });
    expect(container('postgres').env).toContainEqual({ name: 'POSTGRES_PASSWORD_FILE', value: '/run/secrets/postgres/pass' });
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
  });

  it('connects the exporter as the monitoring role, which cannot read the superuser\'s Secret', () => {
    const { container } = synth();
    expect(container('exporter').env).toEqual(expect.arrayContaining([
      { name: 'DATA_SOURCE_USER_FILE', value: '/run/secrets/postgres-monitoring/username' },
      { name: 'DATA_SOURCE_PASS_FILE', value: '/run/secrets/postgres-monitoring/password' },
    ]));
    expect(container('exporter').volumeMounts.map((m: { name: string }) => m.name)).toEqual(['monitoring-credentials']);
    expect(container('postgres').volumeMounts.map((m: { name: string }) => m.name)).not.toContain('monitoring-credentials');
  });

  it('renders the tuning into postgresql.conf in PostgreSQL units and rolls the pod when it changes', () => {
    const a = synth({ resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } }, settings: { sharedBuffers: '512Mi', maxConnections: 200, parameters: { log_min_duration_statement: 500 } } });
    const b = synth({ resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } }, settings: { sharedBuffers: '256Mi', maxConnections: 200 } });
    const conf = a.objects.find((o) => o.kind === 'ConfigMap').data['postgresql.conf'];
    expect(conf).toContain('shared_buffers = 512MB\n');
    expect(conf).toContain('max_connections = 200\n');
    expect(conf).toContain('log_min_duration_statement = 500\n');
    expect(conf).toContain("listen_addresses = '*'\n");
    const hash = (x: typeof a) => x.sts.spec.template.metadata.annotations['stackwright.dev/config-hash'];
    expect(hash(a)).not.toBe(hash(b));
  });

  it('gives clients host, port and database as values and the application role\'s credentials, never the superuser\'s, as secretKeyRefs', () => {
    const { pg } = synth({ database: 'atlas' });
    expect(pg.clientEnv('DB')).toEqual([
      { name: 'DB_HOST', value: 'postgres' },
      { name: 'DB_PORT', value: '5432' },
      { name: 'DB_DATABASE', value: 'atlas' },
      { name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'postgres-app-credentials', key: 'username' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'postgres-app-credentials', key: 'password' } } },
    ]);
  });

  it('fails when two roles share a Secret', () => {
    expect(() => synth({ appCredentials: { secretName: 'postgres-credentials' } })).toThrow('the superuser, application and monitoring roles need three different Secrets; received postgres-credentials, postgres-credentials, postgres-monitoring-credentials');
  });

  it('fails when shared_buffers would take more than half the memory limit', () => {
    expect(() => synth({ settings: { sharedBuffers: '768Mi' } })).toThrow('sharedBuffers 768Mi exceeds half the memory limit 1Gi');
  });

  it('fails when a parameter overrides a setting the pod depends on', () => {
    expect(() => synth({ settings: { parameters: { port: 5433 } } })).toThrow('parameter "port" is set by Stackwright');
  });
});
