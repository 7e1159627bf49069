import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeObject } from '../core/kube-object';
import { recommendedLabels, selectorLabels, versionFromImage, type ComponentIdentity } from '../core/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/security';
import { POSTGRES_UID, type Postgres } from './postgres';
import { checkResources, containerResources, secretEnv, type StoreEnvVar, type StoreResources } from './store-pod';

/** AWS CLI v2, pinned, for copies to S3 or an S3-compatible store. */
export const AWS_CLI_IMAGE = 'amazon/aws-cli:2.32.8';
const BACKUP_DIR = '/backups';
// February 31st never comes: the restore CronJob exists only to be triggered by hand.
const NEVER = '0 0 31 2 *';

/** An S3 (or S3-compatible) bucket that receives a copy of every dump. */
export interface ObjectStorageTarget {
  /** Bucket name. */
  readonly bucket: string;
  /** Key prefix, e.g. `atlas/prod/postgres/`. @default '' */
  readonly prefix?: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Endpoint of an S3-compatible store (MinIO, R2, GCS interoperability). @default AWS S3 */
  readonly endpoint?: string;
  /** Access keys by Secret reference. @default none: the pod's workload identity (e.g. IRSA on the ServiceAccount) */
  readonly credentials?: { readonly secretName: string; readonly accessKeyIdKey?: string; readonly secretAccessKeyKey?: string };
  /** Annotations for the backup ServiceAccount, e.g. `eks.amazonaws.com/role-arn`. @default none */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
}

export interface PostgresBackupProps {
  /** The server to dump. */
  readonly postgres: Postgres;
  /** Cron schedule of the backup (five fields). @default '0 2 * * *' (02:00 daily) */
  readonly schedule?: string;
  /** IANA time zone the schedule is in. @default 'Etc/UTC' */
  readonly timeZone?: string;
  /** Days a dump is kept on the backup volume. @default 7 */
  readonly retentionDays?: number;
  /** Size of the backup volume. @default '20Gi' */
  readonly storageSize?: string;
  /** StorageClass of the backup volume. @default the cluster's default class */
  readonly storageClassName?: string;
  /** Also copy each dump to object storage. @default the volume only */
  readonly objectStorage?: ObjectStorageTarget;
  /** Resources of each backup and restore container. @default 100m/256Mi requested, 1/512Mi limit */
  readonly resources?: StoreResources;
  /** Seconds a backup or restore may run before it is stopped. @default 3600 */
  readonly activeDeadlineSeconds?: number;
  /** Appended to the object names to form `app.kubernetes.io/instance`, e.g. `-prod`. @default '' */
  readonly instanceSuffix?: string;
  /** `app.kubernetes.io/part-of`. @default the server's */
  readonly partOf?: string;
  /** Image of the object storage copy. @default {@link AWS_CLI_IMAGE} */
  readonly awsCliImage?: string;
}

const DEFAULT_RESOURCES: StoreResources = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };

/**
 * Who owns a writer's replica count, which decides how it is stopped for a restore and started
 * again: a plain `kubectl scale` is undone within one polling interval by KEDA, so each owner has
 * its own documented pause.
 */
export class WriterScaling {
  /** A fixed replica count: scaled to zero, then back to it. */
  public static replicas(count: number): WriterScaling {
    if (!Number.isInteger(count) || count < 0) throw new Error(`replicas must be a whole number ≥ 0; received ${count}`);
    return new WriterScaling('replicas', count);
  }

  /**
   * An HPA: scaling the target to zero deactivates it until the target is scaled up again
   * (Kubernetes' "implicit maintenance-mode deactivation"; minReplicas cannot be 0 without the
   * HPAScaleToZero alpha gate), so it is scaled to zero, then back to the HPA's minimum.
   * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#implicit-maintenance-mode-deactivation
   */
  public static hpa(minReplicas: number): WriterScaling {
    if (!Number.isInteger(minReplicas) || minReplicas < 1) throw new Error(`an HPA's minReplicas must be a whole number ≥ 1; received ${minReplicas}`);
    return new WriterScaling('hpa', minReplicas);
  }

