import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { BuiltDashboard } from './platform-dashboards';

export interface DashboardConfigMapProps {
  /** Object name. @default the construct id */
  readonly name?: string;
  /** The dashboards, one key `<name>.json` each. */
  readonly dashboards: readonly BuiltDashboard[];
  /** Labels, e.g. the one the Grafana sidecar discovers dashboards by. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations, e.g. the sidecar's folder annotation. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Dashboards as JSON in a ConfigMap: mounted by a standalone Grafana, or found by the Grafana sidecar. */
export class DashboardConfigMap extends Construct {
  public readonly name: string;
  /** Key → JSON text, as written. */
  public readonly files: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: DashboardConfigMapProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (props.dashboards.length === 0) throw new Error(`${this.name}: no dashboards to put in the ConfigMap`);
    const files: Record<string, string> = {};
    const uids = new Set<string>();
    for (const d of props.dashboards) {
      const key = `${d.name}.json`;
      if (key in files) throw new Error(`${this.name}: two dashboards are named ${d.name}`);
      if (uids.has(d.uid)) throw new Error(`${this.name}: two dashboards share the uid ${d.uid}`);
      uids.add(d.uid);
      files[key] = `${JSON.stringify(d.model, null, 2)}\n`;
    }
    const bytes = Object.entries(files).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 0);
    // The API server rejects ConfigMaps over 1 MiB.
    if (bytes > 1_000_000) throw new Error(`${this.name}: the dashboards take ${bytes} bytes; a ConfigMap holds at most 1 MiB`);
    this.files = files;
    new k8s.KubeConfigMap(this, 'config-map', {
      metadata: {
        name: this.name,
        labels: props.labels ? { ...props.labels } : undefined,
        annotations: props.annotations ? { ...props.annotations } : undefined,
      },
      data: files,
    });
  }
}
