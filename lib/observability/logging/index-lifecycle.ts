import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeObject } from '../../core/kube-object';
import { recommendedLabels, selectorLabels, versionFromImage, type ComponentIdentity } from '../../core/labels';
import { joinName } from '../../core/names';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../core/security';
import { configDigest } from './elasticsearch';

/** The log retention an ILM policy enforces. */
export interface LogLifecycle {
  /** Name of the ILM policy, the index template and the rollover alias, e.g. `atlas-logs`. */
  readonly name: string;
  /** Days an index stays in the hot phase after rollover. */
  readonly hotDays: number;
  /** Days after rollover when an index is deleted. */
  readonly deleteDays: number;
  /** Rollover age in days. */
  readonly rolloverMaxAgeDays: number;
  /** Rollover primary shard size in GB. */
  readonly rolloverMaxPrimaryShardSizeGb: number;
}

/**
 * The ILM policy body (`PUT _ilm/policy/<name>`): hot with rollover, warm (read-only, force-merged,
 * lower recovery priority) from `hotDays`, deleted at `deleteDays`.
 */
export function lifecyclePolicy(lifecycle: LogLifecycle): Record<string, unknown> {
  if (lifecycle.deleteDays <= lifecycle.hotDays) {
    throw new Error(`${lifecycle.name}: deleteDays (${lifecycle.deleteDays}) must be after hotDays (${lifecycle.hotDays})`);
  }
  return {
    policy: {
      _meta: { managed_by: 'stackwright' },
      phases: {
        hot: {
          min_age: '0ms',
          actions: {
            rollover: { max_age: `${lifecycle.rolloverMaxAgeDays}d`, max_primary_shard_size: `${lifecycle.rolloverMaxPrimaryShardSizeGb}gb` },
            set_priority: { priority: 100 },
          },
        },
        warm: {
          min_age: `${lifecycle.hotDays}d`,
          actions: {
            readonly: {},
            forcemerge: { max_num_segments: 1 },
            set_priority: { priority: 50 },
          },
        },
        delete: {
          min_age: `${lifecycle.deleteDays}d`,
          actions: { delete: {} },
        },
      },
    },
  };
}

/** The index template body (`PUT _index_template/<name>`): the policy and rollover alias on every log index. */
export function logIndexTemplate(lifecycle: LogLifecycle, replicas: number): Record<string, unknown> {
  return {
    index_patterns: [`${lifecycle.name}-*`],
    // Above the built-in `logs` template (100), so these indices get this policy.
    priority: 200,
    template: {
      settings: {
        'index.lifecycle.name': lifecycle.name,
        'index.lifecycle.rollover_alias': lifecycle.name,
        'index.number_of_shards': 1,
        'index.number_of_replicas': replicas,
      },
      mappings: {
        dynamic_templates: [{ strings_as_keyword: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 1024 } } }],
        properties: {
          '@timestamp': { type: 'date' },
          message: { type: 'match_only_text' },
        },
      },
    },
    _meta: { managed_by: 'stackwright' },
  };
}

/** Roles the setup Job creates, each with only what its user needs. */
export function writerRoles(lifecycle: LogLifecycle, tracesIndexPrefix: string | undefined): Record<string, Record<string, unknown>> {
  const roles: Record<string, Record<string, unknown>> = {
    logstash_writer: {
      // Logstash checks the policy and alias on start and writes through the alias.
      cluster: ['monitor', 'manage_ilm', 'manage_index_templates'],
      indices: [{ names: [`${lifecycle.name}-*`, lifecycle.name], privileges: ['create_doc', 'create_index', 'view_index_metadata', 'manage_ilm'] }],
    },
    logs_reader: {
      // Grafana searches the log indices and nothing else.
      cluster: ['monitor'],
      indices: [{ names: [`${lifecycle.name}-*`, lifecycle.name], privileges: ['read', 'view_index_metadata'] }],
    },
  };
  if (tracesIndexPrefix !== undefined) {
    roles.jaeger_writer = {
      // Jaeger creates its index templates and daily indices on start, and reads them back for queries.
      cluster: ['monitor', 'manage_index_templates'],
      indices: [{ names: [`${tracesIndexPrefix}-*`], privileges: ['create_doc', 'create_index', 'read', 'view_index_metadata', 'delete_index'] }],
    };
  }
  return roles;
}

