import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeObject } from '../../core/kube-object';
import { contentChecksum, emptyDirVolume, hardenedContainer, hardenedPodSpec, type ContainerResources } from '../hardened-pod';
import { monitoringLabels } from '../monitoring-identity';
import { configYaml } from '../../core/config-yaml';

/** The port name and number of the Grafana UI. */
export const GRAFANA_PORT = { name: 'http', port: 3000 } as const;
// The image's grafana user.
const UID = 472;
const DASHBOARDS_DIR = '/var/lib/grafana-dashboards';
const ADMIN_DIR = '/etc/grafana/admin';

/** A provisioned data source. */
export interface GrafanaDataSource {
  /** Display name. */
  readonly name: string;
  /** Stable uid dashboards refer to. */
  readonly uid: string;
  /** Plugin type, e.g. `prometheus`, `elasticsearch`, `jaeger`. */
  readonly type: string;
  readonly url: string;
  /** The default data source. @default false */
  readonly isDefault?: boolean;
  /** Plugin settings. @default none */
  readonly jsonData?: Readonly<Record<string, unknown>>;
  /** HTTP basic authentication, the password read from a mounted file. @default none */
  readonly basicAuth?: { readonly user: string; readonly passwordFile: string };
  /** Mounted CA certificate the data source's TLS certificate is verified against. @default the system roots */
  readonly caCertFile?: string;
}

export interface GrafanaProps {
  /** Object name. @default 'grafana' */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** Pinned image. */
  readonly image: string;
  /** Data sources to provision; exactly one should be the default. */
  readonly dataSources: readonly GrafanaDataSource[];
  /** ConfigMaps holding dashboard JSON files, mounted into one provisioned folder. */
  readonly dashboardConfigMaps: readonly string[];
  /** Folder the dashboards appear in. */
  readonly folder: string;
  /** Secret with keys `admin-user` and `admin-password`, created by the cluster operator. */
  readonly adminSecret: string;
  /** @default 50m/128Mi requested, 500m/256Mi limit */
  readonly resources?: ContainerResources;
  /** Secrets mounted read-only, e.g. data source passwords and CA certificates (`$__file{...}` in provisioning). @default none */
  readonly secretMounts?: readonly { readonly name: string; readonly secretName: string; readonly mountPath: string }[];
}

/**
 * A stateless Grafana: data sources and dashboards are provisioned from ConfigMaps (read-only in the
 * UI), the admin credentials are read from a mounted Secret (`__FILE` settings), no sign-up, no
 * anonymous access, no phoning home. Its SQLite state lives on an emptyDir: everything that matters is code.
 */
export class Grafana extends Construct {
  public readonly name: string;
  public readonly selector: Record<string, string>;
  /** The provisioning files as written (path under the provisioning directory → YAML). */
  public readonly provisioning: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    const name = props.name ?? 'grafana';
    this.name = name;
    const defaults = props.dataSources.filter((d) => d.isDefault === true);
    if (defaults.length !== 1) throw new Error(`${name}: exactly one data source must be the default; received ${defaults.length}`);
    const uids = props.dataSources.map((d) => d.uid);
    if (new Set(uids).size !== uids.length) throw new Error(`${name}: data source uids must be unique; received ${uids.join(', ')}`);
    if (props.dashboardConfigMaps.length === 0) throw new Error(`${name}: at least one dashboard ConfigMap is required`);
    const ids = monitoringLabels({ name, instance: props.instance, partOf: props.partOf, image: props.image });
    this.selector = ids.selector;

