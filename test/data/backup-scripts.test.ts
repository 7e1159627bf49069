// The backup, upload, download and restore scripts, run as the synthesized containers would run them:
// with sh, their env, stand-ins for pg_dump, pg_restore and aws on PATH, and a scratch directory as
// the backup volume and the bucket.
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresBackup } from '../../lib/data/backup';
import { Postgres } from '../../lib/data/postgres';
import { ROLES_SQL } from '../../lib/data/postgres-roles';
import { runContainer, scriptOf, Scratch, type ContainerJson } from './container-script';
import { PostgresServer, postgresAvailable } from './postgres-server';

/** The containers of the backup and restore pods, by name, from the synthesized CronJobs. */
function containers(): Record<'dump' | 'upload' | 'download' | 'restore', ContainerJson> {
  const chart = Testing.chart();
  const postgres = new Postgres(chart, 'postgres', { database: 'atlas' });
  new PostgresBackup(chart, 'backup', { postgres, retentionDays: 14, objectStorage: { bucket: 'atlas-backups', prefix: 'pg/', region: 'eu-central-1', credentials: { secretName: 's3' } } });
  const objects = Testing.synth(chart);
  const pod = (name: string) => objects.find((o) => o.kind === 'CronJob' && o.metadata.name === name).spec.jobTemplate.spec.template.spec;
  const all: ContainerJson[] = [...pod('postgres-backup').initContainers, ...pod('postgres-backup').containers, ...pod('postgres-restore').initContainers, ...pod('postgres-restore').containers];
  const byName = (name: string) => all.find((c) => c.name === name)!;
  return { dump: byName('dump'), upload: byName('upload'), download: byName('download'), restore: byName('restore') };
}

const scripts = containers();

// pg_dump writes what --file names (or half of it, then fails, when told to); pg_restore and aws log
// their arguments; aws maps s3://bucket/key onto $BUCKET_ROOT/bucket/key and answers the one
// list-objects-v2 query the download makes (the greatest key under the prefix, or None).
const STUBS = {
  pg_dump: `for a in "$@"; do case "$a" in --file=*) out="\${a#--file=}" ;; esac; done
echo "pg_dump $*" >> "$CALLS"
if [ -n "\${PG_DUMP_FAILS:-}" ]; then printf 'half a dump' > "$out"; echo "pg_dump: connection lost" >&2; exit 1; fi
printf 'dump of %s' "$PGDATABASE" > "$out"
printf '%s' "$PGPASSWORD" > "$CALLS.password"`,
  pg_restore: 'echo "pg_restore $*" >> "$CALLS"',
  aws: `echo "aws $*" >> "$CALLS"
path() { printf '%s/%s' "$BUCKET_ROOT" "\${1#s3://}"; }
case "$1 $2" in
  "s3 cp")
    case "$3" in s3://*) src="$(path "$3")"; dst="$4" ;; *) src="$3"; dst="$(path "$4")" ;; esac
    [ -f "$src" ] || { echo "fatal error: An error occurred (404) when calling the HeadObject operation" >&2; exit 1; }
    mkdir -p "$(dirname "$dst")"; cp "$src" "$dst" ;;
  "s3api list-objects-v2")
    shift 2
    while [ $# -gt 0 ]; do case "$1" in --bucket) bucket="$2"; shift ;; --prefix) prefix="$2"; shift ;; esac; shift; done
    key=None
    for f in $(cd "$BUCKET_ROOT/$bucket" 2>/dev/null && find . -type f | sed 's|^[.]/||' | sort); do
      case "$f" in "$prefix"*) key="$f" ;; esac
    done
    echo "$key" ;;
  *) echo "unexpected aws call: $*" >&2; exit 2 ;;
esac`,
};

