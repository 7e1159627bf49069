import { CronExpressionParser } from 'cron-parser';
import * as z from 'zod';
import { vpaSchema } from './autoscaling';
import { isDns1123Subdomain } from '../core/names';
import { byteQuantity, componentName, pinnedImage, portNumber, positiveInt } from './primitives';
import { resourcesSchema } from './service';
import { exceptInsideCidr } from './traffic';

/** A Secret name (DNS-1123 subdomain). */
const secretName = z.string().refine(isDns1123Subdomain, { error: 'expected a Secret name: a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")' });
/** A key in a Secret. */
const secretKey = z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: 'expected a Secret key: letters, digits, "-", "_" and "."' });

/** A five-field cron expression as the CronJob controller reads it. */
export const cronSchedule = z.string().refine(
  (v) => {
    if (v.trim().split(/\s+/).length !== 5) return false;
    try {
      CronExpressionParser.parse(v);
      return true;
    } catch {
      return false;
    }
  },
  { error: 'expected a five-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 2 * * *"' },
);

/** An IANA time zone name such as "Etc/UTC" or "Europe/Berlin". */
export const timeZone = z.string().refine(
  (v) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: v });
      return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(v);
    } catch {
      return false;
    }
  },
  { error: 'expected an IANA time zone name such as "Etc/UTC" or "Europe/Berlin"' },
);

/** The disk classes Stackwright emits for cloud providers; local clusters use their default class. */
export const storageClassName = z.enum(['fast-ssd', 'standard']);

const storageSchema = z.strictObject({
  /** Size of the data volume; claim templates are immutable, so growing it later is a manual PVC expansion. */
  size: byteQuantity,
  /** `fast-ssd` or `standard`; defaults to `fast-ssd` on cloud providers and the cluster default on `local`. */
  storageClass: storageClassName.optional(),
});

const cidr = z.string().refine((v) => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
  return m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}, { error: 'expected an IPv4 CIDR such as "52.216.0.0/15"' });

/** A destination outside the cluster that backup and restore pods must reach; network policies admit exactly these. */
export const egressRuleSchema = z.strictObject({
  cidr,
  /** Sub-networks of `cidr` that stay unreachable (the cluster's own networks are excepted anyway, see `cluster.podCidrs`). */
  except: z.array(cidr).default([]),
  port: portNumber,
  protocol: z.enum(['TCP', 'UDP']).default('TCP'),
}).superRefine(exceptInsideCidr);

const objectStorageSchema = z.strictObject({
  /** Bucket that receives a copy of each dump (retention there is the bucket's lifecycle rule). */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'expected an S3 bucket name: 3–63 lowercase letters, digits, "." and "-"' }),
  /** Key prefix, ending in "/". */
  prefix: z.string().regex(/^([\w.-]+\/)*$/, { error: 'expected a key prefix of path segments each ending in "/", e.g. "atlas/prod/"' }).default(''),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'expected an AWS region such as "eu-central-1"' }),
  /** Endpoint of an S3-compatible store; absent means AWS S3. */
  endpoint: z.url({ protocol: /^https$/, error: 'expected an https:// URL' }).optional(),
  /** Access keys by Secret reference; absent means the pod's workload identity (see serviceAccountAnnotations). */
  credentials: z
    .strictObject({
      secretName,
      accessKeyIdKey: secretKey.default('access-key-id'),
      secretAccessKeyKey: secretKey.default('secret-access-key'),
    })
    .optional(),
  /** Annotations for the backup ServiceAccount, e.g. `eks.amazonaws.com/role-arn` for IRSA. */
  serviceAccountAnnotations: z.record(z.string(), z.string()).default({}),
  /** Where the object store is, for the egress network policy of the backup pods and the restore pods (which can download from it). */
  egress: z.array(egressRuleSchema).min(1),
});

const backupSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** When the dump runs, in `timeZone`. */
  schedule: cronSchedule.default('0 2 * * *'),
  timeZone: timeZone.default('Etc/UTC'),
  /** Days a dump is kept on the backup volume. */
  retentionDays: positiveInt.max(365).default(7),
  storage: z
    .strictObject({
      size: byteQuantity.default('20Gi'),
      /** Defaults to `standard` on cloud providers and the cluster default on `local`. */
      storageClass: storageClassName.optional(),
    })
    .prefault({}),
  objectStorage: objectStorageSchema.optional(),
  resources: resourcesSchema.default({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } }),
});

/** Tuning written to postgresql.conf; memory as Kubernetes quantities (512Mi becomes 512MB). */
const postgresTuningSchema = z.strictObject({
  sharedBuffers: byteQuantity.default('128Mi'),
  effectiveCacheSize: byteQuantity.default('384Mi'),
  workMem: byteQuantity.default('4Mi'),
  maintenanceWorkMem: byteQuantity.default('64Mi'),
  maxConnections: z.number().int().min(10).max(10000).default(100),
  /** Further settings, by their postgresql.conf names. */
  parameters: z.record(z.string().regex(/^[a-z_][a-z0-9_.]*$/, { error: 'expected a postgresql.conf setting name' }), z.union([z.string(), z.number(), z.boolean()])).default({}),
});

