// A platform with one of everything the alert catalog knows: an autoscaled web service, a worker,
// PostgreSQL (with its volume) and Redis in namespace `shop`, and the logs and traces stack's
// Elasticsearch exporter, Logstash and OpenTelemetry Collector in `shop-telemetry`, environment `test`.
import { renderRuleGroups } from '../../../lib/observability/metrics/alert-rule';
import { platformAlertGroups } from '../../../lib/observability/metrics/platform-alerts';

export const fixtureGroups = renderRuleGroups(
  platformAlertGroups({
    groupPrefix: 'shop-test',
    components: [
      { name: 'api', namespace: 'shop', role: 'web', workloadKind: 'Deployment', job: 'api', autoscaled: true },
      { name: 'worker', namespace: 'shop', role: 'worker', workloadKind: 'Deployment', job: 'worker' },
      { name: 'postgres', namespace: 'shop', role: 'postgres', workloadKind: 'StatefulSet', job: 'postgres', claims: ['data-postgres-[0-9]+'] },
      { name: 'redis', namespace: 'shop', role: 'redis', workloadKind: 'StatefulSet', job: 'redis' },
      { name: 'elasticsearch-exporter', namespace: 'shop-telemetry', role: 'elasticsearch-exporter', workloadKind: 'Deployment', job: 'elasticsearch-exporter' },
      { name: 'logstash', namespace: 'shop-telemetry', role: 'logstash', workloadKind: 'Deployment', job: 'logstash' },
      { name: 'otel-collector', namespace: 'shop-telemetry', role: 'otel-collector', workloadKind: 'Deployment', job: 'otel-collector' },
    ],
  }),
  { environment: 'test', runbookBaseUrl: 'https://runbooks.example.com/alerts' },
);
