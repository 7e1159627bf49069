import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../core/labels';
import { isDns1123Subdomain } from '../core/names';
import { forbiddenRequests, invalidRequests, type RbacRuleRequest } from './rbac-risks';

/** Annotation listing the waived rules and why, for reviewers and auditors. */
export const RBAC_WAIVER_ANNOTATION = 'security.stackwright.io/rbac-waivers';

/** A policy rule, with the reason it is accepted when it makes a forbidden request. */
export interface WorkloadRule extends RbacRuleRequest {
  /** Why a forbidden request (wildcard, escalate, bind, impersonate, list/watch secrets) is needed. @default none: forbidden requests fail */
  readonly waiver?: string;
}

/** Where the grant applies: the workload's namespace, or (only where unavoidable) the whole cluster. */
export class RbacScope {
  /** A Role and RoleBinding in one namespace. */
  public static namespace(): RbacScope {
    return new RbacScope(false, undefined);
  }

  /** A ClusterRole and ClusterRoleBinding, e.g. for service discovery across namespaces; needs a reason. */
  public static cluster(reason: string): RbacScope {
    if (reason.trim().length < 10) throw new Error(`a cluster-wide grant needs a reason of at least 10 characters; received "${reason}"`);
    return new RbacScope(true, reason.trim());
  }

  private constructor(
    public readonly clusterWide: boolean,
    /** Why a cluster-wide grant is unavoidable. */
    public readonly reason: string | undefined,
  ) {}
}

export interface WorkloadRoleProps {
  /** Name of the ServiceAccount granted the rules. */
  readonly serviceAccount: string;
  /** The rules: explicit API groups, resources, verbs and, where possible, resourceNames. */
  readonly rules: readonly WorkloadRule[];
  /** Namespace of the ServiceAccount (and of the Role). @default the chart's namespace */
  readonly namespace?: string;
  /** Role and binding name. @default the ServiceAccount name (a cluster-wide grant adds the namespace) */
  readonly name?: string;
  /** Namespace or cluster. @default RbacScope.namespace() */
  readonly scope?: RbacScope;
  /** Metadata labels. @default name and managed-by */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Exactly the API access one workload declares: a Role (or ClusterRole, where unavoidable) and its
 * binding to the workload's ServiceAccount. Wildcards, escalate, bind, impersonate and list/watch on
 * Secrets fail unless the rule carries a waiver with the reason.
 */
export class WorkloadRole extends Construct {
  public readonly name: string;
  public readonly role: k8s.KubeRole | k8s.KubeClusterRole;
  public readonly binding: k8s.KubeRoleBinding | k8s.KubeClusterRoleBinding;

  constructor(scope: Construct, id: string, props: WorkloadRoleProps) {
    super(scope, id);
    const rbacScope = props.scope ?? RbacScope.namespace();
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (namespace === undefined) throw new Error(`${props.serviceAccount}: the ServiceAccount's namespace is unknown; set namespace or use a chart with one`);
    this.name = props.name ?? (rbacScope.clusterWide ? `${namespace}-${props.serviceAccount}` : props.serviceAccount);
    if (!isDns1123Subdomain(this.name)) throw new Error(`role name "${this.name}" is not a DNS-1123 subdomain`);
    if (props.rules.length === 0) throw new Error(`${this.name}: a role needs at least one rule; a workload without API access needs no role`);

    const waivers: string[] = [];
    props.rules.forEach((rule, i) => {
      const invalid = invalidRequests(rule);
      if (invalid.length > 0) throw new Error(`${this.name}: rule ${i + 1} is invalid: ${invalid.join('; ')}`);
      const forbidden = forbiddenRequests(rule);
      if (forbidden.length > 0 && !rule.waiver?.trim()) {
        throw new Error(`${this.name}: rule ${i + 1} is forbidden unless waived with a reason: ${forbidden.join('; ')}`);
      }
      if (forbidden.length > 0) waivers.push(`rule ${i + 1}: ${rule.waiver!.trim()}`);
    });

    const labels = { ...(props.labels ?? { 'app.kubernetes.io/name': props.serviceAccount, 'app.kubernetes.io/managed-by': MANAGED_BY }) };
    const annotations: Record<string, string> = {};
    if (waivers.length > 0) annotations[RBAC_WAIVER_ANNOTATION] = waivers.join('\n');
    if (rbacScope.reason) annotations['security.stackwright.io/cluster-scope'] = rbacScope.reason;
    const metadata = { name: this.name, labels, annotations: Object.keys(annotations).length > 0 ? annotations : undefined };
    const rules = props.rules.map((r) => ({
      apiGroups: [...r.apiGroups],
      resources: [...r.resources],
      verbs: [...r.verbs],
      resourceNames: r.resourceNames && r.resourceNames.length > 0 ? [...r.resourceNames] : undefined,
    }));
    const subjects = [{ kind: 'ServiceAccount', name: props.serviceAccount, namespace }];

    if (rbacScope.clusterWide) {
      this.role = new k8s.KubeClusterRole(this, 'role', { metadata, rules });
      this.binding = new k8s.KubeClusterRoleBinding(this, 'binding', {
        metadata: { name: this.name, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.name },
        subjects,
      });
    } else {
      this.role = new k8s.KubeRole(this, 'role', { metadata: { ...metadata, namespace: props.namespace }, rules });
      this.binding = new k8s.KubeRoleBinding(this, 'binding', {
        metadata: { name: this.name, namespace: props.namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
        subjects,
      });
    }
  }
}
