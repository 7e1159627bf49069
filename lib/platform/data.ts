import { MANAGED_BY } from '../core/labels';
import { Wave } from '../core/waves';
import { PostgresBackup } from '../data/backup';
import { Postgres } from '../data/postgres';
import { Redis } from '../data/redis';
import type { StoreResources } from '../data/store-pod';
import { storeEnvPrefix, storeSecretName, type ResolvedPostgres, type ResolvedRedis } from '../spec';
import { StorageClass } from '../storage/storage-class';
import { StorageProvider, type DiskTier } from '../storage/storage-provider';
import type { AppWorkloads } from './apps';
import { priorityClassNames } from './autoscaling';
import type { PlatformContext } from './context';

/** The constructs of the platform's data stores, keyed by store name, for wiring clients. */
export interface DataStores {
  readonly postgres: ReadonlyMap<string, { readonly server: Postgres; readonly backup?: PostgresBackup }>;
  readonly redis: ReadonlyMap<string, Redis>;
}

/** StorageClasses `fast-ssd` and `standard` for the cluster's provider; none on `local`, which uses its default class. */
export function buildStorage(ctx: PlatformContext): void {
  const provider = StorageProvider.of(ctx.platform.cluster.provider);
  if (!provider.emitsStorageClasses) return;
  const chart = ctx.chart(Wave.CLUSTER, 'storage', null);
  for (const tier of ['fast-ssd', 'standard'] as const) {
    new StorageClass(chart, tier, {
      provider,
      tier,
      // Both classes hold data-tier volumes (databases, backups): a deleted claim must not delete the disk.
      reclaimPolicy: 'Retain',
      labels: {
        'app.kubernetes.io/name': tier,
        'app.kubernetes.io/instance': `${tier}-${ctx.platform.environment}`,
        'app.kubernetes.io/component': 'storage',
        'app.kubernetes.io/part-of': ctx.platform.name,
        'app.kubernetes.io/version': provider.name,
        'app.kubernetes.io/managed-by': MANAGED_BY,
      },
    });
  }
}

/** One chart per data store: the StatefulSet with its Services and configuration, and for PostgreSQL its backups. */
export function buildData(ctx: PlatformContext): DataStores {
  const { platform } = ctx;
  const emits = StorageProvider.of(platform.cluster.provider).emitsStorageClasses;
  const classFor = (explicit: string | undefined, tier: DiskTier) => explicit ?? (emits ? tier : undefined);
  const suffix = `-${platform.environment}`;
  // Data stores prefer separate nodes, so one node failure takes down at most one of them.
  const apartFrom = {
    matchLabels: { 'app.kubernetes.io/part-of': platform.name },
    matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: ['database', 'cache'] }],
  };

  const priorityClassName = priorityClassNames(platform)?.data;

  const postgres = new Map<string, { server: Postgres; backup?: PostgresBackup }>();
  for (const spec of platform.dataStores.postgres) {
    const chart = ctx.chart(Wave.DATA, spec.name);
    const server = new Postgres(chart, spec.name, {
      name: spec.name,
      instance: `${spec.name}${suffix}`,
      partOf: platform.name,
      image: spec.image,
      database: spec.database,
      credentials: { secretName: storeSecretName(spec), usernameKey: spec.credentials.usernameKey, passwordKey: spec.credentials.passwordKey },
      storageSize: spec.storage.size,
      storageClassName: classFor(spec.storage.storageClass, 'fast-ssd'),
      resources: spec.resources,
      settings: { ...spec.tuning, parameters: { ...spec.tuning.parameters } },
      apartFrom,
      priorityClassName,
    });
    register(ctx, spec.name, 'postgres', server, 'postgres');
    ctx.referenceSecret({ name: storeSecretName(spec), namespace: ctx.namespace, keys: [spec.credentials.usernameKey, spec.credentials.passwordKey], by: spec.name });
    const backup = spec.backup.enabled ? buildBackup(ctx, chart, server, spec, classFor(spec.backup.storage.storageClass, 'standard'), suffix) : undefined;
    postgres.set(spec.name, { server, backup });
  }

  const redis = new Map<string, Redis>();
  for (const spec of platform.dataStores.redis) {
    const chart = ctx.chart(Wave.DATA, spec.name);
    const server = new Redis(chart, spec.name, {
      name: spec.name,
      instance: `${spec.name}${suffix}`,
      partOf: platform.name,
      image: spec.image,
      credentials: { secretName: storeSecretName(spec), passwordKey: spec.credentials.passwordKey },
      storageSize: spec.storage.size,
      storageClassName: classFor(spec.storage.storageClass, 'fast-ssd'),
      resources: spec.resources,
      maxMemory: spec.maxMemory,
      maxMemoryPolicy: spec.maxMemoryPolicy,
      appendFsync: spec.appendFsync,
      apartFrom,
      priorityClassName,
    });
    ctx.referenceSecret({ name: storeSecretName(spec), namespace: ctx.namespace, keys: [spec.credentials.passwordKey], by: spec.name });
    register(ctx, spec.name, 'redis', server, 'redis');
    redis.set(spec.name, server);
  }
  return { postgres, redis };
}

