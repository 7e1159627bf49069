import { recommendedLabels } from '../core/labels';
import { Wave } from '../core/waves';
import { PostgresBackup, WriterScaling, type DatabaseWriter } from '../data/backup';
import { Postgres } from '../data/postgres';
import { PostgresRoles } from '../data/postgres-roles';
import { Redis } from '../data/redis';
import type { StoreResources } from '../data/store-pod';
import { postgresSecretNames, storeEnvPrefix, storeSecretName, type ResolvedPostgres, type ResolvedRedis, type ResolvedService } from '../spec';
import { StorageClass } from '../storage/storage-class';
import { StorageProvider, type DiskTier } from '../storage/storage-provider';
import type { AppWorkloads } from './apps';
import { priorityClassNames } from './autoscaling';
import type { PlatformContext, WorkloadInfo } from './context';

/** The constructs of the platform's data stores, keyed by store name, for wiring clients. */
export interface DataStores {
  readonly postgres: ReadonlyMap<string, { readonly server: Postgres; readonly backup?: PostgresBackup }>;
  readonly redis: ReadonlyMap<string, Redis>;
}

/**
 * StorageClasses `fast-ssd` (databases, `Retain`) and `standard` (backup volumes, `Delete`) for the
 * cluster's provider; none on `local`, which uses its default class.
 */
export function buildStorage(ctx: PlatformContext): void {
  const provider = StorageProvider.of(ctx.platform.cluster.provider);
  if (!provider.emitsStorageClasses) return;
  const chart = ctx.chart(Wave.CLUSTER, 'storage', null);
  for (const tier of ['fast-ssd', 'standard'] as const) {
    new StorageClass(chart, tier, {
      provider,
      tier,
      // Database disks outlive a deleted claim; backup volumes (standard) go with theirs, leaving no orphaned disks.
      reclaimPolicy: tier === 'fast-ssd' ? 'Retain' : 'Delete',
      labels: recommendedLabels(ctx.platformIdentity(tier, 'storage')),
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
    const secrets = postgresSecretNames(spec);
    const server = new Postgres(chart, spec.name, {
      name: spec.name,
      instance: `${spec.name}${suffix}`,
      partOf: platform.name,
      image: spec.image,
      database: spec.database,
      credentials: { ...spec.credentials, secretName: secrets.superuser },
      appCredentials: { ...spec.appCredentials, secretName: secrets.app },
      monitoringCredentials: { ...spec.monitoringCredentials, secretName: secrets.monitoring },
      storageSize: spec.storage.size,
      storageClassName: classFor(spec.storage.storageClass, 'fast-ssd'),
      resources: spec.resources,
      settings: { ...spec.tuning, parameters: { ...spec.tuning.parameters } },
      apartFrom,
      priorityClassName,
    });
    register(ctx, spec.name, 'postgres', server, 'postgres');
    for (const [name, c] of [[secrets.superuser, spec.credentials], [secrets.app, spec.appCredentials], [secrets.monitoring, spec.monitoringCredentials]] as const) {
      ctx.referenceSecret({ name, namespace: ctx.namespace, keys: [c.usernameKey, c.passwordKey], by: spec.name });
    }
    buildRoles(ctx, chart, server, suffix);
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

/**
 * Declares every workload of every service that uses a PostgreSQL store (a blue-green slot, a canary
 * track too) as a writer its restore runbook stops and starts again. After autoscaling: the registry
 * then says which workloads an autoscaler owns, and within which bounds.
 */
export function declareDatabaseWriters(ctx: PlatformContext, stores: DataStores): void {
  for (const svc of ctx.platform.services) {
    for (const dep of svc.dependsOn) {
      const backup = stores.postgres.get(dep)?.backup;
      if (!backup) continue;
      const workloads = ctx.workloads.filter((w) => w.namespace === ctx.namespace && (w.service ?? w.name) === svc.name);
      if (workloads.length === 0) throw new Error(`service ${svc.name} registered no workload`);
      for (const w of workloads) backup.addWriter(databaseWriter(svc, w));
    }
  }
}

/** One workload of a service that uses a database, as the restore runbook stops it: by whatever owns its replica count. */
function databaseWriter(svc: ResolvedService, workload: WorkloadInfo): DatabaseWriter {
  // KEDA's ScaledObject carries the service's name and targets its primary workload.
  const scaling = !workload.autoscaled
    ? WriterScaling.replicas(workload.replicas.max)
    : svc.autoscaling.keda ? WriterScaling.keda(svc.name) : WriterScaling.hpa(workload.replicas.min);
  return {
    name: workload.name,
    kind: workload.kind.toLowerCase(),
    selector: workload.selector,
    scaling,
    terminationGracePeriodSeconds: svc.terminationGracePeriodSeconds,
  };
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
    metrics: [{ port: server.metricsPort.name, path: server.metricsPort.path }],
  });
  ctx.registerWorkload({
    name,
    kind: 'StatefulSet',
    namespace: ctx.namespace,
    selector: server.selector,
    replicas: { min: 1, max: 1 },
    podResources: server.podResources,
    images: [server.image, server.exporterImage],
    // Its claim template (`data`), for the volume alerts.
    claimTemplateNames: ['data'],
  });
}

/** The Job that creates the application and monitoring roles: a one-off pod that connects to the server. */
function buildRoles(ctx: PlatformContext, chart: ReturnType<PlatformContext['chart']>, server: Postgres, suffix: string): PostgresRoles {
  const roles = new PostgresRoles(chart, `${server.name}-roles`, { postgres: server, instanceSuffix: suffix, partOf: ctx.platform.name });
  const from = { name: roles.name, namespace: ctx.namespace, selector: roles.selector };
  ctx.registerFlow({ from, to: server.name, ports: ['postgres'] });
  ctx.registerWorkload({
    // The Job's own name (with its digest): its pods are named after it.
    name: roles.job.name,
    kind: 'Job',
    namespace: ctx.namespace,
    selector: roles.selector,
    replicas: { min: 0, max: 1 },
    podResources: roles.podResources,
    images: [roles.image],
  });
  return roles;
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
  const backupPod = { name: backup.name, namespace: ctx.namespace, selector: backup.selector };
  const restorePod = { name: backup.restoreName, namespace: ctx.namespace, selector: backup.restoreSelector };
  // Both connect to the server; network policies admit exactly these flows.
  ctx.registerFlow({ from: backupPod, to: spec.name, ports: ['postgres'] });
  ctx.registerFlow({ from: restorePod, to: spec.name, ports: ['postgres'] });
  // Object storage (where the spec says it is): the backup uploads each dump, and the restore's
  // download step fetches one when the operator picks `source: object-storage`.
  for (const from of target ? [backupPod, restorePod] : []) {
    for (const rule of target!.egress) {
      ctx.registerExternalFlow({ from, name: 'object-storage', cidr: rule.cidr, except: rule.except, ports: [{ port: rule.port, protocol: rule.protocol }] });
    }
  }
  // A backup or restore pod runs at most once at a time; quota sums count it at its maximum.
  for (const pod of [backupPod, restorePod]) {
    ctx.registerWorkload({
      ...pod,
      kind: 'CronJob',
      replicas: { min: 0, max: 1 },
      podResources: backup.podResources,
      images: backup.images,
      // The backup job writes the dumps' volume; the restore job only reads it.
      sharedClaimNames: pod === backupPod ? [backup.claimName] : undefined,
    });
  }
  return backup;
}
