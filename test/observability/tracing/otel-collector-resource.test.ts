import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { OtelCollectorResource } from '../../../lib/observability/tracing/otel-collector-resource';
import { TraceSampling } from '../../../lib/observability/tracing/sampling';

type Obj = { apiVersion: string; kind: string; metadata: { name: string }; spec: any };

function synth() {
  const chart = Testing.chart();
  const resource = new OtelCollectorResource(chart, 'otel', {
    image: 'otel/opentelemetry-collector-contrib:0.139.0', namespace: 'obs', tracesEndpoint: 'jaeger.obs.svc:4317', sampling: TraceSampling.ratio(0.1), replicas: 2,
  });
  const objects = Testing.synth(chart) as Obj[];
  return { resource, objects, spec: objects[0].spec };
}

describe('OtelCollectorResource', () => {
  it('emits one v1beta1 OpenTelemetryCollector in deployment mode', () => {
    const { objects, spec } = synth();
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual(['opentelemetry.io/v1beta1 OpenTelemetryCollector/otel']);
    expect([spec.mode, spec.replicas]).toEqual(['deployment', 2]);
    expect(objects).toMatchSnapshot();
  });

  it('carries the same pipeline as the plain gateway, sampling included', () => {
    const { spec } = synth();
    expect(spec.config.processors.probabilistic_sampler.sampling_percentage).toBe(10);
    expect(spec.config.service.pipelines.traces.exporters).toEqual(['otlp/jaeger']);
    expect(spec.ports).toEqual([{ name: 'prom-exporter', port: 8889, protocol: 'TCP' }]);
  });

  it('runs restricted and leaves isolation to the platform policies', () => {
    const { spec } = synth();
    expect(spec.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(spec.networkPolicy).toEqual({ enabled: false });
  });

  it('knows the Service and pod labels the operator creates', () => {
    const { resource } = synth();
    expect(resource.serviceName).toBe('otel-collector');
    expect(resource.selector).toEqual({ 'app.kubernetes.io/name': 'otel-collector', 'app.kubernetes.io/instance': 'obs.otel' });
  });
});
