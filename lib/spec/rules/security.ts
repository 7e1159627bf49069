import { parseQuantity } from '../../core/quantity';
import { forbiddenRequests, invalidRequests } from '../../security/rbac-risks';
import { REQUIRED_KEYS } from '../../security/secret-keys';
import { monitoringNamespace, secretNamespace, shipperNamespace, telemetryNamespace } from '../namespaces';
import type { ResolvedPlatform } from '../platform';
import type { Report } from './report';

type Path = (string | number)[];

/** Cross-field rules for tenancy and security: namespaces, quotas, limit ranges, RBAC, secrets. */
export function checkSecurity(platform: ResolvedPlatform, report: Report): void {
  const security = platform.security;
  const namespaces = new Set([platform.namespace]);
  security.namespaces.forEach((ns, i) => {
    const path: Path = ['security', 'namespaces', i];
    if (namespaces.has(ns.name)) {
      report([...path, 'name'], ns.name, ns.name === platform.namespace ? 'this is the application namespace, which exists already' : 'duplicate namespace name');
    }
    namespaces.add(ns.name);
    if (ns.podSecurity !== undefined && ns.podSecurity !== 'restricted' && (ns.reason?.trim().length ?? 0) < 20) {
      report([...path, 'reason'], ns.reason, `a "${ns.podSecurity}" Pod Security exception needs a reason of at least 20 characters saying why restricted cannot work`);
    }
    if ((ns.podSecurity ?? 'restricted') === 'restricted' && ns.reason !== undefined) {
      report([...path, 'reason'], ns.reason, 'a reason is only for an exception; remove it or set podSecurity to "baseline" or "privileged"');
    }
    if (ns.quota) checkQuota(ns.quota, [...path, 'quota'], report);
    if (ns.limitRange) checkLimitRange(ns.limitRange, [...path, 'limitRange'], report);
  });
  checkQuota(security.quota, ['security', 'quota'], report);
  checkLimitRange(security.limitRange, ['security', 'limitRange'], report);

  // Every service container must be admitted by the application namespace's LimitRange.
  const range = security.limitRange;
  platform.services.forEach((svc, i) => {
    for (const r of ['cpu', 'memory'] as const) {
      const request = parseQuantity(svc.resources.requests[r]);
      // A zero request is already reported by the service rules.
      if (request > 0 && request < parseQuantity(range.min[r])) {
        report(['services', i, 'resources', 'requests', r], svc.resources.requests[r], `below the limit range minimum per container (security.limitRange.min.${r} = ${range.min[r]})`);
      }
      if (parseQuantity(svc.resources.limits[r]) > parseQuantity(range.max[r])) {
        report(['services', i, 'resources', 'limits', r], svc.resources.limits[r], `above the limit range maximum per container (security.limitRange.max.${r} = ${range.max[r]})`);
      }
    }
  });

  checkRbac(platform, report);
  // Secrets may also live where platform components run and read them: the logs and traces stack's
  // namespaces and Grafana's (kube-prometheus-stack's in operator mode, the standalone stack's otherwise).
  const telemetry = platform.telemetry.logs.enabled || platform.telemetry.traces.enabled;
  const secretNamespaces = new Set([...namespaces, ...(telemetry ? [telemetryNamespace(platform), shipperNamespace(platform)] : []), monitoringNamespace(platform)]);
  checkSecrets(platform, secretNamespaces, report);
}

function checkQuota(quota: ResolvedPlatform['security']['quota'], path: Path, report: Report): void {
  for (const r of ['cpu', 'memory'] as const) {
    if (parseQuantity(quota.limits[r]) < parseQuantity(quota.requests[r])) {
      report([...path, 'limits', r], quota.limits[r], `expected at least requests.${r} (${quota.requests[r]}); pods could never use what the quota lets them request`);
    }
  }
}

function checkLimitRange(range: ResolvedPlatform['security']['limitRange'], path: Path, report: Report): void {
  for (const r of ['cpu', 'memory'] as const) {
    const chain = [['min', range.min[r]], ['defaultRequest', range.defaultRequest[r]], ['defaultLimit', range.defaultLimit[r]], ['max', range.max[r]]] as const;
    for (let j = 1; j < chain.length; j++) {
      if (parseQuantity(chain[j][1]) < parseQuantity(chain[j - 1][1])) {
        report([...path, chain[j][0], r], chain[j][1], `expected at least ${chain[j - 1][0]}.${r} (${chain[j - 1][1]}): the API server needs min ≤ defaultRequest ≤ defaultLimit ≤ max`);
      }
    }
  }
  if (parseQuantity(range.maxClaimStorage) < parseQuantity(range.minClaimStorage)) {
    report([...path, 'maxClaimStorage'], range.maxClaimStorage, `expected at least minClaimStorage (${range.minClaimStorage})`);
  }
}

function checkRbac(platform: ResolvedPlatform, report: Report): void {
  const services = new Set(platform.services.map((s) => s.name));
  const seen = new Set<string>();
  platform.security.rbac.forEach((grant, i) => {
    const path: Path = ['security', 'rbac', i];
    if (!services.has(grant.name)) report([...path, 'name'], grant.name, `expected one of the declared services: ${list(services)}`);
    if (seen.has(grant.name)) report([...path, 'name'], grant.name, 'the service is listed twice; put all its rules in one entry');
    seen.add(grant.name);
    grant.rules.forEach((rule, j) => {
      for (const problem of invalidRequests(rule)) report([...path, 'rules', j], rule, problem);
      const forbidden = forbiddenRequests(rule);
      if (rule.waiver === undefined) {
        for (const problem of forbidden) report([...path, 'rules', j], rule, `forbidden: ${problem}; add waiver.reason if it is truly needed`);
      } else if (forbidden.length === 0) {
        report([...path, 'rules', j, 'waiver'], rule.waiver, 'the rule requests nothing forbidden; remove the waiver so waivers stay meaningful');
      }
    });
  });
}

