// Policy across objects: secrets, RBAC, default-deny network policies, disruption budgets,
// autoscalers and their targets, Services and their pods, duplicates, CronJob limits. Every
// lookup goes through indexes built once per environment, so the checks scale with the output.
import { LabelIndex, SelectorIndex, type FindingSink, type Located, type ObjectIndex, type PodTemplate } from './object-index';

export function checkClusterPolicy(index: ObjectIndex, sink: FindingSink): void {
  for (const at of index.ofKind('Secret')) checkSecret(at, sink);
  for (const at of [...index.ofKind('Role'), ...index.ofKind('ClusterRole')]) checkRbac(at, sink);
  checkDefaultDeny(index, sink);
  checkAvailability(index, sink);
  checkServices(index, sink);
  checkDuplicates(index, sink);
  for (const at of index.ofKind('CronJob')) checkCronJob(at, sink);
}

function checkSecret(at: Located, sink: FindingSink): void {
  for (const field of ['data', 'stringData'] as const) {
    const value = at.object[field];
    if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
      sink.report('secret-data', at, `${field} holds ${Object.keys(value).sort().join(', ')}: reference the secret (ExternalSecret, SealedSecret, or a Secret created out of band) instead of writing its value`);
    }
  }
}

function checkRbac(at: Located, sink: FindingSink): void {
  const rules = (at.object.rules as { apiGroups?: string[]; resources?: string[]; verbs?: string[]; nonResourceURLs?: string[] }[] | undefined) ?? [];
  rules.forEach((rule, i) => {
    const wild = [
      (rule.apiGroups ?? []).includes('*') ? 'apiGroups' : undefined,
      (rule.resources ?? []).some((r) => r === '*' || r.startsWith('*/') || r.endsWith('/*')) ? 'resources' : undefined,
      (rule.verbs ?? []).includes('*') ? 'verbs' : undefined,
      (rule.nonResourceURLs ?? []).some((u) => u.endsWith('*')) ? 'nonResourceURLs' : undefined,
    ].filter(Boolean);
    if (wild.length > 0) sink.report('rbac-wildcard', at, `rules[${i}]: a wildcard in ${wild.join(', ')}; name the groups, resources and verbs needed`);
  });
}

/** A NetworkPolicy that selects every pod of its namespace and allows nothing in a direction. */
function deniesAll(policy: Located, direction: 'Ingress' | 'Egress'): boolean {
  const spec = (policy.object.spec ?? {}) as { podSelector?: { matchLabels?: object; matchExpressions?: unknown[] }; policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] };
  const selectsAll = spec.podSelector !== undefined && Object.keys(spec.podSelector.matchLabels ?? {}).length === 0 && (spec.podSelector.matchExpressions ?? []).length === 0;
  const types = spec.policyTypes ?? (spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress']);
  const rules = direction === 'Ingress' ? spec.ingress : spec.egress;
  return selectsAll && types.includes(direction) && (rules ?? []).length === 0;
}

function checkDefaultDeny(index: ObjectIndex, sink: FindingSink): void {
  const denied = new Map<string, Set<string>>();
  for (const policy of index.ofKind('NetworkPolicy')) {
    for (const direction of ['Ingress', 'Egress'] as const) {
      if (!deniesAll(policy, direction)) continue;
      const set = denied.get(policy.namespace) ?? new Set();
      set.add(direction);
      denied.set(policy.namespace, set);
    }
  }
  // Every namespace the output creates, and every other namespace it runs pods in.
  const namespaces = new Map<string, Located>();
  for (const ns of index.ofKind('Namespace')) namespaces.set(ns.name, ns);
  for (const template of index.templates) if (!namespaces.has(template.owner.namespace)) namespaces.set(template.owner.namespace, template.owner);
  for (const [namespace, at] of namespaces) {
    const missing = (['Ingress', 'Egress'] as const).filter((d) => !denied.get(namespace)?.has(d));
    if (missing.length > 0) {
      sink.report('default-deny', at, `namespace ${namespace} has no NetworkPolicy that selects every pod (podSelector: {}) and allows no ${missing.join(' and no ').toLowerCase()}`);
    }
  }
}

