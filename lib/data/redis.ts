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

/** The official image, pinned. */
export const REDIS_IMAGE = 'redis:7.4.10-bookworm';
/** oliver006/redis_exporter, pinned. */
export const REDIS_EXPORTER_IMAGE = 'oliver006/redis_exporter:v1.90.0';
/** The `redis` user of the official Debian image. */
export const REDIS_UID = 999;
/** The exporter image's own user. */
const EXPORTER_UID = 59000;
const PORT = 6379;
const METRICS_PORT = 9121;
const SECRETS_DIR = '/run/secrets/redis';

/**
 * Starts redis-server with `requirepass` on stdin (`-` as the last argument makes Redis read more
 * configuration there, after the file), from the mounted Secret, quoted for redis.conf (backslashes,
 * double quotes and newlines escaped). `printf` is a shell builtin and sed reads the password on stdin, so
 * it is never any process's argument; `exec` leaves redis-server as PID 1, to receive SIGTERM.
 */
export const REDIS_START_SCRIPT = [
  'set -eu',
  "# The official entrypoint's umask: files on the data volume readable by the redis user only.",
  'umask 0077',
  '# Every byte of the Secret, a trailing newline included: clients get the same value through secretKeyRef.',
  'password="$(cat "$REDIS_PASSWORD_FILE"; printf x)"',
  'password="${password%x}"',
  `quoted="$(printf '%s' "$password" | sed -z -e 's/\\\\/\\\\\\\\/g' -e 's/"/\\\\"/g' -e 's/\\n/\\\\n/g')"`,
  'exec redis-server /etc/redis/redis.conf - <<EOF',
  'requirepass "$quoted"',
  'EOF',
  '',
].join('\n');

/** The suffixes of the connection variables a client gets, after its prefix (`REDIS_HOST`, ...). */
export const REDIS_CLIENT_ENV = ['HOST', 'PORT', 'PASSWORD'] as const;

/** Eviction when `maxmemory` is reached. */
export type MaxMemoryPolicy = 'allkeys-lru' | 'allkeys-lfu' | 'volatile-lru' | 'volatile-lfu' | 'volatile-ttl' | 'noeviction';

/** Where the password lives: a Secret created outside Stackwright. */
export interface RedisCredentials {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Key holding the password. @default 'password' */
  readonly passwordKey?: string;
}

export interface RedisProps {
  /** Name of the StatefulSet, client Service, ConfigMap and ServiceAccount. @default the construct id */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** Server image. @default {@link REDIS_IMAGE} */
  readonly image?: string;
  /** Exporter sidecar image. @default {@link REDIS_EXPORTER_IMAGE} */
  readonly exporterImage?: string;
  /** Password by Secret reference. @default Secret `<name>-credentials`, key `password` */
  readonly credentials?: RedisCredentials;
  /** Size of the data volume (AOF and RDB files). @default '5Gi' */
  readonly storageSize?: string;
  /** StorageClass of the data volume. @default the cluster's default class */
  readonly storageClassName?: string;
  /** Server container resources. @default 100m/256Mi requested, 500m/256Mi limit */
  readonly resources?: StoreResources;
  /** Exporter container resources. @default 25m/32Mi requested, 100m/64Mi limit */
  readonly exporterResources?: StoreResources;
  /** `maxmemory`, as a quantity; at most 75% of the memory limit, leaving room for the AOF rewrite fork. @default 75% of the memory limit */
  readonly maxMemory?: string;
  /** `maxmemory-policy`. @default 'allkeys-lru' */
  readonly maxMemoryPolicy?: MaxMemoryPolicy;
  /** `appendfsync`: how often the append-only file reaches the disk. @default 'everysec' */
  readonly appendFsync?: 'always' | 'everysec' | 'no';
  /** Pods to keep off this one's node, preferably. @default none */
  readonly apartFrom?: k8s.LabelSelector;
  /** PriorityClass of the pod, e.g. one that outranks the apps needing the store. @default none */
  readonly priorityClassName?: string;
}

