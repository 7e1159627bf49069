// Alerting rules as typed values, rendered once into the Prometheus rule-file format that both a
// PrometheusRule (operator mode) and a standalone Prometheus's rule file carry.

/** How urgent an alert is: the `severity` label Alertmanager routes and inhibits on. */
export class Severity {
  /** Someone must act now: pages. */
  public static readonly CRITICAL = new Severity('critical');
  /** Needs attention within working hours: chat notification. */
  public static readonly WARNING = new Severity('warning');
  /** Context for other alerts; never notifies on its own. */
  public static readonly INFO = new Severity('info');

  private constructor(
    /** The label value. */
    public readonly value: 'critical' | 'warning' | 'info',
  ) {}
}

/** A Prometheus duration as rules use it, e.g. `5m`, `1h30m`. */
const DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;

export function isPromDuration(value: string): boolean {
  return value !== '' && value !== '0' && DURATION.test(value);
}

/** One alerting rule. */
export interface AlertRule {
  /** Alert name in UpperCamelCase, e.g. `HighErrorRate`. */
  readonly alert: string;
  /** PromQL expression: every series it returns is an alert. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires, e.g. `5m`. */
  readonly for: string;
  readonly severity: Severity;
  /** One line for notifications; may use `{{ $labels.x }}` and `{{ $value }}`. */
  readonly summary: string;
  /** What it means and what to look at first. */
  readonly description: string;
  /** Extra static labels, e.g. `service`. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A named group of rules evaluated together. */
export interface RuleGroup {
  /** Unique group name, e.g. `atlas-prod.api`. */
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** Labels and annotations every rule of a platform shares. */
export interface RuleContext {
  /** `environment` label on every alert, so one Alertmanager can route several environments. */
  readonly environment: string;
  /** Base of the runbook links: `<base>/<alert name in lowercase>`. @default no runbook link */
  readonly runbookBaseUrl?: string;
}

/** A rule as it appears in a rule file or PrometheusRule. */
export interface RenderedRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

export interface RenderedGroup {
  readonly name: string;
  readonly rules: readonly RenderedRule[];
}

const ALERT_NAME = /^[A-Z][A-Za-z0-9]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Renders groups to the rule-file shape, validating names, durations and uniqueness eagerly. */
export function renderRuleGroups(groups: readonly RuleGroup[], ctx: RuleContext): RenderedGroup[] {
  const names = new Set<string>();
  return groups.map((group) => {
    if (names.has(group.name)) throw new Error(`rule group "${group.name}" is defined twice; group names must be unique`);
    names.add(group.name);
    if (group.rules.length === 0) throw new Error(`rule group "${group.name}" has no rules`);
    const seen = new Set<string>();
    return {
      name: group.name,
      rules: group.rules.map((rule) => {
        if (!ALERT_NAME.test(rule.alert)) throw new Error(`alert name "${rule.alert}" must be UpperCamelCase letters and digits`);
        if (!isPromDuration(rule.for)) throw new Error(`${rule.alert}: "for" must be a Prometheus duration such as 5m; received "${rule.for}"`);
        const key = `${rule.alert}/${JSON.stringify(rule.labels ?? {})}`;
        if (seen.has(key)) throw new Error(`${group.name}: alert ${rule.alert} is defined twice with the same labels`);
        seen.add(key);
        for (const label of Object.keys(rule.labels ?? {})) {
          if (!LABEL_NAME.test(label)) throw new Error(`${rule.alert}: "${label}" is not a Prometheus label name`);
          if (label === 'severity' || label === 'environment') throw new Error(`${rule.alert}: the "${label}" label is set from the rule's context`);
        }
        const annotations: Record<string, string> = { summary: rule.summary, description: rule.description };
        if (ctx.runbookBaseUrl) annotations.runbook_url = `${ctx.runbookBaseUrl.replace(/\/+$/, '')}/${rule.alert.toLowerCase()}`;
        return {
          alert: rule.alert,
          expr: rule.expr,
          for: rule.for,
          labels: sortKeys({ ...(rule.labels ?? {}), severity: rule.severity.value, environment: ctx.environment }),
          annotations,
        };
      }),
    };
  });
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