  /**
   * A KEDA ScaledObject: `autoscaling.keda.sh/paused-replicas: "0"` scales the target to zero and
   * keeps it there; removing the annotation hands the count back to KEDA.
   * @see https://keda.sh/docs/latest/concepts/scaling-deployments/#pause-autoscaling
   */
  public static keda(scaledObject: string): WriterScaling {
    return new WriterScaling('keda', 0, scaledObject);
  }

  private constructor(
    /** `replicas`, `hpa` or `keda`. */
    public readonly owner: 'replicas' | 'hpa' | 'keda',
    private readonly count: number,
    private readonly scaledObject?: string,
  ) {}

  /** The command that stops the workload's pods and keeps them stopped. */
  public quiesce(kubectl: string, resource: string): string {
    return this.owner === 'keda'
      ? `${kubectl} annotate scaledobject ${this.scaledObject} autoscaling.keda.sh/paused-replicas=0 --overwrite`
      : `${kubectl} scale ${resource} --replicas=0`;
  }

  /** The command that gives the replica count back to its owner. */
  public resume(kubectl: string, resource: string): string {
    return this.owner === 'keda'
      ? `${kubectl} annotate scaledobject ${this.scaledObject} autoscaling.keda.sh/paused-replicas-`
      : `${kubectl} scale ${resource} --replicas=${this.count}`;
  }
}

/** A workload that writes to the database: it is stopped while a restore runs. */
export interface DatabaseWriter {
  /** Workload name. */
  readonly name: string;
  /** Workload kind as kubectl names it. @default 'deployment' */
  readonly kind?: string;
  /** Labels selecting its pods, to wait until they are gone. */
  readonly selector: Readonly<Record<string, string>>;
  /** Who owns its replica count. */
  readonly scaling: WriterScaling;
  /** Its pods' grace period, how long they may take to go (the runbook says so). @default 30 */
  readonly terminationGracePeriodSeconds?: number;
}

/** A runbook as one shell script with a comment before each step, as the README shows it. */
export function renderRunbook(runbook: RestoreRunbook): string {
  return [
    '# 1. Stop every writer, each the way its replica count\'s owner allows, and the nightly backup:',
    ...runbook.quiesce,
    '# 2. Restore (the newest dump unless the ConfigMap names one) and wait; a failed restore changes nothing:',
    ...runbook.run,
    '# 3. Only after it completed: give the writers back to their owners, resume the backups.',
    ...runbook.resume,
  ].join('\n');
}

/** The operator's commands around a restore, in order. */
export interface RestoreRunbook {
  /** Stop the writers (and the nightly backup) and wait until their pods are gone. */
  readonly quiesce: readonly string[];
  /** Run the restore and wait for it. */
  readonly run: readonly string[];
  /** Start the writers and the backup again. */
  readonly resume: readonly string[];
}

/**
 * Nightly logical backups of a PostgreSQL database, and the way back:
 * - `<db>-backup`, a CronJob that writes a `pg_dump` custom-format archive to a backup volume,
 *   deletes dumps older than the retention, and optionally copies the new dump to object storage;
 * - `<db>-restore`, a suspended CronJob that never fires on its own, for an operator to run with
 *   `kubectl create job --from=cronjob/<db>-restore <db>-restore-$(date +%s)`: it restores the newest
 *   dump, or the one named in the optional ConfigMap `<db>-restore` (key `file`). Its annotations
 *   carry the runbook ({@link restoreRunbook}): the writers declared with {@link addWriter} are
 *   stopped first, each the way its replica owner allows, and started again after.
 * Both use the server's own image, so `pg_dump` is never older than the server.
 */