describe('backup and restore scripts', () => {
  let scratch: Scratch;
  let volume: string;
  let bucket: string;
  let env: Record<string, string>;

  beforeEach(() => {
    scratch = new Scratch();
    for (const [name, body] of Object.entries(STUBS)) scratch.stub(name, body);
    volume = scratch.path('backups');
    bucket = scratch.path('s3');
    env = {
      BACKUP_DIR: volume,
      BUCKET_ROOT: bucket,
      CALLS: join(scratch.dir, 'calls'),
      HANDOFF_FILE: join(scratch.dir, 'tmp', 'restore-file'),
      // Stand-ins for the Secret references the harness does not resolve.
      PGUSER: 'postgres', PGPASSWORD: 'pw', AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'key',
    };
    scratch.path('tmp');
  });
  afterEach(() => scratch.cleanup());

  const run = (container: ContainerJson, extra: Record<string, string | undefined> = {}) => runContainer(scratch, container, { ...env, ...extra });
  const calls = () => (existsSync(env.CALLS) ? readFileSync(env.CALLS, 'utf8').trim().split('\n') : []);
  const files = () => readdirSync(volume).sort();
  const latest = () => readFileSync(join(volume, 'LATEST'), 'utf8');
  const dumpAt = (name: string, daysAgo: number, dir = volume) => {
    const path = join(dir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, `dump ${name}`);
    const when = new Date(Date.now() - daysAgo * 86_400_000);
    utimesSync(path, when, when);
    return path;
  };

  describe('dump', () => {
    it('writes a custom-format dump named after the database and the UTC time, and points LATEST at it', () => {
      const result = run(scripts.dump);
      expect(result.status).toBe(0);
      const [dump] = files().filter((f) => f.endsWith('.dump'));
      expect(dump).toMatch(/^atlas-\d{8}T\d{6}Z\.dump$/);
      expect(latest()).toBe(`${dump}\n`);
      expect(readFileSync(join(volume, dump), 'utf8')).toBe('dump of atlas');
      expect(calls()).toEqual([`pg_dump --format=custom --compress=6 --no-password --file=${volume}/${dump}.partial`]);
      expect(result.stdout).toContain(`backup ${dump} written`);
    });

    it('connects with the superuser password as the server read it from the Secret file, trailing newline dropped', () => {
      expect(run(scripts.dump, { PGPASSWORD: 'pw\n' }).status).toBe(0);
      expect(readFileSync(`${env.CALLS}.password`, 'utf8')).toBe('pw');
    });

    it('leaves no half-written file that looks complete when pg_dump fails, and LATEST on the last good dump', () => {
      dumpAt('atlas-20260101T020000Z.dump', 1);
      writeFileSync(join(volume, 'LATEST'), 'atlas-20260101T020000Z.dump\n');
      const result = run(scripts.dump, { PG_DUMP_FAILS: '1' });
      expect(result.status).not.toBe(0);
      expect(files().filter((f) => f.endsWith('.dump'))).toEqual(['atlas-20260101T020000Z.dump']);
      expect(files().filter((f) => f.endsWith('.partial'))).toHaveLength(1);
      expect(latest()).toBe('atlas-20260101T020000Z.dump\n');
    });

    it('clears the partial file a failed run left before it dumps again', () => {
      writeFileSync(join(volume, 'atlas-20260101T020000Z.dump.partial'), 'half a dump');
      expect(run(scripts.dump).status).toBe(0);
      expect(files().filter((f) => f.endsWith('.partial'))).toEqual([]);
    });

    it('deletes dumps older than the retention (14 days here) and keeps the newer ones and anything else', () => {
      dumpAt('atlas-20251201T020000Z.dump', 20);
      dumpAt('atlas-20251215T020000Z.dump', 15);
      dumpAt('atlas-20251220T020000Z.dump', 13);
      dumpAt('notes.txt', 30);
      const result = run(scripts.dump);
      expect(result.status).toBe(0);
      expect(files()).toEqual(expect.arrayContaining(['atlas-20251220T020000Z.dump', 'notes.txt']));
      expect(files()).not.toContain('atlas-20251201T020000Z.dump');
      expect(files()).not.toContain('atlas-20251215T020000Z.dump');
      expect(files().filter((f) => f.endsWith('.dump'))).toHaveLength(2);
    });
  });

  describe('upload', () => {
    it('copies the dump LATEST names to the bucket under the prefix', () => {
      dumpAt('atlas-20260102T020000Z.dump', 0);
      writeFileSync(join(volume, 'LATEST'), 'atlas-20260102T020000Z.dump\n');
      const result = run(scripts.upload);
      expect(result.status).toBe(0);
      expect(readFileSync(join(bucket, 'atlas-backups', 'pg', 'atlas-20260102T020000Z.dump'), 'utf8')).toBe('dump atlas-20260102T020000Z.dump');
    });
  });

  describe('restore from the backup volume', () => {
    beforeEach(() => {
      dumpAt('atlas-20260101T020000Z.dump', 2);
      dumpAt('atlas-20260102T020000Z.dump', 1);
      writeFileSync(join(volume, 'LATEST'), 'atlas-20260102T020000Z.dump\n');
    });

    it('restores the dump LATEST names, in one transaction, stopping at the first error', () => {
      expect(run(scripts.download).status).toBe(0);
      const result = run(scripts.restore);
      expect(result.status).toBe(0);
      expect(calls()).toEqual([`pg_restore --clean --if-exists --exit-on-error --single-transaction --no-password --dbname=atlas ${volume}/atlas-20260102T020000Z.dump`]);
      expect(result.stdout).toContain('restore of atlas-20260102T020000Z.dump complete');
    });

    it('restores the dump the ConfigMap names instead', () => {
      const result = run(scripts.restore, { RESTORE_FILE: 'atlas-20260101T020000Z.dump' });
      expect(result.status).toBe(0);
      expect(calls()[0]).toMatch(/ \S+\/atlas-20260101T020000Z\.dump$/);
    });

    it('fails, listing what is there, when the named dump is missing, and never calls pg_restore', () => {
      const result = run(scripts.restore, { RESTORE_FILE: 'atlas-20250101T020000Z.dump' });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(`no dump atlas-20250101T020000Z.dump in ${volume}:`);
      expect(result.stdout).toContain('atlas-20260102T020000Z.dump');
      expect(calls()).toEqual([]);
    });
  });

  describe('restore from object storage', () => {
    beforeEach(() => {
      const prefix = join(bucket, 'atlas-backups', 'pg');
      dumpAt('atlas-20260101T020000Z.dump', 3, prefix);
      dumpAt('atlas-20260103T020000Z.dump', 1, prefix);
      dumpAt('atlas-20260102T020000Z.dump', 2, prefix);
    });

    it('downloads the newest dump of the database to the backup volume and restores that one', () => {
      const source = { RESTORE_SOURCE: 'object-storage' };
      const download = run(scripts.download, source);
      expect(download.status).toBe(0);
      expect(files()).toEqual(['atlas-20260103T020000Z.dump']);
      expect(run(scripts.restore, source).status).toBe(0);
      expect(calls().at(-1)).toMatch(/^pg_restore .* \S+\/atlas-20260103T020000Z\.dump$/);
    });

    it('downloads the dump the ConfigMap names', () => {
      const choice = { RESTORE_SOURCE: 'object-storage', RESTORE_FILE: 'atlas-20260101T020000Z.dump' };
      expect(run(scripts.download, choice).status).toBe(0);
      expect(run(scripts.restore, choice).status).toBe(0);
      expect(calls()).toEqual([
        `aws s3 cp s3://atlas-backups/pg/atlas-20260101T020000Z.dump ${volume}/atlas-20260101T020000Z.dump.partial --only-show-errors`,
        expect.stringMatching(/^pg_restore .* \S+\/atlas-20260101T020000Z\.dump$/),
      ]);
    });

    it('fails before any restore when the bucket holds no dump of the database', () => {
      const result = run(scripts.download, { RESTORE_SOURCE: 'object-storage', DATABASE: 'billing' });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('no dump of billing in s3://atlas-backups/pg/');
      expect(files()).toEqual([]);
    });

    it('fails when a named dump is not in the bucket, leaving nothing on the volume', () => {
      const result = run(scripts.download, { RESTORE_SOURCE: 'object-storage', RESTORE_FILE: 'atlas-20250101T020000Z.dump' });
      expect(result.status).not.toBe(0);
      expect(files()).toEqual([]);
    });

    it('refuses to restore from object storage when nothing was downloaded (no bucket configured)', () => {
      const result = run(scripts.restore, { RESTORE_SOURCE: 'object-storage' });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('source object-storage: no dump was downloaded');
      expect(calls()).toEqual([]);
    });

    it('leaves the bucket alone when the source is the backup volume', () => {
      expect(run(scripts.download).stdout).toContain('restoring from the backup volume');
      expect(calls()).toEqual([]);
    });
  });
});

