import { Testing } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Postgres } from '../../lib/data/postgres';
import { PostgresRoles, ROLES_SQL } from '../../lib/data/postgres-roles';
import { PostgresServer, postgresAvailable } from './postgres-server';

function synth(props: ConstructorParameters<typeof Postgres>[2] = {}) {
  const chart = Testing.chart();
  const postgres = new Postgres(chart, 'postgres', { database: 'atlas', ...props });
  const roles = new PostgresRoles(chart, 'roles', { postgres, instanceSuffix: '-prod' });
  const objects = Testing.synth(chart).filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'database-roles');
  const job = objects.find((o) => o.kind === 'Job');
  return { roles, objects, job, pod: job.spec.template.spec };
}

describe('PostgresRoles', () => {
  it('runs a Job as the superuser that reads each role\'s name and password from its own Secret', () => {
    const { pod, objects } = synth();
    const [container] = pod.containers;
    const ref = (name: string, key: string) => ({ secretKeyRef: { name, key } });
    expect(container.env).toEqual([
      { name: 'PGHOST', value: 'postgres' },
      { name: 'PGPORT', value: '5432' },
      { name: 'PGDATABASE', value: 'atlas' },
      { name: 'PGUSER', valueFrom: ref('postgres-credentials', 'username') },
      { name: 'PGPASSWORD', valueFrom: ref('postgres-credentials', 'password') },
      { name: 'APP_USER', valueFrom: ref('postgres-app-credentials', 'username') },
      { name: 'APP_PASSWORD', valueFrom: ref('postgres-app-credentials', 'password') },
      { name: 'MONITORING_USER', valueFrom: ref('postgres-monitoring-credentials', 'username') },
      { name: 'MONITORING_PASSWORD', valueFrom: ref('postgres-monitoring-credentials', 'password') },
    ]);
    // The SQL takes them from the environment, so no password is an argument of psql.
    expect(container.command[2]).toContain('psql --no-psqlrc --no-password --single-transaction --set=ON_ERROR_STOP=1 --file=/setup/roles.sql');
    expect(container.command[2]).not.toMatch(/APP_PASSWORD|MONITORING_PASSWORD/);
    expect(objects.find((o) => o.kind === 'ConfigMap').data['roles.sql']).toBe(ROLES_SQL);
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    expect(objects).toMatchSnapshot();
  });

  it('runs under restricted Pod Security with its own ServiceAccount and no API token', () => {
    const { pod, objects } = synth();
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.serviceAccountName).toBe('postgres-roles');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(objects.find((o) => o.kind === 'ServiceAccount').metadata.name).toBe('postgres-roles');
  });

  it('names the Job after a digest of what it runs, so a change is a new Job rather than an immutable-field error', () => {
    const name = synth().job.metadata.name;
    expect(name).toMatch(/^postgres-roles-[0-9a-f]{8}$/);
    expect(synth().job.metadata.name).toBe(name);
    expect(synth({ appCredentials: { secretName: 'atlas-app' } }).job.metadata.name).not.toBe(name);
  });

  it('fails for a server image whose psql lacks \\getenv', () => {
    expect(() => synth({ image: 'postgres:14.12-bookworm' })).toThrow('the roles Job needs psql 15 or newer (\\getenv) from the server image; received postgres:14.12-bookworm');
  });
});

