import { Construct } from 'constructs';
import { AnalysisTemplate, AnalysisTemplateSpecMetricsFailureLimit } from '../../imports/analysistemplates-argoproj.io';
import { isDns1123Subdomain } from '../core/names';

/** The template argument carrying the new version's pod-template hash; the Rollout fills it in. */
export const POD_TEMPLATE_HASH_ARG = 'pod-template-hash';

export interface SuccessRateAnalysisProps {
  /** Object name. @default the construct id */
  readonly name?: string;
  /** Labels on the template. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Prometheus base URL, e.g. http://prometheus-operated.monitoring.svc:9090. */
  readonly prometheusAddress: string;
  /** Namespace of the measured pods. */
  readonly namespace: string;
  /** The `job` label of the component's series. */
  readonly job: string;
  /** Name of the Rollout: its pods are named `<rollout>-<pod-template-hash>-<suffix>`. */
  readonly rolloutName: string;
  /** Lowest share of non-5xx responses that passes (0–1). @default 0.99 */
  readonly successRate?: number;
  /** Time between measurements. @default '1m' */
  readonly interval?: string;
  /** Failed measurements tolerated before the analysis fails (and the rollout aborts). @default 2 */
  readonly failureLimit?: number;
  /** Range of the `rate()` over the request counter. @default '2m' */
  readonly window?: string;
  /** Counter of handled requests. @default 'http_requests_total' */
  readonly requestsMetric?: string;
  /** Label holding the HTTP status code. @default 'code' */
  readonly statusLabel?: string;
}

/**
 * An Argo Rollouts `AnalysisTemplate` that measures the share of non-5xx responses the new version's
 * pods answer (selected by their pod-template hash, passed as an argument) in Prometheus. Below
 * `successRate` a measurement fails; without requests it is inconclusive, which pauses the rollout
 * for a person to decide rather than promoting an unmeasured version.
 */
export class SuccessRateAnalysis extends Construct {
  public readonly template: AnalysisTemplate;
  public readonly name: string;
  /** The PromQL query, with `{{args.pod-template-hash}}` in place of the hash. */
  public readonly query: string;

  constructor(scope: Construct, id: string, props: SuccessRateAnalysisProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (!isDns1123Subdomain(this.name)) throw new Error(`AnalysisTemplate name "${this.name}" is not a DNS-1123 subdomain`);
    const rate = props.successRate ?? 0.99;
    if (!(rate > 0 && rate <= 1)) throw new Error(`${this.name}: successRate must be above 0 and at most 1; received ${rate}`);
    const failureLimit = props.failureLimit ?? 2;
    if (!Number.isInteger(failureLimit) || failureLimit < 0) throw new Error(`${this.name}: failureLimit must be a whole number ≥ 0; received ${failureLimit}`);
    const interval = props.interval ?? '1m';
    const window = props.window ?? '2m';
    for (const [field, value] of [['interval', interval], ['window', window]] as const) {
      if (!/^\d+(s|m|h)$/.test(value)) throw new Error(`${this.name}: ${field} must be a duration such as "30s", "1m" or "1h"; received "${value}"`);
    }
    const metric = props.requestsMetric ?? 'http_requests_total';
    const status = props.statusLabel ?? 'code';
    const pods = `namespace=${quote(props.namespace)}, job=${quote(props.job)}, pod=~${quote(`${props.rolloutName}-{{args.${POD_TEMPLATE_HASH_ARG}}}-[a-z0-9]+`)}`;
    this.query = `sum(rate(${metric}{${pods}, ${status}!~"5.."}[${window}]))\n/\nsum(rate(${metric}{${pods}}[${window}]))`;

    this.template = new AnalysisTemplate(this, 'template', {
      metadata: { name: this.name, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        args: [{ name: POD_TEMPLATE_HASH_ARG }],
        metrics: [{
          name: 'success-rate',
          interval,
          // An empty result or NaN (no requests yet) satisfies neither condition: inconclusive.
          successCondition: `len(result) > 0 && result[0] >= ${rate}`,
          failureCondition: `len(result) > 0 && result[0] < ${rate}`,
          failureLimit: AnalysisTemplateSpecMetricsFailureLimit.fromNumber(failureLimit),
          provider: { prometheus: { address: props.prometheusAddress, query: this.query } },
        }],
      },
    });
  }
}

function quote(value: string): string {
  return JSON.stringify(value);
}
