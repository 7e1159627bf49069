import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeObject } from '../../core/kube-object';
import { joinName } from '../../core/names';
import { recommendedLabels, selectorLabels, versionFromImage, type ComponentIdentity } from '../../core/labels';
import { configDigest, type ContainerResources } from './elasticsearch';
import { configYaml } from '../../core/config-yaml';

export interface FilebeatProps {
  /** Pinned Filebeat image. */
  readonly image: string;
  /** Object name of the DaemonSet, ServiceAccount, ConfigMap and cluster RBAC. @default 'filebeat' */
  readonly name?: string;
  /** Namespace it runs in: needed to name the ClusterRoleBinding subject and the registry folder. */
  readonly namespace: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** @default 100m/128Mi requested, 500m/256Mi limit */
  readonly resources?: ContainerResources;
  /** Logstash Beats endpoint, `host:port`. */
  readonly logstashHost: string;
  /** Where the ClusterRole and its binding go: a chart without a namespace. @default this construct */
  readonly clusterScope?: Construct;
}

const MONITORING_PORT = 5066;

/**
 * Filebeat as a DaemonSet on every node (all taints tolerated) reading container logs through
 * read-only host paths, adding Kubernetes metadata, and sending to Logstash over the Beats protocol.
 * It runs as uid 0 only to read the root-owned log files, with every capability dropped, no
 * privilege escalation and a read-only root; its registry lives on the node so a restart resumes
 * where it stopped. Host paths need a namespace at the `privileged` Pod Security level.
 */
export class Filebeat extends Construct {
  public readonly name: string;
  public readonly identity: ComponentIdentity;
  public readonly daemonSet: KubeObject<k8s.KubeDaemonSetProps>;
  public readonly monitoringPort = MONITORING_PORT;

  constructor(scope: Construct, id: string, props: FilebeatProps) {
    super(scope, id);
    this.name = props.name ?? 'filebeat';
    this.identity = {
      name: this.name,
      instance: props.instance ?? this.name,
      component: 'logging',
      partOf: props.partOf ?? this.name,
      version: versionFromImage(props.image),
    };
    const labels = recommendedLabels(this.identity);
    const selector = selectorLabels(this.identity);
    const resources = props.resources ?? { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
    const quantity = (v: string) => k8s.Quantity.fromString(v);

    const config = {
      'filebeat.inputs': [{
        type: 'filestream',
        id: 'kubernetes-container-logs',
        paths: ['/var/log/containers/*.log'],
        // Each file is a symlink into /var/log/pods; follow it, and read the runtime's line format.
        'prospector.scanner.symlinks': true,
        parsers: [{ container: { stream: 'all', format: 'auto' } }],
        processors: [{
          add_kubernetes_metadata: {
            host: '${NODE_NAME}',
            matchers: [{ logs_path: { logs_path: '/var/log/containers/' } }],
            // Pod, namespace and node metadata only: no watches on Deployments or CronJobs.
            add_resource_metadata: { deployment: false, cronjob: false },
          },
        }],
      }],
      'output.logstash': { hosts: [props.logstashHost], loadbalance: true },
      'path.data': '/usr/share/filebeat/data',
      'logging.to_stderr': true,
      'logging.json': true,
      'http.enabled': true,
      'http.host': '0.0.0.0',
      'http.port': MONITORING_PORT,
    };
    const files = { 'filebeat.yml': configYaml(config) };
    const configMap = new k8s.KubeConfigMap(this, 'config', { metadata: { name: this.name, labels }, data: files });

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: this.name, labels },
      // Kubernetes metadata comes from the API server.
      automountServiceAccountToken: true,
    });
    const clusterScope = props.clusterScope ? new Construct(props.clusterScope, id) : this;
    // Cluster-wide names carry the namespace: several environments may share a cluster.
    const clusterRoleName = joinName(props.namespace, this.name);
    new k8s.KubeClusterRole(clusterScope, 'cluster-role', {
      metadata: { name: clusterRoleName, labels },
      rules: [{ apiGroups: [''], resources: ['pods', 'namespaces', 'nodes'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeClusterRoleBinding(clusterScope, 'cluster-role-binding', {
      metadata: { name: clusterRoleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: props.namespace }],
    });

    const probe = {
      httpGet: { path: '/', port: k8s.IntOrString.fromString('monitoring'), scheme: 'HTTP' },
      initialDelaySeconds: 0, timeoutSeconds: 2, successThreshold: 1,
    };
    this.daemonSet = new KubeObject(this, 'daemonset', k8s.KubeDaemonSet.GVK, k8s.toJson_KubeDaemonSetProps, {
      metadata: { name: this.name, labels },
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels, annotations: { 'stackwright.io/config-sha': configDigest(files) } },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            // Logs of every node, control plane and tainted pools included.
            tolerations: [{ operator: 'Exists' }],
            terminationGracePeriodSeconds: 30,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'filebeat',
              image: props.image,
              imagePullPolicy: 'IfNotPresent',
              args: ['-c', '/etc/filebeat/filebeat.yml', '-e'],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              ports: [{ name: 'monitoring', containerPort: MONITORING_PORT, protocol: 'TCP' }],
              resources: {
                requests: { cpu: quantity(resources.requests.cpu), memory: quantity(resources.requests.memory) },
                limits: { cpu: quantity(resources.limits.cpu), memory: quantity(resources.limits.memory) },
              },
              startupProbe: { ...probe, periodSeconds: 2, failureThreshold: 30 },
              readinessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
              livenessProbe: { ...probe, periodSeconds: 20, failureThreshold: 3 },
              securityContext: {
                // uid 0 only to read root-owned log files (0640); with no capabilities it cannot read anyone else's.
                runAsUser: 0,
                runAsGroup: 0,
                runAsNonRoot: false,
                privileged: false,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [
                { name: 'config', mountPath: '/etc/filebeat', readOnly: true },
                { name: 'var-log-containers', mountPath: '/var/log/containers', readOnly: true },
                { name: 'var-log-pods', mountPath: '/var/log/pods', readOnly: true },
                { name: 'registry', mountPath: '/usr/share/filebeat/data' },
                { name: 'tmp', mountPath: '/tmp' },
              ],
              terminationMessagePolicy: 'FallbackToLogsOnError',
            }],
            volumes: [
              { name: 'config', configMap: { name: configMap.name, defaultMode: 0o440 } },
              { name: 'var-log-containers', hostPath: { path: '/var/log/containers', type: 'Directory' } },
              { name: 'var-log-pods', hostPath: { path: '/var/log/pods', type: 'Directory' } },
              // Read offsets survive restarts and upgrades, so logs are neither lost nor shipped twice.
              { name: 'registry', hostPath: { path: `/var/lib/${props.namespace}-${this.name}`, type: 'DirectoryOrCreate' } },
              { name: 'tmp', emptyDir: { sizeLimit: quantity('64Mi') } },
            ],
          },
        },
      },
    });
  }

  /** The stable labels that select its pods. */
  public get selector(): Record<string, string> {
    return selectorLabels(this.identity);
  }
}
