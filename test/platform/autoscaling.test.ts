import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { PodDisruptionBudget, allowedDisruptions } from '../../lib/autoscaling/pod-disruption-budget';
import { Wave } from '../../lib/core/waves';
import { PlatformContext, buildPlatform } from '../../lib/platform';
import { buildApps } from '../../lib/platform/apps';
import { buildData } from '../../lib/platform/data';
import { buildAutoscaling } from '../../lib/platform/autoscaling';
import { buildNamespaces } from '../../lib/platform/security';
import { resolveEnvironments, type ResolvedPlatform } from '../../lib/spec';

const platforms = resolveEnvironments(environmentSources.base, environmentSources.environments);
const byEnv = Object.fromEntries(platforms.map((p) => [p.environment, p])) as Record<string, ResolvedPlatform>;

interface Obj { kind: string; apiVersion: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: any }

function objectsOf(ctx: PlatformContext): { file: string; obj: Obj }[] {
  return ctx.charts.flatMap((chart) => (chart.toJson() as Obj[]).map((obj) => ({ file: chart.fileName, obj })));
}

function build(environment: string) {
  const ctx = buildPlatform(byEnv[environment]);
  return { ctx, objects: objectsOf(ctx) };
}

const find = (objects: { obj: Obj }[], kind: string, name: string) => objects.find((o) => o.obj.kind === kind && o.obj.metadata.name === name)?.obj;