function checkSecrets(platform: ResolvedPlatform, namespaces: ReadonlySet<string>, report: Report): void {
  const security = platform.security;
  const services = new Map(platform.services.map((s) => [s.name, s]));
  const caps = platform.cluster.capabilities;
  const seen = new Set<string>();
  const variables = new Map<string, string>();
  security.secrets.forEach((secret, i) => {
    const path: Path = ['security', 'secrets', i];
    const namespace = secretNamespace(platform, secret);
    const key = `${namespace}/${secret.name}`;
    if (secret.namespace !== undefined && secret.namespaceOf !== undefined) {
      report([...path, 'namespaceOf'], secret.namespaceOf, `the secret names its namespace (${secret.namespace}) already; keep one of namespace and namespaceOf`);
    }
    if (secret.namespaceOf === 'telemetry' && !platform.telemetry.logs.enabled && !platform.telemetry.traces.enabled) {
      report([...path, 'namespaceOf'], secret.namespaceOf, 'the logs and traces stack is off (telemetry.logs and telemetry.traces are disabled), so there is no telemetry namespace');
    }
    if (seen.has(key)) report([...path, 'name'], secret.name, 'duplicate secret name in the namespace');
    seen.add(key);
    if (!namespaces.has(namespace)) report([...path, 'namespace'], secret.namespace, `expected a namespace the platform creates or writes to: ${list(namespaces)}`);
    if (new Set(secret.keys).size !== secret.keys.length) report([...path, 'keys'], secret.keys, 'a key is listed twice');
    const missing = REQUIRED_KEYS[secret.type].filter((k) => !secret.keys.includes(k));
    if (missing.length > 0) report([...path, 'keys'], secret.keys, `a ${secret.type} Secret needs the key(s) ${missing.join(', ')}`);

    const source = secret.source ?? security.secretSource.kind;
    if (source === 'external') {
      if (!caps.externalSecrets) report([...path, 'source'], source, 'the cluster has no External Secrets Operator (cluster.capabilities.externalSecrets is false); use "existing" or "sealed"');
      if (security.secretSource.store === undefined) report(['security', 'secretSource', 'store'], undefined, `secret ${secret.name} is external: name the ClusterSecretStore or SecretStore it reads from`);
    }
    if (source === 'sealed' && !caps.sealedSecrets) {
      report([...path, 'source'], source, 'the cluster has no Sealed Secrets controller (cluster.capabilities.sealedSecrets is false); use "existing" or "external"');
    }
    if (secret.remoteKey !== undefined && source !== 'external') report([...path, 'remoteKey'], secret.remoteKey, `only an external secret has a remote key; this one is ${source}`);
    if (secret.sealed !== undefined && source !== 'sealed') report([...path, 'sealed'], '(SealedSecret)', `only a sealed secret carries kubeseal output; this one is ${source}`);
    if (source === 'sealed') {
      const sealed = secret.sealed;
      if (sealed === undefined) {
        report([...path, 'sealed'], undefined, `a sealed secret needs the kubeseal output: kubectl create secret generic ${secret.name} --namespace ${namespace} --dry-run=client -o json ${secret.keys.map((k) => `--from-file=${k}=./${k}`).join(' ')} | kubeseal --format json > environments/sealed-secrets/${platform.environment}/${secret.name}.json, then import that file here`);
      } else {
        // Strict-scope ciphertext only decrypts for the name and namespace it was sealed for.
        if (sealed.metadata.name !== secret.name || sealed.metadata.namespace !== namespace) {
          report([...path, 'sealed', 'metadata'], `${sealed.metadata.namespace}/${sealed.metadata.name}`, `sealed for another Secret; expected ${namespace}/${secret.name} (reseal it for this name and namespace)`);
        }
        const sealedKeys = Object.keys(sealed.spec.encryptedData).sort();
        if (sealedKeys.join(',') !== [...secret.keys].sort().join(',')) {
          report([...path, 'sealed', 'spec', 'encryptedData'], sealedKeys, `expected exactly the declared keys: ${[...secret.keys].sort().join(', ')}`);
        }
      }
    }

    secret.env.forEach((use, j) => {
      const envPath: Path = [...path, 'env', j];
      const svc = services.get(use.service);
      if (!svc) {
        report([...envPath, 'service'], use.service, `expected one of the declared services: ${list(services.keys())}`);
        return;
      }
      if (namespace !== platform.namespace) report([...path, 'namespace'], namespace, `service ${use.service} runs in ${platform.namespace} and cannot read a Secret in another namespace`);
      if (!secret.keys.includes(use.key)) report([...envPath, 'key'], use.key, `expected one of the secret's keys: ${secret.keys.join(', ')}`);
      if (use.variable in svc.env) report([...envPath, 'variable'], use.variable, `service ${use.service} already sets ${use.variable} as a plain env value`);
      const owner = `${use.service}/${use.variable}`;
      if (variables.has(owner)) report([...envPath, 'variable'], use.variable, `service ${use.service} already gets ${use.variable} from secret ${variables.get(owner)}`);
      variables.set(owner, secret.name);
    });
  });
}

function list(values: Iterable<string>): string {
  const sorted = [...values].sort();
  return sorted.length > 0 ? sorted.join(', ') : '(none)';
}