describe.runIf(postgresAvailable())('a dump and restore with the real pg_dump and pg_restore', () => {
  let server: PostgresServer;
  const app = { APP_USER: 'atlas_app', APP_PASSWORD: 'app-pw', MONITORING_USER: 'atlas_monitoring', MONITORING_PASSWORD: 'monitoring-pw' };
  const asApp = (sql: string) => server.as(app.APP_USER, app.APP_PASSWORD, sql, 'atlas');
  const script = (container: ContainerJson, env: Record<string, string> = {}) =>
    server.sh(scriptOf(container), { PGDATABASE: 'atlas', BACKUP_DIR: `${server.dir}/backups`, RETENTION_DAYS: '14', HANDOFF_FILE: `${server.dir}/restore-file`, ...env });

  beforeAll(() => {
    server = new PostgresServer();
    server.sh(`mkdir "${server.dir}/backups"`);
    server.query('CREATE DATABASE atlas');
    server.write('roles.sql', ROLES_SQL);
    const roles = server.sh('psql --no-psqlrc --no-password --single-transaction --set=ON_ERROR_STOP=1 --file=roles.sql', { PGDATABASE: 'atlas', ...app });
    if (roles.status !== 0) throw new Error(roles.output);
    // The application's own schema, as it creates it: owned by the application role.
    expect(asApp("CREATE TABLE jobs (id serial PRIMARY KEY, state text); INSERT INTO jobs (state) VALUES ('queued'), ('done')").status).toBe(0);
  });
  afterAll(() => server?.stop());

  it('brings back the data as it was, tables still owned by the application role, which keeps writing', () => {
    const dump = script(scripts.dump);
    expect(dump.output).toMatch(/backup atlas-\d{8}T\d{6}Z\.dump written/);
    expect(dump.status).toBe(0);
    expect(asApp('DELETE FROM jobs').status).toBe(0);

    const restore = script(scripts.restore);
    expect(restore.output).toMatch(/restore of atlas-\d{8}T\d{6}Z\.dump complete/);
    expect(restore.status).toBe(0);
    expect(server.query('SELECT state FROM jobs ORDER BY id', 'atlas')).toBe('queued\ndone');
    // With --no-owner the superuser would own the restored table, out of the application role's reach.
    expect(server.query("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname IN ('jobs', 'jobs_id_seq') GROUP BY 1", 'atlas')).toBe('atlas_app');
    expect(asApp("INSERT INTO jobs (state) VALUES ('queued')").status).toBe(0);
  });
});