/**
 * Gives each service the connection settings of the data stores it names in `dependsOn`, and only
 * those: host, port (and database) as values, credentials as `secretKeyRef`s.
 */
export function connectDataClients(ctx: PlatformContext, apps: AppWorkloads, stores: DataStores): void {
  const specs = new Map<string, ResolvedPostgres | ResolvedRedis>([
    ...ctx.platform.dataStores.postgres.map((s) => [s.name, s] as const),
    ...ctx.platform.dataStores.redis.map((s) => [s.name, s] as const),
  ]);
  for (const svc of ctx.platform.services) {
    const app = apps.get(svc.name);
    if (!app) continue;
    for (const dep of svc.dependsOn) {
      const spec = specs.get(dep);
      if (!spec) continue;
      const pg = stores.postgres.get(dep);
      const env = pg ? pg.server.clientEnv(storeEnvPrefix(spec)) : stores.redis.get(dep)?.clientEnv(storeEnvPrefix(spec));
      if (env) for (const w of app.workloads) w.addEnv(...env);
    }
  }
}

function register(ctx: PlatformContext, name: string, role: 'postgres' | 'redis', server: Postgres | Redis, portName: string): void {
  ctx.registerEndpoint({
    name,
    role,
    namespace: ctx.namespace,
    selector: server.selector,
    serviceName: server.serviceName,
    ports: [
      { name: portName, port: server.port },
      { name: server.metricsPort.name, port: server.metricsPort.port },
    ],
    metrics: { port: server.metricsPort.name, path: server.metricsPort.path },
  });
  ctx.registerWorkload({
    name,
    kind: 'StatefulSet',
    namespace: ctx.namespace,
    selector: server.selector,
    replicas: { min: 1, max: 1 },
    podResources: server.podResources,
    images: [server.image, server.exporterImage],
  });
}

function buildBackup(
  ctx: PlatformContext,
  chart: ReturnType<PlatformContext['chart']>,
  server: Postgres,
  spec: ResolvedPostgres,
  storageClassName: string | undefined,
  suffix: string,
): PostgresBackup {
  const b = spec.backup;
  const target = b.objectStorage;
  if (target?.credentials) {
    const c = target.credentials;
    ctx.referenceSecret({ name: c.secretName, namespace: ctx.namespace, keys: [c.accessKeyIdKey, c.secretAccessKeyKey], by: `${spec.name}-backup` });
  }
  const backup = new PostgresBackup(chart, `${spec.name}-backup`, {
    postgres: server,
    schedule: b.schedule,
    timeZone: b.timeZone,
    retentionDays: b.retentionDays,
    storageSize: b.storage.size,
    storageClassName,
    resources: b.resources as StoreResources,
    instanceSuffix: suffix,
    objectStorage: target
      ? {
        bucket: target.bucket,
        prefix: target.prefix,
        region: target.region,
        endpoint: target.endpoint,
        credentials: target.credentials,
        serviceAccountAnnotations: Object.keys(target.serviceAccountAnnotations).length > 0 ? target.serviceAccountAnnotations : undefined,
      }
      : undefined,
  });
  // A backup or restore pod runs at most once at a time; quota sums count it at its maximum.
  for (const [name, selector] of [[backup.name, backup.selector], [backup.restoreName, backup.restoreSelector]] as const) {
    // Both connect to the server; network policies admit exactly this (object storage egress is in the spec).
    ctx.registerFlow({ from: { name, namespace: ctx.namespace, selector }, to: spec.name, ports: ['postgres'] });
    for (const rule of target?.egress ?? []) {
      ctx.registerExternalFlow({ from: { name, namespace: ctx.namespace, selector }, name: 'object-storage', cidr: rule.cidr, ports: [{ port: rule.port, protocol: rule.protocol }] });
    }
    ctx.registerWorkload({
      name,
      kind: 'CronJob',
      namespace: ctx.namespace,
      selector,
      replicas: { min: 0, max: 1 },
      podResources: backup.podResources,
      images: backup.images,
    });
  }
  return backup;
}
