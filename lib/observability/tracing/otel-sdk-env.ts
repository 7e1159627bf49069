import type { EnvVarJson } from '../../workloads/app-deployment';

export interface OtelSdkEnvProps {
  /** `service.name`, e.g. `api`. */
  readonly serviceName: string;
  /** `service.version`, e.g. the image tag. */
  readonly serviceVersion: string;
  /** `service.namespace`: the platform name. */
  readonly serviceNamespace: string;
  /** `deployment.environment`, e.g. `prod`. */
  readonly environment: string;
  /** OTLP/HTTP base URL of the collector gateway, e.g. http://otel-collector.ns.svc:4318. */
  readonly endpoint: string;
}

/** Variable names the telemetry wiring sets on every app; a service setting one itself is a spec error. */
export const OTEL_SDK_VARIABLES = [
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_TRACES_SAMPLER',
  'OTEL_PROPAGATORS',
  'OTEL_TRACES_EXPORTER',
  'OTEL_METRICS_EXPORTER',
  'OTEL_LOGS_EXPORTER',
] as const;

/**
 * The OpenTelemetry SDK environment (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/)
 * for one app: who it is, where to send, and how to sample. SDKs record every trace their caller
 * did not drop (`parentbased_always_on`); the gateway keeps the configured share, on the trace id.
 * Logs go to stdout and the node shipper, so the SDK log exporter is off.
 */
export function otelSdkEnv(props: OtelSdkEnvProps): EnvVarJson[] {
  const attributes = [
    `service.namespace=${props.serviceNamespace}`,
    `service.version=${props.serviceVersion}`,
    `deployment.environment=${props.environment}`,
    // The current semantic-conventions name, for backends that read it.
    `deployment.environment.name=${props.environment}`,
  ];
  const env: Record<(typeof OTEL_SDK_VARIABLES)[number], string> = {
    OTEL_SERVICE_NAME: props.serviceName,
    OTEL_RESOURCE_ATTRIBUTES: attributes.join(','),
    OTEL_EXPORTER_OTLP_ENDPOINT: props.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'parentbased_always_on',
    OTEL_PROPAGATORS: 'tracecontext,baggage',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'none',
  };
  return OTEL_SDK_VARIABLES.map((name) => ({ name, value: env[name] }));
}
