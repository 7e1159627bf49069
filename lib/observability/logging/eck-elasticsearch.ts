import { Construct } from 'constructs';
import {
  Elasticsearch as ElasticsearchResource,
  ElasticsearchSpecNodeSetsVolumeClaimTemplatesSpecResourcesRequests as ClaimRequests,
} from '../../../imports/elasticsearches-elasticsearch.k8s.elastic.co';
import { Kibana as KibanaResource } from '../../../imports/kibanas-kibana.k8s.elastic.co';
import { recommendedLabels, versionFromImage, type ComponentIdentity } from '../../core/labels';
import { parseQuantity } from '../../core/quantity';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../core/security';
import { elasticHeap, type ContainerResources } from './elasticsearch';

export interface EckElasticsearchProps {
  /** Pinned Elasticsearch image (8.x or 9.x); its tag is the stack version. */
  readonly image: string;
  /** Resource name; ECK names the client Service `<name>-es-http`. @default 'elasticsearch' */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** Master-eligible data nodes: 1, or 3 and more. @default 1 */
  readonly nodes?: number;
  /** Per node; the memory request equals the limit and the heap is half of it. */
  readonly resources: ContainerResources;
  /** Data volume per node. */
  readonly storageSize: string;
  /** StorageClass of the data volumes. @default the cluster's default StorageClass */
  readonly storageClass?: string;
  /** Secret with `tls.crt`, `tls.key` and `ca.crt` serving HTTPS (ECK keeps its own transport certificates). */
  readonly tlsSecret: string;
  /** Also run Kibana, connected by ECK. @default none */
  readonly kibana?: EckKibanaOptions;
}

/** Kibana next to an ECK Elasticsearch. */
export interface EckKibanaOptions {
  /** Pinned Kibana image, the same version as Elasticsearch. */
  readonly image: string;
  readonly replicas: number;
  readonly resources: ContainerResources;
  /** Public URL when exposed through an Ingress. @default none */
  readonly publicBaseUrl?: string;
}

const UID = 1000;
/** The one node set: ECK names its StatefulSet `<name>-es-<node set>`. */
const NODE_SET = 'default';

/**
 * Elasticsearch (and optionally Kibana) as ECK resources: the operator runs the StatefulSets,
 * bootstraps security and transport TLS, creates the `elastic` user's Secret
 * (`<name>-es-elastic-user`) and a disruption budget. The pods get the same restricted security
 * context, heap sizing, `node.store.allow_mmap: false` and zone spread as the plain StatefulSet.
 */
export class EckElasticsearch extends Construct {
  public readonly name: string;
  public readonly identity: ComponentIdentity;
  public readonly nodes: number;
  /** ECK's client Service. */
  public readonly serviceName: string;
  /** Secret ECK writes with the `elastic` user's password, under the key `elastic`. */
  public readonly elasticUserSecret: string;
  /** Labels ECK puts on the Elasticsearch pods. */
  public readonly selector: Record<string, string>;
  public readonly elasticsearch: ElasticsearchResource;
  public readonly kibana?: KibanaResource;
  /** Kibana's Service (`<name>-kb-http`, HTTP on 5601) and pod labels, when Kibana runs. */
  public readonly kibanaServiceName?: string;
  public readonly kibanaSelector?: Record<string, string>;
  public readonly httpPort = 9200;
  public readonly transportPort = 9300;
  /** The StatefulSet ECK runs for the node set: pods `<name>-es-default-N`. */
  public readonly statefulSetName: string;
  /** ECK's claim template: pod N's claim is `elasticsearch-data-<statefulSetName>-N`. */
  public readonly claimTemplateName = 'elasticsearch-data';
  /** The Deployment ECK runs for Kibana (`kibana-kb`), when Kibana runs. */
  public readonly kibanaDeploymentName?: string;

