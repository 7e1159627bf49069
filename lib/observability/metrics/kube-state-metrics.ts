import { k8s } from 'cdk8s-plus-28';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeObject } from '../../core/kube-object';
import { hardenedContainer, hardenedPodSpec, type ContainerResources } from '../hardened-pod';
import { monitoringLabels } from '../monitoring-identity';

/** The port serving object metrics. */
export const KUBE_STATE_METRICS_PORT = { name: 'http-metrics', port: 8080 } as const;
const TELEMETRY_PORT = { name: 'telemetry', port: 8081 } as const;
const UID = 65534;
// What the alert rules and dashboards read: pods, workloads and autoscalers.
const RESOURCES = ['deployments', 'horizontalpodautoscalers', 'pods', 'statefulsets'] as const;

export interface KubeStateMetricsProps {
  /** Object name. @default 'kube-state-metrics' */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** Pinned image. */
  readonly image: string;
  /** Namespaces whose objects it reports on; it gets a Role in each and nothing cluster-wide. */
  readonly namespaces: readonly string[];
  /** @default 20m/64Mi requested, 200m/128Mi limit */
  readonly resources?: ContainerResources;
}

/** kube-state-metrics limited to the platform's namespaces and the resources the alerts need. */
export class KubeStateMetrics extends Construct {
  public readonly name: string;
  public readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, props: KubeStateMetricsProps) {
    super(scope, id);
    const name = props.name ?? 'kube-state-metrics';
    this.name = name;
    const namespaces = [...new Set(props.namespaces)].sort();
    if (namespaces.length === 0) throw new Error(`${name}: at least one namespace to report on is required`);
    const ids = monitoringLabels({ name, instance: props.instance, partOf: props.partOf, image: props.image });
    this.selector = ids.selector;
    const ownNamespace = Chart.of(this).namespace;
    if (ownNamespace === undefined) throw new Error(`${name}: put it in a chart with a namespace; its RoleBindings name its ServiceAccount there`);

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name, labels: ids.labels }, automountServiceAccountToken: true });
    for (const namespace of namespaces) {
      new k8s.KubeRole(this, `role-${namespace}`, {
        metadata: { name, namespace, labels: ids.labels },
        rules: [
          { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
          { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['list', 'watch'] },
          { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['list', 'watch'] },
        ],
      });
      new k8s.KubeRoleBinding(this, `role-binding-${namespace}`, {
        metadata: { name, namespace, labels: ids.labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace: ownNamespace }],
      });
    }
    new k8s.KubeService(this, 'service', {
      metadata: { name, labels: ids.labels },
      spec: {
        type: 'ClusterIP',
        selector: ids.selector,
        ports: [{ name: KUBE_STATE_METRICS_PORT.name, port: KUBE_STATE_METRICS_PORT.port, targetPort: k8s.IntOrString.fromString(KUBE_STATE_METRICS_PORT.name), protocol: 'TCP' }],
      },
    });
    const container = hardenedContainer({
      name: 'kube-state-metrics',
      image: props.image,
      args: [
        `--port=${KUBE_STATE_METRICS_PORT.port}`,
        `--telemetry-port=${TELEMETRY_PORT.port}`,
        `--namespaces=${namespaces.join(',')}`,
        `--resources=${RESOURCES.join(',')}`,
      ],
      ports: [KUBE_STATE_METRICS_PORT, TELEMETRY_PORT],
      resources: props.resources ?? { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      uid: UID,
      probes: { ready: '/readyz', readyPort: TELEMETRY_PORT.name, live: '/livez', livePort: KUBE_STATE_METRICS_PORT.name },
      volumeMounts: [],
    });
    new KubeObject(this, 'deployment', k8s.KubeDeployment.GVK, k8s.toJson_KubeDeploymentProps, {
      metadata: { name, labels: ids.labels },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 5,
        selector: { matchLabels: ids.selector },
        template: {
          metadata: { labels: ids.podLabels },
          spec: hardenedPodSpec({ serviceAccountName: name, automountToken: true, uid: UID, containers: [container], volumes: [] }),
        },
      },
    });
  }
}
