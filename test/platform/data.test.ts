import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceWorkloads } from './service-workloads';
import { environmentSources } from '../../environments';
import { renderRunbook } from '../../lib/data/backup';
import { buildPlatform } from '../../lib/platform';
import { resolveEnvironments } from '../../lib/spec';
import { renderEnvironment, type KubeObject } from '../../lib/synth';

const platforms = Object.fromEntries(
  resolveEnvironments(environmentSources.base, environmentSources.environments).map((p) => [p.environment, p]),
);
const rendered = Object.fromEntries(Object.entries(platforms).map(([env, p]) => [env, renderEnvironment(p)]));

type Obj = KubeObject & { spec?: any };
const objects = (env: string, file?: string): Obj[] =>
  rendered[env].files.filter((f) => file === undefined || f.path === `${env}/${file}`).flatMap((f) => f.objects as Obj[]);
const find = (env: string, kind: string, name: string) => objects(env).find((o) => o.kind === kind && o.metadata.name === name);
const claim = (env: string, name: string) => find(env, 'StatefulSet', name)?.spec.volumeClaimTemplates[0].spec;
/** The environment variable names of each Deployment (or Rollout) running a service's pods. */
const envNames = (env: string, service: string): string[][] =>
  serviceWorkloads(objects(env), service).map((w) => (w.spec.template.spec.containers[0].env ?? []).map((e: { name: string }) => e.name));

