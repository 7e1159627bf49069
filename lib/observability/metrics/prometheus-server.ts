import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeObject } from '../../core/kube-object';
import { parseQuantity } from '../../core/quantity';
import { contentChecksum, hardenedContainer, hardenedPodSpec, type ContainerResources } from '../hardened-pod';
import { monitoringLabels } from '../monitoring-identity';
import { isPromDuration, type RenderedGroup } from './alert-rule';
import { prometheusConfig, type PrometheusConfigProps } from './prometheus-config';
import { configYaml } from '../../core/config-yaml';

/** The rule file, beside prometheus.yml in the config volume. */
export const PROMETHEUS_RULE_FILE = 'alert-rules.yaml';
/** The port name and number of the Prometheus web API. */
export const PROMETHEUS_PORT = { name: 'web', port: 9090 } as const;
// The image runs as nobody.
const UID = 65534;

export interface PrometheusServerProps {
  /** Object name of the StatefulSet, Service, ServiceAccount; `<name>-config` for the ConfigMap. @default 'prometheus' */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** Pinned image. */
  readonly image: string;
  /** Extra pod labels, e.g. the ones network policies admit Prometheus by. @default none */
  readonly extraPodLabels?: Readonly<Record<string, string>>;
  /** What to scrape and where to send alerts (rule files are set by the construct). */
  readonly config: Omit<PrometheusConfigProps, 'ruleFiles'>;
  /** Rendered alert rule groups. */
  readonly ruleGroups: readonly RenderedGroup[];
  /** How long samples are kept. @default '15d' */
  readonly retention?: string;
  /** Size of the data volume; retention by size stops at 85% of it. @default '20Gi' */
  readonly storage?: string;
  /** StorageClass of the data volume. @default the cluster default */
  readonly storageClassName?: string;
  /** Requests and limits. @default 250m/1Gi requested, 1/2Gi limit */
  readonly resources?: ContainerResources;
}

/**
 * A single-replica Prometheus: a StatefulSet with a persistent data volume, its configuration and
 * alert rules in one ConfigMap (a checksum annotation rolls the pod when they change), a ClusterIP
 * Service and a ServiceAccount whose token Kubernetes service discovery uses. RBAC is separate
 * (`PrometheusDiscoveryRbac`) because it is partly cluster-scoped.
 */
export class PrometheusServer extends Construct {
  public readonly name: string;
  public readonly serviceAccountName: string;
  /** prometheus.yml as written. */
  public readonly configYaml: string;
  /** The rule file as written. */
  public readonly rulesYaml: string;
  public readonly statefulSet: KubeObject<k8s.KubeStatefulSetProps>;
  public readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, props: PrometheusServerProps) {
    super(scope, id);
    const name = props.name ?? 'prometheus';
    this.name = name;
    this.serviceAccountName = name;
    const retention = props.retention ?? '15d';
    if (!isPromDuration(retention)) throw new Error(`${name}: retention must be a Prometheus duration such as 30d; received "${retention}"`);
    const storage = props.storage ?? '20Gi';
    const storageBytes = parseQuantity(storage);
    if (!(storageBytes >= 2 ** 30)) throw new Error(`${name}: storage must be at least 1Gi; received "${storage}"`);
    const ids = monitoringLabels({ name, instance: props.instance, partOf: props.partOf, image: props.image, extraPodLabels: props.extraPodLabels });
    this.selector = ids.selector;

    this.configYaml = configYaml(prometheusConfig({ ...props.config, ruleFiles: [PROMETHEUS_RULE_FILE] }));
    this.rulesYaml = configYaml({ groups: props.ruleGroups });
    const configName = `${name}-config`;

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name, labels: ids.labels },
      // Kubernetes service discovery and kubelet scrapes authenticate with this token.
      automountServiceAccountToken: true,
    });
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: configName, labels: ids.labels },
      data: { 'prometheus.yml': this.configYaml, [PROMETHEUS_RULE_FILE]: this.rulesYaml },
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name, labels: ids.labels },
      spec: {
        type: 'ClusterIP',
        selector: ids.selector,
        ports: [{ name: PROMETHEUS_PORT.name, port: PROMETHEUS_PORT.port, targetPort: k8s.IntOrString.fromString(PROMETHEUS_PORT.name), protocol: 'TCP' }],
      },
    });

    // Size-based retention keeps the volume from filling before time-based retention deletes blocks.
    const retentionMb = Math.floor((storageBytes * 0.85) / 2 ** 20);
    const container = hardenedContainer({
      name: 'prometheus',
      image: props.image,
      args: [
        '--config.file=/etc/prometheus/prometheus.yml',
        '--storage.tsdb.path=/prometheus',
        `--storage.tsdb.retention.time=${retention}`,
        `--storage.tsdb.retention.size=${retentionMb}MB`,
        `--web.listen-address=:${PROMETHEUS_PORT.port}`,
      ],
      ports: [PROMETHEUS_PORT],
      resources: props.resources ?? { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
      uid: UID,
      probes: { ready: '/-/ready', readyPort: PROMETHEUS_PORT.name, live: '/-/healthy', livePort: PROMETHEUS_PORT.name },
      volumeMounts: [
        { name: 'config', mountPath: '/etc/prometheus', readOnly: true },
        { name: 'data', mountPath: '/prometheus' },
      ],
    });
    this.statefulSet = new KubeObject(this, 'statefulset', k8s.KubeStatefulSet.GVK, k8s.toJson_KubeStatefulSetProps, {
      metadata: { name, labels: ids.labels },
      spec: {
        serviceName: name,
        replicas: 1,
        revisionHistoryLimit: 5,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: ids.selector },
        template: {
          metadata: {
            labels: ids.podLabels,
            annotations: { 'checksum/config': contentChecksum(this.configYaml, this.rulesYaml) },
          },
          spec: hardenedPodSpec({
            serviceAccountName: name,
            automountToken: true,
            uid: UID,
            containers: [container],
            volumes: [{ name: 'config', configMap: { name: configName, defaultMode: 0o444 } }],
            // Time to flush the head block on shutdown, so a restart does not replay the whole WAL.
            terminationGracePeriodSeconds: 300,
          }),
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data', labels: ids.selector },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: props.storageClassName,
            resources: { requests: { storage: k8s.Quantity.fromString(storage) } },
          },
        }],
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      },
    });
  }
}
