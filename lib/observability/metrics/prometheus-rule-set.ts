import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../../imports/prometheusrules-monitoring.coreos.com';
import type { RenderedGroup } from './alert-rule';

export interface PrometheusRuleSetProps {
  /** Object name. @default the construct id */
  readonly name?: string;
  /** Labels of the object: must include what the cluster Prometheus's `ruleSelector` matches. */
  readonly labels: Readonly<Record<string, string>>;
  /** Rendered rule groups (see `renderRuleGroups`). */
  readonly groups: readonly RenderedGroup[];
}

/** The alert rules as a Prometheus Operator `PrometheusRule`, for clusters running kube-prometheus-stack. */
export class PrometheusRuleSet extends Construct {
  public readonly rule: PrometheusRule;

  constructor(scope: Construct, id: string, props: PrometheusRuleSetProps) {
    super(scope, id);
    if (props.groups.length === 0) throw new Error(`${props.name ?? id}: a PrometheusRule needs at least one rule group`);
    this.rule = new PrometheusRule(this, 'rule', {
      metadata: { name: props.name ?? id, labels: { ...props.labels } },
      spec: {
        groups: props.groups.map((group) => ({
          name: group.name,
          rules: group.rules.map((rule) => ({
            alert: rule.alert,
            expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr),
            for: rule.for,
            labels: { ...rule.labels },
            annotations: { ...rule.annotations },
          })),
        })),
      },
    });
  }
}
