import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { SLOT_LABEL, TRACK_LABEL } from '../../lib/delivery/app-release';
import { diffValues, formatPath } from '../../lib/review/object-diff';
import { resolvePlatform } from '../../lib/spec';
import { synthesize, synthesizePlatforms, type KubeObject, type RenderedEnvironment } from '../../lib/synth';

type Obj = KubeObject & { spec?: any; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } };

const envs = new Map(synthesize(environmentSources).environments.map((e) => [e.environment, e]));
const objectsOf = (env: RenderedEnvironment) => env.files.flatMap((f) => f.objects) as Obj[];
const find = (env: string | RenderedEnvironment, kind: string, name: string) =>
  objectsOf(typeof env === 'string' ? envs.get(env)! : env).find((o) => o.kind === kind && o.metadata.name === name)!;
const idOf = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** The environment rendered again with its resolved spec changed by `edit`. */
function variant(env: string, edit: (spec: any) => void): RenderedEnvironment {
  const spec = JSON.parse(JSON.stringify(envs.get(env)!.platform));
  edit(spec);
  delete spec.namespace;
  return synthesizePlatforms([resolvePlatform(env, spec)]).environments[0];
}
const service = (spec: any, name: string) => spec.services.find((s: { name: string }) => s.name === name);

describe('delivery strategies of the reference platform', () => {
  it('runs every strategy in some environment', () => {
    // dev: the worker is recreated; prod: the dashboard rolls with explicit settings.
    expect(find('dev', 'Deployment', 'worker').spec.strategy).toEqual({ type: 'Recreate' });
    expect(find('prod', 'Deployment', 'dashboard').spec).toMatchObject({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, minReadySeconds: 10 });
    // staging: the dashboard in blue-green slots, blue active; the api as an Argo Rollouts canary with its analysis.
    expect([find('staging', 'Deployment', 'dashboard-blue'), find('staging', 'Deployment', 'dashboard-green'), find('staging', 'Service', 'dashboard-preview')].every(Boolean)).toBe(true);
    expect(find('staging', 'Deployment', 'dashboard')).toBeUndefined();
    expect(find('staging', 'Service', 'dashboard').spec.selector[SLOT_LABEL]).toBe('blue');
    expect(find('staging', 'Rollout', 'api').spec.strategy.canary.steps).toEqual([{ setWeight: 20 }, { pause: { duration: '5m' } }, { setWeight: 50 }, { pause: { duration: '5m' } }]);
    expect(find('staging', 'AnalysisTemplate', 'api-success-rate')).toBeDefined();
    expect(find('staging', 'Deployment', 'api')).toBeUndefined();
    // prod: the api's canary on 1.5.0 beside the stable 1.4.2.
    expect(find('prod', 'Deployment', 'api-canary').spec.template.spec.containers[0].image).toBe('ghcr.io/atlas-platform/api:1.5.0');
    expect(find('prod', 'Deployment', 'api').spec.template.spec.containers[0].image).toBe('ghcr.io/atlas-platform/api:1.4.2');
  });

  it('sends 10% of prod\'s api requests to the canary through the HTTPRoute\'s weighted backends, adding up to 100', () => {
    const route = find('prod', 'HTTPRoute', 'api');
    for (const rule of route.spec.rules) {
      expect(rule.backendRefs.map((b: { name: string; weight: number }) => [b.name, b.weight])).toEqual([['api', 90], ['api-canary', 10]]);
      expect(rule.backendRefs.reduce((n: number, b: { weight: number }) => n + b.weight, 0)).toBe(100);
    }
    // Each backend Service reaches one track only; callers inside the cluster use the stable one.
    expect(find('prod', 'Service', 'api').spec.selector[TRACK_LABEL]).toBe('stable');
    expect(find('prod', 'Service', 'api-canary').spec.selector[TRACK_LABEL]).toBe('canary');
  });

  it('starts prod\'s api canary without touching the running Deployment\'s selector, which the API server cannot change', () => {
    const rolling = variant('prod', (spec) => { delete service(spec, 'api').delivery; });
    const selector = (env: RenderedEnvironment) => find(env, 'Deployment', 'api').spec.selector;
    expect(find(rolling, 'Deployment', 'api-canary')).toBeUndefined();
    expect(selector(envs.get('prod')!)).toEqual(selector(rolling));
    expect(selector(rolling).matchLabels[TRACK_LABEL]).toBe('stable');
    // What the canary changes on existing objects: the stable Service narrows to the stable track (a mutable field).
    expect(find(rolling, 'Service', 'api').spec.selector[TRACK_LABEL]).toBeUndefined();
    expect(find('prod', 'Service', 'api').spec.selector[TRACK_LABEL]).toBe('stable');
  });

  it('switches staging\'s dashboard to the green slot by changing only the two Services\' selectors', () => {
    const green = variant('staging', (spec) => { service(spec, 'dashboard').delivery.activeSlot = 'green'; });
    const before = new Map(objectsOf(envs.get('staging')!).map((o) => [idOf(o), o]));
    const after = new Map(objectsOf(green).map((o) => [idOf(o), o]));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const changes = [...before].flatMap(([id, o]) => diffValues(o, after.get(id)).map((c) => `${id} ${formatPath(c.path)}: ${String(c.before)} → ${String(c.after)}`));
    expect(changes).toEqual([
      `Service/atlas-staging/dashboard spec.selector["${SLOT_LABEL}"]: blue → green`,
      `Service/atlas-staging/dashboard-preview spec.selector["${SLOT_LABEL}"]: green → blue`,
    ]);
  });

  it('adds an NGINX canary Ingress beside each Ingress where there is no Gateway API, the weights adding up to 100', () => {
    const canary = variant('staging', (spec) => { service(spec, 'dashboard').delivery = { strategy: 'canary', weight: 20, image: 'ghcr.io/atlas-platform/dashboard:2.9.0' }; });
    const A = 'nginx.ingress.kubernetes.io';
    for (const main of ['dashboard', 'dashboard-websocket']) {
      const stable = find(canary, 'Ingress', main);
      const twin = find(canary, 'Ingress', `${main}-canary`);
      expect(twin.metadata.annotations).toMatchObject({ [`${A}/canary`]: 'true', [`${A}/canary-weight`]: '20', [`${A}/canary-weight-total`]: '100' });
      // The controller pairs them by host and path: the canary gets 20 of 100, the main Ingress the other 80.
      expect(twin.spec.rules.map((r: any) => [r.host, r.http.paths.map((p: any) => p.path)])).toEqual(stable.spec.rules.map((r: any) => [r.host, r.http.paths.map((p: any) => p.path)]));
      expect(twin.spec.rules[0].http.paths[0].backend.service.name).toBe('dashboard-canary');
      expect(stable.spec.rules[0].http.paths[0].backend.service.name).toBe('dashboard');
      expect(stable.metadata.annotations?.[`${A}/canary`]).toBeUndefined();
    }
  });

  it('splits the requests of a service no route reaches by replica count, over one Service', () => {
    const ratio = variant('dev', (spec) => {
      const api = service(spec, 'api');
      delete api.exposure;
      api.replicas = 3;
      api.delivery = { strategy: 'canary', weight: 25, image: 'ghcr.io/atlas-platform/api:1.5.0' };
      // The canary's pods count against the quota like any others: dev's 6 CPU of limits would not hold them.
      spec.security.quota.limits.cpu = '8';
    });
    expect([find(ratio, 'Deployment', 'api').spec.replicas, find(ratio, 'Deployment', 'api-canary').spec.replicas]).toEqual([3, 1]);
    expect(find(ratio, 'Service', 'api').spec.selector).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api-dev' });
    expect(find(ratio, 'Service', 'api-canary')).toBeUndefined();
  });

  it('lets staging\'s HPA scale the api Rollout and checks the new version\'s success rate in the cluster\'s Prometheus', () => {
    expect(find('staging', 'HorizontalPodAutoscaler', 'api').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' });
    const rollout = find('staging', 'Rollout', 'api');
    expect(rollout.spec.replicas).toBeUndefined();
    // Argo Rollouts weighs traffic through the api's Ingress, which routes to the stable Service.
    expect(rollout.spec.strategy.canary).toMatchObject({ stableService: 'api', canaryService: 'api-canary', trafficRouting: { nginx: { stableIngress: 'api' } }, analysis: { startingStep: 1 } });
    expect(find('staging', 'Ingress', 'api').spec.rules[0].http.paths[0].backend.service.name).toBe('api');
    const metric = find('staging', 'AnalysisTemplate', 'api-success-rate').spec.metrics[0];
    expect(metric.provider.prometheus.address).toBe('http://prometheus-operated.monitoring.svc:9090');
    expect(metric.provider.prometheus.query).toContain('namespace="atlas-staging", job="api", pod=~"api-{{args.pod-template-hash}}-[a-z0-9]+"');
    // The Rollout's pods sit behind two Services as it moves: Prometheus scrapes them pod by pod, as job "api".
    expect(find('staging', 'PodMonitor', 'api').spec.podMetricsEndpoints[0].relabelings).toEqual([{ action: 'replace', targetLabel: 'job', replacement: 'api' }]);
    expect(find('staging', 'ServiceMonitor', 'api')).toBeUndefined();
  });

  it('registers every Deployment of a service, so budgets, quotas, alerts and the overview cover slots and canaries', () => {
    const registered = (env: string) => envs.get(env)!.workloads.filter((w) => w.service !== undefined || ['api', 'dashboard'].includes(w.name)).map((w) => [w.name, w.kind, w.service, w.replicas.max, w.surge]);
    expect(registered('staging')).toEqual([
      ['api', 'Rollout', undefined, 4, '100%'],
      ['dashboard-blue', 'Deployment', 'dashboard', 2, '25%'],
      ['dashboard-green', 'Deployment', 'dashboard', 1, '25%'],
    ]);
    expect(registered('prod')).toEqual([
      ['api', 'Deployment', undefined, 10, '25%'],
      ['api-canary', 'Deployment', 'api', 1, '25%'],
      ['dashboard', 'Deployment', undefined, 2, 1],
    ]);
    expect(find('staging', 'PodDisruptionBudget', 'dashboard-blue').spec.selector.matchLabels[SLOT_LABEL]).toBe('blue');
    expect(find('prod', 'PodDisruptionBudget', 'api').spec.selector.matchLabels[TRACK_LABEL]).toBe('stable');
  });

  it('gives each blue-green slot its own HPA, within the slot\'s bounds or the service\'s', () => {
    const scaled = variant('staging', (spec) => {
      const dashboard = service(spec, 'dashboard');
      dashboard.autoscaling = { hpa: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70, podsMetrics: [] } };
      dashboard.delivery.green = { image: 'ghcr.io/atlas-platform/dashboard:2.9.0', hpa: { minReplicas: 1, maxReplicas: 2 } };
    });
    const hpa = (name: string) => find(scaled, 'HorizontalPodAutoscaler', name).spec;
    expect([hpa('dashboard-blue').scaleTargetRef.name, hpa('dashboard-blue').minReplicas, hpa('dashboard-blue').maxReplicas]).toEqual(['dashboard-blue', 2, 4]);
    expect([hpa('dashboard-green').scaleTargetRef.name, hpa('dashboard-green').minReplicas, hpa('dashboard-green').maxReplicas]).toEqual(['dashboard-green', 1, 2]);
    // The autoscalers own the counts; an apply never resets them.
    expect([find(scaled, 'Deployment', 'dashboard-blue').spec.replicas, find(scaled, 'Deployment', 'dashboard-green').spec.replicas]).toEqual([undefined, undefined]);
  });
});