const DEFAULT_RESOURCES: StoreResources = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
const DEFAULT_EXPORTER_RESOURCES: StoreResources = { requests: { cpu: '25m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } };

/**
 * A single Redis server as a StatefulSet of one: the official image, AOF persistence on a volume
 * from a claim template, `maxmemory` with an eviction policy, the password from a referenced
 * Secret, the redis_exporter sidecar on a named `metrics` port, `redis-cli ping` probes, and
 * restricted Pod Security as the image's own `redis` user (uid 999) on a read-only root.
 *
 * One replica: more pods would be independent caches behind one Service; replication with
 * failover needs Sentinel or an operator.
 */
export class Redis extends Construct {
  public readonly name: string;
  public readonly identity: ComponentIdentity;
  /** The StatefulSet, as final JSON. */
  public readonly statefulSet: KubeObject<k8s.KubeStatefulSetProps>;
  /** DNS name of the client Service. */
  public readonly serviceName: string;
  public readonly headlessServiceName: string;
  public readonly port = PORT;
  public readonly metricsPort = { name: 'metrics', port: METRICS_PORT, path: '/metrics' } as const;
  public readonly credentials: Required<RedisCredentials>;
  public readonly image: string;
  public readonly exporterImage: string;
  /** Requests and limits of one pod (server and exporter). */
  public readonly podResources: StoreResources;
  /** The rendered `redis.conf`. */
  public readonly config: string;

  constructor(scope: Construct, id: string, props: RedisProps = {}) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1035Label(this.name) || this.name.length > 40) {
      throw new Error(`redis name "${this.name}" must be a DNS-1035 label of at most 40 characters (it names Services)`);
    }
    this.image = props.image ?? REDIS_IMAGE;
    this.exporterImage = props.exporterImage ?? REDIS_EXPORTER_IMAGE;
    this.credentials = {
      secretName: props.credentials?.secretName ?? `${this.name}-credentials`,
      passwordKey: props.credentials?.passwordKey ?? 'password',
    };
    const resources = props.resources ?? DEFAULT_RESOURCES;
    const exporterResources = props.exporterResources ?? DEFAULT_EXPORTER_RESOURCES;
    checkResources(this.name, 'redis', resources);
    checkResources(this.name, 'exporter', exporterResources);
    this.podResources = sumResources(resources, exporterResources);

    const limit = parseQuantity(resources.limits.memory);
    const maxMemory = props.maxMemory !== undefined ? parseQuantity(props.maxMemory) : Math.floor((limit * 0.75) / 2 ** 20) * 2 ** 20;
    // The AOF rewrite forks the server; copy-on-write pages need headroom above maxmemory.
    if (maxMemory > limit * 0.75) {
      throw new Error(`${this.name}: maxMemory ${props.maxMemory} exceeds 75% of the memory limit ${resources.limits.memory}; the AOF rewrite fork needs the rest`);
    }
    if (maxMemory < 2 ** 20) throw new Error(`${this.name}: maxMemory must be at least 1Mi; received ${props.maxMemory ?? formatBytes(maxMemory)}`);
    this.config = renderConfig(maxMemory, props.maxMemoryPolicy ?? 'allkeys-lru', props.appendFsync ?? 'everysec');
    this.serviceName = this.name;
    this.headlessServiceName = `${this.name}-headless`;

    this.identity = {
      name: this.name,
      instance: props.instance ?? this.name,
      component: 'cache',
      partOf: props.partOf ?? this.name,
      version: versionFromImage(this.image),
    };
    const labels = recommendedLabels(this.identity);
    const selector = this.selector;
    const runAs = { user: REDIS_UID, group: REDIS_UID, fsGroup: REDIS_UID };
    const password = secretEnv('REDIS_PASSWORD', this.credentials.secretName, this.credentials.passwordKey);

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: this.name, labels }, automountServiceAccountToken: false });
    new k8s.KubeConfigMap(this, 'config', { metadata: { name: `${this.name}-config`, labels }, data: { 'redis.conf': this.config } });
    headlessService(this, this.headlessServiceName, labels, selector, { name: 'redis', port: PORT });
    clientService(this, this.serviceName, labels, selector, [{ name: 'redis', port: PORT }, { name: 'metrics', port: METRICS_PORT }]);

    const ping = ['redis-cli', '-h', '127.0.0.1', '-p', String(PORT), 'ping'];
    const server: k8s.Container = {
      name: 'redis',
      image: this.image,
      imagePullPolicy: 'IfNotPresent',
      // The password goes to redis-server on stdin, read from the mounted Secret: never in its argv
      // (visible in `ps`, /proc/<pid>/cmdline and the runtime's container config).
      command: ['/bin/sh', '-c', REDIS_START_SCRIPT],
      ports: [{ name: 'redis', containerPort: PORT, protocol: 'TCP' }],
      env: [
        { name: 'REDIS_PASSWORD_FILE', value: `${SECRETS_DIR}/password` },
        // redis-cli in the probes authenticates from this variable, keeping the password off its command line.
        { name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: this.credentials.secretName, key: this.credentials.passwordKey } } },
      ],
      resources: containerResources(resources),
      // Loading a large append-only file on start can take minutes.
      startupProbe: execProbe(ping, { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 120 }),
      readinessProbe: execProbe(ping, { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 }),
      livenessProbe: execProbe(ping, { periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 6 }),
      securityContext: restrictedContainerSecurityContext(runAs),
      volumeMounts: [
        { name: 'data', mountPath: '/data' },
        { name: 'config', mountPath: '/etc/redis', readOnly: true },
        { name: 'credentials', mountPath: SECRETS_DIR, readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
      ],
      terminationMessagePolicy: 'FallbackToLogsOnError',
    };
    const exporter: k8s.Container = {
      name: 'exporter',
      image: this.exporterImage,
      imagePullPolicy: 'IfNotPresent',
      env: [
        { name: 'REDIS_ADDR', value: `redis://127.0.0.1:${PORT}` },
        password,
        { name: 'REDIS_EXPORTER_WEB_LISTEN_ADDRESS', value: `:${METRICS_PORT}` },
        { name: 'REDIS_EXPORTER_WEB_TELEMETRY_PATH', value: '/metrics' },
      ],
      ports: [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
      resources: containerResources(exporterResources),
      // Like every container: liveness starts counting only once the exporter has come up (a minute at most).
      startupProbe: httpProbe('/health', 'metrics', { periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 30 }),
      readinessProbe: httpProbe('/health', 'metrics', { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 }),
      livenessProbe: httpProbe('/health', 'metrics', { periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 }),
      securityContext: restrictedContainerSecurityContext({ user: EXPORTER_UID, group: EXPORTER_UID }),
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
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels, annotations: { 'stackwright.dev/config-hash': contentHash(this.config) } },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(runAs),
            // SIGTERM makes Redis fsync the append-only file and exit; give it time on a slow disk.
            terminationGracePeriodSeconds: 30,
            affinity: props.apartFrom ? preferApartFrom(props.apartFrom) : undefined,
            priorityClassName: props.priorityClassName,
            containers: [server, exporter],
            volumes: [
              { name: 'config', configMap: { name: `${this.name}-config` } },
              // 0440: readable by the redis user through fsGroup, by no one else; the exporter does not mount it.
              { name: 'credentials', secret: { secretName: this.credentials.secretName, items: [{ key: this.credentials.passwordKey, path: 'password' }], defaultMode: 0o440 } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
            ],
          },
        },
        volumeClaimTemplates: [claimTemplate('data', labels, props.storageSize ?? '5Gi', props.storageClassName)],
      },
    });
  }

  /** The stable labels that select the server pod. */
  public get selector(): Record<string, string> {
    return selectorLabels(this.identity);
  }

  /** Connection settings for a client container: host and port as values, the password as a `secretKeyRef`. */
  public clientEnv(prefix = 'REDIS'): StoreEnvVar[] {
    return [
      { name: `${prefix}_HOST`, value: this.serviceName },
      { name: `${prefix}_PORT`, value: String(PORT) },
      secretEnv(`${prefix}_PASSWORD`, this.credentials.secretName, this.credentials.passwordKey),
    ];
  }
}

