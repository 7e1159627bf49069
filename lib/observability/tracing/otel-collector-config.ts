import type { TraceSampling } from './sampling';

/** Ports of the collector gateway. */
export const OTEL_PORTS = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  /** Application metrics received over OTLP, re-exposed for Prometheus. */
  promExporter: 8889,
  /** The collector's own metrics. */
  selfMetrics: 8888,
  health: 13133,
} as const;

export interface OtelCollectorConfigProps {
  /** Where sampled traces go: Jaeger's OTLP gRPC endpoint, `host:port`. */
  readonly tracesEndpoint: string;
  /** Share of traces kept. */
  readonly sampling: TraceSampling;
  /** Soft memory limit of the collector in MiB (the memory limiter refuses data above it). */
  readonly memoryLimitMib: number;
}

/**
 * The gateway pipeline: OTLP gRPC and HTTP in; memory limiter, probabilistic sampling on the trace
 * id and batching for traces, exported to Jaeger over OTLP; metrics batched and exposed on a
 * Prometheus endpoint to be scraped.
 */
export function otelCollectorConfig(props: OtelCollectorConfigProps): Record<string, unknown> {
  return {
    extensions: {
      health_check: { endpoint: `0.0.0.0:${OTEL_PORTS.health}` },
    },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${OTEL_PORTS.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${OTEL_PORTS.otlpHttp}` },
        },
      },
    },
    processors: {
      // First in every pipeline: refuse data before the container limit is hit, so senders retry.
      memory_limiter: { check_interval: '1s', limit_mib: props.memoryLimitMib, spike_limit_mib: Math.floor(props.memoryLimitMib / 5) },
      probabilistic_sampler: { sampling_percentage: props.sampling.percentage, hash_seed: 22 },
      batch: { send_batch_size: 8192, send_batch_max_size: 16384, timeout: '5s' },
    },
    exporters: {
      'otlp/jaeger': {
        endpoint: props.tracesEndpoint,
        // In-cluster hop inside the telemetry namespace, admitted by NetworkPolicy only from the gateway.
        tls: { insecure: true },
        sending_queue: { enabled: true, queue_size: 5000 },
        retry_on_failure: { enabled: true, max_elapsed_time: '300s' },
      },
      prometheus: {
        endpoint: `0.0.0.0:${OTEL_PORTS.promExporter}`,
        resource_to_telemetry_conversion: { enabled: true },
        metric_expiration: '10m',
      },
    },
    service: {
      extensions: ['health_check'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['memory_limiter', 'probabilistic_sampler', 'batch'], exporters: ['otlp/jaeger'] },
        metrics: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['prometheus'] },
      },
      telemetry: {
        logs: { level: 'info', encoding: 'json' },
        metrics: { level: 'normal', readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: OTEL_PORTS.selfMetrics } } } }] },
      },
    },
  };
}
