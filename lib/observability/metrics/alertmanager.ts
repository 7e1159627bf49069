import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeObject } from '../../core/kube-object';
import { contentChecksum, hardenedContainer, hardenedPodSpec, type ContainerResources } from '../hardened-pod';
import { monitoringLabels } from '../monitoring-identity';
import { alertmanagerConfig } from './alertmanager-config';
import { configYaml } from '../../core/config-yaml';

/** The port name and number of the Alertmanager API. */
export const ALERTMANAGER_PORT = { name: 'web', port: 9093 } as const;
/** Where the receivers' Secret is mounted. */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';
const UID = 65534;

/** A key of a Secret the cluster operator creates (Stackwright never writes secret values). */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

export interface AlertmanagerProps {
  /** Object name. @default 'alertmanager' */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** Pinned image. */
  readonly image: string;
  /** The environment whose alerts it routes. */
  readonly environment: string;
  /** Slack channel and the Secret key holding the webhook URL. @default no Slack */
  readonly slack?: { readonly channel: string; readonly webhookUrl: SecretKeyRef };
  /** The Secret key holding the PagerDuty routing key. @default no PagerDuty */
  readonly pagerduty?: { readonly routingKey: SecretKeyRef };
  /** Size of the volume keeping silences and the notification log. @default '1Gi' */
  readonly storage?: string;
  /** @default the cluster default */
  readonly storageClassName?: string;
  /** @default 50m/64Mi requested, 200m/128Mi limit */
  readonly resources?: ContainerResources;
}

/**
 * A single-replica Alertmanager: routing, grouping and inhibition from `alertmanagerConfig`, receiver
 * credentials read from Secret files mounted read-only (`*_file` settings), silences on a volume.
 */
export class Alertmanager extends Construct {
  public readonly name: string;
  /** alertmanager.yml as written. */
  public readonly configYaml: string;
  public readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, props: AlertmanagerProps) {
    super(scope, id);
    const name = props.name ?? 'alertmanager';
    this.name = name;
    const ids = monitoringLabels({ name, instance: props.instance, partOf: props.partOf, image: props.image });
    this.selector = ids.selector;
    const secretRefs = [props.slack?.webhookUrl, props.pagerduty?.routingKey].filter((r): r is SecretKeyRef => r !== undefined);
    const secretNames = [...new Set(secretRefs.map((r) => r.name))].sort();
    const fileOf = (ref: SecretKeyRef) => `${ALERTMANAGER_SECRETS_DIR}/${ref.name}/${ref.key}`;
    this.configYaml = configYaml(alertmanagerConfig({
      environment: props.environment,
      slack: props.slack ? { channel: props.slack.channel, webhookUrlFile: fileOf(props.slack.webhookUrl) } : undefined,
      pagerduty: props.pagerduty ? { routingKeyFile: fileOf(props.pagerduty.routingKey) } : undefined,
    }));
    const configName = `${name}-config`;

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name, labels: ids.labels }, automountServiceAccountToken: false });
    new k8s.KubeConfigMap(this, 'config', { metadata: { name: configName, labels: ids.labels }, data: { 'alertmanager.yml': this.configYaml } });
    new k8s.KubeService(this, 'service', {
      metadata: { name, labels: ids.labels },
      spec: {
        type: 'ClusterIP',
        selector: ids.selector,
        ports: [{ name: ALERTMANAGER_PORT.name, port: ALERTMANAGER_PORT.port, targetPort: k8s.IntOrString.fromString(ALERTMANAGER_PORT.name), protocol: 'TCP' }],
      },
    });
    const container = hardenedContainer({
      name: 'alertmanager',
      image: props.image,
      args: [
        '--config.file=/etc/alertmanager/alertmanager.yml',
        '--storage.path=/alertmanager',
        `--web.listen-address=:${ALERTMANAGER_PORT.port}`,
        // One replica: no gossip mesh to join.
        '--cluster.listen-address=',
      ],
      ports: [ALERTMANAGER_PORT],
      resources: props.resources ?? { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      uid: UID,
      probes: { ready: '/-/ready', readyPort: ALERTMANAGER_PORT.name, live: '/-/healthy', livePort: ALERTMANAGER_PORT.name },
      volumeMounts: [
        { name: 'config', mountPath: '/etc/alertmanager', readOnly: true },
        { name: 'data', mountPath: '/alertmanager' },
        ...secretNames.map((s) => ({ name: `secret-${s}`.slice(0, 63), mountPath: `${ALERTMANAGER_SECRETS_DIR}/${s}`, readOnly: true })),
      ],
    });
    new KubeObject(this, 'statefulset', k8s.KubeStatefulSet.GVK, k8s.toJson_KubeStatefulSetProps, {
      metadata: { name, labels: ids.labels },
      spec: {
        serviceName: name,
        replicas: 1,
        revisionHistoryLimit: 5,
        selector: { matchLabels: ids.selector },
        template: {
          metadata: { labels: ids.podLabels, annotations: { 'checksum/config': contentChecksum(this.configYaml) } },
          spec: hardenedPodSpec({
            serviceAccountName: name,
            automountToken: false,
            uid: UID,
            containers: [container],
            volumes: [
              { name: 'config', configMap: { name: configName, defaultMode: 0o444 } },
              // Group-readable only: the pod's fsGroup owns the files.
              ...secretNames.map((s) => ({ name: `secret-${s}`.slice(0, 63), secret: { secretName: s, defaultMode: 0o440, optional: false } })),
            ],
          }),
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data', labels: ids.selector },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: props.storageClassName,
            resources: { requests: { storage: k8s.Quantity.fromString(props.storage ?? '1Gi') } },
          },
        }],
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      },
    });
  }
}
