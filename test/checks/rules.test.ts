import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkEnvironment, RULES, schemaSource, type Finding, type RuleName } from '../../lib/checks';
import { asFiles, cleanObjects, container, type CleanObjects } from './fixtures';

const run = (objects: Record<string, object> | object[]) => checkEnvironment('test', asFiles(objects));
const brief = (f: Finding) => ({ rule: f.rule, object: `${f.kind}/${f.name}`, message: f.message });

/** One violation per rule: what to break, the object the finding names, and its exact message. */
interface Case {
  readonly rule: RuleName;
  readonly what: string;
  readonly breakIt: (o: CleanObjects) => Record<string, object> | void;
  readonly object: string;
  readonly message: string;
}

const cases: Case[] = [
  {
    rule: 'known-kind', what: 'an object of a kind no schema covers',
    breakIt: (o) => ({ ...o, widget: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } } }),
    object: 'Widget/w',
    message: 'no schema covers example.com/v1 Widget: neither a kubernetes-models package nor a CRD in imports/schemas (add its CRD to cdk8s.yaml and run npm run import)',
  },
  {
    rule: 'schema', what: 'a replica count given as a string',
    breakIt: (o) => { o.deployment.spec.replicas = 'two'; },
    object: 'Deployment/web', message: 'spec.replicas: must be integer (the apps/v1 Deployment schema (kubernetes-models))',
  },
  {
    rule: 'unknown-field', what: 'a misspelled container field',
    breakIt: (o) => { (o.deployment.spec.template.spec.containers[0] as Record<string, unknown>).imagePullPolicyy = 'Always'; },
    object: 'Deployment/web',
    message: 'spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy" (did you mean "imagePullPolicy"?); the apps/v1 Deployment schema (kubernetes-models) does not declare it',
  },
  {
    rule: 'object-name', what: 'a Service name starting with a digit',
    breakIt: (o) => { o.service.metadata.name = '1web'; },
    object: 'Service/1web', message: 'metadata.name "1web" is not a DNS-1035 label (a lowercase letter first, then letters, digits and "-", at most 63 characters)',
  },
  {
    rule: 'object-namespace', what: 'a namespaced object without a namespace',
    breakIt: (o) => { delete (o.role.metadata as { namespace?: string }).namespace; },
    object: 'Role/web', message: 'Role is namespaced but sets no metadata.namespace',
  },
  {
    rule: 'label-syntax', what: 'a label value with a space',
    breakIt: (o) => { o.service.metadata.labels = { ...o.service.metadata.labels, team: 'web shop' }; },
    object: 'Service/web', message: 'metadata.labels["team"]: value "web shop" is not a label value (at most 63 characters of [A-Za-z0-9_.-], starting and ending alphanumeric)',
  },
  {
    rule: 'port-name', what: 'a container port name of 16 characters',
    breakIt: (o) => { o.deployment.spec.template.spec.containers[0].ports.push({ name: 'metrics-exporter', containerPort: 9090, protocol: 'TCP' }); },
    object: 'Deployment/web',
    message: 'spec.template.spec.containers[web].ports[metrics-exporter].name: "metrics-exporter" is not an IANA service name (at most 15 characters of lowercase letters, digits and "-", at least one letter, no "--"); it has 16 characters',
  },
  {
    rule: 'container-name', what: 'two containers with the same name',
    breakIt: (o) => { o.deployment.spec.template.spec.containers.push({ ...container(), ports: [] }); },
    object: 'Deployment/web', message: 'spec.template.spec.containers[web]: the container name "web" is used twice in the pod',
  },
  {
    rule: 'quantity', what: 'a cpu request above its limit',
    breakIt: (o) => { o.deployment.spec.template.spec.containers[0].resources.requests.cpu = '2'; },
    object: 'Deployment/web', message: 'spec.template.spec.containers[web].resources.requests.cpu: 2 is more than the limit 500m',
  },
  {
    rule: 'selector-match', what: 'a selector the pod template labels do not match',
    breakIt: (o) => { o.deployment.spec.selector.matchLabels['app.kubernetes.io/name'] = 'api'; },
    object: 'Deployment/web',
    message: 'spec.selector {"matchLabels":{"app.kubernetes.io/name":"api","app.kubernetes.io/instance":"web-test"}} does not match the pod template labels {"app.kubernetes.io/name":"web","app.kubernetes.io/instance":"web-test","app.kubernetes.io/version":"1.0.0"}',
  },
  {
    rule: 'volume-mount', what: 'a mount of a volume the pod does not define',
    breakIt: (o) => { o.deployment.spec.template.spec.containers[0].volumeMounts.push({ name: 'data', mountPath: '/data' }); },
    object: 'Deployment/web', message: 'spec.template.spec.containers[web].volumeMounts[/data]: no volume or claim template named "data" (defined: tmp)',
  },
  {
    rule: 'pod-security', what: 'a container that may escalate privileges in a restricted namespace',
    breakIt: (o) => { (o.deployment.spec.template.spec.containers[0].securityContext as Record<string, unknown>).allowPrivilegeEscalation = true; },
    object: 'Deployment/web', message: 'spec.template.spec.containers[web].securityContext.allowPrivilegeEscalation is not false (namespace shop enforces restricted Pod Security)',
  },
  {
    rule: 'namespace-pod-security', what: 'a privileged namespace without the exception annotation',
    breakIt: (o) => { o.namespace.metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged'; },
    object: 'Namespace/shop',
    message: 'the namespace enforces "privileged" Pod Security without a spec-marked exception: restricted, or a reason in the security.stackwright.io/pod-security-exception annotation',
  },
  {
    rule: 'resources', what: 'a container without a memory limit',
    breakIt: (o) => { delete (o.deployment.spec.template.spec.containers[0].resources.limits as { memory?: string }).memory; },
    object: 'Deployment/web', message: 'spec.template.spec.containers[web].resources: limits.memory not set',
  },
  {
    rule: 'probes', what: 'a long-running container without a liveness probe',
    breakIt: (o) => { delete (o.deployment.spec.template.spec.containers[0] as { livenessProbe?: unknown }).livenessProbe; },
    object: 'Deployment/web', message: 'spec.template.spec.containers[web]: no livenessProbe',
  },
  {
    rule: 'pinned-image', what: 'an image tagged latest',
    breakIt: (o) => { o.deployment.spec.template.spec.containers[0].image = 'ghcr.io/acme/web:latest'; },
    object: 'Deployment/web', message: 'spec.template.spec.containers[web].image: "ghcr.io/acme/web:latest" is not pinned (a tag other than latest, or @sha256:<digest>)',
  },
  {
    rule: 'secret-data', what: 'a Secret with inline data',
    breakIt: (o) => ({ ...o, secret: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-key', namespace: 'shop' }, data: { key: 'c2VjcmV0' } } }),
    object: 'Secret/api-key', message: 'data holds key: reference the secret (ExternalSecret, SealedSecret, or a Secret created out of band) instead of writing its value',
  },
  {
    rule: 'rbac-wildcard', what: 'a Role granting every verb',
    breakIt: (o) => { o.role.rules[0].verbs = ['*']; },
    object: 'Role/web', message: 'rules[0]: a wildcard in verbs; name the groups, resources and verbs needed',
  },
  {
    rule: 'default-deny', what: 'a namespace without a default-deny NetworkPolicy',
    breakIt: (o) => { o.denyAll.spec.egress = [{}]; },
    object: 'Namespace/shop', message: 'namespace shop has no NetworkPolicy that selects every pod (podSelector: {}) and allows no egress',
  },
  {
    rule: 'disruption-budget', what: 'two replicas without a PodDisruptionBudget',
    breakIt: ({ budget: _, ...rest }) => rest,
    object: 'Deployment/web', message: 'runs up to 2 replicas but no PodDisruptionBudget selects its pods {"app.kubernetes.io/name":"web","app.kubernetes.io/instance":"web-test","app.kubernetes.io/version":"1.0.0"}',
  },
  {
    rule: 'disruption-budget-eviction', what: 'a budget that allows no eviction',
    breakIt: (o) => { o.budget.spec.maxUnavailable = 0; },
    object: 'PodDisruptionBudget/web', message: 'spec.maxUnavailable is 0: no pod may ever be evicted',
  },
  {
    rule: 'autoscaler-target', what: 'an HPA whose target does not exist',
    breakIt: (o) => ({ ...o, hpa: hpa('worker', 2, 4) }),
    object: 'HorizontalPodAutoscaler/worker', message: 'spec.scaleTargetRef: no Deployment named "worker" in namespace shop',
  },
  {
    rule: 'autoscaler-bounds', what: 'an HPA with minReplicas above maxReplicas',
    breakIt: (o) => { delete o.deployment.spec.replicas; return { ...o, hpa: hpa('web', 5, 3) }; },
    object: 'HorizontalPodAutoscaler/web', message: 'spec.minReplicas 5 is more than spec.maxReplicas 3',
  },
  {
    rule: 'autoscaled-replicas', what: 'a Deployment that sets replicas under an HPA',
    breakIt: (o) => ({ ...o, hpa: hpa('web', 2, 4) }),
    object: 'Deployment/web', message: 'spec.replicas is 2 but HorizontalPodAutoscaler/web owns the replica count: leave replicas unset',
  },
  {
    rule: 'service-selector', what: 'a Service that selects no pod',
    breakIt: (o) => { o.service.spec.selector = { 'app.kubernetes.io/name': 'api' }; },
    object: 'Service/web', message: 'spec.selector {"app.kubernetes.io/name":"api"} selects no pod template in namespace shop',
  },
  {
    rule: 'service-target-port', what: 'a Service whose named targetPort the pods lack',
    breakIt: (o) => { o.service.spec.ports[0].targetPort = 'https'; },
    object: 'Service/web', message: 'spec.ports[http].targetPort: "https" is not a container port name of Deployment/web (it has http)',
  },
  {
    rule: 'duplicate-object', what: 'the same Service twice',
    breakIt: (o) => ({ ...o, again: structuredClone(o.service) }),
    object: 'Service/web', message: 'defined 2 times (in test/0300-shop.k8s.yaml, test/0300-shop.k8s.yaml); the last one applied wins',
  },
  {
    rule: 'cronjob-policy', what: 'a CronJob without a starting deadline',
    breakIt: (o) => { delete o.cronJob.spec.startingDeadlineSeconds; },
    object: 'CronJob/cleanup', message: 'spec.startingDeadlineSeconds not set',
  },
];

function hpa(target: string, minReplicas: number, maxReplicas: number) {
  return {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
    metadata: { name: target, namespace: 'shop' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas, maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  };
}

describe('the clean fixture', () => {
  it('passes every rule, so each failing case below is caused by what it breaks', () => {
    expect(run(cleanObjects()).map(brief)).toEqual([]);
  });
});

describe('every rule fires on its violation with the exact message', () => {
  it.each(cases.map((c) => [c.rule, c.what, c] as const))('%s fires on %s', (_rule, _what, c) => {
    const objects = cleanObjects();
    const findings = run(c.breakIt(objects) ?? objects).map(brief);
    expect(findings).toEqual([{ rule: c.rule, object: c.object, message: c.message }]);
  });

  it('has a failing case for every rule in the catalogue', () => {
    expect(new Set(cases.map((c) => c.rule))).toEqual(new Set(Object.keys(RULES)));
  });

  it('are all listed in the README table, with nothing listed that does not exist', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Checks'), readme.indexOf('## Apply'));
    const listed = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(RULES));
  });
});

describe('pod security', () => {
  it('holds pods to the level their namespace enforces: a hostPath pod passes only in a privileged namespace with a reason', () => {
    const objects = cleanObjects();
    const spec = objects.deployment.spec.template.spec;
    spec.volumes.push({ name: 'logs', hostPath: { path: '/var/log' } } as never);
    expect(run(objects).map(brief)).toContainEqual({ rule: 'pod-security', object: 'Deployment/web', message: 'spec.template.spec.volumes[logs] is a hostPath volume (namespace shop enforces restricted Pod Security)' });
    objects.namespace.metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged';
    (objects.namespace.metadata as Record<string, unknown>).annotations = { 'security.stackwright.io/pod-security-exception': 'reads node log files through hostPath' };
    expect(run(objects).map(brief)).toEqual([]);
  });

  it('reads runAsNonRoot and the seccomp profile from the pod when the container leaves them out', () => {
    const objects = cleanObjects();
    const sc = objects.deployment.spec.template.spec.containers[0].securityContext as Record<string, unknown>;
    delete sc.runAsNonRoot;
    delete sc.seccompProfile;
    expect(run(objects)).toEqual([]);
    delete (objects.deployment.spec.template.spec.securityContext as Record<string, unknown>).seccompProfile;
    expect(run(objects).map((f) => f.message)).toEqual([
      'spec.template.spec.containers[web]: seccompProfile.type is not RuntimeDefault or Localhost (container or pod securityContext) (namespace shop enforces restricted Pod Security)',
    ]);
  });
});

describe('autoscalers', () => {
  it('counts a KEDA ScaledObject like an HPA: its maximum needs a budget and its target must not set replicas', () => {
    const { budget: _, ...objects } = cleanObjects();
    objects.deployment.spec.replicas = 1;
    const scaled = {
      apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { name: 'web' }, minReplicaCount: 1, maxReplicaCount: 5, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }] },
    };
    expect(run({ ...objects, scaled }).map((f) => `${f.rule}: ${f.message}`)).toEqual([
      'autoscaled-replicas: spec.replicas is 1 but ScaledObject/web owns the replica count: leave replicas unset',
      expect.stringMatching(/^disruption-budget: runs up to 5 replicas but no PodDisruptionBudget selects its pods/),
    ]);
  });

  it('judges minAvailable against the fewest pods the autoscaler may run', () => {
    const objects = cleanObjects();
    delete objects.deployment.spec.replicas;
    objects.budget.spec = { minAvailable: 2, selector: objects.budget.spec.selector };
    expect(run({ ...objects, hpa: hpa('web', 2, 6) }).map((f) => f.message)).toEqual([
      'spec.minAvailable is 2 but the pods it selects may run only 2: no pod may be evicted',
    ]);
    expect(run({ ...objects, hpa: hpa('web', 3, 6) })).toEqual([]);
  });
});