/** Redis `mb`/`gb` units are powers of 1024 (`768mb` = 768 MiB). */
function redisBytes(bytes: number): string {
  const text = formatBytes(bytes);
  return /[KMG]i$/.test(text) ? text.replace(/Ki$/, 'kb').replace(/Mi$/, 'mb').replace(/Gi$/, 'gb') : String(bytes);
}

function renderConfig(maxMemory: number, policy: MaxMemoryPolicy, appendFsync: string): string {
  const lines: [string, string][] = [
    ['bind', '* -::*'],
    ['port', String(PORT)],
    ['protected-mode', 'yes'],
    ['tcp-keepalive', '300'],
    ['timeout', '0'],
    ['dir', '/data'],
    ['maxmemory', redisBytes(maxMemory)],
    ['maxmemory-policy', policy],
    ['appendonly', 'yes'],
    ['appendfilename', '"appendonly.aof"'],
    ['appenddirname', '"appendonlydir"'],
    ['appendfsync', appendFsync],
    ['aof-use-rdb-preamble', 'yes'],
    ['auto-aof-rewrite-percentage', '100'],
    ['auto-aof-rewrite-min-size', '64mb'],
    ['save', '3600 1 300 100 60 10000'],
    ['loglevel', 'notice'],
    ['logfile', '""'],
  ];
  return `# redis.conf rendered by Stackwright; change the platform spec, not this file.\n${lines.map(([k, v]) => `${k} ${v}`).join('\n')}\n`;
}