export interface ElasticsearchSetupJobProps {
  /** Image with `sh` and `curl`: the Elasticsearch image itself, so nothing else is pulled. */
  readonly image: string;
  /** Object name of the Job, its ConfigMap and ServiceAccount. @default 'elasticsearch-setup' */
  readonly name?: string;
  /** `app.kubernetes.io/instance`. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** HTTPS URL of the cluster, e.g. https://elasticsearch.ns.svc:9200. */
  readonly url: string;
  /** Secret with the `elastic`, `kibana_system`, `remote_monitoring_user`, `logstash_internal`, `grafana` (and `jaeger`) passwords. */
  readonly credentialsSecret: string;
  /** Secret holding the `elastic` user's password under the key `elastic` (ECK writes `<name>-es-elastic-user`). @default the credentials Secret */
  readonly elasticPasswordSecret?: string;
  /** Secret with `ca.crt`, to verify the cluster's certificate. */
  readonly tlsSecret: string;
  /** The log retention. */
  readonly lifecycle: LogLifecycle;
  /** Replicas of each log index (0 on a single node, else 1). */
  readonly replicas: number;
  /** Index prefix Jaeger writes spans under, when Jaeger stores in this cluster: adds the `jaeger` user. @default none */
  readonly tracesIndexPrefix?: string;
  /** Set the `kibana_system` password (Kibana connects as it). @default true */
  readonly kibana?: boolean;
  /** Set the `remote_monitoring_user` password (the metrics exporter connects as it). @default true */
  readonly monitoring?: boolean;
}

/**
 * A Job that configures the cluster through its API, safely re-runnable: PUTs the ILM policy, the
 * index template, the writer roles and users (same body, same result), and creates the first
 * write index behind the rollover alias only when the alias does not exist yet.
 */
export class ElasticsearchSetupJob extends Construct {
  public readonly name: string;
  public readonly identity: ComponentIdentity;
  public readonly job: KubeObject<k8s.KubeJobProps>;
  /** The keys it reads from the credentials Secret. */
  public readonly credentialKeys: readonly string[];

