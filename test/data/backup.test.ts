import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PostgresBackup, renderRunbook, WriterScaling, type PostgresBackupProps } from '../../lib/data/backup';
import { Postgres } from '../../lib/data/postgres';

function synth(props: Omit<PostgresBackupProps, 'postgres'> = {}) {
  const chart = Testing.chart();
  const postgres = new Postgres(chart, 'postgres', { database: 'atlas' });
  const backup = new PostgresBackup(chart, 'backup', { postgres, ...props });
  const objects = Testing.synth(chart).filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] !== 'database');
  const cron = (name: string) => objects.find((o) => o.kind === 'CronJob' && o.metadata.name === name);
  return { backup, objects, cron };
}

describe('PostgresBackup', () => {
  it('dumps nightly at 02:00 in an explicit time zone, one run at a time, with deadlines and history limits', () => {
    const { cron, objects } = synth({ timeZone: 'Europe/Berlin' });
    const job = cron('postgres-backup');
    expect(job.spec).toMatchObject({
      schedule: '0 2 * * *',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      suspend: false,
    });
    expect(job.spec.jobTemplate.spec).toMatchObject({ activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400, backoffLimit: 2 });
    expect(objects).toMatchSnapshot();
  });

  it('writes a custom-format pg_dump to the backup volume and deletes dumps older than the retention', () => {
    const { cron, objects } = synth({ retentionDays: 14, storageSize: '40Gi', storageClassName: 'standard' });
    const pod = cron('postgres-backup').spec.jobTemplate.spec.template.spec;
    const [dump] = pod.containers;
    const script: string = dump.command[2];
    expect(script).toContain('pg_dump --format=custom');
    expect(script).toContain('-mmin +"$((RETENTION_DAYS * 1440))" -print -delete');
    expect(dump.env).toContainEqual({ name: 'RETENTION_DAYS', value: '14' });
    expect(dump.env).toContainEqual({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'password' } } });
    expect(dump.image).toMatch(/^postgres:16\./);
    const claim = objects.find((o) => o.kind === 'PersistentVolumeClaim');
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '40Gi' } } });
    // Unlike a claim template, a standalone claim's labels may change, so it carries the full set.
    expect(claim.metadata.labels).toHaveProperty(['app.kubernetes.io/version']);
    expect(pod.volumes[0]).toEqual({ name: 'backups', persistentVolumeClaim: { claimName: 'postgres-backups' } });
  });

  it('copies the dump to object storage only after it succeeded, with keys by Secret reference', () => {
    const { cron } = synth({ objectStorage: { bucket: 'atlas-backups', prefix: 'pg/', region: 'eu-central-1', credentials: { secretName: 's3' } } });
    const pod = cron('postgres-backup').spec.jobTemplate.spec.template.spec;
    expect(pod.initContainers.map((c: { name: string }) => c.name)).toEqual(['dump']);
    const [upload] = pod.containers;
    expect(upload.name).toBe('upload');
    expect(upload.command[2]).toContain('aws s3 cp "$BACKUP_DIR/$file" "s3://$BUCKET/$PREFIX$file"');
    expect(upload.env).toContainEqual({ name: 'BUCKET', value: 'atlas-backups' });
    expect(upload.env).toContainEqual({ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 's3', key: 'secret-access-key' } } });
    expect(upload.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
  });

  it('offers a restore that never runs on its own, for `kubectl create job --from`', () => {
    const { cron } = synth();
    const restore = cron('postgres-restore');
    expect(restore.spec.suspend).toBe(true);
    expect(restore.spec.schedule).toBe('0 0 31 2 *');
    expect(restore.spec.startingDeadlineSeconds).toBe(3600);
    expect(restore.metadata.annotations['stackwright.dev/run'].split('\n')).toEqual([
      'job=postgres-restore-$(date +%s)',
      'kubectl create job --from=cronjob/postgres-restore "$job"',
      'kubectl logs -f --pod-running-timeout=10m "job/$job"',
      'kubectl wait --for=condition=complete "job/$job" --timeout=60s',
    ]);
    const [container] = restore.spec.jobTemplate.spec.template.spec.containers;
    expect(container.command[2]).toContain('pg_restore --clean --if-exists --exit-on-error --single-transaction');
    // Restored tables keep the owner the dump records, the application role, not the restoring superuser.
    expect(container.command[2]).not.toContain('--no-owner');
    expect(container.env).toContainEqual({ name: 'RESTORE_FILE', valueFrom: { configMapKeyRef: { name: 'postgres-restore', key: 'file', optional: true } } });
    // A failed restore is inspected, not retried over a half-restored database.
    expect(restore.spec.jobTemplate.spec.backoffLimit).toBe(0);
  });

  describe('restore runbook', () => {
    // In a namespaced chart, like the platform's, so the commands carry -n.
    const withWriters = () => {
      const chart = new Chart(Testing.app(), 'data', { namespace: 'atlas-prod' });
      const backup = new PostgresBackup(chart, 'backup', { postgres: new Postgres(chart, 'postgres', { database: 'atlas' }) });
      backup.addWriter({ name: 'api', selector: { 'app.kubernetes.io/name': 'api' }, scaling: WriterScaling.hpa(3), terminationGracePeriodSeconds: 30 });
      backup.addWriter({ name: 'worker', selector: { 'app.kubernetes.io/name': 'worker' }, scaling: WriterScaling.keda('worker'), terminationGracePeriodSeconds: 120 });
      backup.addWriter({ name: 'reports', kind: 'statefulset', selector: { 'app.kubernetes.io/name': 'reports' }, scaling: WriterScaling.replicas(2) });
      const restore = Testing.synth(chart).find((o) => o.kind === 'CronJob' && o.metadata.name === 'postgres-restore');
      return { backup, restore };
    };

    it('stops each writer the way its replica owner allows: KEDA paused at zero, an HPA\'s target and a plain workload scaled to zero', () => {
      const { backup } = withWriters();
      expect(backup.restoreRunbook.quiesce).toEqual([
        'kubectl -n atlas-prod scale deployment api --replicas=0',
        'kubectl -n atlas-prod annotate scaledobject worker autoscaling.keda.sh/paused-replicas=0 --overwrite',
        'kubectl -n atlas-prod scale statefulset reports --replicas=0',
        'kubectl -n atlas-prod patch cronjob postgres-backup -p \'{"spec":{"suspend":true}}\'',
        'until [ -z "$(kubectl -n atlas-prod get pods -l app.kubernetes.io/name=api -o name)" ]; do sleep 5; done  # api: up to 30s of grace',
        'until [ -z "$(kubectl -n atlas-prod get pods -l app.kubernetes.io/name=worker -o name)" ]; do sleep 5; done  # worker: up to 120s of grace',
        'until [ -z "$(kubectl -n atlas-prod get pods -l app.kubernetes.io/name=reports -o name)" ]; do sleep 5; done  # reports: up to 30s of grace',
      ]);
    });

    it('starts them again by handing the count back: the HPA\'s minimum, the KEDA annotation removed, the fixed count', () => {
      expect(withWriters().backup.restoreRunbook.resume).toEqual([
        'kubectl -n atlas-prod scale deployment api --replicas=3',
        'kubectl -n atlas-prod annotate scaledobject worker autoscaling.keda.sh/paused-replicas-',
        'kubectl -n atlas-prod scale statefulset reports --replicas=2',
        'kubectl -n atlas-prod patch cronjob postgres-backup -p \'{"spec":{"suspend":false}}\'',
      ]);
    });

    it('writes the runbook onto the restore CronJob, where an operator with kubectl finds it', () => {
      const { backup, restore } = withWriters();
      const annotations = restore.metadata.annotations;
      expect(annotations['stackwright.dev/quiesce'].split('\n')).toEqual(backup.restoreRunbook.quiesce);
      expect(annotations['stackwright.dev/resume'].split('\n')).toEqual(backup.restoreRunbook.resume);
      expect(renderRunbook(backup.restoreRunbook)).toMatch(/^# 1\. Stop every writer.*\nkubectl -n atlas-prod scale deployment api --replicas=0\n/);
    });

    it('fails when a writer is declared twice', () => {
      const { backup } = withWriters();
      expect(() => backup.addWriter({ name: 'api', selector: {}, scaling: WriterScaling.replicas(1) })).toThrow('postgres-restore: writer api is declared twice');
    });

    it('fails for an HPA minimum of zero, which Kubernetes only allows behind an alpha feature gate', () => {
      expect(() => WriterScaling.hpa(0)).toThrow('an HPA\'s minReplicas must be a whole number ≥ 1; received 0');
    });
  });

  it('runs both jobs under restricted Pod Security as the postgres user', () => {
    const { objects } = synth();
    for (const cron of objects.filter((o) => o.kind === 'CronJob')) {
      const pod = cron.spec.jobTemplate.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.restartPolicy).toBe('Never');
    }
  });

  it('fails for a schedule that is not five cron fields', () => {
    expect(() => synth({ schedule: '0 0 2 * * *' })).toThrow('schedule must be a five-field cron expression');
  });

  it('fails for a time zone the tz database does not know', () => {
    expect(() => synth({ timeZone: 'Mars/Olympus' })).toThrow('received "Mars/Olympus"');
  });

  it('fails for a retention outside 1 to 365 days', () => {
    expect(() => synth({ retentionDays: 0 })).toThrow('received 0');
  });
});
