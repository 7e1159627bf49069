import * as z from 'zod';
import { autoscalingSchema } from './autoscaling';
import { deliverySchema } from './delivery';
import {
  byteQuantity, componentName, cpuQuantity, envVarName, nonNegativeInt, pinnedImage, portName, portNumber,
  positiveInt,
} from './primitives';
import { egressRuleSchema, exposureSchema, serviceNetworkSchema } from './traffic';

export const portSchema = z.strictObject({
  /** Port name, referenced by probes, Services and NetworkPolicies (≤15 characters). */
  name: portName,
  /** Port the container listens on. */
  port: portNumber,
  /** Port the Service offers; defaults to the container port. */
  servicePort: portNumber.optional(),
  protocol: z.enum(['TCP', 'UDP']).default('TCP'),
});

export const probeSchema = z.strictObject({
  /** HTTP GET path; set either path (HTTP), command (exec) or tcp. */
  path: z.string().startsWith('/', { error: 'expected an absolute HTTP path starting with "/"' }).optional(),
  /** Port name to probe; defaults to the service's first port. */
  port: portName.optional(),
  /** Exec probe command, for workers without an HTTP port. */
  command: z.array(z.string()).min(1).optional(),
  /** TCP socket probe on `port`. */
  tcp: z.boolean().optional(),
  initialDelaySeconds: nonNegativeInt.optional(),
  periodSeconds: positiveInt.optional(),
  timeoutSeconds: positiveInt.optional(),
  failureThreshold: positiveInt.optional(),
});

const resourceAmounts = z.strictObject({ cpu: cpuQuantity, memory: byteQuantity });

export const resourcesSchema = z.strictObject({
  requests: resourceAmounts,
  limits: resourceAmounts,
});

export const serviceSchema = z.strictObject({
  /** Component name; also the Deployment, Service and ServiceAccount name. */
  name: componentName,
  /** `web` serves requests behind a Service; `worker` runs in the background (Service only for metrics). */
  kind: z.enum(['web', 'worker']).default('web'),
  /** Free-form one-liner for the overview. */
  description: z.string().optional(),
  /** Container image pinned by tag or digest. */
  image: pinnedImage,
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  /** Plain, non-secret environment variables. */
  env: z.record(envVarName, z.string()).default({}),
  ports: z.array(portSchema).default([]),
  resources: resourcesSchema,
  /** Desired replicas (when no autoscaler owns the count). */
  replicas: nonNegativeInt.max(1000).default(1),
  /** HPA or KEDA (which then own the replica count, and `replicas` is ignored), and VPA. */
  autoscaling: autoscalingSchema.prefault({}),
  /** How a new version replaces the running one (rolling, recreate, blue-green, canary, Argo Rollouts); absent: Kubernetes' rolling update. */
  delivery: deliverySchema.optional(),
  probes: z
    .strictObject({
      startup: probeSchema.optional(),
      readiness: probeSchema.optional(),
      liveness: probeSchema.optional(),
    })
    .prefault({}),
  /** Names of the services and data stores this one calls. */
  dependsOn: z.array(componentName).default([]),
  /** Outside traffic to this service; absent means internal only. */
  exposure: exposureSchema.optional(),
  /** The Service's type and session affinity. */
  network: serviceNetworkSchema.prefault({}),
  /** Outside networks (CIDR and ports) this service may call; nothing else outside the cluster is reachable. */
  egress: z.array(egressRuleSchema).default([]),
  /**
   * Port name serving Prometheus metrics at `metricsPath`. A web service must name one (its HTTP metrics
   * drive TargetDown, HighErrorRate, HighResponseTime and the API dashboard) or say `false`: it serves
   * none, and gets only resource and crash alerts.
   */
  metricsPort: z.union([portName, z.literal(false)]).optional(),
  metricsPath: z.string().startsWith('/').default('/metrics'),
  /** Non-root user and group the container runs as. */
  runAsUser: positiveInt.default(10001),
  /** Paths that need to be writable; each gets an emptyDir (the root filesystem is read-only). */
  writablePaths: z.array(z.string().startsWith('/')).default(['/tmp']),
  /** Mount the ServiceAccount token: only for workloads that call the Kubernetes API. */
  automountServiceAccountToken: z.boolean().default(false),
  /** Seconds Kubernetes waits for a clean shutdown after SIGTERM. */
  terminationGracePeriodSeconds: positiveInt.max(3600).default(30),
  /** Seconds the preStop hook waits so endpoints are removed before SIGTERM. */
  preStopSleepSeconds: nonNegativeInt.max(120).default(5),
});

export type ServiceSpec = z.output<typeof serviceSchema>;
export type ProbeSpec = z.output<typeof probeSchema>;
export type PortSpec = z.output<typeof portSchema>;
