import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PodDisruptionBudget } from '../../autoscaling/pod-disruption-budget';
import { KubeObject } from '../../core/kube-object';
import { recommendedLabels, selectorLabels, versionFromImage, type ComponentIdentity } from '../../core/labels';
import { joinName } from '../../core/names';
import { parseQuantity } from '../../core/quantity';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../core/security';
import { configYaml } from '../../core/config-yaml';

/** CPU and memory of one container, as quantities. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface ElasticsearchProps {
  /** Pinned image, Elasticsearch 8.x or 9.x. */
  readonly image: string;
  /** Object name of the StatefulSet and its client Service. @default 'elasticsearch' */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** Master-eligible data nodes: 1, or 3 and more. @default 1 */
  readonly nodes?: number;
  /** Per node; memory request must equal the limit, the heap is half of it. @default 500m/2Gi requested, 1/2Gi limit */
  readonly resources?: ContainerResources;
  /** Data volume per node. @default '10Gi' */
  readonly storageSize?: string;
  /** StorageClass of the data volumes. @default the cluster's default StorageClass */
  readonly storageClass?: string;
  /** Secret with the `elastic` user's password under the key `elastic`. @default 'elasticsearch-credentials' */
  readonly credentialsSecret?: string;
  /** Secret with `tls.crt`, `tls.key` and `ca.crt` for transport and HTTP TLS; the certificate names the Service (`<name>`, `<name>.<namespace>.svc`) and `*.<name>-headless.<namespace>.svc`. @default 'elasticsearch-tls' */
  readonly tlsSecret?: string;
  /** Spread nodes across zones strictly (DoNotSchedule) rather than preferably. @default true when nodes > 1 */
  readonly strictZoneSpread?: boolean;
}

const HTTP_PORT = 9200;
const TRANSPORT_PORT = 9300;
const HOME = '/usr/share/elasticsearch';
const UID = 1000;
/** Above ~31GiB the JVM loses compressed object pointers; Elastic's sizing guidance caps the heap there. */
const MAX_HEAP_BYTES = 31 * 2 ** 30;

/** The JVM heap for a memory limit: half of it (the rest is filesystem cache), at most 31Gi, in whole MiB. */
export function elasticHeap(memoryLimit: string): string {
  const half = Math.min(parseQuantity(memoryLimit) / 2, MAX_HEAP_BYTES);
  const mib = Math.floor(half / 2 ** 20);
  if (mib < 256) throw new Error(`a JVM heap of at least 256Mi needs a memory limit of at least 512Mi; received ${memoryLimit}`);
  return `${mib}m`;
}

/**
 * An Elasticsearch cluster as a StatefulSet of master-eligible data nodes: security on with transport
 * and HTTP TLS from a Secret, `node.store.allow_mmap: false` so no privileged sysctl init container is
 * needed (restricted Pod Security holds), discovery through a headless Service, readiness on cluster
 * health, a volume claim per node, zone spread and a disruption budget for multi-node clusters.
 */
export class Elasticsearch extends Construct {
  public readonly name: string;
  public readonly identity: ComponentIdentity;
  /** Client Service name (HTTPS on 9200). */
  public readonly serviceName: string;
  /** Headless Service for discovery and stable pod DNS names. */
  public readonly headlessServiceName: string;
  public readonly nodes: number;
  public readonly statefulSet: KubeObject<k8s.KubeStatefulSetProps>;
  public readonly httpPort = HTTP_PORT;
  /** The data claim template: node N's claim is `data-<name>-N`. */
  public readonly claimTemplateName = 'data';
  public readonly transportPort = TRANSPORT_PORT;
  public readonly credentialsSecret: string;
  public readonly tlsSecret: string;
  public readonly heap: string;

