import * as z from 'zod';
import { isDns1123Subdomain } from '../core/names';
import { isSecretKey, REQUIRED_KEYS } from '../security/secret-keys';
import { componentName, dnsLabel, envVarName } from './primitives';

/** A Secret data key. */
export const secretKeyName = z.string().refine(isSecretKey, {
  error: 'expected a Secret key: letters, digits, "-", "_" and "." (e.g. "password", "tls.crt")',
});

/** A Kubernetes object name (DNS-1123 subdomain). */
const objectName = z.string().refine(isDns1123Subdomain, {
  error: 'expected a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", at most 253 characters',
});

/** A positive Go duration, as External Secrets reads `refreshInterval`. */
const goDuration = z.string().regex(/^(?!0+[a-z]+$)(\d+(ns|us|ms|s|m|h))+$/, { error: 'expected a positive duration such as "1h", "15m" or "1h30m"' });

/** What Stackwright reads of a `kubeseal --format json` output; other fields kubeseal writes are ignored. */
export const sealedSecretSchema = z.looseObject({
  apiVersion: z.literal('bitnami.com/v1alpha1'),
  kind: z.literal('SealedSecret'),
  metadata: z.looseObject({ name: z.string(), namespace: z.string() }),
  spec: z.looseObject({
    encryptedData: z.record(z.string(), z.string().regex(/^[A-Za-z0-9+/]{64,}={0,2}$/, { error: 'expected kubeseal ciphertext (base64, at least 64 characters), never a plain value' })),
  }),
});

export const SECRET_SOURCES = ['external', 'sealed', 'existing'] as const;

/** The External Secrets store secrets are read from. */
export const secretStoreSchema = z.strictObject({
  /** `ClusterSecretStore` (one per cluster or account) or `SecretStore` (in the namespace). */
  kind: z.enum(['ClusterSecretStore', 'SecretStore']).default('ClusterSecretStore'),
  /** Store name, e.g. `aws-secrets-manager`. */
  name: objectName,
});

/** An environment variable a service gets from a Secret key (`valueFrom.secretKeyRef`). */
export const secretEnvSchema = z.strictObject({
  /** The service reading the key. */
  service: componentName,
  /** Environment variable name in the service's container. */
  variable: envVarName,
  /** The Secret key it reads. */
  key: secretKeyName,
});

/** A Secret the platform needs, declared by name and keys; its values never appear in the spec or dist/. */
export const secretSchema = z.strictObject({
  /** Secret name workloads and data stores reference, e.g. `postgres-credentials`. */
  name: objectName,
  /** What it holds, for the overview and the operator documentation. */
  description: z.string().optional(),
  /** Secret type. */
  type: z.enum(Object.keys(REQUIRED_KEYS) as [string, ...string[]]).default('Opaque'),
  /** Its keys. */
  keys: z.array(secretKeyName).min(1),
  /** Namespace; defaults to the application namespace (or the one `namespaceOf` names). */
  namespace: dnsLabel.optional(),
  /**
   * Put it in a platform component's namespace instead of naming one, so one declaration fits every
   * environment: `telemetry` (the logs and traces stack's, `telemetry.namespace`), `monitoring` (Grafana's:
   * `cluster.grafana.namespace` with the Prometheus Operator, `cluster.prometheus.namespace` standalone).
   */
  namespaceOf: z.enum(['telemetry', 'monitoring']).optional(),
  /** How it gets into the cluster here; defaults to `security.secretSource.kind`. */
  source: z.enum(SECRET_SOURCES).optional(),
  /** `external`: the provider key holding a JSON object with one property per Secret key; defaults to `<platform>/<environment>/<name>`. */
  remoteKey: z.string().min(1).optional(),
  /** `sealed`: the SealedSecret exactly as `kubeseal --format json` writes it, imported from its file under environments/. */
  sealed: sealedSecretSchema.optional(),
  /** Environment variables services get from its keys. */
  env: z.array(secretEnvSchema).default([]),
});

/** How this environment's secrets get into the cluster unless a secret says otherwise. */
export const secretSourceSchema = z.strictObject({
  /** `external` (External Secrets Operator), `sealed` (Sealed Secrets) or `existing` (created out of band with kubectl). */
  kind: z.enum(SECRET_SOURCES).default('existing'),
  /** The store `external` secrets read from. */
  store: secretStoreSchema.optional(),
  /** How often External Secrets re-reads the provider. */
  refreshInterval: goDuration.default('1h'),
});

export type SecretSpec = z.output<typeof secretSchema>;
export type SecretSourceSpec = z.output<typeof secretSourceSchema>;