/** A Secret holding a PostgreSQL role's user name and password. */
const credentialsRef = z.strictObject({ secretName: secretName.optional(), usernameKey: secretKey.default('username'), passwordKey: secretKey.default('password') });

const envPrefix = z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: 'expected an upper-case environment variable prefix such as "POSTGRES"' });

export const postgresSchema = z.strictObject({
  /** Name of the StatefulSet and the client Service; what services list in `dependsOn`. */
  name: componentName,
  /** Server image; absent means the pinned default (PostgreSQL 16). */
  image: pinnedImage.optional(),
  /** Database created on first start and used by clients. */
  database: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'expected a lowercase PostgreSQL identifier: letters, digits and "_", at most 63' }),
  storage: storageSchema,
  resources: resourcesSchema.default({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
  tuning: postgresTuningSchema.prefault({}),
  /**
   * The Secret holding the superuser credentials (initdb's user: the server, the roles Job, backups
   * and restores use it, no service does), created outside Stackwright (ExternalSecret, SealedSecret
   * or `kubectl create secret`). Defaults: `<name>-credentials`, keys `username`, `password`.
   */
  credentials: credentialsRef.prefault({}),
  /**
   * The application role services connect as: it owns `database` and what is in it, and nothing
   * more (no superuser, CREATEROLE or BYPASSRLS). Defaults: `<name>-app-credentials`, keys `username`, `password`.
   */
  appCredentials: credentialsRef.prefault({}),
  /** The monitoring role (`pg_monitor`) the exporter connects as. Defaults: `<name>-monitoring-credentials`, keys `username`, `password`. */
  monitoringCredentials: credentialsRef.prefault({}),
  /** Prefix of the connection variables clients get; defaults to the upper-cased name (POSTGRES_HOST...). */
  envPrefix: envPrefix.optional(),
  backup: backupSchema.prefault({}),
  /** A VerticalPodAutoscaler for the store (needs `cluster.capabilities.vpa`): `Off` records recommendations, `Initial` applies them on restart. */
  vpa: vpaSchema.optional(),
});

export const redisSchema = z.strictObject({
  name: componentName,
  /** Server image; absent means the pinned default (Redis 7.4). */
  image: pinnedImage.optional(),
  storage: storageSchema,
  resources: resourcesSchema.default({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } }),
  /** `maxmemory`; at most 75% of the memory limit (the AOF rewrite fork needs the rest). */
  maxMemory: byteQuantity,
  maxMemoryPolicy: z.enum(['allkeys-lru', 'allkeys-lfu', 'volatile-lru', 'volatile-lfu', 'volatile-ttl', 'noeviction']).default('allkeys-lru'),
  appendFsync: z.enum(['always', 'everysec', 'no']).default('everysec'),
  /** The Secret holding the password. Defaults: `<name>-credentials`, key `password`. */
  credentials: z.strictObject({ secretName: secretName.optional(), passwordKey: secretKey.default('password') }).prefault({}),
  envPrefix: envPrefix.optional(),
  /** A VerticalPodAutoscaler for the store (needs `cluster.capabilities.vpa`): `Off` records recommendations, `Initial` applies them on restart. */
  vpa: vpaSchema.optional(),
});

/** The platform's databases and caches; services use one by naming it in `dependsOn`. */
export const dataStoresSchema = z.strictObject({
  postgres: z.array(postgresSchema).default([]),
  redis: z.array(redisSchema).default([]),
});

export type PostgresStoreSpec = z.output<typeof postgresSchema>;
export type RedisStoreSpec = z.output<typeof redisSchema>;
export type EgressRuleSpec = z.output<typeof egressRuleSchema>;


/** The Secret a store's credentials are read from: the one named, or `<name>-credentials`. */
export function storeSecretName(store: { readonly name: string; readonly credentials: { readonly secretName?: string } }): string {
  return store.credentials.secretName ?? `${store.name}-credentials`;
}

/** The Secrets of a PostgreSQL store's three roles: superuser, application and monitoring (named, or `<name>-credentials`, `<name>-app-credentials`, `<name>-monitoring-credentials`). */
export function postgresSecretNames(store: Pick<PostgresStoreSpec, 'name' | 'credentials' | 'appCredentials' | 'monitoringCredentials'>): { superuser: string; app: string; monitoring: string } {
  return {
    superuser: storeSecretName(store),
    app: store.appCredentials.secretName ?? `${store.name}-app-credentials`,
    monitoring: store.monitoringCredentials.secretName ?? `${store.name}-monitoring-credentials`,
  };
}

/** The prefix of a store's client variables: the one named, or the upper-cased name (`analytics-db` → `ANALYTICS_DB`). */
export function storeEnvPrefix(store: { readonly name: string; readonly envPrefix?: string }): string {
  return store.envPrefix ?? store.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
