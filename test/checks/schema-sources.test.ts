import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { schemaSource } from '../../lib/checks';

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
      'monitoring.coreos.com/v1 PodMonitor': '@kubernetes-models/prometheus-operator',
      'monitoring.coreos.com/v1 PrometheusRule': '@kubernetes-models/prometheus-operator',
      'monitoring.coreos.com/v1 ServiceMonitor': '@kubernetes-models/prometheus-operator',
      'networking.k8s.io/v1 Ingress': 'kubernetes-models', 'networking.k8s.io/v1 NetworkPolicy': 'kubernetes-models',
      // @kubernetes-models/opentelemetry-operator needs Node 22: the CRD's v1beta1 schema instead.
      'opentelemetry.io/v1beta1 OpenTelemetryCollector': crd('opentelemetry-operator/v0.158.0/config/crd/bases/opentelemetry.io_opentelemetrycollectors.yaml'),
      'policy/v1 PodDisruptionBudget': 'kubernetes-models',
      'rbac.authorization.k8s.io/v1 ClusterRole': 'kubernetes-models', 'rbac.authorization.k8s.io/v1 ClusterRoleBinding': 'kubernetes-models',
      'rbac.authorization.k8s.io/v1 Role': 'kubernetes-models', 'rbac.authorization.k8s.io/v1 RoleBinding': 'kubernetes-models',
      'scheduling.k8s.io/v1 PriorityClass': 'kubernetes-models', 'storage.k8s.io/v1 StorageClass': 'kubernetes-models',
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
