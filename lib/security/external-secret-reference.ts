import { Construct } from 'constructs';
import {
  ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy, ExternalSecretSpecTargetDeletionPolicy,
} from '../../imports/externalsecrets-external-secrets.io';
import { MANAGED_BY } from '../core/labels';
import { isDns1123Subdomain } from '../core/names';
import { checkSecretKeys } from './secret-keys';

/** The External Secrets store an ExternalSecret reads from. */
export class SecretStoreRef {
  /** A ClusterSecretStore, shared by every namespace (typical: one per cloud account). */
  public static cluster(name: string): SecretStoreRef {
    return new SecretStoreRef(ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, SecretStoreRef.checkName(name));
  }

  /** A SecretStore in the ExternalSecret's own namespace. */
  public static namespaced(name: string): SecretStoreRef {
    return new SecretStoreRef(ExternalSecretSpecSecretStoreRefKind.SECRET_STORE, SecretStoreRef.checkName(name));
  }

  private static checkName(name: string): string {
    if (!isDns1123Subdomain(name)) throw new Error(`secret store name "${name}" is not a DNS-1123 subdomain`);
    return name;
  }

  private constructor(public readonly kind: ExternalSecretSpecSecretStoreRefKind, public readonly name: string) {}
}

/** One key of the resulting Secret and where it comes from in the provider. */
export interface ExternalSecretKey {
  /** Key in the resulting Secret. */
  readonly secretKey: string;
  /** Key (path, name) of the secret in the provider, e.g. `atlas/prod/postgres`. */
  readonly remoteKey: string;
  /** Property inside a structured (JSON) provider secret. @default the whole value */
  readonly property?: string;
}

export interface ExternalSecretReferenceProps {
  /** Name of the ExternalSecret and of the Secret it creates. */
  readonly name: string;
  /** The store it reads from. */
  readonly store: SecretStoreRef;
  /** The keys of the resulting Secret. */
  readonly data: readonly ExternalSecretKey[];
  /** How often the operator re-reads the provider, a Go duration. @default '1h' */
  readonly refreshInterval?: string;
  /** Type of the resulting Secret. @default 'Opaque' */
  readonly type?: string;
  /** Namespace, when it is not the chart's. @default the chart's namespace */
  readonly namespace?: string;
  /** Labels of the ExternalSecret and of the Secret it creates. @default name and managed-by */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * An ExternalSecret (external-secrets.io/v1) that makes the External Secrets Operator create and
 * refresh a Secret from a provider: the manifest names the remote keys, never the values.
 */
export class ExternalSecretReference extends Construct {
  /** Name of the Secret workloads reference. */
  public readonly secretName: string;
  public readonly keys: readonly string[];
  public readonly externalSecret: ExternalSecret;

  constructor(scope: Construct, id: string, props: ExternalSecretReferenceProps) {
    super(scope, id);
    if (!isDns1123Subdomain(props.name)) throw new Error(`Secret name "${props.name}" is not a DNS-1123 subdomain`);
    this.secretName = props.name;
    const type = props.type ?? 'Opaque';
    this.keys = props.data.map((d) => d.secretKey);
    checkSecretKeys(props.name, type, this.keys);
    for (const d of props.data) {
      if (d.remoteKey.trim() === '') throw new Error(`Secret ${props.name}: key ${d.secretKey} needs a remote key`);
    }
    const refreshInterval = props.refreshInterval ?? '1h';
    if (!/^(\d+(ns|us|µs|ms|s|m|h))+$/.test(refreshInterval) || /^0+[a-z]+$/.test(refreshInterval)) {
      throw new Error(`Secret ${props.name}: refreshInterval "${refreshInterval}" is not a positive Go duration such as "1h" or "15m"`);
    }
    const labels = { ...(props.labels ?? { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/managed-by': MANAGED_BY }) };
    this.externalSecret = new ExternalSecret(this, 'external-secret', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        refreshInterval,
        secretStoreRef: { kind: props.store.kind, name: props.store.name },
        target: {
          name: props.name,
          // Owner: the Secret is garbage-collected with the ExternalSecret; Retain keeps it if the provider entry vanishes.
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN,
          template: { type, metadata: { labels } },
        },
        data: props.data.map((d) => ({
          secretKey: d.secretKey,
          remoteRef: { key: d.remoteKey, property: d.property },
        })),
      },
    });
  }
}