interface Autoscaler { readonly at: Located; readonly targetKind: string; readonly targetName: string; readonly min: number; readonly max: number; readonly minField: string; readonly maxField: string }

function autoscalers(index: ObjectIndex): Autoscaler[] {
  const out: Autoscaler[] = [];
  for (const at of index.ofKind('HorizontalPodAutoscaler')) {
    const spec = (at.object.spec ?? {}) as { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number };
    out.push({ at, targetKind: spec.scaleTargetRef?.kind ?? '', targetName: spec.scaleTargetRef?.name ?? '', min: spec.minReplicas ?? 1, max: spec.maxReplicas ?? 0, minField: 'spec.minReplicas', maxField: 'spec.maxReplicas' });
  }
  for (const at of index.ofKind('ScaledObject')) {
    const spec = (at.object.spec ?? {}) as { scaleTargetRef?: { kind?: string; name?: string }; minReplicaCount?: number; maxReplicaCount?: number };
    // KEDA's defaults: a Deployment target, 0 to 100 replicas.
    out.push({ at, targetKind: spec.scaleTargetRef?.kind ?? 'Deployment', targetName: spec.scaleTargetRef?.name ?? '', min: spec.minReplicaCount ?? 0, max: spec.maxReplicaCount ?? 100, minField: 'spec.minReplicaCount', maxField: 'spec.maxReplicaCount' });
  }
  return out;
}

const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet', 'Rollout', 'ReplicaSet']);

function checkAvailability(index: ObjectIndex, sink: FindingSink): void {
  // Autoscalers per target, checked for bounds and existence.
  const scaledBy = new Map<string, Autoscaler[]>();
  for (const scaler of autoscalers(index)) {
    if (scaler.min > scaler.max) sink.report('autoscaler-bounds', scaler.at, `${scaler.minField} ${scaler.min} is more than ${scaler.maxField} ${scaler.max}`);
    const targets = index.get(scaler.targetKind, scaler.at.namespace, scaler.targetName);
    if (targets.length === 0) {
      sink.report('autoscaler-target', scaler.at, `spec.scaleTargetRef: no ${scaler.targetKind} named "${scaler.targetName}" in namespace ${scaler.at.namespace}`);
      continue;
    }
    const key = `${scaler.targetKind}/${scaler.at.namespace}/${scaler.targetName}`;
    scaledBy.set(key, [...(scaledBy.get(key) ?? []), scaler]);
  }
  const budgets = new SelectorIndex<Located>();
  for (const pdb of index.ofKind('PodDisruptionBudget')) budgets.add(pdb.namespace, (pdb.object.spec as { selector?: unknown } | undefined)?.selector, pdb);
  const selectorOf = (pdb: Located) => (pdb.object.spec as { selector?: unknown } | undefined)?.selector;
  // Fewest replicas each budget's pods run (for "never blocks all evictions").
  const fewestPods = new Map<Located, number>();
  for (const template of index.templates) {
    const at = template.owner;
    if (!REPLICATED_KINDS.has(at.kind)) continue;
    const replicas = (at.object.spec as { replicas?: number }).replicas;
    const scalers = scaledBy.get(`${at.kind}/${at.namespace}/${at.name}`) ?? [];
    if (scalers.length > 0 && replicas !== undefined) {
      sink.report('autoscaled-replicas', at, `spec.replicas is ${replicas} but ${scalers.map((s) => `${s.at.kind}/${s.at.name}`).join(', ')} owns the replica count: leave replicas unset`);
    }
    const min = scalers.length > 0 ? Math.min(...scalers.map((s) => s.min)) : replicas ?? 1;
    const max = scalers.length > 0 ? Math.max(...scalers.map((s) => s.max)) : replicas ?? 1;
    const covering = budgets.selecting(at.namespace, template.labels, selectorOf);
    if (max > 1 && covering.length === 0) {
      sink.report('disruption-budget', at, `runs up to ${max} replicas but no PodDisruptionBudget selects its pods ${JSON.stringify(template.labels)}`);
    }
    for (const pdb of covering) fewestPods.set(pdb, Math.min(fewestPods.get(pdb) ?? Infinity, min));
  }
  for (const pdb of index.ofKind('PodDisruptionBudget')) checkBudget(pdb, fewestPods.get(pdb), sink);
}

