import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import {
  HorizontalPodAutoscaler, ScalingMetric, ScalingPolicy, SelectPolicy, type ScalingRules,
} from '../autoscaling/horizontal-pod-autoscaler';
import { PodDisruptionBudget } from '../autoscaling/pod-disruption-budget';
import { PriorityClass } from '../autoscaling/priority-class';
import { KedaTrigger, ScaledObject } from '../autoscaling/scaled-object';
import { VerticalPodAutoscaler, VpaUpdateMode } from '../autoscaling/vertical-pod-autoscaler';
import { recommendedLabels } from '../core/labels';
import { Wave } from '../core/waves';
import { postgresSecretNames, storeSecretName, type ResolvedPlatform, type ResolvedService } from '../spec';
import type { AppRelease } from '../delivery/app-release';
import type { AppDeployment } from '../workloads/app-deployment';
import type { AppWorkloads } from './apps';
import type { PlatformContext, WorkloadInfo } from './context';
import { telemetryNamespaces } from './telemetry';

type Resolved = ResolvedService['autoscaling'];
type BehaviorSpec = NonNullable<NonNullable<Resolved['hpa']>['behavior']>;
type KedaTriggerSpec = NonNullable<Resolved['keda']>['triggers'][number];
/** A resolved VPA block (services and data stores share the schema). */
export type VpaSpec = NonNullable<Resolved['vpa']>;

/** Kinds a PodDisruptionBudget can protect (DaemonSet pods are not drained; Jobs run to completion). */
const BUDGETED_KINDS: ReadonlySet<WorkloadInfo['kind']> = new Set(['Deployment', 'StatefulSet', 'Rollout']);

/**
 * Autoscalers (HPA, KEDA, VPA) for the services, priority classes, and a PodDisruptionBudget for
 * every registered workload that can run more than one replica. Runs after every step that
 * registers workloads, so budgets follow the autoscalers' minimums.
 */
export function buildAutoscaling(ctx: PlatformContext, apps: AppWorkloads): void {
  for (const svc of ctx.platform.services) {
    const app = apps.get(svc.name);
    if (!app) throw new Error(`no workload was built for service ${svc.name}`);
    const { hpa, keda, vpa } = svc.autoscaling;
    const labels = recommendedLabels(ctx.identityOf(svc));
    const primary = app.primary;
    const target = { apiVersion: primary.apiVersion, kind: primary.kind, name: primary.workloadName };
    const chart = () => ctx.chart(Wave.POLICIES, 'autoscaling');

    for (const { workload, min, max } of hpa ? hpaTargets(svc, app) : []) {
      new HorizontalPodAutoscaler(chart(), `${workload.workloadName}-hpa`, {
        name: workload.workloadName,
        labels: recommendedLabels(workload.identity),
        target: { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.workloadName },
        minReplicas: min,
        maxReplicas: max,
        metrics: [
          ...(hpa!.cpuUtilization !== undefined ? [ScalingMetric.cpuUtilization(hpa!.cpuUtilization)] : []),
          ...(hpa!.memoryUtilization !== undefined ? [ScalingMetric.memoryUtilization(hpa!.memoryUtilization)] : []),
          ...hpa!.podsMetrics.map((m) => ScalingMetric.podsAverageValue(m.name, m.averageValue)),
        ],
        ...behavior(hpa!.behavior),
      });
      autoscaled(ctx, workload, min, max);
    }

    if (keda) {
      new ScaledObject(chart(), `${svc.name}-keda`, {
        name: svc.name,
        labels,
        target,
        minReplicas: keda.minReplicas,
        maxReplicas: keda.maxReplicas,
        pollingIntervalSeconds: keda.pollingIntervalSeconds,
        cooldownPeriodSeconds: keda.cooldownPeriodSeconds,
        triggers: keda.triggers.map((t) => kedaTrigger(ctx, t)),
        fallback: keda.fallback,
        ...behavior(keda.behavior),
      });
      autoscaled(ctx, primary, keda.minReplicas, keda.maxReplicas);
    }

    // One VPA per Deployment: each blue-green slot and canary track sizes its own pods.
    for (const w of vpa ? app.workloads : []) {
      verticalAutoscaler(ctx, `${w.workloadName}-vpa`, { apiVersion: w.apiVersion, kind: w.kind, name: w.workloadName }, recommendedLabels(w.identity), vpa!);
    }
  }

  buildDataStoreVpas(ctx);
  buildTelemetryVpas(ctx);
  buildPriorityClasses(ctx, apps);
  buildDisruptionBudgets(ctx);
}

