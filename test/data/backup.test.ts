import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PostgresBackup, type PostgresBackupProps } from '../../lib/data/backup';
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
    expect(restore.metadata.annotations['stackwright.dev/run']).toBe('kubectl create job --from=cronjob/postgres-restore postgres-restore-$(date +%s)');
    const [container] = restore.spec.jobTemplate.spec.template.spec.containers;
    expect(container.command[2]).toContain('pg_restore --clean --if-exists --exit-on-error --single-transaction');
    // Restored tables keep the owner the dump records, the application role, not the restoring superuser.
    expect(container.command[2]).not.toContain('--no-owner');
    expect(container.env).toContainEqual({ name: 'RESTORE_FILE', valueFrom: { configMapKeyRef: { name: 'postgres-restore', key: 'file', optional: true } } });
    // A failed restore is inspected, not retried over a half-restored database.
    expect(restore.spec.jobTemplate.spec.backoffLimit).toBe(0);
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