describe('data tier of the reference platform', () => {
  it('sizes the claim templates per environment: small on dev\'s default class, fast-ssd in staging and prod', () => {
    expect(claim('dev', 'postgres')).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } });
    expect(claim('staging', 'postgres')).toMatchObject({ storageClassName: 'fast-ssd', resources: { requests: { storage: '10Gi' } } });
    expect(claim('prod', 'postgres')).toMatchObject({ storageClassName: 'fast-ssd', resources: { requests: { storage: '20Gi' } } });
    expect(claim('dev', 'redis')).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    expect(claim('prod', 'redis')).toMatchObject({ storageClassName: 'fast-ssd', resources: { requests: { storage: '10Gi' } } });
  });

  it('emits gp3 StorageClasses in the cluster wave on AWS, and none on dev\'s local cluster', () => {
    expect(rendered.dev.files.map((f) => f.path)).not.toContain('dev/0000-storage.k8s.yaml');
    const classes = objects('prod', '0000-storage.k8s.yaml');
    expect(classes.map((o) => [o.kind, o.metadata.name, o.metadata.namespace, (o as any).parameters.type])).toEqual([
      ['StorageClass', 'fast-ssd', undefined, 'gp3'],
      ['StorageClass', 'standard', undefined, 'gp3'],
    ]);
  });

  it('keeps a database disk when its claim is deleted (fast-ssd) and deletes a backup volume\'s disk with its claim (standard)', () => {
    const reclaim = Object.fromEntries(objects('prod', '0000-storage.k8s.yaml').map((o) => [o.metadata.name, (o as any).reclaimPolicy]));
    expect(reclaim).toEqual({ 'fast-ssd': 'Retain', standard: 'Delete' });
    // Every database claim is on the retained class; the backup claim on the deleted one.
    expect([claim('prod', 'postgres')?.storageClassName, claim('prod', 'redis')?.storageClassName]).toEqual(['fast-ssd', 'fast-ssd']);
    expect(find('prod', 'PersistentVolumeClaim', 'postgres-backups')?.spec.storageClassName).toBe('standard');
  });

  it('tunes PostgreSQL per environment: 512MB shared_buffers and 200 connections in prod, less on dev', () => {
    const conf = (env: string): string => (find(env, 'ConfigMap', 'postgres-config') as any).data['postgresql.conf'];
    expect(conf('prod')).toMatch(/^shared_buffers = 512MB$/m);
    expect(conf('prod')).toMatch(/^max_connections = 200$/m);
    expect(conf('dev')).toMatch(/^shared_buffers = 64MB$/m);
    expect(conf('dev')).toMatch(/^max_connections = 50$/m);
  });

  it('keeps the worker\'s job queue in a Redis that evicts only keys with a TTL, in every environment', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      expect((find(env, 'ConfigMap', 'redis-config') as any).data['redis.conf']).toMatch(/^maxmemory-policy volatile-lru$/m);
    }
  });

  it('backs up nightly in every environment, keeping dumps longer in prod and copying them to S3 there only', () => {
    const backup = (env: string) => find(env, 'CronJob', 'postgres-backup')?.spec;
    const retention = (env: string) => {
      const pod = backup(env).jobTemplate.spec.template.spec;
      const dump = [...(pod.initContainers ?? []), ...pod.containers].find((c: { name: string }) => c.name === 'dump');
      return dump.env.find((e: { name: string }) => e.name === 'RETENTION_DAYS').value;
    };
    for (const env of ['dev', 'staging', 'prod']) {
      expect(backup(env)).toMatchObject({ schedule: '0 2 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
      expect(find(env, 'CronJob', 'postgres-restore')?.spec.suspend).toBe(true);
    }
    expect([retention('dev'), retention('staging'), retention('prod')]).toEqual(['3', '7', '14']);
    expect(backup('prod').jobTemplate.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['upload']);
    expect(backup('staging').jobTemplate.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['dump']);
  });

  it('gives api and worker the connection settings of PostgreSQL and Redis, and dashboard, which declares neither, none', () => {
    const connection = ['POSTGRES_HOST', 'POSTGRES_PORT', 'POSTGRES_DATABASE', 'POSTGRES_USER', 'POSTGRES_PASSWORD', 'REDIS_HOST', 'REDIS_PORT', 'REDIS_PASSWORD'];
    for (const env of ['dev', 'staging', 'prod']) {
      for (const names of envNames(env, 'api')) expect(names).toEqual(expect.arrayContaining(connection));
      for (const names of envNames(env, 'worker')) expect(names).toEqual(expect.arrayContaining(connection));
      for (const names of envNames(env, 'dashboard')) expect(names.filter((n) => /^(POSTGRES|REDIS)_/.test(n))).toEqual([]);
    }
  });

  it('passes credentials to services only as secretKeyRefs', () => {
    const vars = find('prod', 'Deployment', 'api')?.spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[];
    for (const name of ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'REDIS_PASSWORD']) {
      const v = vars.find((e) => e.name === name);
      expect(v?.value).toBeUndefined();
      expect(v?.valueFrom).toHaveProperty('secretKeyRef');
    }
  });

  it('connects services to PostgreSQL as the application role, and nothing in any environment as the superuser but the server, its roles Job and the backups', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      // Every workload of the services that use PostgreSQL: Deployments, Rollouts, canary tracks.
      const clients = objects(env).filter((o) => ['Deployment', 'Rollout'].includes(o.kind) && ['api', 'worker'].includes(o.spec.template.metadata.labels['app.kubernetes.io/name']));
      expect(clients.length, env).toBeGreaterThanOrEqual(2);
      for (const o of clients) {
        const vars = o.spec.template.spec.containers[0].env as { name: string; valueFrom?: { secretKeyRef?: { name: string } } }[];
        expect(vars.find((e) => e.name === 'POSTGRES_USER')?.valueFrom?.secretKeyRef?.name, `${env} ${o.kind}/${o.metadata.name}`).toBe('postgres-app-credentials');
      }
      const readers = objects(env)
        .filter((o) => JSON.stringify(o).includes('"postgres-credentials"') && o.kind !== 'ExternalSecret')
        .map((o) => `${o.kind}/${o.metadata.name!.replace(/-[0-9a-f]{8}$/, '')}`);
      expect(readers, env).toEqual(['StatefulSet/postgres', 'Job/postgres-roles', 'CronJob/postgres-backup', 'CronJob/postgres-restore']);
    }
  });

  it('registers each store as an endpoint with its port and metrics port, and as a workload, for policies and scraping', () => {
    const ctx = buildPlatform(platforms.prod);
    expect(ctx.endpoint('postgres')).toMatchObject({
      role: 'postgres', serviceName: 'postgres', ports: [{ name: 'postgres', port: 5432 }, { name: 'metrics', port: 9187 }], metrics: [{ port: 'metrics', path: '/metrics' }],
    });
    expect(ctx.endpoint('redis')).toMatchObject({ role: 'redis', ports: [{ name: 'redis', port: 6379 }, { name: 'metrics', port: 9121 }] });
    const workloads = ctx.workloads.filter((w) => /^(postgres|redis)/.test(w.name)).map((w) => [w.kind, w.name, w.replicas.max, w.podResources.requests.memory]);
    expect(workloads).toEqual([
      ['StatefulSet', 'postgres', 1, '2080Mi'],
      ['Job', expect.stringMatching(/^postgres-roles-[0-9a-f]{8}$/), 1, '32Mi'],
      ['CronJob', 'postgres-backup', 1, '256Mi'],
      ['CronJob', 'postgres-restore', 1, '256Mi'],
      ['StatefulSet', 'redis', 1, '1056Mi'],
    ]);
  });

  it('scales the prod worker on its Redis queue through the declared store, the password by Secret reference', () => {
    const so = find('prod', 'ScaledObject', 'worker');
    expect(so?.spec.triggers[0]).toEqual({
      type: 'redis', name: 'queue', authenticationRef: { name: 'worker-queue' },
      metadata: { address: 'redis.atlas-prod.svc:6379', listName: 'analytics', listLength: '50' },
    });
    expect(find('prod', 'TriggerAuthentication', 'worker-queue')?.spec).toEqual({ secretTargetRef: [{ parameter: 'password', name: 'redis-credentials', key: 'password' }] });
  });

  it('scales on a PostgreSQL query with every connection setting taken from the declared store', () => {
    const platform = resolveEnvironments(environmentSources.base, {
      prod: { ...environmentSources.environments.prod, services: [{ name: 'worker', autoscaling: { keda: { minReplicas: 2, maxReplicas: 8, triggers: [{ type: 'postgresql', store: 'postgres', query: "SELECT count(*) FROM jobs WHERE state = 'queued'", targetQueryValue: 20 }] } } }] },
    } as never)[0];
    const objects = renderEnvironment(platform).files.flatMap((f) => f.objects as Obj[]);
    const trigger = objects.find((o) => o.kind === 'ScaledObject')?.spec.triggers[0];
    expect(trigger.metadata).toMatchObject({ host: 'postgres.atlas-prod.svc', port: '5432', dbName: 'atlas', sslmode: 'disable' });
    // The query reads the application's tables: as the application role, never the superuser.
    expect(objects.find((o) => o.kind === 'TriggerAuthentication')?.spec.secretTargetRef).toEqual([
      { parameter: 'userName', name: 'postgres-app-credentials', key: 'username' },
      { parameter: 'password', name: 'postgres-app-credentials', key: 'password' },
    ]);
  });

  it('gives the data stores the data PriorityClass where the environment asks for priority classes', () => {
    expect(find('prod', 'StatefulSet', 'postgres')?.spec.template.spec.priorityClassName).toBe('atlas-prod-data');
    expect(find('prod', 'StatefulSet', 'redis')?.spec.template.spec.priorityClassName).toBe('atlas-prod-data');
    expect(find('prod', 'PriorityClass', 'atlas-prod-data')).toBeDefined();
    expect(find('dev', 'StatefulSet', 'postgres')?.spec.template.spec).not.toHaveProperty('priorityClassName');
  });

  it('declares the roles Job\'s, backup\'s and restore\'s connections to PostgreSQL as flows for the network policies', () => {
    const ctx = buildPlatform(platforms.prod);
    expect(ctx.flows.filter((f) => f.to === 'postgres').map((f) => [f.from.name, f.from.selector['app.kubernetes.io/name'], f.ports])).toEqual([
      ['postgres-roles', 'postgres-roles', ['postgres']],
      ['postgres-backup', 'postgres-backup', ['postgres']],
      ['postgres-restore', 'postgres-restore', ['postgres']],
    ]);
  });

  it('lets prod\'s restore fetch a dump from the bucket with the upload\'s image and credentials, and gives it the egress for that', () => {
    const pod = (env: string, name: string) => find(env, 'CronJob', name)!.spec.jobTemplate.spec.template.spec;
    const [download] = pod('prod', 'postgres-restore').initContainers;
    const [upload] = pod('prod', 'postgres-backup').containers;
    expect(download.name).toBe('download');
    expect(download.image).toBe(upload.image);
    const secretRefs = (c: { env: { valueFrom?: { secretKeyRef?: unknown } }[] }) => c.env.filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.valueFrom);
    expect(secretRefs(download)).toEqual(secretRefs(upload));
    expect(download.env).toContainEqual({ name: 'RESTORE_SOURCE', valueFrom: { configMapKeyRef: { name: 'postgres-restore', key: 'source', optional: true } } });
    const ctx = buildPlatform(platforms.prod);
    expect(ctx.externalFlows.filter((f) => f.name === 'object-storage').map((f) => f.from.name)).toEqual(['postgres-backup', 'postgres-restore']);
    // Without a bucket there is nothing to download.
    for (const env of ['dev', 'staging']) expect(pod(env, 'postgres-restore').initContainers, env).toBeUndefined();
  });

  describe('restore runbook', () => {
    const runbook = (env: string) => {
      const annotations = find(env, 'CronJob', 'postgres-restore')!.metadata.annotations as Record<string, string>;
      const lines = (key: string): string[] => annotations[`stackwright.dev/${key}`].split('\n');
      return { quiesce: lines('quiesce'), run: lines('run'), resume: lines('resume') };
    };

    it('stops every workload of every service that depends on PostgreSQL by its replica owner, in each environment, and no other', () => {
      const stop = (env: string) => runbook(env).quiesce.filter((l) => !l.startsWith('until ') && !l.includes('cronjob'));
      // dev: fixed counts; staging: the api's Argo Rollout under an HPA, the worker fixed;
      // prod: the api's stable track under an HPA and its canary (fixed), and a KEDA worker.
      expect(stop('dev')).toEqual(['kubectl -n atlas-dev scale deployment api --replicas=0', 'kubectl -n atlas-dev scale deployment worker --replicas=0']);
      expect(stop('staging')).toEqual(['kubectl -n atlas-staging scale rollout api --replicas=0', 'kubectl -n atlas-staging scale deployment worker --replicas=0']);
      expect(stop('prod')).toEqual([
        'kubectl -n atlas-prod scale deployment api --replicas=0',
        'kubectl -n atlas-prod scale deployment api-canary --replicas=0',
        'kubectl -n atlas-prod annotate scaledobject worker autoscaling.keda.sh/paused-replicas=0 --overwrite',
      ]);
      // The dashboard uses only the api: it keeps running.
      for (const env of ['dev', 'staging', 'prod']) expect(JSON.stringify(runbook(env))).not.toContain('dashboard');
    });

    it('starts them again at what their owner would choose: the HPA minimum, KEDA unpaused, the fixed count', () => {
      expect(runbook('dev').resume.slice(0, 2)).toEqual(['kubectl -n atlas-dev scale deployment api --replicas=1', 'kubectl -n atlas-dev scale deployment worker --replicas=1']);
      expect(runbook('staging').resume.slice(0, 2)).toEqual(['kubectl -n atlas-staging scale rollout api --replicas=2', 'kubectl -n atlas-staging scale deployment worker --replicas=1']);
      expect(runbook('prod').resume.slice(0, 3)).toEqual([
        'kubectl -n atlas-prod scale deployment api --replicas=3',
        'kubectl -n atlas-prod scale deployment api-canary --replicas=1',
        'kubectl -n atlas-prod annotate scaledobject worker autoscaling.keda.sh/paused-replicas-',
      ]);
    });

    it('waits for each writer\'s pods to be gone, allowing for its grace period, before the restore starts', () => {
      expect(runbook('prod').quiesce.filter((l) => l.startsWith('until '))).toEqual([
        'until [ -z "$(kubectl -n atlas-prod get pods -l app.kubernetes.io/name=api,app.kubernetes.io/instance=api-prod,delivery.stackwright.io/track=stable -o name)" ]; do sleep 5; done  # api: up to 30s of grace',
        'until [ -z "$(kubectl -n atlas-prod get pods -l app.kubernetes.io/name=api,app.kubernetes.io/instance=api-prod,delivery.stackwright.io/track=canary -o name)" ]; do sleep 5; done  # api-canary: up to 30s of grace',
        'until [ -z "$(kubectl -n atlas-prod get pods -l app.kubernetes.io/name=worker,app.kubernetes.io/instance=worker-prod -o name)" ]; do sleep 5; done  # worker: up to 120s of grace',
      ]);
    });

    it('parses as POSIX sh in every environment', () => {
      for (const env of ['dev', 'staging', 'prod']) {
        const check = spawnSync('sh', ['-n', '-c', renderRunbook(runbook(env))], { encoding: 'utf8' });
        expect(check.stderr, env).toBe('');
        expect(check.status, env).toBe(0);
      }
    });

    it('is the one the README shows for prod (copy it from the restore CronJob\'s annotations when it changes)', () => {
      const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
      expect(readme).toContain(`\`\`\`sh\n${renderRunbook(runbook('prod'))}\n\`\`\``);
    });
  });

  it('puts the data stores in the data wave, before the apps that use them', () => {
    expect(rendered.prod.files.map((f) => f.path).filter((p) => p.includes('0200-'))).toEqual(['prod/0200-postgres.k8s.yaml', 'prod/0200-redis.k8s.yaml']);
  });
});
