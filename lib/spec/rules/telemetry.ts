import { parseQuantity } from '../../core/quantity';
import { OTEL_SDK_VARIABLES } from '../../observability/tracing/otel-sdk-env';
import type { ResolvedPlatform } from '../platform';
import { exposureHosts } from '../traffic';
import type { Report } from './report';

/** Cross-field rules for logs and traces: cluster shape, sizing, retention, operators, SDK variables. */
export function checkTelemetry(platform: ResolvedPlatform, report: Report): void {
  const t = platform.telemetry;
  const caps = platform.cluster.capabilities;
  const es = t.logs.elasticsearch;
  const at = (...path: (string | number)[]) => ['telemetry', ...path];

  const stackNamespace = t.namespace ?? `${platform.namespace}-telemetry`;
  const shipperNamespace = t.shipperNamespace ?? `${platform.namespace}-log-shipper`;
  if (stackNamespace === platform.namespace) {
    report(at('namespace'), stackNamespace, 'the logs and traces stack needs its own namespace, apart from the applications\'');
  }
  if (t.logs.enabled && (shipperNamespace === platform.namespace || shipperNamespace === stackNamespace)) {
    report(at('shipperNamespace'), shipperNamespace, `the log shipper needs a namespace of its own (it is the only Pod Security exception); ${platform.namespace} and ${stackNamespace} are taken`);
  }

  const kibanaHost = t.logs.kibana.exposure?.host;
  if (t.logs.enabled && t.logs.kibana.enabled && kibanaHost !== undefined) {
    // One host, one route: the Gateway's listeners and NGINX's server blocks are per host.
    const owner = platform.services.find((s) => s.exposure !== undefined && exposureHosts(s.exposure, platform.domain).includes(kibanaHost));
    if (owner) report(at('logs', 'kibana', 'exposure', 'host'), kibanaHost, `service ${owner.name} is exposed on that host already; give Kibana a host of its own`);
  }

  if (t.logs.enabled) {
    if (es.nodes === 2) {
      report(at('logs', 'elasticsearch', 'nodes'), es.nodes, 'expected 1 or at least 3 master-eligible nodes: two cannot elect a master after losing one');
    }
    if (platform.production && es.nodes < 3) {
      report(at('logs', 'elasticsearch', 'nodes'), es.nodes, 'a production environment needs at least 3 Elasticsearch nodes, so losing one loses no data and keeps a quorum');
    }
    if (parseQuantity(es.resources.requests.memory) !== parseQuantity(es.resources.limits.memory)) {
      report(at('logs', 'elasticsearch', 'resources', 'requests', 'memory'), es.resources.requests.memory,
        `expected the memory request to equal the limit (${es.resources.limits.memory}): the JVM heap is sized from it, and an overcommitted node gets OOM-killed`);
    }
    if (parseQuantity(es.resources.limits.memory) < 2 ** 30) {
      report(at('logs', 'elasticsearch', 'resources', 'limits', 'memory'), es.resources.limits.memory, 'expected at least 1Gi (the heap is half the limit)');
    }
    for (const [name, resources] of [['elasticsearch', es.resources], ['logstash', t.logs.logstash.resources], ['kibana', t.logs.kibana.resources], ['shipper', t.logs.shipper.resources]] as const) {
      for (const r of ['cpu', 'memory'] as const) {
        if (parseQuantity(resources.limits[r]) < parseQuantity(resources.requests[r])) {
          report(at('logs', name, 'resources', 'limits', r), resources.limits[r], `the limit must be at least the request (${resources.requests[r]})`);
        }
      }
    }
    if (parseQuantity(t.logs.logstash.resources.limits.memory) < 2 ** 29) {
      report(at('logs', 'logstash', 'resources', 'limits', 'memory'), t.logs.logstash.resources.limits.memory, 'expected at least 512Mi (the heap is half the limit)');
    }
    if (t.logs.kibana.enabled && parseQuantity(t.logs.kibana.resources.limits.memory) < 700 * 2 ** 20) {
      report(at('logs', 'kibana', 'resources', 'limits', 'memory'), t.logs.kibana.resources.limits.memory, 'expected at least 700Mi for Kibana');
    }
    const lifecycle = t.logs.lifecycle;
    if (lifecycle.deleteDays <= lifecycle.hotDays) {
      report(at('logs', 'lifecycle', 'deleteDays'), lifecycle.deleteDays, `expected more days than hotDays (${lifecycle.hotDays}): indices are deleted after they leave the hot phase`);
    }
    if (es.provider === 'eck' && !caps.eck) {
      report(at('logs', 'elasticsearch', 'provider'), es.provider, 'the cluster does not have ECK installed (cluster.capabilities.eck); use "statefulset" or enable the capability');
    }
    if (!t.logs.kibana.enabled && t.logs.kibana.exposure !== undefined) {
      report(at('logs', 'kibana', 'exposure'), t.logs.kibana.exposure, 'Kibana is disabled, so it cannot be exposed');
    }
  }

  if (t.traces.enabled) {
    const traces = t.traces;
    if (traces.collector.provider === 'operator' && !caps.opentelemetryOperator) {
      report(at('traces', 'collector', 'provider'), traces.collector.provider,
        'the cluster does not have the OpenTelemetry Operator installed (cluster.capabilities.opentelemetryOperator); use "deployment" or enable the capability');
    }
    if (traces.jaeger.storage === 'elasticsearch' && !t.logs.enabled) {
      report(at('traces', 'jaeger', 'storage'), traces.jaeger.storage, 'Jaeger stores in the logs Elasticsearch, and telemetry.logs is disabled; use "all-in-one" or enable logs');
    }
    if (traces.jaeger.storage === 'all-in-one' && platform.production) {
      report(at('traces', 'jaeger', 'storage'), traces.jaeger.storage, 'a production environment keeps traces in Elasticsearch: the all-in-one loses them on every restart');
    }
    const managed = new Set<string>(OTEL_SDK_VARIABLES);
    platform.services.forEach((svc, i) => {
      for (const name of Object.keys(svc.env)) {
        if (managed.has(name)) {
          report(['services', i, 'env', name], svc.env[name], `set by the tracing wiring for every app (${OTEL_SDK_VARIABLES.join(', ')}); configure telemetry.traces instead`);
        }
      }
    });
  }
}
