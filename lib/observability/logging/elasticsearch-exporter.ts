import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { recommendedLabels } from '../../core/labels';
import { AppDeployment } from '../../workloads/app-deployment';
import type { ContainerResources } from './elasticsearch';

export interface ElasticsearchExporterProps {
  /** Pinned prometheus-community elasticsearch_exporter image. */
  readonly image: string;
  /** Object name of the Deployment and Service. @default 'elasticsearch-exporter' */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** HTTPS URL of Elasticsearch. */
  readonly elasticsearchUrl: string;
  /** Secret with the built-in `remote_monitoring_user`'s password (key `remote_monitoring_user`). */
  readonly credentialsSecret: string;
  /** Secret with `ca.crt`. */
  readonly tlsSecret: string;
  /** @default 25m/32Mi requested, 200m/64Mi limit */
  readonly resources?: ContainerResources;
}

const PORT = 9114;

/**
 * Elasticsearch's health, nodes, JVM, disk and index metrics for Prometheus, read by the built-in
 * `remote_monitoring_user` (cluster and index `monitor` only) over verified TLS. One replica: the
 * cluster-level series would be duplicated by more.
 */
export class ElasticsearchExporter extends Construct {
  public readonly name: string;
  public readonly deployment: AppDeployment;
  public readonly serviceName: string;
  public readonly port = PORT;
  public readonly resources: ContainerResources;

  constructor(scope: Construct, id: string, props: ElasticsearchExporterProps) {
    super(scope, id);
    this.name = props.name ?? 'elasticsearch-exporter';
    this.serviceName = this.name;
    this.resources = props.resources ?? { requests: { cpu: '25m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } };
    this.deployment = new AppDeployment(this, 'deployment', {
      name: this.name,
      image: props.image,
      instance: props.instance,
      component: 'logging',
      partOf: props.partOf,
      replicas: 1,
      ports: [{ name: 'metrics', port: PORT }],
      args: [
        `--es.uri=${props.elasticsearchUrl}`,
        '--es.ca=/certs/ca.crt',
        '--es.all',
        '--es.indices',
        '--es.shards',
        '--es.timeout=10s',
        `--web.listen-address=:${PORT}`,
        '--web.telemetry-path=/metrics',
      ],
      env: { ES_USERNAME: 'remote_monitoring_user' },
      resources: this.resources,
      readinessProbe: { path: '/healthz', port: 'metrics' },
      livenessProbe: { path: '/healthz', port: 'metrics', periodSeconds: 20 },
      runAsUser: 65534,
      writablePaths: [],
    });
    this.deployment.addEnv({ name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: props.credentialsSecret, key: 'remote_monitoring_user' } } });
    this.deployment.addVolume({ name: 'certs', secret: { secretName: props.tlsSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } }, { mountPath: '/certs' });
    new k8s.KubeService(this, 'service', {
      metadata: { name: this.serviceName, labels: recommendedLabels(this.deployment.identity) },
      spec: {
        type: 'ClusterIP',
        selector: this.deployment.selector,
        ports: [{ name: 'metrics', port: PORT, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }],
      },
    });
  }
}
