import { recommendedLabels } from '../core/labels';
import { parseQuantity } from '../core/quantity';
import { Wave } from '../core/waves';
import { kubectlCreateSecretCommand } from '../security/existing-secret-command';
import { ExternalSecretReference, SecretStoreRef } from '../security/external-secret-reference';
import { NamespaceLimitRange } from '../security/namespace-limit-range';
import { NamespaceQuota } from '../security/namespace-quota';
import { PlatformNamespace } from '../security/platform-namespace';
import { PodSecurityLevel } from '../security/pod-security';
import { quotaOverflows } from '../security/quota-demand';
import { SealedSecretReference } from '../security/sealed-secret-reference';
import { WorkloadRole } from '../security/workload-role';
import { SpecError, secretNamespace, type ResolvedPlatform, type SpecProblem } from '../spec';
import type { AppWorkloads } from './apps';
import type { PlatformContext } from './context';

type Security = ResolvedPlatform['security'];
type QuotaSpec = Security['quota'];
type LimitRangeSpec = Security['limitRange'];
type SecretSpec = Security['secrets'][number];

/** A namespace the platform creates, with the quota and limit range it gets. */
export interface ManagedNamespace {
  readonly name: string;
  /** What it holds, e.g. `namespace` (the application's), `telemetry`. */
  readonly component: string;
  readonly podSecurity: PodSecurityLevel;
  readonly quota: QuotaSpec;
  readonly limitRange: LimitRangeSpec;
  /** Where its quota and limit range are declared, for messages: `security` or `security.namespaces[<name>]`. */
  readonly specPath: string;
}

/** Registers the application namespace; components register theirs, `security.namespaces` adds and sizes them. */
export function buildNamespaces(ctx: PlatformContext): void {
  ctx.registerNamespace({ name: ctx.namespace, component: 'namespace', podSecurity: 'restricted' });
}

/**
 * Every namespace the platform creates: the registered ones (application, components) and those only
 * `security.namespaces` names, each with the quota and limit range the spec gives it (by name) or the
 * application namespace's. Problems (a spec level that contradicts a component's) go to `problem`.
 */
export function managedNamespaces(ctx: PlatformContext, problem: (path: string, received: unknown, message: string) => void = () => {}): ManagedNamespace[] {
  const security = ctx.platform.security;
  const requests = [...ctx.namespaces];
  for (const ns of security.namespaces) {
    if (!requests.some((r) => r.name === ns.name)) {
      requests.push({ name: ns.name, component: 'namespace', podSecurity: ns.podSecurity ?? 'restricted', reason: ns.reason });
    }
  }
  return requests.map((request) => {
    const declared = security.namespaces.find((ns) => ns.name === request.name);
    if (declared?.podSecurity !== undefined && declared.podSecurity !== request.podSecurity) {
      problem(`security.namespaces[${request.name}].podSecurity`, declared.podSecurity, `the ${request.component} component needs "${request.podSecurity}"${request.reason ? ` (${request.reason})` : ''}; remove podSecurity here or set it to "${request.podSecurity}"`);
    }
    return {
      name: request.name,
      component: request.component,
      podSecurity: request.podSecurity === 'restricted' ? PodSecurityLevel.restricted() : PodSecurityLevel[request.podSecurity](request.reason ?? ''),
      quota: declared?.quota ?? security.quota,
      limitRange: declared?.limitRange ?? security.limitRange,
      specPath: declared ? `security.namespaces[${request.name}]` : 'security',
    };
  });
}

/**
 * Each service's declared RBAC and the secret references (ExternalSecret, SealedSecret, or nothing
 * for Secrets created out of band), wired into the apps.
 */
export function buildSecurity(ctx: PlatformContext, apps: AppWorkloads): void {
  const { platform } = ctx;
  for (const grant of platform.security.rbac) {
    const svc = platform.services.find((s) => s.name === grant.name)!;
    new WorkloadRole(ctx.chart(Wave.CONFIG, 'rbac'), grant.name, {
      serviceAccount: grant.name,
      namespace: ctx.namespace,
      labels: recommendedLabels(ctx.identityOf(svc)),
      rules: grant.rules.map((r) => ({ ...r, waiver: r.waiver?.reason })),
    });
  }

  for (const secret of platform.security.secrets) {
    buildSecretReference(ctx, secret);
    for (const use of secret.env) {
      const app = apps.get(use.service);
      if (!app) throw new Error(`secret ${secret.name}: no workload for service ${use.service}`);
      for (const w of app.workloads) w.addEnv({ name: use.variable, valueFrom: { secretKeyRef: { name: secret.name, key: use.key } } });
      ctx.referenceSecret({ name: secret.name, namespace: ctx.namespace, keys: [use.key], by: use.service });
    }
  }
}

