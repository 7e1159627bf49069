// alertmanager.yml as data: routes by environment and severity, grouping, inhibition, and
// receivers whose credentials are read from mounted Secret files, never written inline.

/** Where Slack notifications go; the webhook URL is read from a file. */
export interface SlackReceiver {
  /** Channel, e.g. `#atlas-alerts`. */
  readonly channel: string;
  /** Path of the mounted file holding the incoming-webhook URL. */
  readonly webhookUrlFile: string;
}

/** PagerDuty Events API v2; the routing key is read from a file. */
export interface PagerDutyReceiver {
  /** Path of the mounted file holding the integration's routing key. */
  readonly routingKeyFile: string;
}

export interface AlertmanagerConfigProps {
  /** The environment whose alerts this routes (the `environment` label the rules set). */
  readonly environment: string;
  /** Warnings and criticals go to Slack. @default none */
  readonly slack?: SlackReceiver;
  /** Criticals page through PagerDuty. @default none */
  readonly pagerduty?: PagerDutyReceiver;
  /** Labels alerts are grouped by into one notification. @default ['alertname', 'namespace', 'service'] */
  readonly groupBy?: readonly string[];
  /** How often an unresolved group is re-sent. @default '4h' */
  readonly repeatInterval?: string;
}

/** The name of the receiver that drops what nothing else takes. */
export const NULL_RECEIVER = 'null';

/** The alertmanager.yml object. */
export function alertmanagerConfig(props: AlertmanagerConfigProps): Record<string, unknown> {
  for (const file of [props.slack?.webhookUrlFile, props.pagerduty?.routingKeyFile]) {
    if (file !== undefined && !file.startsWith('/')) throw new Error(`receiver credential files must be absolute paths; received "${file}"`);
  }
  const env = `environment=${JSON.stringify(props.environment)}`;
  const routes: Record<string, unknown>[] = [];
  const receivers: Record<string, unknown>[] = [{ name: NULL_RECEIVER }];
  if (props.pagerduty) {
    // `continue`: a page is also posted to Slack, so the channel shows the whole picture.
    routes.push({ receiver: 'pagerduty', matchers: [env, 'severity="critical"'], continue: props.slack !== undefined });
    receivers.push({
      name: 'pagerduty',
      pagerduty_configs: [{
        routing_key_file: props.pagerduty.routingKeyFile,
        send_resolved: true,
        severity: 'critical',
        description: '{{ .CommonAnnotations.summary }}',
        details: { environment: '{{ .CommonLabels.environment }}', service: '{{ .CommonLabels.service }}', runbook: '{{ .CommonAnnotations.runbook_url }}' },
      }],
    });
  }
  if (props.slack) {
    routes.push({ receiver: 'slack', matchers: [env, 'severity=~"critical|warning"'] });
    receivers.push({
      name: 'slack',
      slack_configs: [{
        api_url_file: props.slack.webhookUrlFile,
        channel: props.slack.channel,
        send_resolved: true,
        title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.environment }}/{{ .CommonLabels.service }})',
        text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}{{ if .Annotations.runbook_url }}\nRunbook: {{ .Annotations.runbook_url }}{{ end }}\n{{ end }}',
      }],
    });
  }
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: NULL_RECEIVER,
      group_by: [...(props.groupBy ?? ['alertname', 'namespace', 'service'])],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: props.repeatInterval ?? '4h',
      ...(routes.length > 0 ? { routes } : {}),
    },
    inhibit_rules: [
      // A critical alert silences the warning of the same alert for the same service.
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'environment', 'namespace', 'service'] },
      // A service that is down makes its latency, error and resource warnings noise.
      { source_matchers: ['alertname=~"TargetDown|PostgreSQLDown|RedisDown"'], target_matchers: ['severity="warning"'], equal: ['environment', 'namespace', 'service'] },
    ],
    receivers,
  };
}