export class PostgresBackup extends Construct {
  public readonly name: string;
  public readonly restoreName: string;
  public readonly restoreInstance: string;
  public readonly identity: ComponentIdentity;
  public readonly backupJob: KubeObject<k8s.KubeCronJobProps>;
  public readonly restoreJob: KubeObject<k8s.KubeCronJobProps>;
  /** Name of the backup volume's claim. */
  public readonly claimName: string;
  public readonly schedule: string;
  public readonly timeZone: string;
  public readonly retentionDays: number;
  /** Seconds a backup or restore may run. */
  public readonly activeDeadlineSeconds: number;
  /** Requests and limits of one backup pod (containers, not init containers). */
  public readonly podResources: StoreResources;
  /** Images the backup and restore pods run. */
  public readonly images: readonly string[];
  private readonly writers: DatabaseWriter[] = [];

  constructor(scope: Construct, id: string, props: PostgresBackupProps) {
    super(scope, id);
    const pg = props.postgres;
    this.name = `${pg.name}-backup`;
    this.restoreName = `${pg.name}-restore`;
    this.claimName = `${pg.name}-backups`;
    this.restoreInstance = `${this.restoreName}${props.instanceSuffix ?? ''}`;
    this.schedule = props.schedule ?? '0 2 * * *';
    this.timeZone = props.timeZone ?? 'Etc/UTC';
    this.retentionDays = props.retentionDays ?? 7;
    if (this.schedule.trim().split(/\s+/).length !== 5) {
      throw new Error(`${this.name}: schedule must be a five-field cron expression such as "0 2 * * *"; received "${this.schedule}"`);
    }
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: this.timeZone });
    } catch {
      throw new Error(`${this.name}: timeZone must be an IANA time zone such as "Etc/UTC"; received "${this.timeZone}"`);
    }
    this.activeDeadlineSeconds = props.activeDeadlineSeconds ?? 3600;
    if (!Number.isInteger(this.retentionDays) || this.retentionDays < 1 || this.retentionDays > 365) {
      throw new Error(`${this.name}: retentionDays must be a whole number from 1 to 365; received ${this.retentionDays}`);
    }
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkResources(this.name, 'backup', resources);
    const target = props.objectStorage;
    const awsCli = props.awsCliImage ?? AWS_CLI_IMAGE;
    this.podResources = resources;
    this.images = target ? [pg.image, awsCli] : [pg.image];

    this.identity = {
      name: this.name,
      instance: `${this.name}${props.instanceSuffix ?? ''}`,
      component: 'backup',
      partOf: props.partOf ?? pg.identity.partOf,
      version: versionFromImage(pg.image),
    };
    const labels = recommendedLabels(this.identity);
    const runAs = { user: POSTGRES_UID, group: POSTGRES_UID, fsGroup: POSTGRES_UID };

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: this.name, labels, annotations: target?.serviceAccountAnnotations ? { ...target.serviceAccountAnnotations } : undefined },
      automountServiceAccountToken: false,
    });
    new k8s.KubePersistentVolumeClaim(this, 'claim', {
      // A standalone claim's labels may change (unlike a StatefulSet's claim templates), so it carries them all.
      metadata: { name: this.claimName, labels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: props.storageClassName,
        resources: { requests: { storage: k8s.Quantity.fromString(props.storageSize ?? '20Gi') } },
      },
    });

    const libpq: StoreEnvVar[] = [
      { name: 'PGHOST', value: pg.serviceName },
      { name: 'PGPORT', value: String(pg.port) },
      { name: 'PGDATABASE', value: pg.database },
      secretEnv('PGUSER', pg.credentials.secretName, pg.credentials.usernameKey),
      secretEnv('PGPASSWORD', pg.credentials.secretName, pg.credentials.passwordKey),
      { name: 'BACKUP_DIR', value: BACKUP_DIR },
    ];
    const mounts = [{ name: 'backups', mountPath: BACKUP_DIR }, { name: 'tmp', mountPath: '/tmp' }];
    const base = (name: string, image: string, script: string, env: StoreEnvVar[]): k8s.Container => ({
      name,
      image,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', script],
      env: env.map((e) => ({ ...e })),
      resources: containerResources(resources),
      securityContext: restrictedContainerSecurityContext(runAs),
      volumeMounts: mounts,
      terminationMessagePolicy: 'FallbackToLogsOnError',
    });

    const dump = base('dump', pg.image, DUMP_SCRIPT, [...libpq, { name: 'RETENTION_DAYS', value: String(this.retentionDays) }]);
    const containers: k8s.Container[] = [];
    const initContainers: k8s.Container[] = [];
    if (target) {
      // The dump runs first; the copy starts only once the dump has succeeded.
      initContainers.push(dump);
      containers.push(base('upload', awsCli, UPLOAD_SCRIPT, uploadEnv(target)));
    } else {
      containers.push(dump);
    }

    const podSpec = (extra: { containers: k8s.Container[]; initContainers?: k8s.Container[] }): k8s.PodSpec => ({
      serviceAccountName: this.name,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: 'Never',
      securityContext: restrictedPodSecurityContext(runAs),
      containers: extra.containers,
      initContainers: extra.initContainers && extra.initContainers.length > 0 ? extra.initContainers : undefined,
      volumes: [
        { name: 'backups', persistentVolumeClaim: { claimName: this.claimName } },
        { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
      ],
    });
    const jobSpec = (podLabels: Record<string, string>, spec: k8s.PodSpec, backoffLimit: number): k8s.JobSpec => ({
      backoffLimit,
      activeDeadlineSeconds: this.activeDeadlineSeconds,
      // Finished pods stay a day for their logs, then go.
      ttlSecondsAfterFinished: 86400,
      template: { metadata: { labels: podLabels }, spec },
    });

    this.backupJob = new KubeObject(this, 'backup', k8s.KubeCronJob.GVK, k8s.toJson_KubeCronJobProps, {
      metadata: { name: this.name, labels },
      spec: {
        schedule: this.schedule,
        timeZone: this.timeZone,
        concurrencyPolicy: 'Forbid',
        // A backup that could not start within an hour of its time is skipped, not run at noon.
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        suspend: false,
        jobTemplate: { metadata: { labels }, spec: jobSpec(labels, podSpec({ containers, initContainers }), 2) },
      },
    });

    // Optional choices in the ConfigMap <db>-restore: `file` names a dump, `source: object-storage`
    // fetches it (or the newest) from the bucket instead of the backup volume.
    const choice = (name: string, key: string): StoreEnvVar => ({ name, valueFrom: { configMapKeyRef: { name: this.restoreName, key, optional: true } } });
    const restoreChoices = [choice('RESTORE_FILE', 'file'), choice('RESTORE_SOURCE', 'source'), { name: 'HANDOFF_FILE', value: HANDOFF_FILE }];
    const restore = base('restore', pg.image, RESTORE_SCRIPT, [...libpq, ...restoreChoices]);
    // With a bucket: the download runs first, with the upload's image and credentials, and names the
    // dump it fetched in HANDOFF_FILE (on the pod's /tmp) for the restore.
    const download = target
      ? base('download', awsCli, DOWNLOAD_SCRIPT, [...uploadEnv(target), { name: 'DATABASE', value: pg.database }, ...restoreChoices])
      : undefined;
    const restoreLabels = recommendedLabels({
      ...this.identity, name: this.restoreName, instance: this.restoreInstance, component: 'restore',
    });
    this.restoreJob = new KubeObject(this, 'restore', k8s.KubeCronJob.GVK, k8s.toJson_KubeCronJobProps, {
      metadata: { name: this.restoreName, labels: restoreLabels },
      spec: {
        schedule: NEVER,
        timeZone: this.timeZone,
        suspend: true,
        concurrencyPolicy: 'Forbid',
        // Never reached (the schedule never fires); written so every CronJob states its deadline.
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          metadata: { labels: restoreLabels },
          // A failed restore is looked at, not retried over a half-restored database.
          spec: jobSpec(restoreLabels, podSpec({ containers: [restore], initContainers: download ? [download] : [] }), 0),
        },
      },
    });
    this.annotateRunbook();
  }

  private annotateRunbook(): void {
    const runbook = this.restoreRunbook;
    this.restoreJob.metadata.addAnnotation('stackwright.dev/quiesce', runbook.quiesce.join('\n'));
    this.restoreJob.metadata.addAnnotation('stackwright.dev/run', runbook.run.join('\n'));
    this.restoreJob.metadata.addAnnotation('stackwright.dev/resume', runbook.resume.join('\n'));
  }

  /**
   * Declares a workload that writes to the database: the restore runbook stops it first (the way
   * its replica owner allows) and starts it again after.
   */
  public addWriter(writer: DatabaseWriter): void {
    if (this.writers.some((w) => w.name === writer.name && (w.kind ?? 'deployment') === (writer.kind ?? 'deployment'))) {
      throw new Error(`${this.restoreName}: writer ${writer.name} is declared twice`);
    }
    this.writers.push(writer);
    this.annotateRunbook();
  }

  /**
   * The restore as commands: stop every writer and the nightly backup, wait until their pods are
   * gone, run the restore Job and wait for it, then start everything again. Also on the restore
   * CronJob as the annotations `stackwright.dev/quiesce`, `/run` and `/resume`.
   */
  public get restoreRunbook(): RestoreRunbook {
    const ns = Chart.of(this).namespace;
    const kubectl = ns ? `kubectl -n ${ns}` : 'kubectl';
    const resource = (w: DatabaseWriter) => `${w.kind ?? 'deployment'} ${w.name}`;
    const selector = (labels: Readonly<Record<string, string>>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
    return {
      quiesce: [
        ...this.writers.map((w) => w.scaling.quiesce(kubectl, resource(w))),
        `${kubectl} patch cronjob ${this.name} -p '{"spec":{"suspend":true}}'`,
        // A loop, not `kubectl wait --for=delete -l`, which fails with "no matching resources" once the pods are gone.
        ...this.writers.map((w) => `until [ -z "$(${kubectl} get pods -l ${selector(w.selector)} -o name)" ]; do sleep 5; done  # ${w.name}: up to ${w.terminationGracePeriodSeconds ?? 30}s of grace`),
      ],
      run: [
        `job=${this.restoreName}-$(date +%s)`,
        `${kubectl} create job --from=cronjob/${this.restoreName} "$job"`,
        `${kubectl} logs -f --pod-running-timeout=10m "job/$job"`,
        // Fails when the restore failed: then leave the writers stopped and look first.
        `${kubectl} wait --for=condition=complete "job/$job" --timeout=60s`,
      ],
      resume: [
        ...this.writers.map((w) => w.scaling.resume(kubectl, resource(w))),
        `${kubectl} patch cronjob ${this.name} -p '{"spec":{"suspend":false}}'`,
      ],
    };
  }

  /** The stable labels of the backup pods. */
  public get selector(): Record<string, string> {
    return selectorLabels(this.identity);
  }

  /** The stable labels of the restore pods. */
  public get restoreSelector(): Record<string, string> {
    return selectorLabels({ name: this.restoreName, instance: this.restoreInstance });
  }
}

