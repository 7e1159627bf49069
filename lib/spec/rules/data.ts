import { parseQuantity } from '../../core/quantity';
import { POSTGRES_CLIENT_ENV } from '../../data/postgres';
import { REDIS_CLIENT_ENV } from '../../data/redis';
import { postgresSecretNames, storeEnvPrefix } from '../data';
import type { ResolvedPlatform } from '../platform';
import type { Report } from './report';

type Resources = { readonly requests: { readonly cpu: string; readonly memory: string }; readonly limits: { readonly cpu: string; readonly memory: string } };

// Settings Stackwright writes itself; `tuning.parameters` may not override them.
const MANAGED_PG = [
  'listen_addresses', 'port', 'unix_socket_directories', 'data_directory', 'hba_file', 'logging_collector', 'log_destination',
  'max_connections', 'shared_buffers', 'effective_cache_size', 'work_mem', 'maintenance_work_mem',
];

/** Cross-field rules for data stores: unique names, storage classes per provider, memory sizing, queue eviction, client variables. */
export function checkDataStores(platform: ResolvedPlatform, report: Report): void {
  const { postgres, redis } = platform.dataStores;
  const local = platform.cluster.provider === 'local';
  const taken = new Map(platform.services.map((s) => [s.name, 'a service']));

  const storeName = (path: (string | number)[], name: string) => {
    const clash = taken.get(name);
    if (clash) report(path, name, `the name is already used by ${clash}; services and data stores share one name space (Services, dependsOn)`);
    taken.set(name, 'a data store');
  };
  const storageClass = (path: (string | number)[], value: string | undefined) => {
    if (local && value !== undefined) {
      report(path, value, 'cluster.provider "local" uses the cluster\'s default StorageClass and Stackwright emits none; leave storageClass unset');
    }
  };
  const resources = (path: (string | number)[], r: Resources) => {
    for (const key of ['cpu', 'memory'] as const) {
      if (parseQuantity(r.limits[key]) < parseQuantity(r.requests[key])) {
        report([...path, 'limits', key], r.limits[key], `the limit must be at least the request (${r.requests[key]})`);
      }
    }
  };

  postgres.forEach((pg, i) => {
    const at = ['dataStores', 'postgres', i];
    storeName([...at, 'name'], pg.name);
    storageClass([...at, 'storage', 'storageClass'], pg.storage.storageClass);
    storageClass([...at, 'backup', 'storage', 'storageClass'], pg.backup.storage.storageClass);
    resources([...at, 'resources'], pg.resources);
    resources([...at, 'backup', 'resources'], pg.backup.resources);
    const secrets = postgresSecretNames(pg);
    if (secrets.app === secrets.superuser) {
      report([...at, 'appCredentials', 'secretName'], secrets.app, 'expected a Secret other than the superuser\'s: services connect with the application role, never as the superuser');
    }
    if (secrets.monitoring === secrets.superuser || secrets.monitoring === secrets.app) {
      report([...at, 'monitoringCredentials', 'secretName'], secrets.monitoring, 'expected a Secret of its own: the exporter connects as a pg_monitor role, neither the superuser nor the application role');
    }
    const limit = pg.resources.limits.memory;
    if (parseQuantity(pg.tuning.sharedBuffers) > parseQuantity(limit) / 2) {
      report([...at, 'tuning', 'sharedBuffers'], pg.tuning.sharedBuffers, `expected at most half the memory limit (${limit}); backends need the rest`);
    }
    for (const key of ['sharedBuffers', 'effectiveCacheSize', 'workMem', 'maintenanceWorkMem'] as const) {
      const bytes = parseQuantity(pg.tuning[key]);
      if (!Number.isInteger(bytes) || bytes < 1024 || bytes % 1024 !== 0) {
        report([...at, 'tuning', key], pg.tuning[key], 'expected a whole number of KiB such as "64Mi" (PostgreSQL counts memory in kB)');
      }
    }
    for (const key of Object.keys(pg.tuning.parameters)) {
      if (MANAGED_PG.includes(key)) {
        report([...at, 'tuning', 'parameters', key], pg.tuning.parameters[key], 'this setting is written by Stackwright (use the typed tuning field where there is one)');
      }
    }
  });

  // Lists a KEDA redis trigger counts are job queues: where they live, eviction must spare keys without a TTL.
  const queues = new Map<string, string[]>();
  for (const svc of platform.services) {
    for (const t of svc.autoscaling.keda?.triggers ?? []) {
      if (t.type !== 'redis') continue;
      queues.set(t.store, [...(queues.get(t.store) ?? []), `services[${svc.name}].autoscaling.keda.triggers[${t.name ?? t.type}] (list "${t.listName}")`]);
    }
  }

  redis.forEach((r, i) => {
    const at = ['dataStores', 'redis', i];
    storeName([...at, 'name'], r.name);
    const readers = queues.get(r.name);
    if (readers && r.maxMemoryPolicy.startsWith('allkeys-')) {
      report([...at, 'maxMemoryPolicy'], r.maxMemoryPolicy, `the store holds a job queue read by ${readers.join(', ')}, and ${r.maxMemoryPolicy} evicts any key under memory pressure, queued jobs included; use volatile-lru or volatile-lfu (cache keys carry a TTL, queue lists none) or noeviction`);
    }
    storageClass([...at, 'storage', 'storageClass'], r.storage.storageClass);
    resources([...at, 'resources'], r.resources);
    const limit = r.resources.limits.memory;
    if (parseQuantity(r.maxMemory) > parseQuantity(limit) * 0.75) {
      report([...at, 'maxMemory'], r.maxMemory, `expected at most 75% of the memory limit (${limit}); the append-only file rewrite forks and needs the rest`);
    }
  });

  // What each store injects into the services that depend on it.
  const injected = new Map<string, string[]>();
  for (const pg of postgres) injected.set(pg.name, POSTGRES_CLIENT_ENV.map((s) => `${storeEnvPrefix(pg)}_${s}`));
  for (const r of redis) injected.set(r.name, REDIS_CLIENT_ENV.map((s) => `${storeEnvPrefix(r)}_${s}`));
  platform.services.forEach((svc, i) => {
    const setBy = new Map<string, string>();
    for (const dep of svc.dependsOn) {
      for (const name of injected.get(dep) ?? []) {
        if (name in svc.env) {
          report(['services', i, 'env', name], svc.env[name], `set by data store "${dep}" (the service depends on it); remove it from env`);
        }
        const other = setBy.get(name);
        if (other !== undefined) {
          report(['services', i, 'dependsOn'], svc.dependsOn, `data stores "${other}" and "${dep}" both set ${name}; give one an envPrefix`);
        }
        setBy.set(name, dep);
      }
    }
  });
}
