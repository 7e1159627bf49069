import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { recommendedLabels } from '../../core/labels';
import { parseQuantity } from '../../core/quantity';
import { AppDeployment } from '../../workloads/app-deployment';
import { PodDisruptionBudget } from '../../autoscaling/pod-disruption-budget';
import { configDigest, type ContainerResources } from './elasticsearch';
import { configYaml } from '../../core/config-yaml';

export interface KibanaProps {
  /** Pinned Kibana image, the same version as Elasticsearch. */
  readonly image: string;
  /** Object name of the Deployment, Service and ConfigMap. @default 'kibana' */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default 250m/1Gi requested, 1/1Gi limit */
  readonly resources?: ContainerResources;
  /** HTTPS URL of Elasticsearch. */
  readonly elasticsearchUrl: string;
  /** Secret with the `kibana_system` user's password (key `kibana_system`). */
  readonly credentialsSecret: string;
  /** Secret with `ca.crt` to verify Elasticsearch. */
  readonly tlsSecret: string;
  /** Secret with `encryptionKey` (32+ characters) for saved objects, reporting and sessions. */
  readonly encryptionKeySecret: string;
  /** The HTTPS URL users reach it at, when something outside routes to it (`server.publicBaseUrl`). @default none */
  readonly publicUrl?: string;
}

const PORT = 5601;
const HOME = '/usr/share/kibana';

/**
 * Kibana as a Deployment connected to Elasticsearch over TLS as `kibana_system`, serving plain HTTP
 * on `http` inside the cluster (outside access, with TLS, is the traffic layer's). Its status API
 * answers only signed-in users: the readiness probe reads the login page, as ECK's does.
 */
export class Kibana extends Construct {
  public readonly name: string;
  public readonly deployment: AppDeployment;
  public readonly serviceName: string;
  public readonly port = PORT;

  constructor(scope: Construct, id: string, props: KibanaProps) {
    super(scope, id);
    this.name = props.name ?? 'kibana';
    this.serviceName = this.name;
    const replicas = props.replicas ?? 1;
    const resources = props.resources ?? { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };
    // Node's old-space limit below the container limit, so V8 collects garbage before the kernel kills it.
    const oldSpaceMi = Math.floor((parseQuantity(resources.limits.memory) * 0.75) / 2 ** 20);
    if (props.publicUrl !== undefined && !/^https:\/\/[^/\s]+$/.test(props.publicUrl)) throw new Error(`${this.name}: publicUrl must be an https:// origin without a path; received ${props.publicUrl}`);
    if (oldSpaceMi < 512) throw new Error(`${this.name}: Kibana needs a memory limit of at least 700Mi; received ${resources.limits.memory}`);

    const settings: Record<string, unknown> = {
      'server.host': '0.0.0.0',
      'server.port': PORT,
      'server.name': this.name,
      ...(props.publicUrl ? { 'server.publicBaseUrl': props.publicUrl } : {}),
      'elasticsearch.hosts': [props.elasticsearchUrl],
      'elasticsearch.username': 'kibana_system',
      'elasticsearch.password': '${KIBANA_SYSTEM_PASSWORD}',
      'elasticsearch.ssl.certificateAuthorities': [`${HOME}/certs/ca.crt`],
      'elasticsearch.ssl.verificationMode': 'full',
      'xpack.encryptedSavedObjects.encryptionKey': '${KIBANA_ENCRYPTION_KEY}',
      'xpack.security.encryptionKey': '${KIBANA_ENCRYPTION_KEY}',
      'xpack.reporting.encryptionKey': '${KIBANA_ENCRYPTION_KEY}',
      'path.data': `${HOME}/data`,
      'telemetry.optIn': false,
      'telemetry.allowChangingOptInStatus': false,
    };
    const files = { 'kibana.yml': configYaml(settings) };
    this.deployment = new AppDeployment(this, 'deployment', {
      name: this.name,
      image: props.image,
      instance: props.instance,
      component: 'logging',
      partOf: props.partOf,
      replicas,
      ports: [{ name: 'http', port: PORT }],
      env: { NODE_OPTIONS: `--max-old-space-size=${oldSpaceMi}` },
      resources,
      startupProbe: { tcp: true, port: 'http', periodSeconds: 5, failureThreshold: 60 },
      // 200 once Kibana serves (503 before), without credentials and without opening /api/status to anonymous users.
      readinessProbe: { path: '/login', port: 'http', periodSeconds: 10, timeoutSeconds: 5 },
      // Liveness on the socket: Kibana waiting for Elasticsearch is not a reason to restart it.
      livenessProbe: { tcp: true, port: 'http', periodSeconds: 20 },
      runAsUser: 1000,
      writablePaths: [`${HOME}/data`, '/tmp'],
      podAnnotations: { 'stackwright.io/config-sha': configDigest(files) },
    });
    this.deployment.addEnv(
      { name: 'KIBANA_SYSTEM_PASSWORD', valueFrom: { secretKeyRef: { name: props.credentialsSecret, key: 'kibana_system' } } },
      { name: 'KIBANA_ENCRYPTION_KEY', valueFrom: { secretKeyRef: { name: props.encryptionKeySecret, key: 'encryptionKey' } } },
    );
    const labels = recommendedLabels(this.deployment.identity);
    const configMap = new k8s.KubeConfigMap(this, 'config', { metadata: { name: this.name, labels }, data: files });
    this.deployment.addVolume({ name: 'config', configMap: { name: configMap.name, defaultMode: 0o444 } }, { mountPath: `${HOME}/config/kibana.yml`, subPath: 'kibana.yml' });
    this.deployment.addVolume({ name: 'certs', secret: { secretName: props.tlsSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } }, { mountPath: `${HOME}/certs` });

    new k8s.KubeService(this, 'service', {
      metadata: { name: this.serviceName, labels },
      spec: {
        type: 'ClusterIP',
        selector: this.deployment.selector,
        ports: [{ name: 'http', port: PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });
    if (replicas > 1) {
      new PodDisruptionBudget(this, 'pdb', { name: this.name, selector: this.deployment.selector, labels, minReplicas: replicas });
    }
  }
}