describe('schemas of CRD kinds', () => {
  const elasticsearch = () => ({
    apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch',
    metadata: { name: 'logs', namespace: 'shop' },
    spec: { version: '9.4.1', nodeSets: [{ name: 'default', count: 3, config: { 'node.store.allow_mmap': false }, podTemplate: { spec: { anything: true } } }] } as Record<string, any>,
  });

  it('validate against the CRD schema from imports/schemas, respecting x-kubernetes-preserve-unknown-fields', () => {
    expect(run([elasticsearch()])).toEqual([]);
  });

  it('report type errors and misspelled fields of a CRD kind, and of its metadata', () => {
    const es = elasticsearch();
    es.spec.nodeSets[0].count = 'three';
    es.spec.nodeSets[0].cout = 3;
    (es.metadata as Record<string, unknown>).lables = {};
    expect(run([es]).map((f) => `${f.rule}: ${f.message}`)).toEqual([
      'schema: spec.nodeSets[0].count: must be integer (the elasticsearch.k8s.elastic.co/v1 Elasticsearch CRD schema)',
      'unknown-field: spec.nodeSets[0].cout: unknown field "cout" (did you mean "count"?); the elasticsearch.k8s.elastic.co/v1 Elasticsearch CRD schema does not declare it',
      'unknown-field: metadata.lables: unknown field "lables"; ObjectMeta does not declare it',
    ]);
  });

  it('use the @kubernetes-models package where it covers the emitted version, and accept int-or-string fields', () => {
    const monitor = {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'web' } }, endpoints: [{ port: 'http', targetPort: 8080, intervall: '15s' }] },
    };
    expect(run([monitor]).map((f) => f.message)).toEqual([
      'spec.endpoints[0].intervall: unknown field "intervall" (did you mean "interval"?); the monitoring.coreos.com/v1 ServiceMonitor schema (kubernetes-models) does not declare it',
    ]);
  });
});

