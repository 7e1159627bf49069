import { describe, expect, it } from 'vitest';
import { resolvePlatform, type PlatformInput } from '../../lib/spec';
import { specProblems } from '../spec-problems';

const service = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: `ghcr.io/acme/${name}:1.0.0`,
  ports: [{ name: 'http', port: 8080 }],
  metricsPort: false,
  probes: { readiness: { path: '/readyz' }, liveness: { path: '/livez' } },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  ...extra,
});

function spec(overrides: Partial<Record<'provider' | 'postgres' | 'redis' | 'services', unknown>> = {}): PlatformInput {
  return {
    name: 'acme',
    environment: 'prod',
    cluster: { provider: (overrides.provider as 'aws') ?? 'aws' },
    services: (overrides.services as PlatformInput['services']) ?? [service('api', { dependsOn: ['postgres', 'redis'] }), service('web', { dependsOn: ['api'] })],
    dataStores: {
      postgres: (overrides.postgres as never) ?? [{ name: 'postgres', database: 'acme', storage: { size: '20Gi' } }],
      redis: (overrides.redis as never) ?? [{ name: 'redis', storage: { size: '5Gi' }, maxMemory: '192Mi' }],
    },
  } as PlatformInput;
}

function problems(input: PlatformInput): string[] {
  return specProblems(() => resolvePlatform('prod', input));
}

describe('dataStores spec', () => {
  it('accepts data store names in dependsOn and fills in backup defaults', () => {
    const platform = resolvePlatform('prod', spec());
    const [pg] = platform.dataStores.postgres;
    expect(pg.backup).toMatchObject({ enabled: true, schedule: '0 2 * * *', timeZone: 'Etc/UTC', retentionDays: 7 });
    expect(pg.credentials).toEqual({ usernameKey: 'username', passwordKey: 'password' });
    expect(platform.dataStores.redis[0].maxMemoryPolicy).toBe('allkeys-lru');
  });

  it('fails when a service depends on a store that is not declared', () => {
    expect(problems(spec({ services: [service('api', { dependsOn: ['mysql'] })] }))).toEqual([
      'prod: services[api].dependsOn[0]: unknown dependency; expected one of the declared services or data stores: api, postgres, redis; received "mysql"',
    ]);
  });

  it('fails when a store takes a service\'s name', () => {
    expect(problems(spec({ redis: [{ name: 'api', storage: { size: '1Gi' }, maxMemory: '64Mi' }] }))).toContainEqual(
      'prod: dataStores.redis[api].name: the name is already used by a service; services and data stores share one name space (Services, dependsOn); received "api"',
    );
  });

  it('fails when a local cluster is given a StorageClass Stackwright does not emit there', () => {
    expect(problems(spec({ provider: 'local', postgres: [{ name: 'postgres', database: 'acme', storage: { size: '2Gi', storageClass: 'fast-ssd' } }] }))).toEqual([
      'prod: dataStores.postgres[postgres].storage.storageClass: cluster.provider "local" uses the cluster\'s default StorageClass and Stackwright emits none; leave storageClass unset; received "fast-ssd"',
    ]);
  });

  it('fails when shared_buffers exceeds half the memory limit', () => {
    expect(problems(spec({ postgres: [{ name: 'postgres', database: 'acme', storage: { size: '2Gi' }, tuning: { sharedBuffers: '768Mi' } }] }))).toEqual([
      'prod: dataStores.postgres[postgres].tuning.sharedBuffers: expected at most half the memory limit (1Gi); backends need the rest; received "768Mi"',
    ]);
  });

  it('fails when a tuning parameter overrides a typed or managed setting', () => {
    expect(problems(spec({ postgres: [{ name: 'postgres', database: 'acme', storage: { size: '2Gi' }, tuning: { parameters: { shared_buffers: '1GB' } } }] }))).toEqual([
      'prod: dataStores.postgres[postgres].tuning.parameters.shared_buffers: this setting is written by Stackwright (use the typed tuning field where there is one); received "1GB"',
    ]);
  });

  it('fails when Redis maxmemory leaves no room for the append-only file rewrite', () => {
    expect(problems(spec({ redis: [{ name: 'redis', storage: { size: '1Gi' }, maxMemory: '250Mi' }] }))).toEqual([
      'prod: dataStores.redis[redis].maxMemory: expected at most 75% of the memory limit (256Mi); the append-only file rewrite forks and needs the rest; received "250Mi"',
    ]);
  });

  it('fails when a service sets a variable its data store injects', () => {
    expect(problems(spec({ services: [service('api', { dependsOn: ['postgres'], env: { POSTGRES_HOST: 'db.example.com' } })] }))).toEqual([
      'prod: services[api].env.POSTGRES_HOST: set by data store "postgres" (the service depends on it); remove it from env; received "db.example.com"',
    ]);
  });

  it('fails when two stores of one service would set the same variables', () => {
    const postgres = [
      { name: 'postgres', database: 'acme', storage: { size: '2Gi' } },
      { name: 'reports', database: 'reports', storage: { size: '2Gi' }, envPrefix: 'POSTGRES' },
    ];
    const found = problems(spec({ postgres, services: [service('api', { dependsOn: ['postgres', 'reports'] })] }));
    expect(found[0]).toContain('prod: services[api].dependsOn: data stores "postgres" and "reports" both set POSTGRES_HOST; give one an envPrefix');
  });

  it('fails for a backup schedule that is not a five-field cron expression, and for an unknown time zone', () => {
    const postgres = [{ name: 'postgres', database: 'acme', storage: { size: '2Gi' }, backup: { schedule: '0 2 * *', timeZone: 'Mars/Olympus' } }];
    expect(problems(spec({ postgres }))).toEqual([
      'prod: dataStores.postgres[postgres].backup.schedule: expected a five-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 2 * * *"; received "0 2 * *"',
      'prod: dataStores.postgres[postgres].backup.timeZone: expected an IANA time zone name such as "Etc/UTC" or "Europe/Berlin"; received "Mars/Olympus"',
    ]);
  });

  it('fails when an excepted network of the object-storage egress lies outside its CIDR', () => {
    const postgres = [{ name: 'postgres', database: 'acme', storage: { size: '2Gi' }, backup: { objectStorage: { bucket: 'acme-backups', region: 'eu-central-1', egress: [{ cidr: '52.216.0.0/15', except: ['10.0.0.0/8'], port: 443 }] } } }];
    expect(problems(spec({ postgres }))).toEqual(['prod: dataStores.postgres[postgres].backup.objectStorage.egress[0].except[0]: an excepted network must lie inside the rule\'s network 52.216.0.0/15; received "10.0.0.0/8"']);
  });

  it('fails when object storage declares no egress for its network policy', () => {
    const postgres = [{ name: 'postgres', database: 'acme', storage: { size: '2Gi' }, backup: { objectStorage: { bucket: 'acme-backups', region: 'eu-central-1', egress: [] } } }];
    expect(problems(spec({ postgres }))).toEqual(['prod: dataStores.postgres[postgres].backup.objectStorage.egress: expected at least 1 item(s); received []']);
  });
});
