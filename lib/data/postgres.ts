import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeObject } from '../core/kube-object';
import { recommendedLabels, selectorLabels, versionFromImage, type ComponentIdentity } from '../core/labels';
import { isDns1035Label } from '../core/names';
import { formatBytes, parseQuantity } from '../core/quantity';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/security';
import {
  checkResources, claimTemplate, clientService, containerResources, contentHash, execProbe, headlessService, httpProbe,
  preferApartFrom, secretEnv, sumResources, type StoreEnvVar, type StoreResources,
} from './store-pod';

/** The official image, pinned; `pg_dump` in backups uses the same one so it is never older than the server. */
export const POSTGRES_IMAGE = 'postgres:16.15-bookworm';
/** prometheus-community/postgres_exporter, pinned. */
export const POSTGRES_EXPORTER_IMAGE = 'prometheuscommunity/postgres-exporter:v0.20.0';
/** The `postgres` user of the official Debian image. */
export const POSTGRES_UID = 999;
/** The exporter image runs as `nobody`. */
const EXPORTER_UID = 65534;
const PORT = 5432;
const METRICS_PORT = 9187;
const DATA_DIR = '/var/lib/postgresql/data';
const SECRETS_DIR = '/run/secrets/postgres';
const MONITORING_SECRETS_DIR = '/run/secrets/postgres-monitoring';

/** The suffixes of the connection variables a client gets, after its prefix (`POSTGRES_HOST`, ...). */
export const POSTGRES_CLIENT_ENV = ['HOST', 'PORT', 'DATABASE', 'USER', 'PASSWORD'] as const;

/** Where a role's credentials live: a Secret created outside Stackwright (ExternalSecret, SealedSecret or by hand). */
export interface PostgresCredentials {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Key holding the role's name. @default 'username' */
  readonly usernameKey?: string;
  /** Key holding the password. @default 'password' */
  readonly passwordKey?: string;
}

/** Server settings written to `postgresql.conf`; memory sizes as Kubernetes quantities (`512Mi`). */
export interface PostgresSettings {
  /** `shared_buffers`. @default '128Mi' */
  readonly sharedBuffers?: string;
  /** `effective_cache_size`: the planner's estimate of the cache available. @default '384Mi' */
  readonly effectiveCacheSize?: string;
  /** `work_mem` per sort or hash operation. @default '4Mi' */
  readonly workMem?: string;
  /** `maintenance_work_mem` for VACUUM and index builds. @default '64Mi' */
  readonly maintenanceWorkMem?: string;
  /** `max_connections`. @default 100 */
  readonly maxConnections?: number;
  /** Further settings, written as given (strings are quoted). @default none */
  readonly parameters?: Readonly<Record<string, string | number | boolean>>;
}

export interface PostgresProps {
  /** Name of the StatefulSet, client Service, ConfigMap and ServiceAccount. @default the construct id */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** Server image. @default {@link POSTGRES_IMAGE} */
  readonly image?: string;
  /** Exporter sidecar image. @default {@link POSTGRES_EXPORTER_IMAGE} */
  readonly exporterImage?: string;
  /** Database the image creates on first start, and the one clients use. @default 'app' */
  readonly database?: string;
  /** The superuser initdb creates on first start (server, roles Job, backups). @default Secret `<name>-credentials`, keys `username` and `password` */
  readonly credentials?: PostgresCredentials;
  /** The application role clients connect as; {@link PostgresRoles} creates it. @default Secret `<name>-app-credentials`, keys `username` and `password` */
  readonly appCredentials?: PostgresCredentials;
  /** The `pg_monitor` role the exporter connects as; {@link PostgresRoles} creates it. @default Secret `<name>-monitoring-credentials`, keys `username` and `password` */
  readonly monitoringCredentials?: PostgresCredentials;
  /** Size of the data volume. @default '10Gi' */
  readonly storageSize?: string;
  /** StorageClass of the data volume. @default the cluster's default class */
  readonly storageClassName?: string;
  /** Server container resources. @default 250m/512Mi requested, 1/1Gi limit */
  readonly resources?: StoreResources;
  /** Exporter container resources. @default 25m/32Mi requested, 100m/64Mi limit */
  readonly exporterResources?: StoreResources;
  /** Server settings. @default see {@link PostgresSettings} */
  readonly settings?: PostgresSettings;
  /** Memory-backed `/dev/shm` for parallel queries (the container default is 64Mi). @default '256Mi' */
  readonly sharedMemorySize?: string;
  /** Seconds between the fast shutdown and SIGKILL. @default 60 */
  readonly terminationGracePeriodSeconds?: number;
  /** Pods to keep off this one's node, preferably. @default none */
  readonly apartFrom?: k8s.LabelSelector;
  /** PriorityClass of the pod, e.g. one that outranks the apps needing the store. @default none */
  readonly priorityClassName?: string;
}

