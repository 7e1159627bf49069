import { describe, expect, it } from 'vitest';
import { formatPath } from '../../lib/review/object-diff';
import { formatPlanMarkdown, formatPlanText } from '../../lib/review/plan-report';
import { hasChanges, planTrees, totalsOf, type EnvironmentPlan } from '../../lib/review/plan';
import { deployment, fromDashboard, fromWorker, httpPort, labels, networkPolicy, service, statefulSet, tree, type Obj } from './fixtures';

const prodOnly = (env: string) => env === 'prod';

/** The plan of one environment going from `before` to `after` objects (one file each). */
function planOf(before: Obj[], after: Obj[], env = 'prod'): EnvironmentPlan {
  const plans = planTrees(tree({ [`${env}/0300-app.k8s.yaml`]: before }), tree({ [`${env}/0300-app.k8s.yaml`]: after }), prodOnly);
  expect(plans.map((p) => p.environment)).toEqual([env]);
  return plans[0];
}

const reasons = (plan: EnvironmentPlan) => plan.objects.flatMap((o) => o.risks.map((r) => `${o.ref.kind}/${o.ref.name}${r.field ? ` ${r.field}` : ''}: ${r.reason}`));

describe('planTrees', () => {
  it('matches objects by identity, not by file: moving an object to another file changes nothing', () => {
    const before = tree({ 'prod/0300-api.k8s.yaml': [deployment('api'), service('api', [{ name: 'http', port: 80 }])] });
    const after = tree({ 'prod/0300-api.k8s.yaml': [deployment('api')], 'prod/0400-api-service.k8s.yaml': [service('api', [{ name: 'http', port: 80 }])] });
    const [plan] = planTrees(before, after);
    expect(plan.objects).toEqual([]);
    expect(plan.files).toEqual([{ path: 'prod/0300-api.k8s.yaml', action: 'change' }, { path: 'prod/0400-api-service.k8s.yaml', action: 'add' }]);
  });

  it('reports one field with old and new values when one image changes, and lists env vars by name', () => {
    const plan = planOf([deployment('api')], [deployment('api', { image: 'ghcr.io/acme/api:1.1.0' })]);
    expect(plan.objects).toHaveLength(1);
    expect(plan.objects[0].fields.map((f) => [formatPath(f.path), f.before, f.after])).toEqual([
      ['spec.template.spec.containers[api].image', 'ghcr.io/acme/api:1.0.0', 'ghcr.io/acme/api:1.1.0'],
    ]);
    expect(formatPlanText([plan])).toContain('  ~ prod Deployment/api: spec.template.spec.containers[api].image  ghcr.io/acme/api:1.0.0 → ghcr.io/acme/api:1.1.0');
  });

  it('shows an env var added before the others as that one item, not as every later item shifted', () => {
    const env = [{ name: 'LOG_FORMAT', value: 'json' }, { name: 'PORT', value: '8080' }];
    const plan = planOf([deployment('api', { env })], [deployment('api', { env: [{ name: 'A_FIRST', value: '1' }, ...env] })]);
    expect(plan.objects[0].fields.map((f) => formatPath(f.path))).toEqual(['spec.template.spec.containers[api].env[A_FIRST]']);
  });

  it('summarizes the version label once per environment instead of once per object', () => {
    const relabel = (o: Obj) => JSON.parse(JSON.stringify(o).replaceAll('"app.kubernetes.io/version":"1.0.0"', '"app.kubernetes.io/version":"1.1.0"')) as Obj;
    const plan = planOf([deployment('api'), service('api', [{ name: 'http', port: 80 }])], [relabel(deployment('api')), relabel(service('api', [{ name: 'http', port: 80 }]))]);
    expect(totalsOf([plan])).toMatchObject({ changed: 0, relabelled: 1 });
    const text = formatPlanText([plan]);
    expect(text).toContain('  ~ prod app.kubernetes.io/version 1.0.0 → 1.1.0 on Deployment/api');
    expect(text).not.toContain('labels');
  });

  it('sets apart fields that only repeat the new version, but never the image and never other edits', () => {
    const release = (v: string, extra = '') => {
      const d = deployment('api', { image: `ghcr.io/acme/api:${v}`, env: [{ name: 'OTEL_RESOURCE_ATTRIBUTES', value: `service.version=${v}${extra}` }] });
      return JSON.parse(JSON.stringify(d).replaceAll('"app.kubernetes.io/version":"1.0.0"', `"app.kubernetes.io/version":"${v}"`)) as Obj;
    };
    const [change] = planOf([release('1.0.0')], [release('1.1.0')]).objects;
    expect(change.fields.map((f) => formatPath(f.path))).toEqual(['spec.template.spec.containers[api].image']);
    expect(change.versionEchoes?.map((f) => formatPath(f.path))).toEqual(['spec.template.spec.containers[api].env[OTEL_RESOURCE_ATTRIBUTES].value']);
    const [edited] = planOf([release('1.0.0')], [release('1.1.0', ',team=core')]).objects;
    expect(edited.fields.map((f) => formatPath(f.path))).toContain('spec.template.spec.containers[api].env[OTEL_RESOURCE_ATTRIBUTES].value');
  });

  it('lists added and removed objects, and files that are not manifests', () => {
    const before = tree({ 'prod/0300-app.k8s.yaml': [deployment('api'), deployment('old')], 'prod.md': ['x' as never] });
    const after = new Map([...tree({ 'prod/0300-app.k8s.yaml': [deployment('api'), deployment('new')] }), ['prod.md', '# changed\n']]);
    const [plan] = planTrees(before, after);
    expect(plan.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name}`)).toEqual(['add Deployment/new', 'remove Deployment/old']);
    expect(plan.files).toEqual([{ path: 'prod.md', action: 'change' }]);
    expect(hasChanges([plan])).toBe(true);
  });

  it('finds no changes between identical trees', () => {
    const same = tree({ 'prod/0300-app.k8s.yaml': [deployment('api')] });
    const plans = planTrees(same, new Map(same));
    expect(hasChanges(plans)).toBe(false);
    expect(formatPlanText(plans)).toBe('prod: no changes\n\nPlan: no changes in 1 environment.');
  });

  it('reads only the manifests whose bytes differ: a file the same on both sides cannot change the plan', () => {
    // Not YAML at all: parsing it would fail, so the plan proves it never parsed it.
    const same = 'not: [valid yaml\n';
    const before = new Map([...tree({ 'prod/0300-api.k8s.yaml': [deployment('api')] }), ['prod/0300-same.k8s.yaml', same]]);
    const after = new Map([...tree({ 'prod/0300-api.k8s.yaml': [deployment('api', { image: 'ghcr.io/atlas-platform/api:1.5.0' })] }), ['prod/0300-same.k8s.yaml', same]]);
    const [plan] = planTrees(before, after);
    expect(plan.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name}`)).toEqual(['change Deployment/api']);
    expect(() => planTrees(before, new Map([...after, ['prod/0300-same.k8s.yaml', `${same}# edited\n`]]))).toThrow('prod/0300-same.k8s.yaml: not valid YAML');
  });

  it('takes the new side from the objects it is given instead of parsing the bytes again', () => {
    const before = tree({ 'prod/0300-api.k8s.yaml': [deployment('api')] });
    // Bytes that would not parse: only the given objects are read.
    const after = new Map([['prod/0300-api.k8s.yaml', 'not: [yaml\n']]);
    const objects = new Map([['prod/0300-api.k8s.yaml', [deployment('api', { replicas: 5 })]]]);
    const [plan] = planTrees(before, after, () => false, objects);
    expect(plan.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name} ${o.fields.map((f) => formatPath(f.path)).join(',')}`)).toEqual(['change Deployment/api spec.replicas']);
  });

  it('fails on two objects with one identity in one environment', () => {
    const twice = tree({ 'prod/a.k8s.yaml': [deployment('api')], 'prod/b.k8s.yaml': [deployment('api')] });
    expect(() => planTrees(new Map(), twice)).toThrow('apps/v1 Deployment atlas-prod/api appears twice in one environment');
  });
});

describe('risk flags', () => {
  it('flags deleting a StatefulSet and a PersistentVolumeClaim, but not a Deployment', () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'uploads', namespace: 'atlas-prod' }, spec: { resources: { requests: { storage: '5Gi' } } } };
    const plan = planOf([deployment('api'), statefulSet('postgres'), pvc], []);
    expect(reasons(plan)).toEqual([
      'PersistentVolumeClaim/uploads: deletes a PersistentVolumeClaim: with the usual Delete reclaim policy its volume and data are deleted',
      'StatefulSet/postgres: deletes a StatefulSet: its pods stop, and its claims (and data) go too under a Delete retention policy',
    ]);
    expect(totalsOf([plan])).toMatchObject({ removed: 3, risky: 2 });
  });

  it('flags changes to immutable fields: a Deployment selector, StatefulSet claim templates, a Service clusterIP and type', () => {
    const api = deployment('api');
    const moved = deployment('api');
    (moved.spec as Obj).selector = { matchLabels: { 'app.kubernetes.io/name': 'api' } };
    const svc = service('api', [{ name: 'http', port: 80 }]);
    const lb = service('api', [{ name: 'http', port: 80 }], 'LoadBalancer');
    (lb.spec as Obj).clusterIP = '10.0.0.10';
    const plan = planOf([api, statefulSet('postgres'), svc], [moved, statefulSet('postgres', '50Gi'), lb]);
    expect(reasons(plan)).toEqual([
      'Deployment/api spec.selector.matchLabels["app.kubernetes.io/instance"]: immutable field: the API server rejects the update; the object must be deleted and re-created',
      'Service/api spec.clusterIP: immutable field: the API server rejects the update; the object must be deleted and re-created',
      'Service/api spec.type: Service type ClusterIP → LoadBalancer: clients get a new address or load balancer',
      'StatefulSet/postgres spec.volumeClaimTemplates[data].spec.resources.requests.storage: immutable field: the API server rejects the update; the object must be deleted and re-created',
    ]);
  });

  it('flags replica and resource cuts in production only, and never increases', () => {
    const before = [deployment('api', { replicas: 3, cpu: '500m' }), deployment('worker', { replicas: 2 })];
    const after = [deployment('api', { replicas: 2, cpu: '250m' }), deployment('worker', { replicas: 4 })];
    expect(reasons(planOf(before, after, 'prod'))).toEqual([
      'Deployment/api spec.replicas: cuts capacity in production: 3 → 2',
      'Deployment/api spec.template.spec.containers[api].resources.requests.cpu: cuts requests in production: 500m → 250m',
    ]);
    expect(reasons(planOf(before, after, 'dev'))).toEqual([]);
  });

  it('flags lower autoscaling bounds and a deleted disruption budget in production only', () => {
    const hpa = (min: number, max: number) => ({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'atlas-prod' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: min, maxReplicas: max },
    });
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: 'atlas-prod' }, spec: { maxUnavailable: 1, selector: { matchLabels: labels('api') } } };
    expect(reasons(planOf([hpa(3, 10), pdb], [hpa(2, 12)]))).toEqual([
      'HorizontalPodAutoscaler/api spec.minReplicas: cuts capacity in production: 3 → 2',
      'PodDisruptionBudget/api: deletes a PodDisruptionBudget in production: a node drain may evict every pod at once',
    ]);
    expect(reasons(planOf([hpa(3, 10), pdb], [hpa(2, 12)], 'staging'))).toEqual([]);
  });

  it('does not flag a Deployment handing its replica count to an autoscaler', () => {
    expect(reasons(planOf([deployment('api', { replicas: 3 })], [deployment('api')]))).toEqual([]);
  });

  it('flags a NetworkPolicy that admits a new peer, opens all ports or stops isolating a direction', () => {
    const base = networkPolicy('api', [{ from: [fromDashboard], ports: [httpPort] }], ['Ingress', 'Egress']);
    const newPeer = networkPolicy('api', [{ from: [fromDashboard, fromWorker], ports: [httpPort] }], ['Ingress', 'Egress']);
    const allPorts = networkPolicy('api', [{ from: [fromDashboard] }], ['Ingress', 'Egress']);
    const noEgress = networkPolicy('api', [{ from: [fromDashboard], ports: [httpPort] }], ['Ingress']);
    expect(reasons(planOf([base], [newPeer]))).toEqual([
      'NetworkPolicy/api spec.ingress: widens the NetworkPolicy: admits ingress from pods(app.kubernetes.io/name=dashboard,app.kubernetes.io/instance=dashboard-prod), pods(app.kubernetes.io/name=worker,app.kubernetes.io/instance=worker-prod) on TCP/8080',
    ]);
    expect(reasons(planOf([base], [allPorts]))).toEqual([
      'NetworkPolicy/api spec.ingress: widens the NetworkPolicy: admits ingress from pods(app.kubernetes.io/name=dashboard,app.kubernetes.io/instance=dashboard-prod) on all ports',
    ]);
    expect(reasons(planOf([base], [noEgress]))).toEqual([
      'NetworkPolicy/api spec.policyTypes: widens the NetworkPolicy: Egress is no longer isolated, all egress traffic is admitted',
    ]);
    expect(reasons(planOf([base], []))[0]).toMatch(/^NetworkPolicy\/api: deletes a NetworkPolicy/);
  });

  it('does not flag an ipBlock that gains exceptions, and flags one that loses them or grows', () => {
    const https = [{ port: 443, protocol: 'TCP' }];
    const egress = (ipBlock: Record<string, unknown>) => ({ ...networkPolicy('backup', []), spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock }], ports: https }] } });
    const anywhere = egress({ cidr: '0.0.0.0/0' });
    const outside = egress({ cidr: '0.0.0.0/0', except: ['10.30.0.0/16', '172.20.0.0/16'] });
    expect(reasons(planOf([anywhere], [outside]))).toEqual([]);
    expect(reasons(planOf([outside], [egress({ cidr: '52.216.0.0/15' })]))).toEqual([]);
    expect(reasons(planOf([outside], [anywhere]))).toEqual([
      'NetworkPolicy/backup spec.egress: widens the NetworkPolicy: admits egress to cidr 0.0.0.0/0 on TCP/443',
    ]);
    expect(reasons(planOf([outside], [egress({ cidr: '0.0.0.0/0', except: ['10.30.0.0/17', '172.20.0.0/16'] })]))).toHaveLength(1);
    expect(reasons(planOf([egress({ cidr: '52.216.0.0/15' })], [egress({ cidr: '52.0.0.0/8' })]))).toHaveLength(1);
  });

  it('does not flag a NetworkPolicy that narrows: a peer removed, a port added to a rule', () => {
    const wide = networkPolicy('api', [{ from: [fromDashboard, fromWorker] }]);
    const narrow = networkPolicy('api', [{ from: [fromDashboard], ports: [httpPort] }]);
    const plan = planOf([wide], [narrow]);
    expect(plan.objects).toHaveLength(1);
    expect(reasons(plan)).toEqual([]);
  });
});

describe('plan reports', () => {
  const risky = planOf([deployment('api'), statefulSet('postgres')], [deployment('api', { image: 'ghcr.io/acme/api:1.1.0' })]);

  it('prints terminal text with the risk under the object and colour only when asked', () => {
    const plain = formatPlanText([risky]);
    expect(plain).toMatchSnapshot();
    expect(plain).not.toContain('\u001b[');
    const coloured = formatPlanText([risky], { color: true });
    expect(coloured).toContain('\u001b[1m\u001b[31m      ! risky: deletes a StatefulSet');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it('prints Markdown with a warning per risk and a table row per field, pipes escaped', () => {
    const withPipe = planOf([deployment('api')], [deployment('api', { env: [{ name: 'FILTER', value: 'a|b' }] })], 'dev');
    const md = formatPlanMarkdown([risky, withPipe]);
    expect(md).toContain('> [!WARNING]\n> **- `StatefulSet/postgres`**: deletes a StatefulSet');
    expect(md).toContain('| ~ | `Deployment/api` | `spec.template.spec.containers[api].image` | `ghcr.io/acme/api:1.0.0` | `ghcr.io/acme/api:1.1.0` |');
    expect(md).toContain('| - ⚠️ | `StatefulSet/postgres` | (deleted) | | |');
    expect(md).toContain('"value":"a\\|b"');
    expect(md).toMatchSnapshot();
  });
});