    const datasources = configYaml({
      apiVersion: 1,
      datasources: props.dataSources.map((d) => ({
        name: d.name, uid: d.uid, type: d.type, access: 'proxy', url: d.url, isDefault: d.isDefault ?? false, editable: false,
        ...(d.jsonData || d.caCertFile ? { jsonData: { ...(d.jsonData ?? {}), ...(d.caCertFile ? { tlsAuthWithCACert: true } : {}) } } : {}),
        ...(d.basicAuth ? { basicAuth: true, basicAuthUser: d.basicAuth.user } : {}),
        // Grafana reads these files when it provisions: no secret in the ConfigMap.
        ...(d.basicAuth || d.caCertFile
          ? {
            secureJsonData: {
              ...(d.basicAuth ? { basicAuthPassword: `$__file{${d.basicAuth.passwordFile}}` } : {}),
              ...(d.caCertFile ? { tlsCACert: `$__file{${d.caCertFile}}` } : {}),
            },
          }
          : {}),
      })),
    });
    const dashboards = configYaml({
      apiVersion: 1,
      providers: [{
        name: 'platform', folder: props.folder, type: 'file', disableDeletion: true, allowUiUpdates: false, updateIntervalSeconds: 60,
        options: { path: DASHBOARDS_DIR, foldersFromFilesStructure: false },
      }],
    });
    this.provisioning = { 'datasources/datasources.yaml': datasources, 'dashboards/dashboards.yaml': dashboards };
    const provisioningName = `${name}-provisioning`;

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name, labels: ids.labels }, automountServiceAccountToken: false });
    new k8s.KubeConfigMap(this, 'provisioning', {
      metadata: { name: provisioningName, labels: ids.labels },
      data: { 'datasources.yaml': datasources, 'dashboards.yaml': dashboards },
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name, labels: ids.labels },
      spec: {
        type: 'ClusterIP',
        selector: ids.selector,
        ports: [{ name: GRAFANA_PORT.name, port: 80, targetPort: k8s.IntOrString.fromString(GRAFANA_PORT.name), protocol: 'TCP' }],
      },
    });
    const env: k8s.EnvVar[] = [
      { name: 'GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES', value: 'false' },
      { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
      { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
      { name: 'GF_AUTH_ANONYMOUS_ENABLED', value: 'false' },
      { name: 'GF_LOG_MODE', value: 'console' },
      { name: 'GF_PATHS_DATA', value: '/var/lib/grafana' },
      { name: 'GF_PATHS_PROVISIONING', value: '/etc/grafana/provisioning' },
      { name: 'GF_SECURITY_ADMIN_PASSWORD__FILE', value: `${ADMIN_DIR}/admin-password` },
      { name: 'GF_SECURITY_ADMIN_USER__FILE', value: `${ADMIN_DIR}/admin-user` },
      { name: 'GF_SECURITY_DISABLE_GRAVATAR', value: 'true' },
      { name: 'GF_USERS_ALLOW_SIGN_UP', value: 'false' },
    ];
    const container = hardenedContainer({
      name: 'grafana',
      image: props.image,
      env,
      ports: [GRAFANA_PORT],
      resources: props.resources ?? { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      uid: UID,
      probes: { ready: '/api/health', readyPort: GRAFANA_PORT.name, live: '/api/health', livePort: GRAFANA_PORT.name },
      volumeMounts: [
        { name: 'data', mountPath: '/var/lib/grafana' },
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'provisioning', mountPath: '/etc/grafana/provisioning', readOnly: true },
        { name: 'dashboards', mountPath: DASHBOARDS_DIR, readOnly: true },
        { name: 'admin', mountPath: ADMIN_DIR, readOnly: true },
        ...(props.secretMounts ?? []).map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: true })),
      ],
    });
    new KubeObject(this, 'deployment', k8s.KubeDeployment.GVK, k8s.toJson_KubeDeploymentProps, {
      metadata: { name, labels: ids.labels },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 5,
        // Recreate: two Grafanas on one emptyDir-backed SQLite state is pointless, and a surge doubles memory.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: ids.selector },
        template: {
          metadata: { labels: ids.podLabels, annotations: { 'checksum/config': contentChecksum(datasources, dashboards) } },
          spec: hardenedPodSpec({
            serviceAccountName: name,
            automountToken: false,
            uid: UID,
            containers: [container],
            volumes: [
              emptyDirVolume('data', '1Gi'),
              emptyDirVolume('tmp', '64Mi'),
              {
                name: 'provisioning',
                configMap: {
                  name: provisioningName,
                  defaultMode: 0o444,
                  items: [{ key: 'datasources.yaml', path: 'datasources/datasources.yaml' }, { key: 'dashboards.yaml', path: 'dashboards/dashboards.yaml' }],
                },
              },
              { name: 'dashboards', projected: { defaultMode: 0o444, sources: props.dashboardConfigMaps.map((cm) => ({ configMap: { name: cm } })) } },
              { name: 'admin', secret: { secretName: props.adminSecret, defaultMode: 0o440, optional: false } },
              ...(props.secretMounts ?? []).map((m) => ({ name: m.name, secret: { secretName: m.secretName, defaultMode: 0o440, optional: false } })),
            ],
          }),
        },
      },
    });
  }
}