  constructor(scope: Construct, id: string, props: ElasticsearchProps) {
    super(scope, id);
    this.name = props.name ?? 'elasticsearch';
    this.nodes = props.nodes ?? 1;
    if (!Number.isInteger(this.nodes) || this.nodes < 1 || this.nodes === 2) {
      throw new Error(`${this.name}: nodes must be 1 or at least 3 (two master-eligible nodes cannot elect a master after losing one); received ${this.nodes}`);
    }
    const major = Number(versionFromImage(props.image).split('.')[0]);
    if (major !== 8 && major !== 9) throw new Error(`${this.name}: expected an Elasticsearch 8.x or 9.x image; received ${props.image}`);
    const resources = props.resources ?? { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } };
    if (parseQuantity(resources.requests.memory) !== parseQuantity(resources.limits.memory)) {
      // The heap is sized from the limit; a lower request lets the scheduler overcommit the node and the kernel OOM-kill it.
      throw new Error(`${this.name}: the memory request must equal the limit (the heap is sized from it); received ${resources.requests.memory} and ${resources.limits.memory}`);
    }
    this.heap = elasticHeap(resources.limits.memory);
    this.credentialsSecret = props.credentialsSecret ?? 'elasticsearch-credentials';
    this.tlsSecret = props.tlsSecret ?? 'elasticsearch-tls';
    this.serviceName = this.name;
    this.headlessServiceName = joinName(this.name, 'headless');
    this.identity = {
      name: this.name,
      instance: props.instance ?? this.name,
      component: 'logging',
      partOf: props.partOf ?? this.name,
      version: versionFromImage(props.image),
    };
    const labels = recommendedLabels(this.identity);
    const selector = selectorLabels(this.identity);
    const multiNode = this.nodes > 1;
    const podNames = Array.from({ length: this.nodes }, (_, i) => `${this.name}-${i}`);