function checkBudget(pdb: Located, pods: number | undefined, sink: FindingSink): void {
  const spec = (pdb.object.spec ?? {}) as { maxUnavailable?: number | string; minAvailable?: number | string };
  const { maxUnavailable, minAvailable } = spec;
  if (maxUnavailable === 0 || maxUnavailable === '0%' || maxUnavailable === '0') {
    sink.report('disruption-budget-eviction', pdb, `spec.maxUnavailable is ${JSON.stringify(maxUnavailable)}: no pod may ever be evicted`);
  }
  if (minAvailable === '100%') sink.report('disruption-budget-eviction', pdb, 'spec.minAvailable is "100%": no pod may ever be evicted');
  else if (typeof minAvailable === 'number' && pods !== undefined && minAvailable >= pods) {
    sink.report('disruption-budget-eviction', pdb, `spec.minAvailable is ${minAvailable} but the pods it selects may run only ${pods}: no pod may be evicted`);
  }
}

function checkServices(index: ObjectIndex, sink: FindingSink): void {
  const pods = new LabelIndex<PodTemplate>();
  for (const template of index.templates) pods.add(template.owner.namespace, template.labels, template);
  for (const svc of index.ofKind('Service')) {
    const spec = (svc.object.spec ?? {}) as { type?: string; selector?: Record<string, string>; ports?: { name?: string; port?: number; targetPort?: number | string }[] };
    if (spec.type === 'ExternalName' || spec.selector === undefined || Object.keys(spec.selector).length === 0) continue;
    const selected = pods.selectedBy(svc.namespace, spec.selector, (t) => t.labels);
    if (selected.length === 0) {
      sink.report('service-selector', svc, `spec.selector ${JSON.stringify(spec.selector)} selects no pod template in namespace ${svc.namespace}`);
      continue;
    }
    for (const port of spec.ports ?? []) {
      if (typeof port.targetPort !== 'string' || /^\d+$/.test(port.targetPort)) continue;
      for (const template of selected) {
        const names = (template.spec.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.name));
        if (!names.includes(port.targetPort)) {
          sink.report('service-target-port', svc, `spec.ports[${port.name ?? port.port}].targetPort: "${port.targetPort}" is not a container port name of ${template.owner.kind}/${template.owner.name} (it has ${names.filter(Boolean).join(', ') || 'none'})`);
        }
      }
    }
  }
}

function checkDuplicates(index: ObjectIndex, sink: FindingSink): void {
  for (const list of index.duplicates()) {
    const groups = new Map<string, Located[]>();
    for (const at of list) {
      const apiVersion = String(at.object.apiVersion);
      const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
      groups.set(group, [...(groups.get(group) ?? []), at]);
    }
    for (const same of groups.values()) {
      if (same.length < 2) continue;
      sink.report('duplicate-object', same[1], `defined ${same.length} times (in ${same.map((s) => s.file).join(', ')}); the last one applied wins`);
    }
  }
}

function checkCronJob(at: Located, sink: FindingSink): void {
  const spec = (at.object.spec ?? {}) as Record<string, unknown> & { jobTemplate?: { spec?: Record<string, unknown> } };
  const missing = [
    spec.startingDeadlineSeconds === undefined ? 'spec.startingDeadlineSeconds' : undefined,
    spec.concurrencyPolicy === undefined ? 'spec.concurrencyPolicy' : undefined,
    spec.successfulJobsHistoryLimit === undefined ? 'spec.successfulJobsHistoryLimit' : undefined,
    spec.failedJobsHistoryLimit === undefined ? 'spec.failedJobsHistoryLimit' : undefined,
    spec.jobTemplate?.spec?.activeDeadlineSeconds === undefined ? 'spec.jobTemplate.spec.activeDeadlineSeconds' : undefined,
  ].filter(Boolean);
  if (missing.length > 0) sink.report('cronjob-policy', at, `${missing.join(', ')} not set`);
}
