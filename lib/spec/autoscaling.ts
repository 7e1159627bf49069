import * as z from 'zod';
import { byteQuantity, componentName, cpuQuantity, positiveInt } from './primitives';

const seconds = (max: number) => z.number().int().min(0).max(max);

/** One rate limit of an HPA's scaling behavior. */
export const scalingPolicySchema = z.strictObject({
  /** `Pods` (a count) or `Percent` (of the current replicas). */
  type: z.enum(['Pods', 'Percent']),
  /** Pods or percent per period. */
  value: positiveInt,
  /** Length of the period the limit applies to (1–1800 seconds). */
  periodSeconds: positiveInt.max(1800),
});

/** The rules for one direction of scaling. */
export const scalingRulesSchema = z.strictObject({
  /** Seconds of past recommendations considered before changing the count (0–3600). */
  stabilizationWindowSeconds: seconds(3600).optional(),
  /** `Max` picks the policy allowing the largest change, `Min` the smallest, `Disabled` never scales this way. */
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).default('Max'),
  policies: z.array(scalingPolicySchema).min(1).optional(),
});

export const behaviorSchema = z.strictObject({
  scaleUp: scalingRulesSchema.optional(),
  scaleDown: scalingRulesSchema.optional(),
});

const percent = z.number().int().min(1, { error: 'expected a whole percentage from 1 to 100' }).max(100, { error: 'expected a whole percentage from 1 to 100' });

/** A Pods metric from the custom-metrics API, averaged over the pods. */
export const podsMetricSchema = z.strictObject({
  /** Metric name as the adapter serves it, e.g. `http_requests_per_second`. */
  name: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: 'expected a Prometheus-style metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)' }),
  /** Target average per pod, as a quantity, e.g. "100" or "500m". */
  averageValue: cpuQuantity,
});

/** A HorizontalPodAutoscaler (autoscaling/v2) for the workload. */
export const hpaSchema = z.strictObject({
  minReplicas: positiveInt.max(1000),
  maxReplicas: positiveInt.max(1000),
  /** Target average CPU use, in percent of the request. */
  cpuUtilization: percent.optional(),
  /** Target average memory use, in percent of the request. */
  memoryUtilization: percent.optional(),
  /** Per-pod custom metrics; needs `cluster.capabilities.customMetricsAdapter`. */
  podsMetrics: z.array(podsMetricSchema).default([]),
  behavior: behaviorSchema.optional(),
});

/** A KEDA trigger: the length of a Redis list in one of the platform's Redis stores. */
const redisTriggerSchema = z.strictObject({
  type: z.literal('redis'),
  /** Trigger name, unique within the workload's triggers; defaults to the type. */
  name: componentName.optional(),
  /** The Redis data store holding the list (address and password come from it). */
  store: componentName,
  listName: z.string().min(1),
  /** Target items per replica. */
  listLength: positiveInt,
  /** Items needed to wake a workload scaled to zero. */
  activationListLength: z.number().int().min(0).optional(),
});

/** A KEDA trigger: a PromQL query returning one value. */
const prometheusTriggerSchema = z.strictObject({
  type: z.literal('prometheus'),
  name: componentName.optional(),
  /** Prometheus base URL. */
  serverAddress: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://prometheus-operated.monitoring.svc:9090' }),
  /** PromQL returning a single-element vector or a scalar. */
  query: z.string().min(1),
  /** Target value per replica. */
  threshold: z.number().positive(),
  activationThreshold: z.number().min(0).optional(),
});

/** A KEDA trigger: a SQL query against one of the platform's PostgreSQL stores. */
const postgresqlTriggerSchema = z.strictObject({
  type: z.literal('postgresql'),
  name: componentName.optional(),
  /** The PostgreSQL data store (host, port, user, database and password come from it). */
  store: componentName,
  /** SQL returning one number. */
  query: z.string().min(1),
  /** Target value per replica. */
  targetQueryValue: z.number().positive(),
  activationTargetQueryValue: z.number().min(0).optional(),
});

export const kedaTriggerSchema = z.discriminatedUnion('type', [redisTriggerSchema, prometheusTriggerSchema, postgresqlTriggerSchema]);

/** A KEDA ScaledObject for the workload; needs `cluster.capabilities.keda`. */
export const kedaSchema = z.strictObject({
  /** 0 lets KEDA scale the workload to zero while every trigger is idle. */
  minReplicas: z.number().int().min(0).max(1000),
  maxReplicas: positiveInt.max(1000),
  /** Seconds between trigger checks. */
  pollingIntervalSeconds: positiveInt.max(3600).default(30),
  /**
   * Seconds after the last activity before scaling to zero; only with minReplicas 0 (KEDA's default
   * is 300). Scaling between 1 and N is the HPA's: pace it with `behavior.scaleDown`.
   */
  cooldownPeriodSeconds: positiveInt.max(86400).optional(),
  triggers: z.array(kedaTriggerSchema).min(1),
  /** Replicas to hold once every trigger has failed `failureThreshold` checks in a row (e.g. Prometheus down). */
  fallback: z.strictObject({ failureThreshold: positiveInt.max(100), replicas: positiveInt.max(1000) }).optional(),
  /** Behavior of the HPA KEDA creates. */
  behavior: behaviorSchema.optional(),
});

const bounds = z.strictObject({ cpu: cpuQuantity.optional(), memory: byteQuantity.optional() });

/** A VerticalPodAutoscaler for the workload; needs `cluster.capabilities.vpa`. */
export const vpaSchema = z.strictObject({
  /** `Off` records recommendations only; the others apply them (see the VPA docs). */
  updateMode: z.enum(['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate']).default('Off'),
  controlledResources: z.array(z.enum(['cpu', 'memory'])).min(1).default(['cpu', 'memory']),
  controlledValues: z.enum(['RequestsAndLimits', 'RequestsOnly']).default('RequestsAndLimits'),
  minAllowed: bounds.optional(),
  maxAllowed: bounds.optional(),
});

/** How a workload scales: at most one of hpa and keda, and optionally a vpa. */
export const autoscalingSchema = z.strictObject({
  hpa: hpaSchema.optional(),
  keda: kedaSchema.optional(),
  vpa: vpaSchema.optional(),
});

/** Platform-wide availability settings: disruption budgets and priority classes. */
export const availabilitySchema = z.strictObject({
  disruptionBudgets: z
    .strictObject({
      /** A PodDisruptionBudget for every workload that can run more than one replica. */
      enabled: z.boolean().default(true),
      /** Pods of one workload that a drain may take down at once: a count ≥ 1 or a percentage from 1% to 100%. */
      maxUnavailable: z.union([
        positiveInt,
        z.string().regex(/^([1-9]\d?|100)%$/, { error: 'expected a count ≥ 1 or a percentage from "1%" to "100%" (0 would block every drain)' }),
      ]).default(1),
    })
    .prefault({}),
  /** PriorityClasses for the data tier and the apps; absent means the cluster's default priority. */
  priorityClasses: z
    .strictObject({
      /** Priority of data stores (databases outrank the apps that need them). */
      data: z.number().int().min(1).max(1_000_000_000),
      /** Priority of application workloads. */
      apps: z.number().int().min(1).max(1_000_000_000),
    })
    .optional(),
});

export type AutoscalingSpec = z.output<typeof autoscalingSchema>;
export type HpaSpec = z.output<typeof hpaSchema>;
export type KedaSpec = z.output<typeof kedaSchema>;
export type KedaTriggerSpec = z.output<typeof kedaTriggerSchema>;
export type VpaSpec = z.output<typeof vpaSchema>;
export type BehaviorSpec = z.output<typeof behaviorSchema>;