describe('autoscaling of the reference platform', () => {
  it('gives the prod api an HPA of 3–10 on cpu 70%, memory 80% and requests per second, and leaves it the replica count', () => {
    const { ctx, objects } = build('prod');
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'api')!;
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 10]);
    expect(hpa.spec.metrics.map((m: any) => m.resource?.target.averageUtilization ?? m.pods.metric.name)).toEqual([70, 80, 'http_requests_per_second']);
    expect(hpa.spec.behavior.scaleUp.policies).toEqual([{ type: 'Percent', value: 100, periodSeconds: 30 }, { type: 'Pods', value: 4, periodSeconds: 30 }]);
    expect(hpa.spec.behavior.scaleDown).toMatchObject({ stabilizationWindowSeconds: 300, selectPolicy: 'Min' });
    expect(find(objects, 'Deployment', 'api')!.spec).not.toHaveProperty('replicas');
    expect(ctx.workloads.find((w) => w.name === 'api')!.replicas).toEqual({ min: 3, max: 10 });
  });

  it('scales the prod worker with a KEDA ScaledObject of 2–8 and no HPA of its own', () => {
    const { ctx, objects } = build('prod');
    const so = find(objects, 'ScaledObject', 'worker')!;
    expect([so.spec.minReplicaCount, so.spec.maxReplicaCount]).toEqual([2, 8]);
    expect(so.spec.triggers.map((t: any) => t.type)).toContain('prometheus');
    expect(find(objects, 'HorizontalPodAutoscaler', 'worker')).toBeUndefined();
    expect(find(objects, 'Deployment', 'worker')!.spec).not.toHaveProperty('replicas');
    expect(ctx.workloads.find((w) => w.name === 'worker')!.replicas).toEqual({ min: 2, max: 8 });
  });

  it('paces the prod worker\'s scale-down through the HPA KEDA creates, not a cooldown KEDA would ignore above zero', () => {
    const so = find(build('prod').objects, 'ScaledObject', 'worker')!;
    expect(so.spec).not.toHaveProperty('cooldownPeriod');
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown).toEqual({
      stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
    });
    // One worker per 50 queued jobs: the comment in prod.ts and the trigger say the same.
    expect(so.spec.triggers.find((t: any) => t.type === 'redis').metadata.listLength).toBe('50');
  });

  it('declares the KEDA operator\'s flow to the Redis it polls, once, so network policies can admit it', () => {
    const { ctx } = build('prod');
    const keda = ctx.flows.filter((f) => f.from.name === 'keda-operator');
    expect(keda.map((f) => [f.from.namespace, f.from.selector, f.to, f.ports])).toEqual([
      ['keda', { 'app.kubernetes.io/name': 'keda-operator' }, 'redis', ['redis']],
    ]);
    expect(build('dev').ctx.flows.some((f) => f.from.name === 'keda-operator')).toBe(false);
  });

  it('puts every autoscaler in the policies wave, after the workloads they scale', () => {
    const { objects } = build('prod');
    const scalers = objects.filter((o) => ['HorizontalPodAutoscaler', 'ScaledObject', 'TriggerAuthentication', 'VerticalPodAutoscaler'].includes(o.obj.kind));
    expect(scalers.length).toBeGreaterThan(0);
    expect(new Set(scalers.map((o) => o.file))).toEqual(new Set([Wave.POLICIES.fileName('autoscaling')]));
  });

  it('writes no KEDA or VPA objects in dev, whose cluster has neither', () => {
    const kinds = build('dev').objects.map((o) => o.obj.kind);
    expect(kinds.filter((k) => ['ScaledObject', 'TriggerAuthentication', 'VerticalPodAutoscaler', 'HorizontalPodAutoscaler'].includes(k))).toEqual([]);
    // dev runs one replica of everything: no budget would protect anything.
    expect(kinds).not.toContain('PodDisruptionBudget');
  });

  it('sizes every long-running workload of the prod logs and traces stack with a recommendation-only VPA', () => {
    const { ctx, objects } = build('prod');
    const inStack = (namespace: string) => /-(telemetry|log-shipper)$/.test(namespace);
    const vpas = objects.filter((o) => o.obj.kind === 'VerticalPodAutoscaler' && inStack(o.obj.metadata.namespace!)).map((o) => o.obj);
    const stack = ctx.workloads.filter((w) => inStack(w.namespace) && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(w.kind));
    expect(stack.length).toBeGreaterThan(0);
    expect(vpas.map((v) => `${v.metadata.namespace}/${v.spec.targetRef.kind}/${v.spec.targetRef.name}`).sort())
      .toEqual(stack.map((w) => `${w.namespace}/${w.kind}/${w.name}`).sort());
    expect(new Set(vpas.map((v) => v.spec.updatePolicy.updateMode))).toEqual(new Set(['Off']));
    // Each VPA lives beside its target and carries the target's labels.
    for (const v of vpas) {
      const target = find(objects, v.spec.targetRef.kind, v.spec.targetRef.name)!;
      expect(v.metadata.labels).toEqual(target.metadata.labels);
    }
  });

  it('watches the prod databases with recommendation-only VPAs that leave the exporter sidecars out', () => {
    const { objects } = build('prod');
    for (const store of ['postgres', 'redis']) {
      const vpa = find(objects, 'VerticalPodAutoscaler', store)!;
      expect(vpa.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: store });
      expect(vpa.spec.updatePolicy).toEqual({ updateMode: 'Off' });
      expect(vpa.spec.resourcePolicy.containerPolicies).toContainEqual({ containerName: 'exporter', mode: 'Off' });
      expect(vpa.metadata.namespace).toBe('atlas-prod');
    }
  });

  it.each(['dev', 'staging', 'prod'])('gives every workload of %s that can run more than one replica exactly one budget', (env) => {
    const { ctx, objects } = build(env);
    const budgets = objects.filter((o) => o.obj.kind === 'PodDisruptionBudget').map((o) => o.obj);
    for (const w of ctx.workloads) {
      const mine = budgets.filter((b) => b.metadata.namespace === w.namespace
        && Object.entries(b.spec.selector.matchLabels).every(([k, v]) => w.selector[k] === v));
      // An operator (ECK in staging) makes the budget of the pods it runs; the platform makes none.
      expect(mine.length, `${env}: ${w.name} (${w.replicas.min}–${w.replicas.max} replicas)`).toBe(w.replicas.max > 1 && w.managedBy === undefined ? 1 : 0);
    }
  });

  it.each(['dev', 'staging', 'prod'])('has no budget in %s that forbids every eviction at the workload\'s minimum replica count', (env) => {
    const { ctx, objects } = build(env);
    for (const { obj: b } of objects.filter((o) => o.obj.kind === 'PodDisruptionBudget')) {
      expect(b.spec.minAvailable, `${b.metadata.name}: minAvailable can block drains`).toBeUndefined();
      expect(b.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
      const w = ctx.workloads.find((x) => x.namespace === b.metadata.namespace && x.name === b.metadata.name)!;
      const atMinimum = Math.max(1, w.replicas.min);
      expect(allowedDisruptions(b.spec.maxUnavailable, atMinimum), `${env}: ${b.metadata.name} at ${atMinimum} replica(s)`).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps a budget a workload already has instead of adding a second one', () => {
    const platform = byEnv.prod;
    const ctx = new PlatformContext(new App(), platform);
    buildNamespaces(ctx);
    // The prod worker's KEDA trigger reads the Redis store's endpoint.
    buildData(ctx);
    const apps = buildApps(ctx);
    const own = ctx.chart(Wave.APPS, 'dashboard');
    new PodDisruptionBudget(own, 'dashboard-own', { name: 'dashboard', selector: ctx.workloads.find((w) => w.name === 'dashboard')!.selector, minReplicas: 2 });
    buildAutoscaling(ctx, apps);
    const budgets = objectsOf(ctx).filter((o) => o.obj.kind === 'PodDisruptionBudget');
    expect(budgets.filter((b) => b.obj.metadata.name === 'dashboard').map((b) => b.file)).toEqual([Wave.APPS.fileName('dashboard')]);
    expect(budgets.map((b) => b.obj.metadata.name).sort()).toEqual(['api', 'dashboard', 'worker']);
  });

  it('creates the priority classes prod asks for and runs the apps under theirs', () => {
    const { objects } = build('prod');
    const classes = objects.filter((o) => o.obj.kind === 'PriorityClass');
    expect(classes.map((c) => [c.file, c.obj.metadata.name, (c.obj as any).value])).toEqual([
      ['0000-priority-classes.k8s.yaml', 'atlas-prod-data', 100000],
      ['0000-priority-classes.k8s.yaml', 'atlas-prod-apps', 10000],
    ]);
    for (const name of ['api', 'dashboard', 'worker']) {
      expect(find(objects, 'Deployment', name)!.spec.template.spec.priorityClassName).toBe('atlas-prod-apps');
    }
    expect(build('staging').objects.some((o) => o.obj.kind === 'PriorityClass')).toBe(false);
  });
});