function uploadEnv(target: ObjectStorageTarget): StoreEnvVar[] {
  const env: StoreEnvVar[] = [
    { name: 'BACKUP_DIR', value: BACKUP_DIR },
    { name: 'BUCKET', value: target.bucket },
    { name: 'PREFIX', value: target.prefix ?? '' },
    { name: 'AWS_REGION', value: target.region },
    // The CLI keeps its cache under $HOME; the root filesystem is read-only.
    { name: 'HOME', value: '/tmp' },
  ];
  if (target.endpoint) env.push({ name: 'AWS_ENDPOINT_URL_S3', value: target.endpoint });
  if (target.credentials) {
    env.push(
      secretEnv('AWS_ACCESS_KEY_ID', target.credentials.secretName, target.credentials.accessKeyIdKey ?? 'access-key-id'),
      secretEnv('AWS_SECRET_ACCESS_KEY', target.credentials.secretName, target.credentials.secretAccessKeyKey ?? 'secret-access-key'),
    );
  }
  return env;
}

// POSIX sh: the dump is written under a temporary name and renamed, so a failed run never leaves
// a truncated file that looks complete; LATEST names the newest complete dump.
const DUMP_SCRIPT = `set -eu
# The server took its superuser password from the Secret file as $(< file), without trailing newlines: so do we.
PGPASSWORD="$(printf '%s' "$PGPASSWORD")"
find "$BACKUP_DIR" -maxdepth 1 -name '*.partial' -delete
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
file="$PGDATABASE-$stamp.dump"
pg_dump --format=custom --compress=6 --no-password --file="$BACKUP_DIR/$file.partial"
mv "$BACKUP_DIR/$file.partial" "$BACKUP_DIR/$file"
printf '%s\\n' "$file" > "$BACKUP_DIR/LATEST"
find "$BACKUP_DIR" -maxdepth 1 -name '*.dump' -mmin +"$((RETENTION_DAYS * 1440))" -print -delete
echo "backup $file written ($(du -h "$BACKUP_DIR/$file" | cut -f1))"
`;

