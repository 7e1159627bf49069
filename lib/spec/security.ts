import * as z from 'zod';
import { RBAC_VERBS } from '../security/rbac-risks';
import { byteQuantity, componentName, cpuQuantity, dnsLabel, nonNegativeInt } from './primitives';
import { secretSchema, secretSourceSchema } from './secrets';

const amounts = (cpu: string, memory: string) => z.strictObject({ cpu: cpuQuantity, memory: byteQuantity }).default({ cpu, memory });

/** A namespace's ResourceQuota: what all its pods may request and use, storage, and object counts. */
export const quotaSchema = z.strictObject({
  /** Total CPU and memory requested by all pods. */
  requests: amounts('2', '4Gi'),
  /** Total CPU and memory limits of all pods. */
  limits: amounts('4', '8Gi'),
  /** Total storage requested by PersistentVolumeClaims. */
  storage: byteQuantity.default('20Gi'),
  /** Most PersistentVolumeClaims. */
  persistentVolumeClaims: nonNegativeInt.default(10),
  /** Most pods (non-terminal). */
  pods: nonNegativeInt.default(30),
  /** Most Services of type LoadBalancer; outside traffic enters through the ingress controller. */
  loadBalancers: nonNegativeInt.default(0),
  /** Most Services of type NodePort. */
  nodePorts: nonNegativeInt.default(0),
});

/** A namespace's LimitRange: defaults for containers without resources, bounds per container and per claim. */
export const limitRangeSchema = z.strictObject({
  /** Requests of a container that declares none. */
  defaultRequest: amounts('100m', '128Mi'),
  /** Limits of a container that declares none. */
  defaultLimit: amounts('500m', '256Mi'),
  /** Smallest request a container may declare. */
  min: amounts('10m', '16Mi'),
  /** Largest limit a container may declare. */
  max: amounts('2', '4Gi'),
  /** Smallest PersistentVolumeClaim. */
  minClaimStorage: byteQuantity.default('1Gi'),
  /** Largest PersistentVolumeClaim. */
  maxClaimStorage: byteQuantity.default('50Gi'),
});

/**
 * A namespace besides the application namespace: one of its own, or one a component creates (e.g.
 * `<namespace>-telemetry`), named here to size its quota and limit range.
 */
export const namespaceSchema = z.strictObject({
  name: dnsLabel,
  /** What runs in it. */
  description: z.string().optional(),
  /** Pod Security level, `restricted` unless set (or a component needs less); anything else needs a `reason`. */
  podSecurity: z.enum(['restricted', 'baseline', 'privileged']).optional(),
  /** Why restricted cannot work here (e.g. "reads node log files through hostPath"). */
  reason: z.string().optional(),
  /** Its quota; defaults to `security.quota`. */
  quota: quotaSchema.optional(),
  /** Its limit range; defaults to `security.limitRange`. */
  limitRange: limitRangeSchema.optional(),
});

/** One RBAC rule: explicit API groups, resources and verbs. */
export const rbacRuleSchema = z.strictObject({
  /** API groups; `""` is the core group. */
  apiGroups: z.array(z.string()).min(1),
  /** Resources, optionally with a subresource such as `pods/log`. */
  resources: z.array(z.string().min(1)).min(1),
  verbs: z.array(z.enum([...RBAC_VERBS, '*'])).min(1),
  /** Limits the rule to these objects. */
  resourceNames: z.array(z.string().min(1)).optional(),
  /** Accepts a forbidden request (wildcard, escalate, bind, impersonate, list/watch on secrets) for a stated reason. */
  waiver: z.strictObject({ reason: z.string().trim().min(20, { error: 'expected a reason of at least 20 characters' }) }).optional(),
});

/** The Kubernetes API access one service declares; its ServiceAccount gets exactly these rules and its token. */
export const rbacGrantSchema = z.strictObject({
  /** The service granted the rules. */
  name: componentName,
  rules: z.array(rbacRuleSchema).min(1),
});

export const securitySchema = z.strictObject({
  /** The application namespace's quota. */
  quota: quotaSchema.prefault({}),
  /** The application namespace's limit range. */
  limitRange: limitRangeSchema.prefault({}),
  /** Namespaces besides the application namespace. */
  namespaces: z.array(namespaceSchema).default([]),
  /** Kubernetes API access per service. */
  rbac: z.array(rbacGrantSchema).default([]),
  /** How secrets get into the cluster in this environment. */
  secretSource: secretSourceSchema.prefault({}),
  /** The Secrets the platform references. */
  secrets: z.array(secretSchema).default([]),
});

export type SecuritySpec = z.output<typeof securitySchema>;
export type QuotaSpec = z.output<typeof quotaSchema>;
export type LimitRangeSpec = z.output<typeof limitRangeSchema>;