/** Kinds a VPA sizes: long-running pods (a Job's pods are gone before a recommendation means anything). */
const VPA_KINDS: ReadonlySet<WorkloadInfo['kind']> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** A VPA per data store that asks for one, sizing the server container only (the exporter sidecar is left out). */
function buildDataStoreVpas(ctx: PlatformContext): void {
  const objects = new WorkloadObjects(ctx);
  for (const store of [...ctx.platform.dataStores.postgres, ...ctx.platform.dataStores.redis]) {
    if (!store.vpa) continue;
    const w = ctx.workloads.find((x) => x.namespace === ctx.namespace && x.name === store.name && x.kind === 'StatefulSet');
    if (!w) throw new Error(`data store ${store.name} registered no StatefulSet`);
    const containers = podContainers(objects, w);
    verticalAutoscaler(ctx, `${store.name}-vpa`, { kind: w.kind, name: w.name, namespace: w.namespace }, workloadLabels(objects, w), store.vpa, containers.filter((c) => c !== store.name));
  }
}

/** One VPA per long-running workload of the logs and traces stack, when the spec asks. */
function buildTelemetryVpas(ctx: PlatformContext): void {
  const vpa = ctx.platform.telemetry.vpa;
  if (!vpa) return;
  const ns = telemetryNamespaces(ctx.platform);
  const objects = new WorkloadObjects(ctx);
  for (const w of ctx.workloads) {
    // An operator-run workload is resized through its custom resource, not a VPA on the operator's object.
    if (!VPA_KINDS.has(w.kind) || w.managedBy !== undefined || (w.namespace !== ns.stack && w.namespace !== ns.shipper)) continue;
    verticalAutoscaler(ctx, `${w.namespace}-${w.name}-vpa`, { kind: w.kind, name: w.name, namespace: w.namespace }, workloadLabels(objects, w), vpa);
  }
}

/** A VPA for a workload in the policies wave (also used for data stores). */
export function verticalAutoscaler(
  ctx: PlatformContext,
  id: string,
  target: { readonly apiVersion?: string; readonly kind: string; readonly name: string; readonly namespace?: string },
  labels: Readonly<Record<string, string>>,
  vpa: VpaSpec,
  excludedContainers: readonly string[] = [],
): VerticalPodAutoscaler {
  return new VerticalPodAutoscaler(ctx.chart(Wave.POLICIES, 'autoscaling'), id, {
    name: target.name,
    namespace: target.namespace,
    labels,
    target: { apiVersion: target.apiVersion, kind: target.kind, name: target.name },
    updateMode: VpaUpdateMode.of(vpa.updateMode),
    controlledResources: vpa.controlledResources,
    controlledValues: vpa.controlledValues,
    minAllowed: vpa.minAllowed,
    maxAllowed: vpa.maxAllowed,
    excludedContainers,
  });
}

function autoscaled(ctx: PlatformContext, workload: AppDeployment, min: number, max: number): void {
  // The Deployment stops writing `replicas`, so an apply never resets what the autoscaler chose.
  workload.markAutoscaled();
  ctx.updateWorkload(ctx.namespace, workload.workloadName, (w) => ({ ...w, replicas: { min, max }, autoscaled: true }));
}

/**
 * The Deployments the service's HPA scales, with their bounds: the primary one (the only one, the
 * stable track, or the Rollout), or each blue-green slot without fixed replicas, within its own
 * bounds or the service's.
 */
function hpaTargets(svc: ResolvedService, app: AppRelease): { workload: AppDeployment; min: number; max: number }[] {
  const hpa = svc.autoscaling.hpa!;
  const d = svc.delivery;
  if (d?.strategy !== 'blueGreen') return [{ workload: app.primary, min: hpa.minReplicas, max: hpa.maxReplicas }];
  return (['blue', 'green'] as const).flatMap((slot) => {
    const s = d[slot];
    const workload = app.slots[slot];
    if (!workload) throw new Error(`${svc.name}: the blue-green release has no ${slot} slot`);
    if (s.replicas !== undefined) return [];
    return [{ workload, min: s.hpa?.minReplicas ?? hpa.minReplicas, max: s.hpa?.maxReplicas ?? hpa.maxReplicas }];
  });
}

