import { Construct } from 'constructs';
import { PodMonitor, PodMonitorSpecPodMetricsEndpointsRelabelingsAction, PodMonitorSpecPodMetricsEndpointsScheme } from '../../../imports/podmonitors-monitoring.coreos.com';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../../../imports/servicemonitors-monitoring.coreos.com';
import { isPortName } from '../../core/names';
import { isPromDuration } from './alert-rule';

/** A named container port serving Prometheus metrics. */
export interface MonitoredPort {
  /** Port name. */
  readonly port: string;
  /** HTTP path of the metrics. @default '/metrics' */
  readonly path?: string;
}

export interface MetricsMonitorProps {
  /** Object name, and the `job` label of the scraped series. @default the construct id */
  readonly name?: string;
  /** Namespace of the pods (and Service) to scrape. */
  readonly namespace: string;
  /** Labels of the pods; also on the Service, which a ServiceMonitor selects by. */
  readonly selector: Readonly<Record<string, string>>;
  /** The ports serving metrics, each with its HTTP path (default `/metrics`); series of each carry `endpoint=<port>`. */
  readonly endpoints: readonly MonitoredPort[];
  /** Scrape interval. @default '15s' */
  readonly interval?: string;
  /** The Service in front of the pods: a ServiceMonitor when set, a PodMonitor otherwise. @default none */
  readonly serviceName?: string;
  /** Labels of the object: must include what the cluster Prometheus's monitor selector matches. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Tells the Prometheus Operator to scrape one component's metrics ports: a `ServiceMonitor` when it has a
 * Service (the `job` label is then the Service name), a `PodMonitor` otherwise (relabelled to the same job).
 */
export class MetricsMonitor extends Construct {
  public readonly monitor: ServiceMonitor | PodMonitor;
  /** The `job` label its series carry. */
  public readonly job: string;

  constructor(scope: Construct, id: string, props: MetricsMonitorProps) {
    super(scope, id);
    const name = props.name ?? id;
    if (props.endpoints.length === 0) throw new Error(`${name}: name at least one metrics port`);
    for (const e of props.endpoints) {
      if (!isPortName(e.port)) throw new Error(`${name}: metrics port "${e.port}" is not a port name (≤15 chars, lowercase, a letter)`);
      if (props.endpoints.filter((o) => o.port === e.port).length > 1) throw new Error(`${name}: metrics port "${e.port}" is listed twice`);
    }
    if (Object.keys(props.selector).length === 0) throw new Error(`${name}: an empty selector would scrape every pod in ${props.namespace}`);
    const interval = props.interval ?? '15s';
    if (!isPromDuration(interval)) throw new Error(`${name}: interval must be a Prometheus duration such as 15s; received "${interval}"`);
    const metadata = { name, namespace: props.namespace, labels: { ...(props.labels ?? {}) } };
    const namespaceSelector = { matchNames: [props.namespace] };
    if (props.serviceName) {
      this.job = props.serviceName;
      this.monitor = new ServiceMonitor(this, 'monitor', {
        metadata,
        spec: {
          selector: { matchLabels: { ...props.selector } },
          namespaceSelector,
          endpoints: props.endpoints.map((e) => ({ port: e.port, path: e.path ?? '/metrics', interval, scheme: ServiceMonitorSpecEndpointsScheme.HTTP })),
        },
      });
    } else {
      this.job = name;
      this.monitor = new PodMonitor(this, 'monitor', {
        metadata,
        spec: {
          selector: { matchLabels: { ...props.selector } },
          namespaceSelector,
          podMetricsEndpoints: props.endpoints.map((e) => ({
            port: e.port, path: e.path ?? '/metrics', interval, scheme: PodMonitorSpecPodMetricsEndpointsScheme.HTTP,
            // A PodMonitor's job is `<namespace>/<name>`; the alert rules expect the component name.
            relabelings: [{ action: PodMonitorSpecPodMetricsEndpointsRelabelingsAction.REPLACE, targetLabel: 'job', replacement: name }],
          })),
        },
      });
    }
  }
}
