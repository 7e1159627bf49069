import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { OtelCollector, type OtelCollectorProps } from '../../../lib/observability/tracing/otel-collector';
import { TraceSampling } from '../../../lib/observability/tracing/sampling';

type Obj = { kind: string; metadata: { name: string }; spec: any; data?: Record<string, string> };

function synth(props: Partial<OtelCollectorProps> = {}) {
  const chart = Testing.chart();
  new OtelCollector(chart, 'otel-collector', { image: 'otel/opentelemetry-collector-contrib:0.139.0', tracesEndpoint: 'jaeger.obs.svc:4317', ...props });
  const objects = Testing.synth(chart) as Obj[];
  const get = (kind: string) => objects.find((o) => o.kind === kind);
  return { objects, get, config: YAML.parse(get('ConfigMap')!.data!['collector.yaml']), container: get('Deployment')!.spec.template.spec.containers[0] };
}

describe('TraceSampling', () => {
  it('keeps 10% in production and everything elsewhere', () => {
    expect(TraceSampling.forEnvironment(true).percentage).toBe(10);
    expect(TraceSampling.forEnvironment(false).percentage).toBe(100);
  });

  it('fails on a ratio outside 0 to 1', () => {
    expect(() => TraceSampling.ratio(1.5)).toThrow('a sampling ratio is between 0 and 1; received 1.5');
  });
});

describe('OtelCollector', () => {
  it('emits a ServiceAccount, a Deployment, its config and a Service', () => {
    const { objects } = synth({ sampling: TraceSampling.ratio(0.1) });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/otel-collector', 'Deployment/otel-collector', 'ConfigMap/otel-collector', 'Service/otel-collector']);
    expect(objects).toMatchSnapshot();
  });

  it('receives OTLP over gRPC and HTTP', () => {
    const { config, get } = synth();
    expect(config.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
    expect(get('Service')!.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['otlp-grpc', 4317], ['otlp-http', 4318], ['prom-exporter', 8889], ['metrics', 8888]]);
  });

  it('limits memory first, samples traces, batches, and exports traces to Jaeger and metrics to Prometheus', () => {
    const { config } = synth({ sampling: TraceSampling.ratio(0.1) });
    expect(config.service.pipelines).toEqual({
      traces: { receivers: ['otlp'], processors: ['memory_limiter', 'probabilistic_sampler', 'batch'], exporters: ['otlp/jaeger'] },
      metrics: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['prometheus'] },
    });
    expect(config.processors.probabilistic_sampler.sampling_percentage).toBe(10);
    expect(config.exporters['otlp/jaeger'].endpoint).toBe('jaeger.obs.svc:4317');
    expect(config.exporters.prometheus.endpoint).toBe('0.0.0.0:8889');
  });

  it('keeps every trace by default', () => {
    expect(synth().config.processors.probabilistic_sampler.sampling_percentage).toBe(100);
  });

  it('sets the memory limiter and GOMEMLIMIT to 80% of the container limit', () => {
    const { config, container } = synth({ resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } });
    expect(config.processors.memory_limiter.limit_mib).toBe(819);
    expect(container.env.find((e: any) => e.name === 'GOMEMLIMIT').value).toBe('819MiB');
  });
});