  constructor(scope: Construct, id: string, props: EckElasticsearchProps) {
    super(scope, id);
    this.name = props.name ?? 'elasticsearch';
    this.nodes = props.nodes ?? 1;
    if (!Number.isInteger(this.nodes) || this.nodes < 1 || this.nodes === 2) {
      throw new Error(`${this.name}: nodes must be 1 or at least 3 (two master-eligible nodes cannot elect a master after losing one); received ${this.nodes}`);
    }
    const version = versionFromImage(props.image);
    if (!/^(8|9)\.\d+\.\d+$/.test(version)) throw new Error(`${this.name}: expected an Elasticsearch 8.x or 9.x image tagged with its version; received ${props.image}`);
    if (parseQuantity(props.resources.requests.memory) !== parseQuantity(props.resources.limits.memory)) {
      throw new Error(`${this.name}: the memory request must equal the limit (the heap is sized from it); received ${props.resources.requests.memory} and ${props.resources.limits.memory}`);
    }
    const heap = elasticHeap(props.resources.limits.memory);
    this.serviceName = `${this.name}-es-http`;
    this.statefulSetName = `${this.name}-es-${NODE_SET}`;
    this.elasticUserSecret = `${this.name}-es-elastic-user`;
    this.selector = { 'elasticsearch.k8s.elastic.co/cluster-name': this.name };
    this.identity = { name: this.name, instance: props.instance ?? this.name, component: 'logging', partOf: props.partOf ?? this.name, version };
    const labels = recommendedLabels(this.identity);
    const runAs = { user: UID, group: UID, fsGroup: UID };
    const resources = (r: ContainerResources) => ({ requests: { ...r.requests }, limits: { ...r.limits } });
    const multiNode = this.nodes > 1;

    this.elasticsearch = new ElasticsearchResource(this, 'elasticsearch', {
      metadata: { name: this.name, labels },
      spec: {
        version,
        image: props.image,
        http: { tls: { certificate: { secretName: props.tlsSecret } } },
        nodeSets: [{
          name: NODE_SET,
          count: this.nodes,
          config: {
            'node.roles': ['master', 'data', 'ingest'],
            // No privileged sysctl init container for vm.max_map_count.
            'node.store.allow_mmap': false,
          },
          podTemplate: {
            metadata: { labels },
            spec: {
              automountServiceAccountToken: false,
              securityContext: restrictedPodSecurityContext(runAs),
              containers: [{
                name: 'elasticsearch',
                env: [{ name: 'ES_JAVA_OPTS', value: `-Xms${heap} -Xmx${heap}` }],
                resources: resources(props.resources),
                securityContext: restrictedContainerSecurityContext(runAs),
              }],
              topologySpreadConstraints: [
                { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: multiNode ? 'DoNotSchedule' : 'ScheduleAnyway', labelSelector: { matchLabels: this.selector } },
                { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: multiNode ? 'DoNotSchedule' : 'ScheduleAnyway', labelSelector: { matchLabels: this.selector } },
              ],
            },
          },
          volumeClaimTemplates: [{
            // ECK mounts the claim by this name.
            metadata: { name: this.claimTemplateName },
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: props.storageClass, resources: { requests: { storage: ClaimRequests.fromString(props.storageSize) } } },
          }],
        }],
      },
    });

    if (props.kibana) {
      const kibanaName = 'kibana';
      const kibanaLabels = recommendedLabels({ ...this.identity, name: kibanaName, instance: this.identity.instance.replace(this.name, kibanaName), version: versionFromImage(props.kibana.image) });
      this.kibanaServiceName = `${kibanaName}-kb-http`;
      this.kibanaDeploymentName = `${kibanaName}-kb`;
      this.kibanaSelector = { 'kibana.k8s.elastic.co/name': kibanaName };
      const oldSpaceMi = Math.floor((parseQuantity(props.kibana.resources.limits.memory) * 0.75) / 2 ** 20);
      this.kibana = new KibanaResource(this, 'kibana', {
        metadata: { name: kibanaName, labels: kibanaLabels },
        spec: {
          version: versionFromImage(props.kibana.image),
          image: props.kibana.image,
          count: props.kibana.replicas,
          // ECK creates Kibana's service account token and trusts the cluster's CA.
          elasticsearchRef: { name: this.name },
          // Plain HTTP inside the cluster; TLS ends at the ingress controller.
          http: { tls: { selfSignedCertificate: { disabled: true } } },
          config: {
            'telemetry.optIn': false,
            'telemetry.allowChangingOptInStatus': false,
            ...(props.kibana.publicBaseUrl ? { 'server.publicBaseUrl': props.kibana.publicBaseUrl } : {}),
          },
          podTemplate: {
            metadata: { labels: kibanaLabels },
            spec: {
              automountServiceAccountToken: false,
              securityContext: restrictedPodSecurityContext(runAs),
              containers: [{
                name: 'kibana',
                env: [{ name: 'NODE_OPTIONS', value: `--max-old-space-size=${oldSpaceMi}` }],
                resources: resources(props.kibana.resources),
                securityContext: restrictedContainerSecurityContext(runAs),
              }],
            },
          },
        },
      });
    }
  }

  /** The HTTPS URL clients in `namespace` use. */
  public url(namespace: string): string {
    return `https://${this.serviceName}.${namespace}.svc:${this.httpPort}`;
  }
}