function behavior(spec: BehaviorSpec | undefined): { scaleUp?: ScalingRules; scaleDown?: ScalingRules } {
  const rules = (r: BehaviorSpec['scaleUp']): ScalingRules | undefined => r && {
    stabilizationWindowSeconds: r.stabilizationWindowSeconds,
    selectPolicy: SelectPolicy.of(r.selectPolicy),
    policies: r.policies?.map((p) => (p.type === 'Pods' ? ScalingPolicy.pods(p.value, p.periodSeconds) : ScalingPolicy.percent(p.value, p.periodSeconds))),
  };
  return { scaleUp: rules(spec?.scaleUp), scaleDown: rules(spec?.scaleDown) };
}

function kedaTrigger(ctx: PlatformContext, trigger: KedaTriggerSpec): KedaTrigger {
  switch (trigger.type) {
    case 'prometheus':
      return KedaTrigger.prometheus({
        name: trigger.name,
        serverAddress: trigger.serverAddress,
        query: trigger.query,
        threshold: trigger.threshold,
        activationThreshold: trigger.activationThreshold,
      });
    case 'redis': {
      // KEDA runs in its own namespace: the store's Service by its namespaced name.
      const store = ctx.platform.dataStores.redis.find((r) => r.name === trigger.store);
      if (!store) throw new Error(`${ctx.platform.environment}: the redis trigger names store ${trigger.store}, which the platform does not declare`);
      const endpoint = ctx.endpoint(store.name);
      kedaReaches(ctx, store.name);
      return KedaTrigger.redisList({
        name: trigger.name,
        address: `${endpoint.serviceName}.${endpoint.namespace}.svc:${endpoint.ports[0].port}`,
        listName: trigger.listName,
        listLength: trigger.listLength,
        activationListLength: trigger.activationListLength,
        password: { name: storeSecretName(store), key: store.credentials.passwordKey },
      });
    }
    case 'postgresql': {
      const store = ctx.platform.dataStores.postgres.find((p) => p.name === trigger.store);
      if (!store) throw new Error(`${ctx.platform.environment}: the postgresql trigger names store ${trigger.store}, which the platform does not declare`);
      const endpoint = ctx.endpoint(store.name);
      kedaReaches(ctx, store.name);
      // The query reads the application's tables: as the application role, which owns them, never the superuser.
      const app = { name: postgresSecretNames(store).app, ...store.appCredentials };
      return KedaTrigger.postgresql({
        name: trigger.name,
        host: `${endpoint.serviceName}.${endpoint.namespace}.svc`,
        port: endpoint.ports[0].port,
        userName: { name: app.name, key: app.usernameKey },
        dbName: store.database,
        // The in-cluster server listens without TLS; traffic stays inside the cluster network.
        sslmode: 'disable',
        query: trigger.query,
        targetQueryValue: trigger.targetQueryValue,
        activationTargetQueryValue: trigger.activationTargetQueryValue,
        password: { name: app.name, key: app.passwordKey },
      });
    }
  }
}

/** Declares that the KEDA operator polls a store (on its first port), so network policies admit it. */
function kedaReaches(ctx: PlatformContext, store: string): void {
  const operator = ctx.platform.cluster.kedaOperator;
  const from = { name: 'keda-operator', namespace: operator.namespace, selector: operator.podLabels };
  if (ctx.flows.some((f) => f.from.namespace === from.namespace && f.from.name === from.name && f.to === store)) return;
  ctx.registerFlow({ from, to: store, ports: [ctx.endpoint(store).ports[0].name] });
}

/** Names of the data-tier and apps PriorityClasses, when the spec asks for them. */
export function priorityClassNames(platform: ResolvedPlatform): { readonly data: string; readonly apps: string } | undefined {
  if (!platform.availability.priorityClasses) return undefined;
  const prefix = `${platform.name}-${platform.environment}`;
  return { data: `${prefix}-data`, apps: `${prefix}-apps` };
}

/** PriorityClasses for the data tier and the apps, when the spec asks, and the apps' pods set to theirs. */
function buildPriorityClasses(ctx: PlatformContext, apps: AppWorkloads): void {
  const priorities = ctx.platform.availability.priorityClasses;
  const names = priorityClassNames(ctx.platform);
  if (!priorities || !names) return;
  const chart = ctx.chart(Wave.CLUSTER, 'priority-classes', null);
  const prefix = `${ctx.platform.name}-${ctx.platform.environment}`;
  const labels = (name: string) => recommendedLabels(ctx.platformIdentity(name, 'priority-class', name));
  // The data stores' pods name this class themselves (lib/platform/data.ts).
  new PriorityClass(chart, 'data', {
    name: names.data,
    labels: labels(names.data),
    value: priorities.data,
    description: `Data stores of ${prefix}: scheduled before, and preempted after, the apps that need them.`,
  });
  const appsClass = new PriorityClass(chart, 'apps', {
    name: names.apps,
    labels: labels(names.apps),
    value: priorities.apps,
    description: `Application workloads of ${prefix}.`,
  });
  for (const app of apps.values()) {
    for (const w of app.workloads) w.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', appsClass.name));
  }
}