/** How a secret reaches the cluster in this environment. */
export function secretSource(platform: ResolvedPlatform, secret: SecretSpec): 'external' | 'sealed' | 'existing' {
  return secret.source ?? platform.security.secretSource.kind;
}

function buildSecretReference(ctx: PlatformContext, secret: SecretSpec): void {
  const { platform } = ctx;
  const namespace = secretNamespace(platform, secret);
  const labels = recommendedLabels(ctx.platformIdentity(secret.name, 'secret'));
  const source = secretSource(platform, secret);
  if (source === 'external') {
    const store = platform.security.secretSource.store!;
    const remoteKey = secret.remoteKey ?? `${platform.name}/${platform.environment}/${secret.name}`;
    new ExternalSecretReference(ctx.chart(Wave.CONFIG, 'secrets'), `${namespace}-${secret.name}`, {
      name: secret.name,
      namespace,
      labels,
      type: secret.type,
      store: store.kind === 'ClusterSecretStore' ? SecretStoreRef.cluster(store.name) : SecretStoreRef.namespaced(store.name),
      refreshInterval: platform.security.secretSource.refreshInterval,
      data: secret.keys.map((key) => ({ secretKey: key, remoteKey, property: key })),
    });
  } else if (source === 'sealed') {
    new SealedSecretReference(ctx.chart(Wave.CONFIG, 'secrets'), `${namespace}-${secret.name}`, {
      name: secret.name, namespace, labels, type: secret.type, encryptedData: secret.sealed!.spec.encryptedData,
    });
  }
  // `existing`: the operator creates the Secret (see the README); nothing is emitted.
}

/**
 * Runs after every component has registered its namespaces, workloads and secret references, and
 * before anything is written: creates every namespace (restricted unless a reasoned exception) with
 * its quota and limit range, then checks that every workload runs in one of them, that each
 * namespace's workloads fit its quota at their peak and its limit range per claim, and that every
 * referenced Secret is declared with the keys read from it. Problems raise one SpecError.
 */