describe('schemas of built-in kinds', () => {
  it('accept a PriorityClass description, which Kubernetes declares but the kubernetes-models validator drops', () => {
    const priority = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'apps' }, value: 1000, description: 'apps', descripton: 'typo' };
    expect(run([priority]).map((f) => f.message)).toEqual([
      'descripton: unknown field "descripton" (did you mean "description"?); the scheduling.k8s.io/v1 PriorityClass schema (kubernetes-models) does not declare it',
    ]);
  });
});

describe('cross-object checks', () => {
  it('find the one broken Service among 300 services, looking objects up in indexes built once', () => {
    const many: object[] = [cleanObjects().namespace, cleanObjects().denyAll];
    for (let i = 0; i < 300; i++) {
      const o = cleanObjects();
      const sel = { 'app.kubernetes.io/name': `web${i}`, 'app.kubernetes.io/instance': 'web-test' };
      o.deployment.metadata = { ...o.deployment.metadata, name: `web${i}` };
      o.deployment.spec.selector.matchLabels = sel;
      o.deployment.spec.template.metadata.labels = sel;
      o.service.metadata = { ...o.service.metadata, name: `web${i}` };
      o.service.spec.selector = sel;
      o.budget.metadata = { ...o.budget.metadata, name: `web${i}` };
      o.budget.spec.selector = { matchLabels: sel };
      if (i === 150) o.service.spec.ports[0].targetPort = 'https';
      many.push(o.deployment, o.service, o.budget);
    }
    expect(run(many).map((f) => `${f.kind}/${f.name}: ${f.rule}`)).toEqual(['Service/web150: service-target-port']);
  });
});

