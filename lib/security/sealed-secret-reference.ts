import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { SealedSecret } from '../../imports/sealedsecrets-bitnami.com';
import { MANAGED_BY } from '../core/labels';
import { isDns1123Subdomain } from '../core/names';
import { checkSecretKeys } from './secret-keys';

export interface SealedSecretReferenceProps {
  /** Name of the SealedSecret and of the Secret the controller unseals it into. */
  readonly name: string;
  /** Ciphertext per key, as `kubeseal` writes it (base64, sealed to this name and namespace). */
  readonly encryptedData: Readonly<Record<string, string>>;
  /** Type of the resulting Secret. @default 'Opaque' */
  readonly type?: string;
  /** Namespace the data was sealed for. @default the chart's namespace */
  readonly namespace?: string;
  /** Labels of the SealedSecret and of the Secret. @default name and managed-by */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Bitnami SealedSecret: data encrypted to the cluster's controller key, safe to commit, unsealed
 * into a Secret of the same name in the namespace it was sealed for (strict scope).
 */
export class SealedSecretReference extends Construct {
  /** Name of the Secret workloads reference. */
  public readonly secretName: string;
  public readonly keys: readonly string[];
  public readonly sealedSecret: SealedSecret;

  constructor(scope: Construct, id: string, props: SealedSecretReferenceProps) {
    super(scope, id);
    if (!isDns1123Subdomain(props.name)) throw new Error(`Secret name "${props.name}" is not a DNS-1123 subdomain`);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (namespace === undefined) throw new Error(`Secret ${props.name}: sealed data is bound to a namespace; set namespace or use a chart with one`);
    this.secretName = props.name;
    const type = props.type ?? 'Opaque';
    this.keys = Object.keys(props.encryptedData).sort();
    checkSecretKeys(props.name, type, this.keys);
    for (const key of this.keys) {
      const value = props.encryptedData[key];
      // kubeseal output is base64 of a ciphertext far longer than any plausible plain value.
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length < 64) {
        throw new Error(`Secret ${props.name}: encryptedData.${key} is not kubeseal ciphertext (base64, at least 64 characters); never commit plain values`);
      }
    }
    const labels = { ...(props.labels ?? { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/managed-by': MANAGED_BY }) };
    this.sealedSecret = new SealedSecret(this, 'sealed-secret', {
      metadata: { name: props.name, namespace, labels },
      spec: {
        encryptedData: Object.fromEntries(this.keys.map((k) => [k, props.encryptedData[k]])),
        template: { type, metadata: { name: props.name, namespace, labels } },
      },
    });
  }
}