const UPLOAD_SCRIPT = `set -eu
file="$(cat "$BACKUP_DIR/LATEST")"
aws s3 cp "$BACKUP_DIR/$file" "s3://$BUCKET/$PREFIX$file" --only-show-errors
echo "backup $file copied to s3://$BUCKET/$PREFIX$file"
`;

/** Where the download tells the restore which dump it fetched: the pod's shared /tmp. */
const HANDOFF_FILE = '/tmp/restore-file';

// With source object-storage: the named dump, or the newest of the database (names sort by their UTC
// timestamp), fetched from the bucket to the backup volume under a temporary name, then renamed.
const DOWNLOAD_SCRIPT = `set -eu
if [ "\${RESTORE_SOURCE:-volume}" != object-storage ]; then echo "restoring from the backup volume"; exit 0; fi
file="\${RESTORE_FILE:-}"
if [ -z "$file" ]; then
  key="$(aws s3api list-objects-v2 --bucket "$BUCKET" --prefix "$PREFIX$DATABASE-" --query 'max(Contents[].Key || \`[]\`)' --output text)"
  case "$key" in None|"") echo "no dump of $DATABASE in s3://$BUCKET/$PREFIX"; exit 1 ;; esac
  file="\${key#"$PREFIX"}"
fi
aws s3 cp "s3://$BUCKET/$PREFIX$file" "$BACKUP_DIR/$file.partial" --only-show-errors
mv "$BACKUP_DIR/$file.partial" "$BACKUP_DIR/$file"
printf '%s\\n' "$file" > "$HANDOFF_FILE"
echo "downloaded s3://$BUCKET/$PREFIX$file to $BACKUP_DIR"
`;

// As the superuser, keeping the owners the dump records (the application role): with --no-owner every
// restored table would belong to the superuser, out of the application role's reach.
const RESTORE_SCRIPT = `set -eu
# The server took its superuser password from the Secret file as $(< file), without trailing newlines: so do we.
PGPASSWORD="$(printf '%s' "$PGPASSWORD")"
if [ -f "$HANDOFF_FILE" ]; then
  file="$(cat "$HANDOFF_FILE")"
elif [ "\${RESTORE_SOURCE:-volume}" = object-storage ]; then
  echo "source object-storage: no dump was downloaded (is backup.objectStorage configured for this database?)"; exit 1
else
  file="\${RESTORE_FILE:-$(cat "$BACKUP_DIR/LATEST")}"
fi
test -f "$BACKUP_DIR/$file" || { echo "no dump $file in $BACKUP_DIR:"; ls -l "$BACKUP_DIR"; exit 1; }
echo "restoring $file into $PGDATABASE on $PGHOST"
pg_restore --clean --if-exists --exit-on-error --single-transaction --no-password --dbname="$PGDATABASE" "$BACKUP_DIR/$file"
echo "restore of $file complete"
`;
