// A platform with one of everything the alert catalog knows: a web service, a worker, PostgreSQL
// and Redis, in namespace `shop` of environment `test`.
import { renderRuleGroups } from '../../../lib/observability/metrics/alert-rule';
import { platformAlertGroups } from '../../../lib/observability/metrics/platform-alerts';

export const fixtureGroups = renderRuleGroups(
  platformAlertGroups({
    groupPrefix: 'shop-test',
    namespaces: ['shop'],
    components: [
      { name: 'api', namespace: 'shop', role: 'web', workloadKind: 'Deployment', job: 'api' },
      { name: 'worker', namespace: 'shop', role: 'worker', workloadKind: 'Deployment', job: 'worker' },
      { name: 'postgres', namespace: 'shop', role: 'postgres', workloadKind: 'StatefulSet', job: 'postgres' },
      { name: 'redis', namespace: 'shop', role: 'redis', workloadKind: 'StatefulSet', job: 'redis' },
    ],
  }),
  { environment: 'test', runbookBaseUrl: 'https://runbooks.example.com/alerts' },
);