const DEFAULT_RESOURCES: StoreResources = { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };
const DEFAULT_EXPORTER_RESOURCES: StoreResources = { requests: { cpu: '25m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
// Settings Stackwright owns: the pod's ports, socket and log routing depend on them.
const MANAGED = ['listen_addresses', 'port', 'unix_socket_directories', 'data_directory', 'hba_file', 'logging_collector', 'log_destination'];

/**
 * A single PostgreSQL server as a StatefulSet of one: the official image, a data volume from a claim
 * template, a headless Service for the pod's identity and a client Service, `postgresql.conf` from a
 * ConfigMap, credentials read from a referenced Secret (mounted as files, never in the pod spec),
 * the postgres_exporter sidecar on a named `metrics` port, `pg_isready` probes, restricted Pod
 * Security as the image's own `postgres` user (uid 999) on a read-only root, and a fast shutdown
 * on termination.
 *
 * Three roles, each from its own Secret: the superuser (initdb's; only the server, the roles Job and
 * backups use it), the application role clients get from {@link clientEnv}, and the exporter's
 * `pg_monitor` role. The last two are created and kept in step by {@link PostgresRoles}, which
 * must accompany the server.
 *
 * One replica: a second pod of the official image would be an independent, empty database, not a
 * replica. Replication and failover need an operator (e.g. CloudNativePG).
 */
export class Postgres extends Construct {
  public readonly name: string;
  public readonly identity: ComponentIdentity;
  /** The StatefulSet, as final JSON. */
  public readonly statefulSet: KubeObject<k8s.KubeStatefulSetProps>;
  /** DNS name of the client Service. */
  public readonly serviceName: string;
  public readonly headlessServiceName: string;
  public readonly port = PORT;
  public readonly metricsPort = { name: 'metrics', port: METRICS_PORT, path: '/metrics' } as const;
  public readonly database: string;
  /** The superuser's Secret. */
  public readonly credentials: Required<PostgresCredentials>;
  /** The application role's Secret: what clients connect as. */
  public readonly appCredentials: Required<PostgresCredentials>;
  /** The monitoring role's Secret: what the exporter connects as. */
  public readonly monitoringCredentials: Required<PostgresCredentials>;
  public readonly image: string;
  public readonly exporterImage: string;
  /** Requests and limits of one pod (server and exporter). */
  public readonly podResources: StoreResources;
  /** The rendered `postgresql.conf`. */
  public readonly config: string;

  constructor(scope: Construct, id: string, props: PostgresProps = {}) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1035Label(this.name) || this.name.length > 40) {
      throw new Error(`postgres name "${this.name}" must be a DNS-1035 label of at most 40 characters (it names Services)`);
    }
    this.database = props.database ?? 'app';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.database)) {
      throw new Error(`${this.name}: database "${this.database}" must be a lowercase PostgreSQL identifier (letters, digits, "_", at most 63)`);
    }
    this.image = props.image ?? POSTGRES_IMAGE;
    this.exporterImage = props.exporterImage ?? POSTGRES_EXPORTER_IMAGE;
    const secret = (given: PostgresCredentials | undefined, fallback: string): Required<PostgresCredentials> => ({
      secretName: given?.secretName ?? fallback,
      usernameKey: given?.usernameKey ?? 'username',
      passwordKey: given?.passwordKey ?? 'password',
    });
    this.credentials = secret(props.credentials, `${this.name}-credentials`);
    this.appCredentials = secret(props.appCredentials, `${this.name}-app-credentials`);
    this.monitoringCredentials = secret(props.monitoringCredentials, `${this.name}-monitoring-credentials`);
    const secrets = [this.credentials.secretName, this.appCredentials.secretName, this.monitoringCredentials.secretName];
    if (new Set(secrets).size !== 3) {
      throw new Error(`${this.name}: the superuser, application and monitoring roles need three different Secrets; received ${secrets.join(', ')}`);
    }
    const resources = props.resources ?? DEFAULT_RESOURCES;
    const exporterResources = props.exporterResources ?? DEFAULT_EXPORTER_RESOURCES;
    checkResources(this.name, 'postgres', resources);
    checkResources(this.name, 'exporter', exporterResources);
    this.podResources = sumResources(resources, exporterResources);
    this.config = renderConfig(this.name, props.settings ?? {}, resources.limits.memory);
    this.serviceName = this.name;
    this.headlessServiceName = `${this.name}-headless`;

    this.identity = {
      name: this.name,
      instance: props.instance ?? this.name,
      component: 'database',
      partOf: props.partOf ?? this.name,
      version: versionFromImage(this.image),
    };
    const labels = recommendedLabels(this.identity);
    const selector = this.selector;
    const runAs = { user: POSTGRES_UID, group: POSTGRES_UID, fsGroup: POSTGRES_UID };

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: this.name, labels }, automountServiceAccountToken: false });
    new k8s.KubeConfigMap(this, 'config', { metadata: { name: `${this.name}-config`, labels }, data: { 'postgresql.conf': this.config } });
    headlessService(this, this.headlessServiceName, labels, selector, { name: 'postgres', port: PORT });
    clientService(this, this.serviceName, labels, selector, [{ name: 'postgres', port: PORT }, { name: 'metrics', port: METRICS_PORT }]);

    const pgIsReady = ['pg_isready', '--host=127.0.0.1', `--port=${PORT}`, '--timeout=3'];
    const server: k8s.Container = {
      name: 'postgres',
      image: this.image,
      imagePullPolicy: 'IfNotPresent',
      args: ['postgres', '-c', 'config_file=/etc/postgresql/postgresql.conf'],
      ports: [{ name: 'postgres', containerPort: PORT, protocol: 'TCP' }],
      env: [
        // The image reads `*_FILE` variables, so the values stay in the mounted Secret.
        { name: 'POSTGRES_USER_FILE', value: `${SECRETS_DIR}/${this.credentials.usernameKey}` },
        { name: 'POSTGRES_PASSWORD_FILE', value: `${SECRETS_DIR}/${this.credentials.passwordKey}` },
        { name: 'POSTGRES_DB', value: this.database },
        // A subdirectory: the volume root holds lost+found, which initdb refuses.
        { name: 'PGDATA', value: `${DATA_DIR}/pgdata` },
      ],
      resources: containerResources(resources),
      // initdb on first start and crash recovery after an unclean stop can take minutes.
      startupProbe: execProbe(pgIsReady, { periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 120 }),
      readinessProbe: execProbe(pgIsReady, { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }),
      livenessProbe: execProbe(pgIsReady, { periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 }),
      // Kubernetes sends SIGTERM, which PostgreSQL treats as a smart shutdown that waits for every
      // client to leave; a fast shutdown rolls back open transactions and stops cleanly instead.
      lifecycle: { preStop: { exec: { command: ['pg_ctl', 'stop', `--pgdata=${DATA_DIR}/pgdata`, '--mode=fast', '--wait', '--timeout=50'] } } },
      securityContext: restrictedContainerSecurityContext(runAs),
      volumeMounts: [
        { name: 'data', mountPath: DATA_DIR },
        { name: 'config', mountPath: '/etc/postgresql', readOnly: true },
        { name: 'credentials', mountPath: SECRETS_DIR, readOnly: true },
        { name: 'run', mountPath: '/var/run/postgresql' },
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'shm', mountPath: '/dev/shm' },
      ],
      terminationMessagePolicy: 'FallbackToLogsOnError',
    };
    const exporter: k8s.Container = {
      name: 'exporter',
      image: this.exporterImage,
      imagePullPolicy: 'IfNotPresent',
      args: [`--web.listen-address=:${METRICS_PORT}`, '--web.telemetry-path=/metrics'],
      ports: [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
      // As the pg_monitor role: statistics, no data, never the superuser.
      env: [
        { name: 'DATA_SOURCE_URI', value: `127.0.0.1:${PORT}/${this.database}?sslmode=disable` },
        { name: 'DATA_SOURCE_USER_FILE', value: `${MONITORING_SECRETS_DIR}/${this.monitoringCredentials.usernameKey}` },
        { name: 'DATA_SOURCE_PASS_FILE', value: `${MONITORING_SECRETS_DIR}/${this.monitoringCredentials.passwordKey}` },
      ],
      resources: containerResources(exporterResources),
      // Like every container: liveness starts counting only once the exporter has come up (a minute at most).
      startupProbe: httpProbe('/', 'metrics', { periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 30 }),
      readinessProbe: httpProbe('/', 'metrics', { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 }),
      livenessProbe: httpProbe('/', 'metrics', { periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 }),
      securityContext: restrictedContainerSecurityContext({ user: EXPORTER_UID, group: EXPORTER_UID }),
      volumeMounts: [{ name: 'monitoring-credentials', mountPath: MONITORING_SECRETS_DIR, readOnly: true }],
      terminationMessagePolicy: 'FallbackToLogsOnError',
    };

    this.statefulSet = new KubeObject(this, 'statefulset', k8s.KubeStatefulSet.GVK, k8s.toJson_KubeStatefulSetProps, {
      metadata: { name: this.name, labels },
      spec: {
        serviceName: this.headlessServiceName,
        replicas: 1,
        selector: { matchLabels: selector },
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        revisionHistoryLimit: 5,
        // Deleting or scaling the StatefulSet never deletes the database's volume.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels, annotations: { 'stackwright.dev/config-hash': contentHash(this.config) } },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(runAs),
            terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 60,
            affinity: props.apartFrom ? preferApartFrom(props.apartFrom) : undefined,
            priorityClassName: props.priorityClassName,
            containers: [server, exporter],
            volumes: [
              { name: 'config', configMap: { name: `${this.name}-config` } },
              // 0440 (owner root, group the fsGroup): readable through fsGroup by the container that mounts it.
              // The superuser's Secret is mounted by the server only, the monitoring role's by the exporter only.
              { name: 'credentials', secret: { secretName: this.credentials.secretName, defaultMode: 0o440 } },
              { name: 'monitoring-credentials', secret: { secretName: this.monitoringCredentials.secretName, defaultMode: 0o440 } },
              { name: 'run', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
              { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString(props.sharedMemorySize ?? '256Mi') } },
            ],
          },
        },
        volumeClaimTemplates: [claimTemplate('data', labels, props.storageSize ?? '10Gi', props.storageClassName)],
      },
    });
  }

  /** The stable labels that select the server pod. */
  public get selector(): Record<string, string> {
    return selectorLabels(this.identity);
  }

  /**
   * Connection settings for a client container: host, port and database as values, user and
   * password as `secretKeyRef`s to the application role's Secret (never the superuser's), each
   * name prefixed (`POSTGRES_HOST`).
   */
  public clientEnv(prefix = 'POSTGRES'): StoreEnvVar[] {
    return [
      { name: `${prefix}_HOST`, value: this.serviceName },
      { name: `${prefix}_PORT`, value: String(PORT) },
      { name: `${prefix}_DATABASE`, value: this.database },
      secretEnv(`${prefix}_USER`, this.appCredentials.secretName, this.appCredentials.usernameKey),
      secretEnv(`${prefix}_PASSWORD`, this.appCredentials.secretName, this.appCredentials.passwordKey),
    ];
  }
}

