import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { serviceWorkloads } from './service-workloads';
import { environmentSources } from '../../environments';
import { base } from '../../environments/base';
import { dev } from '../../environments/dev';
import { prod } from '../../environments/prod';
import { buildApps } from '../../lib/platform/apps';
import { PlatformContext } from '../../lib/platform/context';
import {
  buildNamespaces, buildSecurity, completeTenancy, EXISTING_SECRETS_BEGIN, EXISTING_SECRETS_END, existingSecretsMarkdown,
} from '../../lib/platform/security';
import { POD_SECURITY_EXCEPTION_ANNOTATION } from '../../lib/security/platform-namespace';
import { parseQuantity } from '../../lib/core/quantity';
import { mergeOverlay, resolvePlatform, type ResolvedPlatform } from '../../lib/spec';
import { renderEnvironment, runSynth, synthesize, type KubeObject } from '../../lib/synth';
import { specProblems } from '../spec-problems';

const repositoryRoot = join(__dirname, '..', '..');
const reference = synthesize(environmentSources).environments;

function platformOf(env: { environment: string }, overlay: object = {}): ResolvedPlatform {
  return resolvePlatform(env.environment, mergeOverlay(mergeOverlay(base, env), overlay));
}

function objectsOf(platform: ResolvedPlatform): KubeObject[] {
  return renderEnvironment(platform).files.flatMap((f) => f.objects);
}

/** A context with namespaces, apps and security built but not yet checked, to register more before the check. */
function assembled(platform: ResolvedPlatform): PlatformContext {
  const ctx = new PlatformContext(new App(), platform);
  buildNamespaces(ctx);
  buildSecurity(ctx, buildApps(ctx));
  return ctx;
}


