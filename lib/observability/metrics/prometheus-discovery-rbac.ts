import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export interface PrometheusDiscoveryRbacProps {
  /** Name of the ClusterRole, ClusterRoleBinding, and the Roles and RoleBindings. */
  readonly name: string;
  /** The Prometheus ServiceAccount. */
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
  /** Namespaces whose pods, Services and EndpointSlices Prometheus discovers. */
  readonly namespaces: readonly string[];
  /** Labels for every object. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The least Prometheus needs: read access to nodes and their kubelet metrics cluster-wide (for
 * cAdvisor and volume statistics), and to pods, Services and EndpointSlices only in the namespaces
 * it scrapes. Put it in a chart without a default namespace: it holds cluster-scoped objects.
 */
export class PrometheusDiscoveryRbac extends Construct {
  constructor(scope: Construct, id: string, props: PrometheusDiscoveryRbacProps) {
    super(scope, id);
    if (props.namespaces.length === 0) throw new Error(`${props.name}: at least one namespace to discover targets in is required`);
    const labels = { ...props.labels };
    const subject = { kind: 'ServiceAccount', name: props.serviceAccount.name, namespace: props.serviceAccount.namespace };
    new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name: props.name, labels },
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: props.name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.name },
      subjects: [subject],
    });
    for (const namespace of [...new Set(props.namespaces)].sort()) {
      new k8s.KubeRole(this, `role-${namespace}`, {
        metadata: { name: props.name, namespace, labels },
        rules: [
          { apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        ],
      });
      new k8s.KubeRoleBinding(this, `role-binding-${namespace}`, {
        metadata: { name: props.name, namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name },
        subjects: [subject],
      });
    }
  }
}