/** PostgreSQL memory units are powers of 1024 (`MB` = 1024 kB), so `512Mi` is `512MB`. */
function pgMemory(owner: string, field: string, quantity: string): string {
  const bytes = parseQuantity(quantity);
  if (!Number.isInteger(bytes) || bytes < 1024 || bytes % 1024 !== 0) {
    throw new Error(`${owner}: ${field} must be a whole number of KiB (e.g. "64Mi"); received "${quantity}"`);
  }
  const text = formatBytes(bytes);
  return text.replace(/Ki$/, 'kB').replace(/Mi$/, 'MB').replace(/Gi$/, 'GB').replace(/Ti$/, 'TB');
}

function renderConfig(owner: string, s: PostgresSettings, memoryLimit: string): string {
  const sharedBuffers = s.sharedBuffers ?? '128Mi';
  const maxConnections = s.maxConnections ?? 100;
  if (!Number.isInteger(maxConnections) || maxConnections < 10 || maxConnections > 10000) {
    throw new Error(`${owner}: maxConnections must be a whole number from 10 to 10000; received ${maxConnections}`);
  }
  // shared_buffers is allocated up front; above half the limit, backends' own memory gets the pod OOM-killed.
  if (parseQuantity(sharedBuffers) > parseQuantity(memoryLimit) / 2) {
    throw new Error(`${owner}: sharedBuffers ${sharedBuffers} exceeds half the memory limit ${memoryLimit}`);
  }
  const lines: [string, string | number][] = [
    ['listen_addresses', `'*'`],
    ['port', PORT],
    ['unix_socket_directories', `'/var/run/postgresql'`],
    ['max_connections', maxConnections],
    ['shared_buffers', pgMemory(owner, 'sharedBuffers', sharedBuffers)],
    ['effective_cache_size', pgMemory(owner, 'effectiveCacheSize', s.effectiveCacheSize ?? '384Mi')],
    ['work_mem', pgMemory(owner, 'workMem', s.workMem ?? '4Mi')],
    ['maintenance_work_mem', pgMemory(owner, 'maintenanceWorkMem', s.maintenanceWorkMem ?? '64Mi')],
    ['dynamic_shared_memory_type', 'posix'],
    ['password_encryption', `'scram-sha-256'`],
    ['wal_level', 'replica'],
    ['max_wal_size', '1GB'],
    ['min_wal_size', '80MB'],
    ['checkpoint_completion_target', 0.9],
    ['logging_collector', 'off'],
    ['log_destination', `'stderr'`],
    ['log_line_prefix', `'%m [%p] %q%u@%d '`],
    ['log_timezone', `'UTC'`],
    ['timezone', `'UTC'`],
    ['datestyle', `'iso, mdy'`],
    ['default_text_search_config', `'pg_catalog.english'`],
  ];
  const extra = Object.entries(s.parameters ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, value] of extra) {
    if (!/^[a-z_][a-z0-9_.]*$/.test(key)) throw new Error(`${owner}: parameter name "${key}" is not a PostgreSQL setting name`);
    if (MANAGED.includes(key) || lines.some(([k]) => k === key)) {
      throw new Error(`${owner}: parameter "${key}" is set by Stackwright${MANAGED.includes(key) ? '' : ' from a typed setting; use that setting instead'}`);
    }
    lines.push([key, typeof value === 'string' ? `'${value.replace(/'/g, "''")}'` : typeof value === 'boolean' ? (value ? 'on' : 'off') : value]);
  }
  return `# postgresql.conf rendered by Stackwright; change the platform spec, not this file.\n${lines.map(([k, v]) => `${k} = ${v}`).join('\n')}\n`;
}