describe('tenancy of the reference platform', () => {
  it.each(reference.map((env) => [env.environment, env] as const))('%s: every namespace is restricted or a reasoned exception, with one quota and one limit range', (_name, env) => {
    const objects = env.files.flatMap((f) => f.objects);
    const namespaces = objects.filter((o) => o.kind === 'Namespace');
    expect(namespaces[0].metadata.name).toBe(env.platform.namespace);
    for (const declared of env.platform.security.namespaces) expect(namespaces.map((n) => n.metadata.name)).toContain(declared.name);
    for (const ns of namespaces) {
      const labels = ns.metadata.labels as Record<string, string>;
      const level = labels['pod-security.kubernetes.io/enforce'];
      expect(labels['pod-security.kubernetes.io/audit']).toBe(level);
      expect(labels['pod-security.kubernetes.io/warn']).toBe(level);
      expect(labels['pod-security.kubernetes.io/enforce-version']).toBe(`v${env.platform.cluster.kubernetesVersion}`);
      const reason = (ns.metadata.annotations as Record<string, string> | undefined)?.[POD_SECURITY_EXCEPTION_ANNOTATION];
      if (level === 'restricted') expect(reason).toBeUndefined();
      else expect(reason?.length).toBeGreaterThanOrEqual(20);
      const inNamespace = (kind: string) => objects.filter((o) => o.kind === kind && o.metadata.namespace === ns.metadata.name);
      expect(inNamespace('ResourceQuota')).toHaveLength(1);
      expect(inNamespace('LimitRange')).toHaveLength(1);
    }
    // Every namespaced object lands in a namespace the platform creates, or one the cluster's add-ons own
    // (e.g. dashboards for the operator's Grafana in its monitoring namespace).
    const cluster = env.platform.cluster;
    const created = new Set([...namespaces.map((n) => n.metadata.name), cluster.prometheus.namespace, cluster.dns.namespace, cluster.ingressController.namespace]);
    for (const o of objects) if (o.metadata.namespace !== undefined) expect(created, `${o.kind}/${o.metadata.name}`).toContain(o.metadata.namespace);
  });

  it.each(reference.map((env) => [env.environment, env] as const))('%s: every container and claim template fits its namespace\'s limit range', (_name, env) => {
    const objects = env.files.flatMap((f) => f.objects);
    type Range = { type: string; min?: Record<string, string>; max?: Record<string, string> };
    const ranges = new Map(objects.filter((o) => o.kind === 'LimitRange').map((o) => [o.metadata.namespace, (o as KubeObject & { spec: { limits: Range[] } }).spec.limits]));
    const q = (v: string | undefined) => (v === undefined ? undefined : parseQuantity(v));
    let checked = 0;
    for (const o of objects) {
      const spec = o.spec as { template?: { spec?: { containers?: unknown[]; initContainers?: unknown[] } }; jobTemplate?: { spec: { template: { spec: { containers: unknown[] } } } }; volumeClaimTemplates?: { spec: { resources: { requests: { storage: string } } } }[] } | undefined;
      const pod = spec?.template?.spec ?? spec?.jobTemplate?.spec.template.spec;
      if (!pod) continue;
      const limits = ranges.get(o.metadata.namespace)!;
      const container = limits.find((l) => l.type === 'Container')!;
      const claim = limits.find((l) => l.type === 'PersistentVolumeClaim')!;
      for (const c of [...(pod.containers ?? []), ...((pod as { initContainers?: unknown[] }).initContainers ?? [])] as { name: string; resources: { requests: Record<string, string>; limits: Record<string, string> } }[]) {
        for (const r of ['cpu', 'memory']) {
          const where = `${o.kind}/${o.metadata.name} ${c.name} ${r}`;
          expect(q(c.resources.requests[r]), `${where} request`).toBeGreaterThanOrEqual(q(container.min![r])!);
          expect(q(c.resources.limits[r]), `${where} limit`).toBeLessThanOrEqual(q(container.max![r])!);
        }
        checked++;
      }
      for (const t of spec?.volumeClaimTemplates ?? []) {
        const size = q(t.spec.resources.requests.storage)!;
        expect(size).toBeLessThanOrEqual(q(claim.max!.storage)!);
        expect(size).toBeGreaterThanOrEqual(q(claim.min!.storage)!);
      }
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('puts namespaces in the first wave and quotas, limit ranges, service RBAC and secret references in the config wave', () => {
    for (const env of reference) {
      const services = new Set(env.platform.services.map((s) => s.name));
      for (const file of env.files) {
        for (const o of file.objects) {
          if (o.kind === 'Namespace') expect(file.path).toMatch(/\/0000-/);
          const serviceRbac = (o.kind === 'Role' || o.kind === 'RoleBinding') && o.metadata.namespace === env.platform.namespace && services.has(o.metadata.name!);
          if (['ResourceQuota', 'LimitRange', 'ExternalSecret', 'SealedSecret'].includes(o.kind) || serviceRbac) expect(file.path, `${o.kind}/${o.metadata.name}`).toMatch(/\/0100-/);
        }
      }
    }
  });

  it('gives an exception namespace its level, its reason and its own quota', () => {
    const platform = platformOf(prod, {
      security: {
        namespaces: [{
          name: 'logging',
          podSecurity: 'privileged',
          reason: 'the log shipper reads /var/log/pods on every node through hostPath',
          quota: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' }, storage: '0' },
        }],
      },
    });
    const objects = objectsOf(platform);
    const ns = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === 'logging')!;
    expect((ns.metadata.labels as Record<string, string>)['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.metadata.annotations).toEqual({ [POD_SECURITY_EXCEPTION_ANNOTATION]: 'the log shipper reads /var/log/pods on every node through hostPath', 'argocd.argoproj.io/sync-wave': '0' });
    const quota = objects.find((o) => o.kind === 'ResourceQuota' && o.metadata.namespace === 'logging') as KubeObject & { spec: { hard: Record<string, string> } };
    expect(quota.spec.hard).toMatchObject({ 'requests.cpu': '1', 'limits.memory': '2Gi', 'requests.storage': '0' });
    // The limit range falls back to the application namespace's.
    const range = objects.find((o) => o.kind === 'LimitRange' && o.metadata.namespace === 'logging') as KubeObject & { spec: { limits: { max?: unknown }[] } };
    expect(range.spec.limits[0].max).toEqual({ cpu: '4', memory: '8Gi' });
  });
});

describe('namespaces components create', () => {
  it('sizes a component\'s namespace from security.namespaces and keeps the component\'s Pod Security level', () => {
    const objects = reference.find((e) => e.environment === 'prod')!.files.flatMap((f) => f.objects);
    const quota = objects.find((o) => o.kind === 'ResourceQuota' && o.metadata.namespace === 'atlas-prod-telemetry') as KubeObject & { spec: { hard: Record<string, string> } };
    expect(quota.spec.hard['requests.storage']).toBe('400Gi');
    const shipper = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === 'atlas-prod-log-shipper')!;
    expect((shipper.metadata.labels as Record<string, string>)['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  it('fails when the spec sets a Pod Security level a component cannot run under', () => {
    const platform = platformOf(prod, { security: { namespaces: [{ name: 'atlas-prod-log-shipper', podSecurity: 'restricted' }] } });
    expect(specProblems(() => renderEnvironment(platform))[0]).toMatch(
      /^prod: security\.namespaces\[atlas-prod-log-shipper\]\.podSecurity: the log-shipper component needs "privileged" \(Filebeat reads container log files/,
    );
  });
});

describe('the quota check', () => {
  it('fails with the numbers when the workloads at peak overflow the quota', () => {
    // dev's quota: 2 CPU / 4Gi requested, 6 CPU / 8Gi of limits, 20 pods. 20 api replicas + 5 surge next to
    // the dashboard (one surge pod), the worker (recreated: no surge) and the data tier (one pod each, the
    // roles Job, backup and restore included).
    const platform = platformOf(dev, { services: [{ name: 'api', replicas: 20 }] });
    const tail = 'more than the quota allows; raise the quota or size the workloads down';
    // The roles Job is named after a digest of what it runs.
    const roles = reference.find((e) => e.environment === 'dev')!.files.flatMap((f) => f.objects).find((o) => o.kind === 'Job' && o.metadata.name?.startsWith('postgres-roles-'))!.metadata.name;
    expect(specProblems(() => renderEnvironment(platform))).toEqual([
      'dev: security.quota.requests.cpu: the workloads in atlas-dev need 3125m requests.cpu at their maximum replica counts plus rollout surge '
      + `(api (20+5 surge)×100m, postgres 1×125m, dashboard (1+1 surge)×50m, postgres-backup 1×100m, postgres-restore 1×100m, worker 1×100m, redis 1×75m, ${roles} 1×25m), ${tail}; received "2"`,
      'dev: security.quota.requests.memory: the workloads in atlas-dev need 4576Mi requests.memory at their maximum replica counts plus rollout surge '
      + `(api (20+5 surge)×128Mi, postgres 1×288Mi, postgres-backup 1×256Mi, postgres-restore 1×256Mi, dashboard (1+1 surge)×96Mi, worker 1×192Mi, redis 1×160Mi, ${roles} 1×32Mi), ${tail}; received "4Gi"`,
      'dev: security.quota.limits.cpu: the workloads in atlas-dev need 16650m limits.cpu at their maximum replica counts plus rollout surge '
      + `(api (20+5 surge)×500m, postgres-backup 1×1, postgres-restore 1×1, postgres 1×600m, dashboard (1+1 surge)×250m, worker 1×500m, redis 1×350m, ${roles} 1×200m), ${tail}; received "6"`,
      'dev: security.quota.limits.memory: the workloads in atlas-dev need 9024Mi limits.memory at their maximum replica counts plus rollout surge '
      + `(api (20+5 surge)×256Mi, postgres 1×576Mi, postgres-backup 1×512Mi, postgres-restore 1×512Mi, dashboard (1+1 surge)×192Mi, worker 1×384Mi, redis 1×192Mi, ${roles} 1×64Mi), ${tail}; received "8Gi"`,
      'dev: security.quota.pods: the workloads in atlas-dev need 33 pods at their maximum replica counts plus rollout surge '
      + `(api (20+5 surge), dashboard (1+1 surge), postgres 1, postgres-backup 1, postgres-restore 1, ${roles} 1, redis 1, worker 1), ${tail}; received "20"`,
    ]);
  });

  it('counts an autoscaler\'s maximum, not the current replica count', () => {
    expect(specProblems(() => completeTenancy(assembled(platformOf(dev))))).toEqual([]);
    const ctx = assembled(platformOf(dev));
    ctx.updateWorkload('atlas-dev', 'api', (w) => ({ ...w, replicas: { min: 1, max: 20 } }));
    expect(specProblems(() => completeTenancy(ctx))[0]).toContain('need 2700m requests.cpu at their maximum replica counts plus rollout surge (api (20+5 surge)×100m, dashboard (1+1 surge)×50m, worker 1×100m)');
  });

  it('counts a DaemonSet once per node the cluster may run', () => {
    const ctx = assembled(platformOf(dev));
    ctx.registerWorkload({
      name: 'node-agent', kind: 'DaemonSet', namespace: 'atlas-dev', selector: {}, replicas: { min: 1, max: 1 }, images: [],
      podResources: { requests: { cpu: '600m', memory: '64Mi' }, limits: { cpu: '600m', memory: '64Mi' } },
    });
    // dev runs at most 3 nodes: 3 × 600m + the apps' 400m (the worker is recreated, without surge) = 2.2 CPU against 2.
    expect(specProblems(() => completeTenancy(ctx))[0]).toContain('need 2200m requests.cpu at their maximum replica counts plus rollout surge (node-agent (per node, 3 nodes) 3×600m,');
  });

  it('counts data-store claims against storage and the claim count', () => {
    const ctx = assembled(platformOf(dev));
    ctx.registerWorkload({
      name: 'postgres', kind: 'StatefulSet', namespace: 'atlas-dev', selector: {}, replicas: { min: 1, max: 1 }, images: [],
      podResources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      claimsPerReplica: ['10Gi'], sharedClaims: ['10Gi', '5Gi'],
    });
    expect(specProblems(() => completeTenancy(ctx))).toEqual([
      'dev: security.quota.storage: the workloads in atlas-dev need 25Gi requests.storage at their maximum replica counts plus rollout surge (postgres 1×(10Gi)+10Gi+5Gi), more than the quota allows; raise the quota or size the workloads down; received "20Gi"',
    ]);
  });

  it('fails when a claim is larger than the limit range admits', () => {
    const ctx = assembled(platformOf(dev));
    ctx.registerWorkload({
      name: 'redis', kind: 'StatefulSet', namespace: 'atlas-dev', selector: {}, replicas: { min: 1, max: 1 }, images: [],
      podResources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      claimsPerReplica: ['15Gi'],
    });
    expect(specProblems(() => completeTenancy(ctx))).toEqual([
      'dev: security.limitRange.maxClaimStorage: workload redis claims 15Gi, outside the limit range\'s 1Gi–10Gi per claim in atlas-dev; received "15Gi"',
    ]);
  });

  it('fails when a workload runs in a namespace the platform does not create', () => {
    const ctx = assembled(platformOf(dev));
    ctx.registerWorkload({
      name: 'prometheus', kind: 'StatefulSet', namespace: 'monitoring', selector: {}, replicas: { min: 1, max: 1 }, images: [],
      podResources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
    });
    expect(specProblems(() => completeTenancy(ctx))).toEqual([
      'dev: security.namespaces: workload prometheus runs in a namespace the platform does not create; declare it under security.namespaces (with its quota); received "monitoring"',
    ]);
  });

  it('leaves dist/ untouched when the quota overflows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackwright-quota-'));
    try {
      const dist = join(dir, 'dist');
      mkdirSync(join(dist, 'dev'), { recursive: true });
      writeFileSync(join(dist, 'dev', 'marker.yaml'), 'kept\n');
      const lines: string[] = [];
      const overflow = { ...environmentSources, environments: { ...environmentSources.environments, dev: mergeOverlay(dev, { services: [{ name: 'api', replicas: 20 }] }) } };
      expect(runSynth(overflow, dist, (l) => lines.push(l))).toBe(1);
      expect(lines.join('\n')).toContain('synth failed, dist/ left unchanged');
      expect(lines.join('\n')).toContain('need 3125m requests.cpu');
      expect(readFileSync(join(dist, 'dev', 'marker.yaml'), 'utf8')).toBe('kept\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('RBAC of the reference platform', () => {
  it.each(reference.map((env) => [env.environment, env] as const))('%s: each service gets exactly the rules it declares, and only it mounts a token', (_name, env) => {
    const objects = env.files.flatMap((f) => f.objects);
    // What the services' ServiceAccounts are bound to (other components' bindings in the namespace aside).
    const services = new Set(env.platform.services.map((s) => s.name));
    const toService = (b: KubeObject) => (b.subjects as { kind: string; name: string; namespace?: string }[])
      .some((s) => s.kind === 'ServiceAccount' && s.namespace === env.platform.namespace && services.has(s.name));
    const bindings = objects.filter((o) => (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && toService(o));
    const roles = bindings.map((b) => objects.find((o) => o.kind === (b.roleRef as { kind: string }).kind && o.metadata.name === (b.roleRef as { name: string }).name && (o.kind === 'ClusterRole' || o.metadata.namespace === b.metadata.namespace))!);
    const declared = env.platform.security.rbac;
    expect(roles.map((r) => r.metadata.name)).toEqual(declared.map((g) => g.name));
    expect(bindings.map((r) => r.metadata.name)).toEqual(declared.map((g) => g.name));
    // No cluster-wide grant reaches a service.
    expect(roles.map((r) => r.kind)).toEqual(declared.map(() => 'Role'));
    for (const grant of declared) {
      const role = roles.find((r) => r.metadata.name === grant.name)!;
      expect(role.rules).toEqual(grant.rules.map(({ waiver: _w, ...rule }) => rule));
      const binding = bindings.find((b) => b.metadata.name === grant.name)!;
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: grant.name });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: grant.name, namespace: env.platform.namespace }]);
    }
    for (const svc of env.platform.services) {
      const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === svc.name)!;
      const talksToApi = declared.some((g) => g.name === svc.name);
      expect(sa.automountServiceAccountToken, svc.name).toBe(talksToApi);
      // Every Deployment of the service (blue-green slots, canary) runs as its one ServiceAccount.
      for (const w of serviceWorkloads(objects, svc.name) as (KubeObject & { spec: { template: { spec: { automountServiceAccountToken: boolean; serviceAccountName: string } } } })[]) {
        expect(w.spec.template.spec.automountServiceAccountToken, w.metadata.name).toBe(talksToApi);
        expect(w.spec.template.spec.serviceAccountName, w.metadata.name).toBe(svc.name);
      }
    }
  });

  it('grants the worker only its leader-election Lease', () => {
    const role = reference.find((e) => e.environment === 'prod')!.files.flatMap((f) => f.objects).find((o) => o.kind === 'Role')!;
    expect(role.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['worker-leader'], verbs: ['get', 'update'] },
    ]);
  });

  it('elects one worker for the singleton rollup on exactly the Lease its Role names, while KEDA runs several competing consumers', () => {
    const objects = reference.find((e) => e.environment === 'prod')!.files.flatMap((f) => f.objects) as (KubeObject & { spec?: any; rules?: any[] })[];
    const role = objects.find((o) => o.kind === 'Role' && o.metadata.name === 'worker')!;
    const worker = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'worker')!.spec.template.spec.containers[0];
    const lease = worker.env.find((e: { name: string }) => e.name === 'LEADER_ELECTION_LEASE').value;
    expect(role.rules!.flatMap((r) => r.resourceNames ?? [])).toEqual([lease]);
    // The queue is not behind the Lease: every replica KEDA adds consumes it.
    expect(objects.find((o) => o.kind === 'ScaledObject' && o.metadata.name === 'worker')!.spec.maxReplicaCount).toBeGreaterThan(1);
    expect(base.services.find((s) => s.name === 'worker')!.description).toMatch(/every replica consumes the queue; the Lease holder runs the hourly rollup/);
  });
});

