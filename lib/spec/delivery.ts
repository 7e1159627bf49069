// The delivery part of a service's spec: how a new version replaces the running one.
import * as z from 'zod';
import { nonNegativeInt, pinnedImage, positiveInt } from './primitives';

const percentOfRequests = z.number().refine((v) => Number.isInteger(v) && v >= 0 && v <= 100, {
  error: 'expected a whole percentage of requests from 0 to 100',
});

const podCount = z.union([
  nonNegativeInt.max(1000),
  z.string().regex(/^(\d|[1-9]\d|100)%$/, { error: 'expected a number of pods or a percentage from "0%" to "100%"' }),
]);

const duration = z.string().regex(/^[1-9]\d*(s|m|h)$/, { error: 'expected a duration such as "30s", "5m" or "1h"' });

const progressDeadlineSeconds = positiveInt.max(86400).default(600);

/** Kubernetes' rolling update, with explicit settings. */
const rollingSchema = z.strictObject({
  strategy: z.literal('rolling'),
  /** Pods created above the desired count during an update: a count or a percentage. */
  maxSurge: podCount.default('25%'),
  /** Pods that may be unavailable during an update: a count or a percentage. */
  maxUnavailable: podCount.default('25%'),
  /** Seconds a new pod must stay ready before it counts as available (and the update moves on). */
  minReadySeconds: nonNegativeInt.max(3600).default(0),
  /** Seconds an update may make no progress before the Deployment reports it failed. */
  progressDeadlineSeconds,
});

/** Stop every old pod, then start the new ones: never two versions at once, a gap in between. */
const recreateSchema = z.strictObject({
  strategy: z.literal('recreate'),
  progressDeadlineSeconds,
});

/** What one blue-green slot runs. */
const slotSchema = z.strictObject({
  /** Image of the slot; defaults to the service's image. */
  image: pinnedImage.optional(),
  /** Replicas of the slot (0 parks it); defaults to the service's replicas. With an hpa on the service, a slot with replicas gets no HPA. */
  replicas: nonNegativeInt.max(1000).optional(),
  /** Bounds of the slot's own HPA (scaling on the service's hpa metrics). */
  hpa: z.strictObject({ minReplicas: positiveInt.max(1000), maxReplicas: positiveInt.max(1000) }).optional(),
});

/** Two Deployments, `<name>-blue` and `<name>-green`; the Service selects `activeSlot`, `<name>-preview` the other. */
const blueGreenSchema = z.strictObject({
  strategy: z.literal('blueGreen'),
  /** The slot serving traffic; switching it changes only the two Services' selectors. */
  activeSlot: z.enum(['blue', 'green']),
  blue: slotSchema.prefault({}),
  green: slotSchema.prefault({}),
});

/** A stable Deployment and `<name>-canary` beside it, taking `weight` percent of the requests. */
const canarySchema = z.strictObject({
  strategy: z.literal('canary'),
  /** Percent of the requests sent to the canary: by a weighted route when the service is exposed, else by replica count. */
  weight: percentOfRequests,
  /** The canary's image. */
  image: pinnedImage,
  /** Canary replicas (behind a weighted route); defaults to 1. Without a route they follow the weight. */
  replicas: nonNegativeInt.max(1000).optional(),
});

/** The success-rate check against Prometheus that aborts an Argo rollout. */
const analysisFields = {
  /** Lowest share of non-5xx responses the new version may answer with. */
  successRate: z.number().gt(0).max(1).default(0.99),
  /** Time between measurements. */
  interval: duration.default('1m'),
  /** Failed measurements tolerated before the rollout aborts. */
  failureLimit: nonNegativeInt.max(100).default(2),
  /** Prometheus base URL; defaults to the platform's (prometheus-operated in the monitoring namespace, or the standalone server). */
  prometheusAddress: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://prometheus-operated.monitoring.svc:9090' }).optional(),
};

/** One canary step: exactly one of setWeight and pause. */
const stepSchema = z.strictObject({
  /** Send this percent of the traffic (of the pods, without a traffic router) to the new version. */
  setWeight: percentOfRequests.optional(),
  /** Wait this long ("5m"), or "untilPromoted" (kubectl argo rollouts promote). */
  pause: z.string().refine((v) => v === 'untilPromoted' || /^[1-9]\d*(s|m|h)$/.test(v), { error: 'expected a duration such as "5m", or "untilPromoted"' }).optional(),
});

/** An Argo Rollouts Rollout with canary steps; needs `cluster.capabilities.argoRollouts`. */
const argoCanarySchema = z.strictObject({
  strategy: z.literal('argoCanary'),
  steps: z.array(stepSchema).min(1),
  /** Background analysis from `startingStep` (0-based) on; absent means none. */
  analysis: z.strictObject({ ...analysisFields, startingStep: nonNegativeInt.default(0) }).optional(),
});

/** An Argo Rollouts Rollout with blue-green (`<name>` active, `<name>-preview`); needs `cluster.capabilities.argoRollouts`. */
const argoBlueGreenSchema = z.strictObject({
  strategy: z.literal('argoBlueGreen'),
  /** Switch to the new version as soon as it is ready; false waits for `kubectl argo rollouts promote`. */
  autoPromotion: z.boolean().default(false),
  /** Seconds the old version keeps running after the switch. */
  scaleDownDelaySeconds: nonNegativeInt.max(3600).default(30),
  /** Replicas of the new version before promotion; defaults to the active count. */
  previewReplicas: positiveInt.max(1000).optional(),
  /** Analysis of the new version (through the preview Service) before promotion; absent means none. */
  analysis: z.strictObject(analysisFields).optional(),
});

/** How a new version replaces the running one; absent means Kubernetes' rolling update defaults. */
export const deliverySchema = z.discriminatedUnion('strategy', [
  rollingSchema, recreateSchema, blueGreenSchema, canarySchema, argoCanarySchema, argoBlueGreenSchema,
]);

export type DeliverySpec = z.output<typeof deliverySchema>;