describe('pod templates', () => {
  it('checks CronJob pods for resources and images but not for probes', () => {
    const objects = cleanObjects();
    const spec = objects.cronJob.spec.jobTemplate.spec.template.spec;
    spec.containers = [{ ...container('cleanup'), readinessProbe: undefined, livenessProbe: undefined, image: 'busybox' }];
    expect(run(objects).map((f) => f.message)).toEqual([
      'spec.jobTemplate.spec.template.spec.containers[cleanup].image: "busybox" is not pinned (a tag other than latest, or @sha256:<digest>)',
    ]);
  });
});

describe('labels', () => {
  it('are checked on pod templates of CronJobs too, keys as qualified names', () => {
    const objects = cleanObjects();
    objects.cronJob.spec.jobTemplate.spec.template.metadata.labels = { 'acme.com/team/web': 'shop' };
    expect(run(objects).map((f) => f.message)).toEqual([
      'spec.jobTemplate.spec.template.metadata.labels: key "acme.com/team/web" is not a qualified name ([prefix/]name, name at most 63 characters of [A-Za-z0-9_.-] starting and ending alphanumeric)',
    ]);
  });
});

const dist = join(__dirname, '..', '..', 'dist');

/** Every apiVersion and kind the committed output emits. */
function emittedKinds(): string[] {
  const kinds = new Set<string>();
  for (const env of readdirSync(dist).filter((n) => !n.includes('.'))) {
    for (const file of readdirSync(join(dist, env))) {
      for (const doc of parseAllDocuments(readFileSync(join(dist, env, file), 'utf8'))) {
        const o = doc.toJSON() as { apiVersion: string; kind: string };
        kinds.add(`${o.apiVersion} ${o.kind}`);
      }
    }
  }
  return [...kinds].sort();
}