  constructor(scope: Construct, id: string, props: ElasticsearchSetupJobProps) {
    super(scope, id);
    this.name = props.name ?? 'elasticsearch-setup';
    this.identity = {
      name: this.name,
      instance: props.instance ?? this.name,
      component: 'logging',
      partOf: props.partOf ?? this.name,
      version: versionFromImage(props.image),
    };
    const labels = recommendedLabels(this.identity);
    const lifecycle = props.lifecycle;
    const roles = writerRoles(lifecycle, props.tracesIndexPrefix);
    const files: Record<string, string> = {
      'ilm-policy.json': json(lifecyclePolicy(lifecycle)),
      'index-template.json': json(logIndexTemplate(lifecycle, props.replicas)),
      'write-index.json': json({ aliases: { [lifecycle.name]: { is_write_index: true } } }),
      ...Object.fromEntries(Object.entries(roles).map(([role, body]) => [`role-${role.replace(/_/g, '-')}.json`, json(body)])),
      'setup.sh': setupScript(props, Object.keys(roles)),
    };
    const configMap = new k8s.KubeConfigMap(this, 'config', { metadata: { name: this.name, labels }, data: files });

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: this.name, labels }, automountServiceAccountToken: false });

    const uid = 1000;
    const runAs = { user: uid, group: uid, fsGroup: uid };
    const password = (variable: string, key: string) => ({ name: variable, valueFrom: { secretKeyRef: { name: props.credentialsSecret, key } } });
    const env = [
      { name: 'ES_URL', value: props.url },
      { name: 'ELASTIC_PASSWORD', valueFrom: { secretKeyRef: { name: props.elasticPasswordSecret ?? props.credentialsSecret, key: 'elastic' } } },
      password('LOGSTASH_PASSWORD', 'logstash_internal'),
      password('GRAFANA_PASSWORD', 'grafana'),
      ...(props.kibana ?? true ? [password('KIBANA_SYSTEM_PASSWORD', 'kibana_system')] : []),
      ...(props.monitoring ?? true ? [password('MONITORING_PASSWORD', 'remote_monitoring_user')] : []),
      ...(props.tracesIndexPrefix !== undefined ? [password('JAEGER_PASSWORD', 'jaeger')] : []),
    ];
    this.credentialKeys = env.flatMap((e) => (e.valueFrom?.secretKeyRef.name === props.credentialsSecret ? [e.valueFrom.secretKeyRef.key] : []));
    const quantity = (v: string) => k8s.Quantity.fromString(v);

    this.job = new KubeObject(this, 'job', k8s.KubeJob.GVK, k8s.toJson_KubeJobProps, {
      metadata: {
        // The name carries the configuration digest: a Job's pod template is immutable, so a changed policy is a new Job.
        name: joinName(this.name, configDigest(files).slice(0, 8)),
        labels,
      },
      spec: {
        backoffLimit: 6,
        // The cluster may take minutes to form on first install; give up after 30.
        activeDeadlineSeconds: 1800,
        template: {
          metadata: { labels: { ...selectorLabels(this.identity), ...labels } },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            restartPolicy: 'OnFailure',
            securityContext: restrictedPodSecurityContext(runAs),
            containers: [{
              name: 'setup',
              image: props.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '/setup/setup.sh'],
              env,
              resources: {
                requests: { cpu: quantity('50m'), memory: quantity('64Mi') },
                limits: { cpu: quantity('200m'), memory: quantity('128Mi') },
              },
              securityContext: restrictedContainerSecurityContext(runAs),
              volumeMounts: [
                { name: 'setup', mountPath: '/setup', readOnly: true },
                { name: 'certs', mountPath: '/certs', readOnly: true },
              ],
              terminationMessagePolicy: 'FallbackToLogsOnError',
            }],
            volumes: [
              { name: 'setup', configMap: { name: configMap.name, defaultMode: 0o444 } },
              { name: 'certs', secret: { secretName: props.tlsSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } },
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

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function setupScript(props: ElasticsearchSetupJobProps, roles: readonly string[]): string {
  const alias = props.lifecycle.name;
  // The first index name is date-math, URL-encoded: <alias-{now/d}-000001>.
  const firstIndex = encodeURIComponent(`<${alias}-{now/d}-000001>`);
  const lines = [
    '#!/bin/sh',
    '# Configures index lifecycle, templates, roles and users; every step is safe to repeat.',
    'set -eu',
    'es() {',
    '  method="$1"; path="$2"; shift 2',
    '  curl --fail-with-body --silent --show-error --max-time 30 --cacert /certs/ca.crt \\',
    '    --user "elastic:${ELASTIC_PASSWORD}" -H "Content-Type: application/json" -X "$method" "${ES_URL}${path}" "$@"',
    '  echo',
    '}',
    '# A password inside a JSON string: escape backslashes and quotes.',
    'quoted() { printf \'%s\' "$1" | sed \'s/\\\\/\\\\\\\\/g; s/"/\\\\"/g\'; }',
    '',
    'until es GET "/_cluster/health?wait_for_status=yellow&timeout=30s" >/dev/null; do',
    '  echo "waiting for the cluster at ${ES_URL}"; sleep 10',
    'done',
    '',
    `es PUT "/_ilm/policy/${alias}" --data-binary @/setup/ilm-policy.json`,
    `es PUT "/_index_template/${alias}" --data-binary @/setup/index-template.json`,
    `if es GET "/_alias/${alias}" >/dev/null 2>&1; then`,
    `  echo "write alias ${alias} exists"`,
    'else',
    `  es PUT "/${firstIndex}" --data-binary @/setup/write-index.json`,
    'fi',
    '',
    ...roles.map((role) => `es PUT "/_security/role/${role}" --data-binary @/setup/role-${role.replace(/_/g, '-')}.json`),
    '# Passwords go through stdin, never the command line.',
    'printf \'{"password":"%s","roles":["logstash_writer"]}\' "$(quoted "$LOGSTASH_PASSWORD")" | es PUT "/_security/user/logstash_internal" --data-binary @-',
    'printf \'{"password":"%s","roles":["logs_reader"]}\' "$(quoted "$GRAFANA_PASSWORD")" | es PUT "/_security/user/grafana" --data-binary @-',
  ];
  if (props.kibana ?? true) {
    lines.push('printf \'{"password":"%s"}\' "$(quoted "$KIBANA_SYSTEM_PASSWORD")" | es POST "/_security/user/kibana_system/_password" --data-binary @-');
  }
  if (props.monitoring ?? true) {
    lines.push('printf \'{"password":"%s"}\' "$(quoted "$MONITORING_PASSWORD")" | es POST "/_security/user/remote_monitoring_user/_password" --data-binary @-');
  }
  if (props.tracesIndexPrefix !== undefined) {
    lines.push('printf \'{"password":"%s","roles":["jaeger_writer"]}\' "$(quoted "$JAEGER_PASSWORD")" | es PUT "/_security/user/jaeger" --data-binary @-');
  }
  lines.push('echo "setup complete"', '');
  return lines.join('\n');
}
