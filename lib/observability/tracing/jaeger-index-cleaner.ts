import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeObject } from '../../core/kube-object';
import { recommendedLabels, selectorLabels, versionFromImage, type ComponentIdentity } from '../../core/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../core/security';

export interface JaegerIndexCleanerProps {
  /** Image with `bash`, `curl` and GNU `date`: the Elasticsearch image, already pulled on the nodes. */
  readonly image: string;
  /** Object name of the CronJob and ServiceAccount. @default 'jaeger-index-cleaner' */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** HTTPS URL of Elasticsearch. */
  readonly elasticsearchUrl: string;
  /** Secret with the `jaeger` user's password (key `jaeger`); that user may delete its own indices only. */
  readonly credentialsSecret: string;
  /** Secret with `ca.crt`. */
  readonly tlsSecret: string;
  /** Prefix of Jaeger's indices, e.g. `atlas-traces`. */
  readonly indexPrefix: string;
  /** Days of daily span, service and dependency indices kept. */
  readonly retentionDays: number;
  /** Cron schedule, in UTC. @default '15 1 * * *' */
  readonly schedule?: string;
}

/**
 * Deletes Jaeger's daily indices older than the retention, once a day. Jaeger v2 writes one index
 * per day and type (`<prefix>-jaeger-span-YYYY-MM-DD`) and never deletes them.
 */
export class JaegerIndexCleaner extends Construct {
  public readonly name: string;
  public readonly identity: ComponentIdentity;
  public readonly cronJob: KubeObject<k8s.KubeCronJobProps>;

  constructor(scope: Construct, id: string, props: JaegerIndexCleanerProps) {
    super(scope, id);
    this.name = props.name ?? 'jaeger-index-cleaner';
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(`${this.name}: retentionDays must be a whole number ≥ 1; received ${props.retentionDays}`);
    }
    this.identity = { name: this.name, instance: props.instance ?? this.name, component: 'tracing', partOf: props.partOf ?? this.name, version: versionFromImage(props.image) };
    const labels = recommendedLabels(this.identity);
    const uid = 1000;
    const runAs = { user: uid, group: uid, fsGroup: uid };
    const quantity = (v: string) => k8s.Quantity.fromString(v);
    const script = [
      'set -euo pipefail',
      'cutoff="$(date -u -d "-${RETENTION_DAYS} days" +%Y-%m-%d)"',
      'es() { curl --fail-with-body --silent --show-error --max-time 60 --cacert /certs/ca.crt --user "jaeger:${ES_PASSWORD}" "$@"; }',
      'for index in $(es "${ES_URL}/_cat/indices/${INDEX_PREFIX}-jaeger-*?h=index&expand_wildcards=open"); do',
      '  day="${index: -10}"',
      '  if [[ "$day" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ && "$day" < "$cutoff" ]]; then',
      '    echo "deleting ${index} (before ${cutoff})"; es -X DELETE "${ES_URL}/${index}"; echo',
      '  fi',
      'done',
    ].join('\n');

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: this.name, labels }, automountServiceAccountToken: false });
    this.cronJob = new KubeObject(this, 'cronjob', k8s.KubeCronJob.GVK, k8s.toJson_KubeCronJobProps, {
      metadata: { name: this.name, labels },
      spec: {
        schedule: props.schedule ?? '15 1 * * *',
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 3,
            activeDeadlineSeconds: 1800,
            template: {
              metadata: { labels: { ...labels, ...selectorLabels(this.identity) } },
              spec: {
                serviceAccountName: this.name,
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                restartPolicy: 'OnFailure',
                securityContext: restrictedPodSecurityContext(runAs),
                containers: [{
                  name: 'cleaner',
                  image: props.image,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['bash', '-c', script],
                  env: [
                    { name: 'ES_URL', value: props.elasticsearchUrl },
                    { name: 'INDEX_PREFIX', value: props.indexPrefix },
                    { name: 'RETENTION_DAYS', value: String(props.retentionDays) },
                    { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: props.credentialsSecret, key: 'jaeger' } } },
                  ],
                  resources: {
                    requests: { cpu: quantity('25m'), memory: quantity('32Mi') },
                    limits: { cpu: quantity('200m'), memory: quantity('64Mi') },
                  },
                  securityContext: restrictedContainerSecurityContext(runAs),
                  volumeMounts: [{ name: 'certs', mountPath: '/certs', readOnly: true }],
                  terminationMessagePolicy: 'FallbackToLogsOnError',
                }],
                volumes: [{ name: 'certs', secret: { secretName: props.tlsSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } }],
              },
            },
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