/** One PodDisruptionBudget per workload that can run more than one replica, unless it already has one. */
function buildDisruptionBudgets(ctx: PlatformContext): void {
  const settings = ctx.platform.availability.disruptionBudgets;
  if (!settings.enabled) return;
  const objects = new WorkloadObjects(ctx);
  const existing = existingBudgetSelectors(objects);
  for (const w of ctx.workloads) {
    // An operator (ECK) makes the budget of the pods it runs.
    if (!BUDGETED_KINDS.has(w.kind) || w.managedBy !== undefined || w.replicas.max < 2) continue;
    const covered = existing.filter((b) => b.namespace === w.namespace && selects(b.matchLabels, w.selector));
    if (covered.length > 1) throw new Error(`workload ${w.namespace}/${w.name} is selected by ${covered.length} PodDisruptionBudgets; the eviction API refuses pods with more than one`);
    if (covered.length === 1) continue;
    new PodDisruptionBudget(ctx.chart(Wave.POLICIES, 'disruption-budgets'), `${w.namespace}-${w.name}`, {
      name: w.name,
      namespace: w.namespace,
      labels: workloadLabels(objects, w),
      selector: w.selector,
      minReplicas: w.replicas.min,
      maxReplicas: w.replicas.max,
      maxUnavailable: settings.maxUnavailable,
    });
  }
}

interface BudgetSelector {
  readonly namespace: string | undefined;
  readonly matchLabels: Readonly<Record<string, string>>;
}

/** PodDisruptionBudgets other steps already made (e.g. a data store's own), by namespace and selector. */
function existingBudgetSelectors(objects: WorkloadObjects): BudgetSelector[] {
  return objects.all
    .filter((o) => o.kind === 'PodDisruptionBudget')
    .map((o) => {
      const json = o.toJson() as { metadata?: { namespace?: string }; spec?: { selector?: { matchLabels?: Record<string, string> } } };
      return { namespace: json.metadata?.namespace ?? Chart.of(o).namespace, matchLabels: json.spec?.selector?.matchLabels ?? {} };
    });
}

function selects(matchLabels: Readonly<Record<string, string>>, podLabels: Readonly<Record<string, string>>): boolean {
  return Object.entries(matchLabels).every(([k, v]) => podLabels[k] === v);
}

/** The full label set of a registered workload's own object, for the objects made about it. */
function workloadLabels(objects: WorkloadObjects, w: WorkloadInfo): Record<string, string> {
  const labels = (objects.of(w)?.toJson() as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels;
  if (!labels) throw new Error(`no ${w.kind} ${w.namespace}/${w.name} with labels in the platform, though it is registered`);
  return { ...labels };
}

/** Container names of a registered workload's pod template. */
function podContainers(objects: WorkloadObjects, w: WorkloadInfo): string[] {
  const json = objects.of(w)?.toJson() as { spec?: { template?: { spec?: { containers?: { name: string }[] } } } } | undefined;
  return (json?.spec?.template?.spec?.containers ?? []).map((c) => c.name);
}

/**
 * The API objects of the platform as built so far, indexed once by kind, namespace and name (the
 * first of each, in tree order), so that looking up each workload's object is not a walk of the tree.
 */
class WorkloadObjects {
  public readonly all: readonly ApiObject[];
  private readonly byIdentity = new Map<string, ApiObject>();

  constructor(ctx: PlatformContext) {
    this.all = ctx.app.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
    for (const o of this.all) {
      const key = WorkloadObjects.key(o.kind, o.metadata.namespace ?? Chart.of(o).namespace, o.name);
      if (!this.byIdentity.has(key)) this.byIdentity.set(key, o);
    }
  }

  public of(w: WorkloadInfo): ApiObject | undefined {
    return this.byIdentity.get(WorkloadObjects.key(w.kind, w.namespace, w.name));
  }

  private static key(kind: string, namespace: string | undefined, name: string): string {
    return `${kind} ${namespace ?? ''}/${name}`;
  }
}
