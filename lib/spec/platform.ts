import * as z from 'zod';
import { availabilitySchema } from './autoscaling';
import { checksSchema } from './checks';
import { clusterSchema } from './cluster';
import { dataStoresSchema } from './data';
import { metricsSchema } from './metrics';
import { dnsLabel, hostname } from './primitives';
import { securitySchema } from './security';
import { serviceSchema } from './service';
import { telemetrySchema } from './telemetry';
import { trafficSchema } from './traffic';

/** The whole platform, for one environment. Each area of the product adds its part here. */
export const platformSchema = z.strictObject({
  /** Platform name: the `app.kubernetes.io/part-of` label and the namespace prefix. */
  name: dnsLabel,
  /** Environment name, e.g. dev, staging, prod. */
  environment: dnsLabel,
  /** Namespace of the application workloads; defaults to `<name>-<environment>`. */
  namespace: dnsLabel.optional(),
  /** The environment's base domain; exposed services get host names under it. */
  domain: hostname.optional(),
  /** Whether this environment runs production traffic (stricter sizing rules, risk flags in plans). */
  production: z.boolean().default(false),
  cluster: clusterSchema.prefault({}),
  services: z.array(serviceSchema).default([]),
  /** Disruption budgets and priority classes for every workload. */
  availability: availabilitySchema.prefault({}),
  /** Logs (Elasticsearch, Logstash, Kibana, a node shipper) and traces (OpenTelemetry Collector, Jaeger). */
  telemetry: telemetrySchema.prefault({}),
  /** Scraping, alert rules, Alertmanager and dashboards: through the cluster's Prometheus Operator, or standalone. */
  metrics: metricsSchema.prefault({}),
  /** Databases and caches (StatefulSets with volumes, exporters and backups). */
  dataStores: dataStoresSchema.prefault({}),
  /** Namespaces, quotas, limit ranges, RBAC and secret references. */
  security: securitySchema.prefault({}),
  /** How outside traffic reaches services, and the network policies between them. */
  traffic: trafficSchema.prefault({}),
  /** Waivers of manifest check findings, per object and rule, each with its reason. */
  checks: checksSchema.prefault({}),
});

export type PlatformInput = z.input<typeof platformSchema>;
type Output = z.output<typeof platformSchema>;

type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A fully defaulted, validated, immutable platform for one environment. */
export type ResolvedPlatform = DeepReadonly<Output & { namespace: string }>;
export type ResolvedService = ResolvedPlatform['services'][number];
export type ResolvedPostgres = ResolvedPlatform['dataStores']['postgres'][number];
export type ResolvedRedis = ResolvedPlatform['dataStores']['redis'][number];