describe('schema sources', () => {
  it('validate every kind the output emits at the exact version it emits: a package where one has that version, else the pinned CRD', () => {
    const crd = (path: string) => expect.stringMatching(new RegExp(`^CRD https://raw\\.githubusercontent\\.com/.*${path.replace(/\./g, '\\.')}$`));
    expect(Object.fromEntries(emittedKinds().map((k) => [k, schemaSource(k.split(' ')[0], k.split(' ')[1])]))).toEqual({
      'apps/v1 DaemonSet': 'kubernetes-models', 'apps/v1 Deployment': 'kubernetes-models', 'apps/v1 StatefulSet': 'kubernetes-models',
      'argoproj.io/v1alpha1 AppProject': '@kubernetes-models/argo-cd', 'argoproj.io/v1alpha1 Application': '@kubernetes-models/argo-cd',
      // Argo Rollouts' kinds share argoproj.io with Argo CD's package, which lacks them: the pinned CRDs.
      'argoproj.io/v1alpha1 AnalysisTemplate': crd('argo-rollouts/v1.9.1/manifests/crds/analysis-template-crd.yaml'),
      'argoproj.io/v1alpha1 Rollout': crd('argo-rollouts/v1.9.1/manifests/crds/rollout-crd.yaml'),
      'autoscaling.k8s.io/v1 VerticalPodAutoscaler': '@kubernetes-models/autoscaler',
      'autoscaling/v2 HorizontalPodAutoscaler': 'kubernetes-models',
      'batch/v1 CronJob': 'kubernetes-models', 'batch/v1 Job': 'kubernetes-models',
      'cert-manager.io/v1 Certificate': '@kubernetes-models/cert-manager',
      'elasticsearch.k8s.elastic.co/v1 Elasticsearch': crd('elastic/cloud-on-k8s/v3.5.0/config/crds/v1/all-crds.yaml'),
      // The package has only v1beta1 and v1alpha1; Stackwright emits v1.
      'external-secrets.io/v1 ExternalSecret': crd('external-secrets/v2.9.0/config/crds/bases/external-secrets.io_externalsecrets.yaml'),
      // @kubernetes-models/gateway-api of the kubernetes-models 4 line is built on an older base: the CRDs instead.
      'gateway.networking.k8s.io/v1 Gateway': crd('gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_gateways.yaml'),
      'gateway.networking.k8s.io/v1 GatewayClass': crd('gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_gatewayclasses.yaml'),
      'gateway.networking.k8s.io/v1 HTTPRoute': crd('gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_httproutes.yaml'),
      'keda.sh/v1alpha1 ScaledObject': '@kubernetes-models/keda', 'keda.sh/v1alpha1 TriggerAuthentication': '@kubernetes-models/keda',
      'kibana.k8s.elastic.co/v1 Kibana': crd('elastic/cloud-on-k8s/v3.5.0/config/crds/v1/all-crds.yaml'),
      'kustomize.toolkit.fluxcd.io/v1 Kustomization': '@kubernetes-models/flux-cd',
      'monitoring.coreos.com/v1 PodMonitor': '@kubernetes-models/prometheus-operator',
      'monitoring.coreos.com/v1 PrometheusRule': '@kubernetes-models/prometheus-operator',
      'monitoring.coreos.com/v1 ServiceMonitor': '@kubernetes-models/prometheus-operator',
      'networking.k8s.io/v1 Ingress': 'kubernetes-models', 'networking.k8s.io/v1 NetworkPolicy': 'kubernetes-models',
      // @kubernetes-models/opentelemetry-operator needs Node 22: the CRD's v1beta1 schema instead.
      'opentelemetry.io/v1beta1 OpenTelemetryCollector': crd('opentelemetry-operator/v0.158.0/config/crd/bases/opentelemetry.io_opentelemetrycollectors.yaml'),
      'policy/v1 PodDisruptionBudget': 'kubernetes-models',
      'rbac.authorization.k8s.io/v1 ClusterRole': 'kubernetes-models', 'rbac.authorization.k8s.io/v1 ClusterRoleBinding': 'kubernetes-models',
      'rbac.authorization.k8s.io/v1 Role': 'kubernetes-models', 'rbac.authorization.k8s.io/v1 RoleBinding': 'kubernetes-models',
      'scheduling.k8s.io/v1 PriorityClass': 'kubernetes-models',
      'source.toolkit.fluxcd.io/v1 GitRepository': '@kubernetes-models/flux-cd', 'storage.k8s.io/v1 StorageClass': 'kubernetes-models',
      'v1 ConfigMap': 'kubernetes-models', 'v1 LimitRange': 'kubernetes-models', 'v1 Namespace': 'kubernetes-models',
      'v1 PersistentVolumeClaim': 'kubernetes-models', 'v1 ResourceQuota': 'kubernetes-models', 'v1 Service': 'kubernetes-models',
      'v1 ServiceAccount': 'kubernetes-models',
    });
  });

  it('cover the kinds of the GitOps and delivery CRDs the project imports, at their served versions', () => {
    expect(schemaSource('argoproj.io/v1alpha1', 'Application')).toBe('@kubernetes-models/argo-cd');
    expect(schemaSource('source.toolkit.fluxcd.io/v1', 'GitRepository')).toBe('@kubernetes-models/flux-cd');
    expect(schemaSource('kustomize.toolkit.fluxcd.io/v1', 'Kustomization')).toBe('@kubernetes-models/flux-cd');
    expect(schemaSource('argoproj.io/v1alpha1', 'Rollout')).toMatch(/^CRD .*argo-rollouts\/v1\.9\.1\/manifests\/crds\/rollout-crd\.yaml$/);
    expect(schemaSource('bitnami.com/v1alpha1', 'SealedSecret')).toMatch(/^CRD .*sealed-secrets\/v0\.36\.6\//);
    expect(schemaSource('external-secrets.io/v1beta1', 'ExternalSecret')).toBe('@kubernetes-models/external-secrets');
    expect(schemaSource('example.com/v1', 'Widget')).toBeUndefined();
  });
});