    const config: Record<string, unknown> = {
      'cluster.name': this.identity.instance,
      'node.name': '${POD_NAME}',
      'node.roles': ['master', 'data', 'ingest'],
      'network.host': '0.0.0.0',
      'http.port': HTTP_PORT,
      'transport.port': TRANSPORT_PORT,
      ...(multiNode
        ? {
          'discovery.seed_hosts': [this.headlessServiceName],
          // Read only when the cluster first forms; ignored once it has a state on disk.
          'cluster.initial_master_nodes': podNames,
        }
        : { 'discovery.type': 'single-node' }),
      // mmapfs needs vm.max_map_count ≥ 262144, a privileged sysctl; niofs needs nothing.
      'node.store.allow_mmap': false,
      'xpack.security.enabled': true,
      'xpack.security.enrollment.enabled': false,
      'xpack.security.transport.ssl.enabled': true,
      'xpack.security.transport.ssl.verification_mode': 'certificate',
      'xpack.security.transport.ssl.key': 'certs/tls.key',
      'xpack.security.transport.ssl.certificate': 'certs/tls.crt',
      'xpack.security.transport.ssl.certificate_authorities': ['certs/ca.crt'],
      'xpack.security.http.ssl.enabled': true,
      'xpack.security.http.ssl.key': 'certs/tls.key',
      'xpack.security.http.ssl.certificate': 'certs/tls.crt',
      'xpack.security.http.ssl.certificate_authorities': ['certs/ca.crt'],
    };
    const configMap = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: joinName(this.name, 'config'), labels },
      data: { 'elasticsearch.yml': configYaml(config) },
    });

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: this.name, labels },
      automountServiceAccountToken: false,
    });

    new k8s.KubeService(this, 'headless', {
      metadata: { name: this.headlessServiceName, labels },
      spec: {
        clusterIp: 'None',
        // Nodes must find each other before any is ready: readiness needs a formed cluster.
        publishNotReadyAddresses: true,
        selector,
        ports: [
          { name: 'https', port: HTTP_PORT, targetPort: k8s.IntOrString.fromString('https'), protocol: 'TCP' },
          { name: 'transport', port: TRANSPORT_PORT, targetPort: k8s.IntOrString.fromString('transport'), protocol: 'TCP' },
        ],
      },
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name: this.serviceName, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'https', port: HTTP_PORT, targetPort: k8s.IntOrString.fromString('https'), protocol: 'TCP' }],
      },
    });

    const runAs = { user: UID, group: UID, fsGroup: UID };
    const securityContext = restrictedContainerSecurityContext(runAs);
    const quantity = (v: string) => k8s.Quantity.fromString(v);
    const containerResources = {
      requests: { cpu: quantity(resources.requests.cpu), memory: quantity(resources.requests.memory) },
      limits: { cpu: quantity(resources.limits.cpu), memory: quantity(resources.limits.memory) },
    };
    // The probe dials its own loopback under the Service's name (a SAN of the node certificate), so the
    // certificate is verified against the cluster's CA like any client's, without leaving the pod.
    const health = `curl --fail --silent --show-error --max-time 4 --cacert ${HOME}/config/certs/ca.crt --resolve ${this.serviceName}:${HTTP_PORT}:127.0.0.1 --user "elastic:\${ELASTIC_PASSWORD}" "https://${this.serviceName}:${HTTP_PORT}/_cluster/health?wait_for_status=yellow&timeout=2s" >/dev/null`;
    const zoneSpread = props.strictZoneSpread ?? multiNode;

    this.statefulSet = new KubeObject(this, 'statefulset', k8s.KubeStatefulSet.GVK, k8s.toJson_KubeStatefulSetProps, {
      metadata: { name: this.name, labels },
      spec: {
        serviceName: this.headlessServiceName,
        replicas: this.nodes,
        // Master-eligible nodes must start together to elect a master; ordered start would deadlock.
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels, annotations: { 'stackwright.io/config-sha': configDigest(config) } },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(runAs),
            // Time to hand shards off and flush the translog.
            terminationGracePeriodSeconds: 120,
            initContainers: [{
              name: 'copy-config',
              image: props.image,
              imagePullPolicy: 'IfNotPresent',
              // The image's config folder (jvm.options, log4j2) is copied to a writable volume: the keystore is created there at start.
              command: ['sh', '-c', `cp -a ${HOME}/config/. /mnt/config/`],
              resources: {
                requests: { cpu: quantity('50m'), memory: quantity('64Mi') },
                limits: { cpu: quantity('200m'), memory: quantity('128Mi') },
              },
              securityContext,
              volumeMounts: [{ name: 'config', mountPath: '/mnt/config' }],
              terminationMessagePolicy: 'FallbackToLogsOnError',
            }],
            containers: [{
              name: 'elasticsearch',
              image: props.image,
              imagePullPolicy: 'IfNotPresent',
              ports: [
                { name: 'https', containerPort: HTTP_PORT, protocol: 'TCP' },
                { name: 'transport', containerPort: TRANSPORT_PORT, protocol: 'TCP' },
              ],
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'ES_JAVA_OPTS', value: `-Xms${this.heap} -Xmx${this.heap}` },
                { name: 'ES_TMPDIR', value: '/tmp' },
                // Becomes the `elastic` user's password when the cluster first starts.
                { name: 'ELASTIC_PASSWORD', valueFrom: { secretKeyRef: { name: this.credentialsSecret, key: 'elastic' } } },
              ],
              resources: containerResources,
              startupProbe: {
                tcpSocket: { port: k8s.IntOrString.fromString('https') },
                initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 60, successThreshold: 1,
              },
              readinessProbe: {
                exec: { command: ['sh', '-c', health] },
                initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1,
              },
              livenessProbe: {
                tcpSocket: { port: k8s.IntOrString.fromString('transport') },
                initialDelaySeconds: 0, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1,
              },
              securityContext,
              volumeMounts: [
                { name: 'data', mountPath: `${HOME}/data` },
                { name: 'config', mountPath: `${HOME}/config` },
                { name: 'elasticsearch-yml', mountPath: `${HOME}/config/elasticsearch.yml`, subPath: 'elasticsearch.yml', readOnly: true },
                { name: 'certs', mountPath: `${HOME}/config/certs`, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'logs', mountPath: `${HOME}/logs` },
              ],
              terminationMessagePolicy: 'FallbackToLogsOnError',
            }],
            volumes: [
              { name: 'config', emptyDir: { sizeLimit: quantity('64Mi') } },
              { name: 'elasticsearch-yml', configMap: { name: configMap.name, defaultMode: 0o444 } },
              { name: 'certs', secret: { secretName: this.tlsSecret, defaultMode: 0o440 } },
              { name: 'tmp', emptyDir: { sizeLimit: quantity('1Gi') } },
              { name: 'logs', emptyDir: { sizeLimit: quantity('1Gi') } },
            ],
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: zoneSpread ? 'DoNotSchedule' : 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
              // Two copies of a shard on one host are one failure away from loss.
              { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: multiNode ? 'DoNotSchedule' : 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
            ],
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: this.claimTemplateName, labels: selector },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: props.storageClass,
            resources: { requests: { storage: quantity(props.storageSize ?? '10Gi') } },
          },
        }],
      },
    });

    if (multiNode) {
      new PodDisruptionBudget(this, 'pdb', { name: this.name, selector, labels, minReplicas: this.nodes, maxUnavailable: 1 });
    }
  }

  /** The stable labels that select its pods. */
  public get selector(): Record<string, string> {
    return selectorLabels(this.identity);
  }

  /** The HTTPS URL clients in `namespace` use. */
  public url(namespace: string): string {
    return `https://${this.serviceName}.${namespace}.svc:${HTTP_PORT}`;
  }
}

/** A short stable digest of a configuration, so a config change rolls the pods. */
export function configDigest(config: unknown): string {
  return createHash('sha256').update(typeof config === 'string' ? config : JSON.stringify(config)).digest('hex').slice(0, 16);
}