describe.runIf(postgresAvailable())('roles.sql on a real PostgreSQL server', () => {
  let server: PostgresServer;
  const env = { PGDATABASE: 'atlas', APP_USER: 'atlas_app', APP_PASSWORD: "app pw'\"x", MONITORING_USER: 'atlas_monitoring', MONITORING_PASSWORD: 'monitoring-pw' };
  const applyRoles = () => server.sh('psql --no-psqlrc --no-password --single-transaction --set=ON_ERROR_STOP=1 --file=roles.sql', env);
  const app = (sql: string) => server.as(env.APP_USER, env.APP_PASSWORD, sql, 'atlas');
  const monitoring = (sql: string) => server.as(env.MONITORING_USER, env.MONITORING_PASSWORD, sql, 'atlas');

  beforeAll(() => {
    server = new PostgresServer();
    server.write('roles.sql', ROLES_SQL);
    // A volume from before the roles existed: the superuser created the database and the app's objects.
    server.query('CREATE DATABASE atlas');
    for (const sql of [
      'CREATE TABLE jobs (id serial PRIMARY KEY, state text)',
      'CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, name text)',
      'CREATE SEQUENCE tickets',
      "CREATE VIEW queued AS SELECT * FROM jobs WHERE state = 'queued'",
      'CREATE SCHEMA analytics',
      'CREATE TABLE analytics.rollup (hour timestamptz)',
    ]) server.query(sql, 'atlas');
  });
  afterAll(() => server?.stop());

  it('applies cleanly, and again on the same database', () => {
    expect(applyRoles().status).toBe(0);
    const again = applyRoles();
    expect(again.output).not.toMatch(/ERROR/);
    expect(again.status).toBe(0);
  });

  it('creates an application role without superuser, role, database or RLS-bypass rights, and a monitoring role with pg_monitor', () => {
    expect(server.query("SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolcanlogin, rolconnlimit FROM pg_roles WHERE rolname LIKE 'atlas\\_%' ORDER BY 1")).toBe(
      'atlas_app|f|f|f|f|f|t|-1\natlas_monitoring|f|f|f|f|f|t|3',
    );
    expect(server.query("SELECT pg_has_role('atlas_monitoring', 'pg_monitor', 'member'), pg_has_role('atlas_app', 'pg_monitor', 'member')")).toBe('t|f');
  });

  it('hands the database and what the superuser created in it to the application role', () => {
    expect(server.query("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'atlas'")).toBe('atlas_app');
    expect(server.query(
      "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class WHERE relnamespace IN ('public'::regnamespace, 'analytics'::regnamespace) AND relkind IN ('r', 'S', 'v')",
      'atlas',
    )).toBe('atlas_app');
    expect(server.query("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'analytics'", 'atlas')).toBe('atlas_app');
  });

  it('logs each role in with the password from its Secret, quotes included', () => {
    expect(app('SELECT current_user').stdout.trim()).toBe('atlas_app');
    expect(monitoring('SELECT current_user').stdout.trim()).toBe('atlas_monitoring');
    expect(server.as(env.APP_USER, 'wrong', 'SELECT 1', 'atlas').output).toMatch(/password authentication failed for user "atlas_app"/);
  });

  it('lets the application role change its schema but not run programs on the server', () => {
    expect(app("CREATE TABLE t (x int); ALTER TABLE jobs ADD COLUMN attempts int; INSERT INTO jobs (state) VALUES ('queued')").status).toBe(0);
    const program = app("COPY (SELECT 1) TO PROGRAM 'id'");
    expect(program.output).toMatch(/must be superuser or have privileges of the pg_execute_server_program role/);
  });

  it('lets the monitoring role read statistics but no application data, and no other role connect', () => {
    expect(monitoring('SELECT count(*) > 0 FROM pg_stat_activity').stdout.trim()).toBe('t');
    expect(monitoring('SELECT * FROM jobs').output).toMatch(/permission denied for table jobs/);
    server.query("CREATE ROLE bystander LOGIN PASSWORD 'bystander-pw'");
    expect(server.as('bystander', 'bystander-pw', 'SELECT 1', 'atlas').output).toMatch(/permission denied for database "atlas"/);
  });

  it('refuses an application role that is the superuser', () => {
    const run = server.sh('psql --no-psqlrc --no-password --single-transaction --set=ON_ERROR_STOP=1 --file=roles.sql', { ...env, APP_USER: server.superuser });
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/the application role "pgadmin", the monitoring role "atlas_monitoring" and the superuser "pgadmin" must be three different roles/);
  });
});
