import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PodDisruptionBudget } from '../../autoscaling/pod-disruption-budget';
import { recommendedLabels } from '../../core/labels';
import { formatBytes, formatCpu, parseQuantity } from '../../core/quantity';
import { AppDeployment } from '../../workloads/app-deployment';
import { configDigest, type ContainerResources } from './elasticsearch';
import { configYaml } from '../../core/config-yaml';

export interface LogstashProps {
  /** Pinned Logstash image. */
  readonly image: string;
  /** Object name of the Deployment, Service and ConfigMap. @default 'logstash' */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** The JVM heap is half the memory limit. @default 250m/1Gi requested, 1/1Gi limit */
  readonly resources?: ContainerResources;
  /** HTTPS URL of Elasticsearch. */
  readonly elasticsearchUrl: string;
  /** Secret with the `logstash_internal` user's password (key `logstash_internal`). */
  readonly credentialsSecret: string;
  /** Secret with `ca.crt` to verify Elasticsearch. */
  readonly tlsSecret: string;
  /** ILM rollover alias and policy name the output writes with. */
  readonly lifecycleName: string;
  /** Environment name added to every event as `deployment.environment`. */
  readonly environment: string;
  /** Add a disruption budget (with 2+ replicas). @default true when replicas > 1 */
  readonly disruptionBudget?: boolean;
  /** kuskoman/logstash-exporter image, pinned: a sidecar turning the API's node stats into Prometheus metrics. @default {@link LOGSTASH_EXPORTER_IMAGE} */
  readonly exporterImage?: string;
  /** The exporter sidecar's requests and limits. @default 10m/32Mi requested, 100m/64Mi limit */
  readonly exporterResources?: ContainerResources;
}

/** Logstash has no Prometheus endpoint of its own (its API on 9600 speaks JSON): this exporter reads it. */
export const LOGSTASH_EXPORTER_IMAGE = 'ghcr.io/kuskoman/logstash-exporter:v1.9.1';

const BEATS_PORT = 5044;
const API_PORT = 9600;
const METRICS_PORT = 9198;
const HOME = '/usr/share/logstash';