describe('secrets by reference', () => {
  it('uses External Secrets against the named ClusterSecretStore in staging and prod, and nothing but references in dev', () => {
    for (const env of reference) {
      const objects = env.files.flatMap((f) => f.objects);
      const external = objects.filter((o) => o.kind === 'ExternalSecret') as (KubeObject & { spec: { secretStoreRef: unknown; data: { remoteRef: { key: string } }[] } })[];
      if (env.environment === 'dev') {
        expect(external).toEqual([]);
        continue;
      }
      expect(external.map((e) => e.metadata.name).sort()).toEqual(env.platform.security.secrets.map((s) => s.name).sort());
      for (const e of external) {
        expect(e.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
        for (const d of e.spec.data) expect(d.remoteRef.key).toBe(`atlas/${env.environment}/${e.metadata.name}`);
      }
    }
  });

  it('delivers the logs and traces stack\'s secrets as ExternalSecrets in the namespaces their readers run in', () => {
    const external = (e: string) => Object.fromEntries(reference.find((x) => x.environment === e)!.files.flatMap((f) => f.objects)
      .filter((o) => o.kind === 'ExternalSecret')
      .map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, (o as KubeObject & { spec: { data: { secretKey: string }[] } }).spec.data.map((d) => d.secretKey)]));
    expect(external('prod')).toMatchObject({
      'atlas-prod-telemetry/elasticsearch-credentials': ['elastic', 'kibana_system', 'remote_monitoring_user', 'logstash_internal', 'grafana', 'jaeger'],
      'atlas-prod-telemetry/elasticsearch-tls': ['tls.crt', 'tls.key', 'ca.crt'],
      'atlas-prod-telemetry/kibana-encryption-key': ['encryptionKey'],
      // The cluster's Grafana (kube-prometheus-stack) reads its copy in its own namespace.
      'monitoring/grafana-elasticsearch': ['password', 'ca.crt'],
    });
    // Under ECK the operator keeps the elastic password and Kibana's keys: staging asks the store for the rest only.
    expect(external('staging')['atlas-staging-telemetry/elasticsearch-credentials']).toEqual(['remote_monitoring_user', 'logstash_internal', 'grafana', 'jaeger']);
    expect(external('staging')).not.toHaveProperty('atlas-staging-telemetry/kibana-encryption-key');
    // cert-manager issues the edge certificates of staging and prod: no TLS Secret comes from the store.
    expect(Object.keys(external('prod')).filter((k) => k.endsWith('-tls') && !k.endsWith('elasticsearch-tls'))).toEqual([]);
  });

  it('fails when a component of the logs and traces stack reads a Secret the spec does not declare, naming the reader and the keys', () => {
    // Declared, but in the application namespace rather than the telemetry namespace its readers run in.
    const input = mergeOverlay(base, prod) as { security: { secrets: { name: string; namespace?: string; namespaceOf?: string }[] } };
    const tls = input.security.secrets.find((s) => s.name === 'elasticsearch-tls')!;
    delete tls.namespaceOf;
    tls.namespace = 'atlas-prod';
    expect(specProblems(() => objectsOf(resolvePlatform('prod', input)))).toEqual(expect.arrayContaining([
      'prod: security.secrets: logstash reads Secret atlas-prod-telemetry/elasticsearch-tls (keys ca.crt), which is not declared (one is declared in atlas-prod); add it to security.secrets with those keys; received "elasticsearch-tls"',
      'prod: security.secrets: elasticsearch reads Secret atlas-prod-telemetry/elasticsearch-tls (keys tls.crt, tls.key, ca.crt), which is not declared (one is declared in atlas-prod); add it to security.secrets with those keys; received "elasticsearch-tls"',
    ]));
  });

  it('fails when a declared telemetry Secret lacks a key one of its readers needs', () => {
    const overlay = { security: { secrets: [{ name: 'elasticsearch-credentials', keys: ['elastic', 'kibana_system', 'remote_monitoring_user', 'logstash_internal', 'grafana'] }] } };
    expect(specProblems(() => objectsOf(platformOf(prod, overlay)))).toEqual(expect.arrayContaining([
      'prod: security.secrets[elasticsearch-credentials].keys: jaeger-query reads the key(s) jaeger, which the secret does not declare; received ["elastic","kibana_system","remote_monitoring_user","logstash_internal","grafana"]',
    ]));
  });

  it('asks for an edge TLS Secret only where cert-manager does not issue it', () => {
    // Dev has no cert-manager: its Ingresses read api-tls and dashboard-tls, which dev declares.
    const withoutTls = { security: { secrets: [{ name: 'api-tls', namespace: 'atlas-dev-telemetry' }] } };
    expect(specProblems(() => objectsOf(platformOf(dev, withoutTls)))).toEqual(expect.arrayContaining([
      'dev: security.secrets: the api Ingress reads Secret atlas-dev/api-tls (keys tls.crt, tls.key), which is not declared (one is declared in atlas-dev-telemetry); add it to security.secrets with those keys; received "api-tls"',
    ]));
  });

  it('hands services their secrets as secretKeyRef, by name', () => {
    for (const env of reference) {
      for (const api of serviceWorkloads(env.files.flatMap((f) => f.objects), 'api') as (KubeObject & { spec: { template: { spec: { containers: { env: unknown[] }[] } } } })[]) {
        expect(api.spec.template.spec.containers[0].env).toContainEqual({ name: 'SESSION_SIGNING_KEY', valueFrom: { secretKeyRef: { name: 'api-session', key: 'signing-key' } } });
      }
    }
  });

  it('fails when a component reads a Secret the spec does not declare', () => {
    const ctx = assembled(platformOf(prod));
    ctx.referenceSecret({ name: 'analytics-credentials', namespace: 'atlas-prod', keys: ['username', 'password'], by: 'analytics' });
    expect(specProblems(() => completeTenancy(ctx))).toEqual([
      'prod: security.secrets: analytics reads Secret atlas-prod/analytics-credentials (keys username, password), which is not declared; add it to security.secrets with those keys; received "analytics-credentials"',
    ]);
  });

  it('fails when a component reads a key the declared Secret lacks', () => {
    const ctx = assembled(platformOf(prod, { security: { secrets: [{ name: 'redis-credentials', keys: ['pass'] }] } }));
    ctx.referenceSecret({ name: 'redis-credentials', namespace: 'atlas-prod', keys: ['password'], by: 'redis' });
    expect(specProblems(() => completeTenancy(ctx))).toEqual([
      'prod: security.secrets[redis-credentials].keys: redis reads the key(s) password, which the secret does not declare; received ["pass"]',
    ]);
  });

  it('emits a SealedSecret carrying the kubeseal ciphertext for a sealed secret', () => {
    const ciphertext = `AgB${'Q'.repeat(340)}==`;
    const sealed = {
      apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret',
      metadata: { name: 'api-session', namespace: 'atlas-prod', creationTimestamp: null },
      spec: { encryptedData: { 'signing-key': ciphertext }, template: { metadata: { name: 'api-session', namespace: 'atlas-prod', creationTimestamp: null } } },
    };
    const platform = platformOf(prod, {
      cluster: { capabilities: { sealedSecrets: true } },
      security: { secrets: [{ name: 'api-session', source: 'sealed', sealed }] },
    });
    const objects = objectsOf(platform);
    expect(objects.filter((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'api-session')).toEqual([]);
    const found = objects.filter((o) => o.kind === 'SealedSecret') as (KubeObject & { spec: { encryptedData: unknown } })[];
    expect(found).toHaveLength(1);
    expect(found[0].metadata).toMatchObject({ name: 'api-session', namespace: 'atlas-prod' });
    expect(found[0].spec.encryptedData).toEqual({ 'signing-key': ciphertext });
  });
});

