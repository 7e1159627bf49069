import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeObject } from '../core/kube-object';
import { recommendedLabels, selectorLabels, versionFromImage, type ComponentIdentity } from '../core/labels';
import { joinName } from '../core/names';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/security';
import { POSTGRES_UID, type Postgres } from './postgres';
import { checkResources, containerResources, contentHash, secretEnv, type StoreEnvVar, type StoreResources } from './store-pod';

export interface PostgresRolesProps {
  /** The server whose roles it manages. */
  readonly postgres: Postgres;
  /** Appended to the object names to form `app.kubernetes.io/instance`, e.g. `-prod`. @default '' */
  readonly instanceSuffix?: string;
  /** `app.kubernetes.io/part-of`. @default the server's */
  readonly partOf?: string;
  /** Resources of the Job's container. @default 25m/32Mi requested, 200m/64Mi limit */
  readonly resources?: StoreResources;
  /** Seconds the Job may take, waiting for the server included, before it is stopped. @default 1800 */
  readonly activeDeadlineSeconds?: number;
}

const DEFAULT_RESOURCES: StoreResources = { requests: { cpu: '25m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } };
const SETUP_DIR = '/setup';

/**
 * The application and monitoring roles of a {@link Postgres} server, kept in step with their Secrets
 * by a Job that connects as the superuser and runs `roles.sql` in one transaction, every statement
 * safe to repeat:
 * - the application role (from the app Secret) logs in, owns the database and, on a volume that
 *   predates it, the schemas, tables, views and sequences the superuser created there; it is no
 *   superuser and cannot create roles or databases, replicate or bypass row-level security;
 * - the monitoring role (from the monitoring Secret) logs in with `pg_monitor` (statistics, no
 *   data) and at most 3 connections;
 * - only those two connect to the database besides the superuser (`CONNECT` revoked from PUBLIC).
 *
 * A Job rather than a `/docker-entrypoint-initdb.d` script: the image runs those only when it
 * initializes an empty volume, while this also works on a database that already exists. The Job's
 * name carries a digest of what it runs (a Job's pod template is immutable): a change is a new Job.
 * A password rotated in a Secret is applied by deleting the Job and applying again.
 */
export class PostgresRoles extends Construct {
  public readonly name: string;
  public readonly identity: ComponentIdentity;
  public readonly job: KubeObject<k8s.KubeJobProps>;
  /** The SQL the Job runs. */
  public readonly sql: string;
  /** Requests and limits of the Job's pod. */
  public readonly podResources: StoreResources;
  public readonly image: string;

  constructor(scope: Construct, id: string, props: PostgresRolesProps) {
    super(scope, id);
    const pg = props.postgres;
    this.name = `${pg.name}-roles`;
    this.image = pg.image;
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkResources(this.name, 'roles', resources);
    this.podResources = resources;
    const major = Number(/^(\d+)/.exec(versionFromImage(pg.image))?.[1]);
    // `\getenv` (psql 15) keeps the passwords off the command line.
    if (Number.isFinite(major) && major < 15) {
      throw new Error(`${this.name}: the roles Job needs psql 15 or newer (\\getenv) from the server image; received ${pg.image}`);
    }
    this.identity = {
      name: this.name,
      instance: `${this.name}${props.instanceSuffix ?? ''}`,
      component: 'database-roles',
      partOf: props.partOf ?? pg.identity.partOf,
      version: versionFromImage(pg.image),
    };
    const labels = recommendedLabels(this.identity);
    const runAs = { user: POSTGRES_UID, group: POSTGRES_UID, fsGroup: POSTGRES_UID };
    this.sql = ROLES_SQL;

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: this.name, labels }, automountServiceAccountToken: false });
    new k8s.KubeConfigMap(this, 'config', { metadata: { name: this.name, labels }, data: { 'roles.sql': this.sql } });

    const env: StoreEnvVar[] = [
      { name: 'PGHOST', value: pg.serviceName },
      { name: 'PGPORT', value: String(pg.port) },
      { name: 'PGDATABASE', value: pg.database },
      secretEnv('PGUSER', pg.credentials.secretName, pg.credentials.usernameKey),
      secretEnv('PGPASSWORD', pg.credentials.secretName, pg.credentials.passwordKey),
      secretEnv('APP_USER', pg.appCredentials.secretName, pg.appCredentials.usernameKey),
      secretEnv('APP_PASSWORD', pg.appCredentials.secretName, pg.appCredentials.passwordKey),
      secretEnv('MONITORING_USER', pg.monitoringCredentials.secretName, pg.monitoringCredentials.usernameKey),
      secretEnv('MONITORING_PASSWORD', pg.monitoringCredentials.secretName, pg.monitoringCredentials.passwordKey),
    ];
    const podSpec: k8s.PodSpec = {
      serviceAccountName: this.name,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: 'Never',
      securityContext: restrictedPodSecurityContext(runAs),
      containers: [{
        name: 'roles',
        image: pg.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['/bin/sh', '-c', ROLES_SCRIPT],
        env: env.map((e) => ({ ...e })),
        resources: containerResources(resources),
        securityContext: restrictedContainerSecurityContext(runAs),
        volumeMounts: [{ name: 'setup', mountPath: SETUP_DIR, readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
        terminationMessagePolicy: 'FallbackToLogsOnError',
      }],
      volumes: [
        { name: 'setup', configMap: { name: this.name, defaultMode: 0o444 } },
        { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
      ],
    };
    const digest = contentHash(JSON.stringify({ sql: this.sql, pod: k8s.toJson_PodSpec(podSpec) })).slice(0, 8);

    this.job = new KubeObject(this, 'job', k8s.KubeJob.GVK, k8s.toJson_KubeJobProps, {
      metadata: { name: joinName(this.name, digest), labels },
      spec: {
        backoffLimit: 6,
        // The server may take minutes to initialize its volume on first install.
        activeDeadlineSeconds: props.activeDeadlineSeconds ?? 1800,
        template: { metadata: { labels }, spec: podSpec },
      },
    });
  }

  /** The stable labels of the Job's pod. */
  public get selector(): Record<string, string> {
    return selectorLabels(this.identity);
  }
}

// POSIX sh: wait for the server, then apply the roles in one transaction.
const ROLES_SCRIPT = `set -eu
# The server took its superuser password from the Secret file as $(< file), without trailing newlines: so do we.
PGPASSWORD="$(printf '%s' "$PGPASSWORD")"
until pg_isready --quiet --timeout=5; do echo "waiting for $PGHOST:$PGPORT"; sleep 5; done
psql --no-psqlrc --no-password --single-transaction --set=ON_ERROR_STOP=1 --file=${SETUP_DIR}/roles.sql
echo "roles of $PGDATABASE applied"
`;

/** The roles, as psql runs them: names and passwords come from the environment (`\getenv`), never the command line. */
export const ROLES_SQL = `-- Applied by the roles Job as the superuser, in one transaction; every statement is safe to repeat.
\\getenv app_user APP_USER
\\getenv app_password APP_PASSWORD
\\getenv monitoring_user MONITORING_USER
\\getenv monitoring_password MONITORING_PASSWORD
\\getenv database PGDATABASE
-- The passwords below never reach the server log.
SET LOCAL log_statement = 'none';
SET LOCAL log_min_duration_statement = -1;
SET LOCAL stackwright.app_user = :'app_user';
SET LOCAL stackwright.monitoring_user = :'monitoring_user';

DO $$
DECLARE
  app text := current_setting('stackwright.app_user');
  monitoring text := current_setting('stackwright.monitoring_user');
BEGIN
  IF app IN (current_user, monitoring) OR monitoring = current_user THEN
    RAISE EXCEPTION 'the application role "%", the monitoring role "%" and the superuser "%" must be three different roles', app, monitoring, current_user;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app) THEN EXECUTE format('CREATE ROLE %I', app); END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = monitoring) THEN EXECUTE format('CREATE ROLE %I', monitoring); END IF;
END $$;

-- The application role owns the database and what is in it, and nothing beyond: no superuser
-- (COPY ... PROGRAM, reading server files), no roles or databases of its own, no RLS bypass.
ALTER ROLE :"app_user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD :'app_password';
ALTER DATABASE :"database" OWNER TO :"app_user";

-- The monitoring role reads statistics (pg_monitor), not data.
ALTER ROLE :"monitoring_user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 3 PASSWORD :'monitoring_password';
GRANT pg_monitor TO :"monitoring_user";

-- No other role connects to the database (the owner and superusers always may).
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO :"monitoring_user";

-- What the superuser created here before the application role existed passes to it.
DO $$
DECLARE
  app text := current_setting('stackwright.app_user');
  item record;
BEGIN
  FOR item IN
    SELECT n.nspname FROM pg_namespace n
    WHERE n.nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
      AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
  LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', item.nspname, app);
  END LOOP;
  FOR item IN
    SELECT c.oid::regclass AS relation, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
      -- A sequence that belongs to a column moves with its table.
      AND NOT (c.relkind = 'S' AND EXISTS (
        SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I',
      CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
      item.relation, app);
  END LOOP;
END $$;
`;