export function completeTenancy(ctx: PlatformContext): void {
  const { platform } = ctx;
  const problems: SpecProblem[] = [];
  const problem = (path: string, received: unknown, message: string) => problems.push({ environment: platform.environment, path, received, message });
  const managed = managedNamespaces(ctx, problem);
  const namespaces = new Map(managed.map((ns) => [ns.name, ns]));

  const namespaceChart = ctx.chart(Wave.CLUSTER, 'namespaces', null);
  const tenancy = ctx.chart(Wave.CONFIG, 'tenancy');
  for (const ns of managed) {
    new PlatformNamespace(namespaceChart, ns.name, {
      name: ns.name,
      component: ns.component,
      kubernetesVersion: platform.cluster.kubernetesVersion,
      podSecurity: ns.podSecurity,
      partOf: platform.name,
    });
    const labels = (name: string) => recommendedLabels(ctx.platformIdentity(name, 'tenancy', `${name}-${ns.name}`));
    new NamespaceQuota(tenancy, `${ns.name}-quota`, {
      namespace: ns.name,
      labels: labels('namespace-quota'),
      requests: ns.quota.requests,
      limits: ns.quota.limits,
      storage: ns.quota.storage,
      persistentVolumeClaims: ns.quota.persistentVolumeClaims,
      pods: ns.quota.pods,
      loadBalancers: ns.quota.loadBalancers,
      nodePorts: ns.quota.nodePorts,
    });
    new NamespaceLimitRange(tenancy, `${ns.name}-limits`, { namespace: ns.name, labels: labels('namespace-limits'), ...ns.limitRange });
  }

  for (const w of ctx.workloads) {
    if (!namespaces.has(w.namespace)) {
      problem('security.namespaces', w.namespace, `workload ${w.name} runs in a namespace the platform does not create; declare it under security.namespaces (with its quota)`);
    }
  }

  for (const ns of namespaces.values()) {
    // A DaemonSet runs one pod per node, however many replicas it registered.
    const workloads = ctx.workloads
      .filter((w) => w.namespace === ns.name)
      .map((w) => (w.kind === 'DaemonSet' ? { ...w, name: `${w.name} (per node, ${platform.cluster.maxNodes} nodes)`, replicas: { ...w.replicas, max: platform.cluster.maxNodes } } : w));
    const hard: Record<string, string> = {
      'requests.cpu': ns.quota.requests.cpu,
      'requests.memory': ns.quota.requests.memory,
      'limits.cpu': ns.quota.limits.cpu,
      'limits.memory': ns.quota.limits.memory,
      'requests.storage': ns.quota.storage,
      persistentvolumeclaims: String(ns.quota.persistentVolumeClaims),
      pods: String(ns.quota.pods),
    };
    const field: Record<string, string> = {
      'requests.storage': 'storage', persistentvolumeclaims: 'persistentVolumeClaims', pods: 'pods',
    };
    for (const o of quotaOverflows(hard, workloads)) {
      // A namespace without its own quota uses the application's; point at where its own would go.
      const quotaPath = ns.name === platform.namespace ? 'security.quota' : `security.namespaces[${ns.name}].quota`;
      problem(`${quotaPath}.${field[o.resource] ?? o.resource}`, o.allowed,
        `the workloads in ${ns.name} need ${o.needed} ${o.resource} at their maximum replica counts plus rollout surge (${o.contributors.join(', ')}), more than the quota allows; raise the quota or size the workloads down`);
    }
    for (const w of workloads) {
      for (const claim of [...(w.claimsPerReplica ?? []), ...(w.sharedClaims ?? [])]) {
        const size = parseQuantity(claim);
        if (size > parseQuantity(ns.limitRange.maxClaimStorage) || size < parseQuantity(ns.limitRange.minClaimStorage)) {
          const limitPath = ns.name === platform.namespace ? 'security.limitRange' : `security.namespaces[${ns.name}].limitRange`;
          problem(`${limitPath}.maxClaimStorage`, claim, `workload ${w.name} claims ${claim}, outside the limit range's ${ns.limitRange.minClaimStorage}–${ns.limitRange.maxClaimStorage} per claim in ${ns.name}`);
        }
      }
    }
  }

  for (const ref of ctx.secretReferences) {
    const declared = platform.security.secrets.find((s) => s.name === ref.name && secretNamespace(platform, s) === ref.namespace);
    if (!declared) {
      const elsewhere = platform.security.secrets.find((s) => s.name === ref.name);
      problem('security.secrets', ref.name, `${ref.by} reads Secret ${ref.namespace}/${ref.name} (keys ${ref.keys.join(', ')}), which is not declared${elsewhere ? ` (one is declared in ${secretNamespace(platform, elsewhere)})` : ''}; add it to security.secrets with those keys`);
      continue;
    }
    const missing = ref.keys.filter((k) => !declared.keys.includes(k));
    if (missing.length > 0) {
      problem(`security.secrets[${ref.name}].keys`, declared.keys, `${ref.by} reads the key(s) ${missing.join(', ')}, which the secret does not declare`);
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
}

/** README markers around the generated `kubectl create secret` commands. */
export const EXISTING_SECRETS_BEGIN = '<!-- existing-secrets:begin (generated by `npm run docs:secrets`; do not edit) -->';
export const EXISTING_SECRETS_END = '<!-- existing-secrets:end -->';

/**
 * The operator's commands for every Secret created out of band (`existing`), per environment, as
 * the Markdown that sits between the README markers.
 */
export function existingSecretsMarkdown(platforms: readonly ResolvedPlatform[]): string {
  const sections: string[] = [];
  for (const platform of platforms) {
    const existing = platform.security.secrets.filter((s) => secretSource(platform, s) === 'existing');
    if (existing.length === 0) continue;
    const blocks = existing.map((s) => {
      const readers = s.env.map((e) => `${e.service} (${e.variable})`);
      const what = [s.description, readers.length > 0 ? `read by ${readers.join(', ')}` : undefined].filter(Boolean).join('; ');
      return `# ${s.name}${what ? `: ${what}` : ''}\n${kubectlCreateSecretCommand({ name: s.name, namespace: secretNamespace(platform, s), keys: s.keys, type: s.type })}`;
    });
    const namespaces = [...new Set(existing.map((s) => secretNamespace(platform, s)))];
    sections.push(`**${platform.environment}** (namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.map((n) => `\`${n}\``).join(', ')}):\n\n\`\`\`sh\n${blocks.join('\n\n')}\n\`\`\``);
  }
  return sections.length > 0 ? sections.join('\n\n') : 'No environment uses `existing` secrets.';
}