describe('documentation of existing secrets', () => {
  it('has the README list exactly the kubectl commands the spec calls for (run `npm run docs:secrets` to regenerate)', () => {
    const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf(EXISTING_SECRETS_BEGIN) + EXISTING_SECRETS_BEGIN.length, readme.indexOf(EXISTING_SECRETS_END));
    expect(block.trim()).toBe(existingSecretsMarkdown(reference.map((e) => e.platform)));
  });

  it('documents every dev secret in the namespace its readers run in, with one file per declared key', () => {
    const markdown = existingSecretsMarkdown(reference.map((e) => e.platform));
    const devPlatform = reference.find((e) => e.environment === 'dev')!.platform;
    const where = (name: string) => (['elasticsearch-credentials', 'elasticsearch-tls', 'kibana-encryption-key'].includes(name) ? 'atlas-dev-telemetry'
      : ['grafana-elasticsearch', 'grafana-admin', 'alertmanager-receivers'].includes(name) ? 'monitoring' : 'atlas-dev');
    expect(devPlatform.security.secrets.map((s) => s.name)).toEqual(expect.arrayContaining(['elasticsearch-credentials', 'elasticsearch-tls', 'kibana-encryption-key', 'grafana-elasticsearch', 'grafana-admin', 'alertmanager-receivers', 'api-tls']));
    for (const secret of devPlatform.security.secrets) {
      expect(markdown).toContain(`kubectl create secret generic ${secret.name} \\\n    --namespace ${where(secret.name)}`);
      for (const key of secret.keys) expect(markdown).toContain(`--from-file=${key}=./${secret.name}/${key}`);
    }
    expect(markdown).toContain('kubectl create secret generic elasticsearch-tls \\\n    --namespace atlas-dev-telemetry \\\n    --type kubernetes.io/tls');
    // Staging and prod read theirs from the secret store: nothing for operators to create.
    expect(markdown).not.toContain('atlas-prod');
    expect(markdown).not.toContain('atlas-staging');
  });
});
