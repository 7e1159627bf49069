// Test helper: a throwaway PostgreSQL server from Debian's packages, on a Unix socket in a temporary
// directory (no TCP port). Missing locally, its tests are skipped with an install hint; in CI
// (CI=true) a missing server fails instead of skipping. PostgreSQL refuses to run as root, so as
// root the server and clients run as the `postgres` user the Debian package creates.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INSTALL = 'apt-get update && apt-get install -y --no-install-recommends postgresql';

function binDir(): string | undefined {
  const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = config.status === 0 ? config.stdout.trim() : undefined;
  return dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')) ? dir : undefined;
}

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Whether a PostgreSQL server can run here; prints how to install it when it cannot, and throws in CI. */
export function postgresAvailable(): boolean {
  const asRoot = process.getuid?.() === 0;
  if (binDir() && (!asRoot || spawnSync('id', ['postgres']).status === 0)) return true;
  const message = `a PostgreSQL server (initdb, postgres${asRoot ? ', and the postgres user to run it as' : ''}) is not installed: its tests are skipped. Install it with: ${INSTALL}`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI must not skip them; .ci/run installs it)`);
  console.warn(message);
  return false;
}

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly output: string;
}

/** A running server: `superuser` owns it; `sh` runs a shell script against it with PG* set (as the superuser). */
export class PostgresServer {
  public readonly dir: string;
  public readonly superuser = 'pgadmin';
  public readonly superuserPassword = 'superuser-pw';
  public readonly port = 50000 + (process.pid % 10000);
  private readonly bin: string;
  private readonly owner = runAs();

  constructor() {
    const bin = binDir();
    if (!bin) throw new Error('no PostgreSQL server binaries');
    this.bin = bin;
    this.dir = mkdtempSync(join(tmpdir(), 'stackwright-pg-'));
    chmodSync(this.dir, 0o755);
    if (this.owner) chownSync(this.dir, this.owner.uid, this.owner.gid);
    // Every connection authenticates with its password (scram-sha-256), as on the image's TCP port.
    const pwfile = this.write('superuser-password', `${this.superuserPassword}\n`);
    this.check(this.sh(`initdb --pgdata="${this.dir}/data" --username=${this.superuser} --pwfile="${pwfile}" --auth=scram-sha-256 --no-sync >/dev/null`), 'initdb');
    rmSync(pwfile);
    this.check(this.sh(`pg_ctl --pgdata="${this.dir}/data" --log="${this.dir}/server.log" --wait \
      -o "-c listen_addresses='' -c unix_socket_directories='${this.dir}' -c port=${this.port} -c fsync=off" start >/dev/null`), 'pg_ctl start');
  }

  /** Runs `script` with sh as the server's owner, PGHOST/PGPORT/PGUSER set, then `env`. */
  public sh(script: string, env: Record<string, string> = {}): Run {
    const vars: Record<string, string> = {
      PATH: `${this.bin}:/usr/bin:/bin`, PGHOST: this.dir, PGPORT: String(this.port), PGUSER: this.superuser, PGPASSWORD: this.superuserPassword, LC_ALL: 'C', ...env,
    };
    const file = join(this.dir, `script-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(file, script, { mode: 0o644 });
    const result: SpawnSyncReturns<string> = this.owner
      ? spawnSync('runuser', ['-u', 'postgres', '--', 'env', ...Object.entries(vars).map(([k, v]) => `${k}=${v}`), 'sh', file], { encoding: 'utf8', cwd: this.dir })
      : spawnSync('sh', [file], { encoding: 'utf8', env: vars, cwd: this.dir });
    rmSync(file);
    return { status: result.status ?? -1, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
  }

  /** One SQL statement's rows as `a|b` lines, as the superuser on `database`. */
  public query(sql: string, database = 'postgres'): string {
    const run = this.sh('psql --no-psqlrc -X -At -v ON_ERROR_STOP=1 -d "$DB" -c "$SQL"', { DB: database, SQL: sql });
    return this.check(run, sql).stdout.trim();
  }

  /** Runs SQL as another role, which authenticates with `password`. */
  public as(user: string, password: string, sql: string, database = 'postgres'): Run {
    return this.sh('psql --no-psqlrc -X -At -d "$DB" -c "$SQL"', { DB: database, PGUSER: user, PGPASSWORD: password, SQL: sql });
  }

  /** A file the server's owner can read. */
  public write(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content, { mode: 0o644 });
    return path;
  }

  public stop(): void {
    this.sh(`pg_ctl --pgdata="${this.dir}/data" --mode=immediate --wait stop >/dev/null 2>&1`);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private check(run: Run, what: string): Run {
    if (run.status !== 0) throw new Error(`${what} failed (${run.status}): ${run.output}`);
    return run;
  }
}