/** The pipeline: Beats in, JSON application lines parsed, Kubernetes metadata kept, Elasticsearch out through the ILM alias. */
export function logstashPipeline(props: Pick<LogstashProps, 'elasticsearchUrl' | 'lifecycleName' | 'environment'>): string {
  return [
    'input {',
    `  beats { port => ${BEATS_PORT} }`,
    '}',
    '',
    'filter {',
    '  # Structured application logs are one JSON object per line; other lines stay plain text.',
    '  if [message] =~ /^\\s*\\{/ {',
    '    json { source => "message" target => "app" skip_on_invalid_json => true }',
    '  }',
    '  # The shipper\'s kubernetes.* fields (namespace, pod, container, labels, node) pass through untouched.',
    `  mutate { add_field => { "[deployment][environment]" => "${props.environment}" } }`,
    '}',
    '',
    'output {',
    '  elasticsearch {',
    `    hosts => ["${props.elasticsearchUrl}"]`,
    '    ssl_enabled => true',
    `    ssl_certificate_authorities => ["${HOME}/certs/ca.crt"]`,
    '    user => "logstash_internal"',
    '    password => "${LOGSTASH_PASSWORD}"',
    '    data_stream => false',
    '    # The setup Job owns the template, the policy and the first write index.',
    '    manage_template => false',
    '    ilm_enabled => true',
    `    ilm_rollover_alias => "${props.lifecycleName}"`,
    '    ilm_pattern => "{now/d}-000001"',
    `    ilm_policy => "${props.lifecycleName}"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Logstash as a Deployment: a Beats input on 5044, JSON parsing of structured application logs,
 * output to Elasticsearch through the lifecycle policy's rollover alias, probes on the API port,
 * a logstash-exporter sidecar serving each pod's pipeline metrics on `metrics` (9198), and a
 * disruption budget with more than one replica.
 */
export class Logstash extends Construct {
  public readonly name: string;
  public readonly deployment: AppDeployment;
  public readonly beatsPort = BEATS_PORT;
  public readonly apiPort = API_PORT;
  /** The exporter sidecar's port (`metrics`), serving `/metrics`. */
  public readonly metricsPort = METRICS_PORT;
  public readonly serviceName: string;
  /** Requests and limits of one pod: Logstash and the exporter sidecar. */
  public readonly podResources: ContainerResources;

  constructor(scope: Construct, id: string, props: LogstashProps) {
    super(scope, id);
    this.name = props.name ?? 'logstash';
    this.serviceName = this.name;
    const replicas = props.replicas ?? 1;
    const resources = props.resources ?? { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };
    const heapMi = Math.floor(parseQuantity(resources.limits.memory) / 2 / 2 ** 20);
    if (heapMi < 256) throw new Error(`${this.name}: a memory limit of at least 512Mi is needed for a 256Mi heap; received ${resources.limits.memory}`);

    const settings = {
      'api.http.host': '0.0.0.0',
      'api.http.port': API_PORT,
      'path.data': `${HOME}/data`,
      'path.config': `${HOME}/pipeline/main.conf`,
      'pipeline.ecs_compatibility': 'v8',
      'log.format': 'json',
      'xpack.monitoring.enabled': false,
    };
    const files = { 'logstash.yml': configYaml(settings), 'main.conf': logstashPipeline(props) };
    const probe = { path: '/', port: 'api', periodSeconds: 10, timeoutSeconds: 5 };

    this.deployment = new AppDeployment(this, 'deployment', {
      name: this.name,
      image: props.image,
      instance: props.instance,
      component: 'logging',
      partOf: props.partOf,
      replicas,
      ports: [{ name: 'beats', port: BEATS_PORT }, { name: 'api', port: API_PORT }],
      // Logstash itself, not the image's entrypoint, which rewrites logstash.yml from the environment.
      command: [`${HOME}/bin/logstash`],
      env: { LS_JAVA_OPTS: `-Xms${heapMi}m -Xmx${heapMi}m` },
      resources,
      startupProbe: { ...probe, periodSeconds: 5, failureThreshold: 60 },
      readinessProbe: probe,
      livenessProbe: { ...probe, periodSeconds: 20, failureThreshold: 3 },
      runAsUser: 1000,
      writablePaths: [`${HOME}/data`, '/tmp'],
      // Events in flight are flushed on shutdown.
      terminationGracePeriodSeconds: 60,
      podAnnotations: { 'stackwright.io/config-sha': configDigest(files) },
    });
    this.deployment.addEnv({ name: 'LOGSTASH_PASSWORD', valueFrom: { secretKeyRef: { name: props.credentialsSecret, key: 'logstash_internal' } } });
    const exporterResources = props.exporterResources ?? { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
    // Per pod, beside Logstash: each replica's pipelines are scraped, not whichever pod a Service picks.
    this.deployment.addSidecar({
      name: 'exporter',
      image: props.exporterImage ?? LOGSTASH_EXPORTER_IMAGE,
      env: { LOGSTASH_URL: `http://localhost:${API_PORT}`, PORT: String(METRICS_PORT) },
      ports: [{ name: 'metrics', port: METRICS_PORT }],
      resources: exporterResources,
      readinessProbe: { path: '/health', port: 'metrics' },
      livenessProbe: { path: '/health', port: 'metrics', periodSeconds: 20 },
      // The image is a static binary on scratch, with no user of its own.
      runAsUser: 65534,
    });
    const sum = (pick: (r: ContainerResources) => string) => parseQuantity(pick(resources)) + parseQuantity(pick(exporterResources));
    this.podResources = {
      requests: { cpu: formatCpu(sum((r) => r.requests.cpu)), memory: formatBytes(sum((r) => r.requests.memory)) },
      limits: { cpu: formatCpu(sum((r) => r.limits.cpu)), memory: formatBytes(sum((r) => r.limits.memory)) },
    };
    const configMap = new k8s.KubeConfigMap(this, 'config', { metadata: { name: this.name, labels: this.labels }, data: files });
    const config = { name: 'config', configMap: { name: configMap.name, defaultMode: 0o444 } };
    this.deployment.addVolume(config, { mountPath: `${HOME}/config/logstash.yml`, subPath: 'logstash.yml' });
    this.deployment.addVolume({ name: 'pipeline', configMap: { name: configMap.name, items: [{ key: 'main.conf', path: 'main.conf' }], defaultMode: 0o444 } }, { mountPath: `${HOME}/pipeline` });
    this.deployment.addVolume({ name: 'certs', secret: { secretName: props.tlsSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } }, { mountPath: `${HOME}/certs` });

    new k8s.KubeService(this, 'service', {
      metadata: { name: this.serviceName, labels: this.labels },
      spec: {
        type: 'ClusterIP',
        selector: this.deployment.selector,
        ports: [
          { name: 'beats', port: BEATS_PORT, targetPort: k8s.IntOrString.fromString('beats'), protocol: 'TCP' },
          { name: 'api', port: API_PORT, targetPort: k8s.IntOrString.fromString('api'), protocol: 'TCP' },
          { name: 'metrics', port: METRICS_PORT, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' },
        ],
      },
    });
    if ((props.disruptionBudget ?? true) && replicas > 1) {
      new PodDisruptionBudget(this, 'pdb', { name: this.name, selector: this.deployment.selector, labels: this.labels, minReplicas: replicas });
    }
  }

  private get labels(): Record<string, string> {
    return recommendedLabels(this.deployment.identity);
  }
}
