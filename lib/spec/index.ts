export { SpecError, type SpecProblem } from './errors';
export { mergeOverlay, type Overlay } from './merge';
export { platformSchema, type PlatformInput, type ResolvedPlatform, type ResolvedService } from './platform';
export { resolveEnvironments, resolvePlatform } from './resolve';
export type { Capabilities, ClusterSpec } from './cluster';
export type { PortSpec, ProbeSpec, ServiceSpec } from './service';
export type { AutoscalingSpec, BehaviorSpec, HpaSpec, KedaSpec, KedaTriggerSpec, VpaSpec } from './autoscaling';
export type { TelemetrySpec } from './telemetry';
export type { MetricsSpec } from './metrics';
