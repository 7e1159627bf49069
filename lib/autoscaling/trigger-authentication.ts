import { Construct } from 'constructs';
import { TriggerAuthentication as KedaTriggerAuthentication } from '../../imports/triggerauthentications-keda.sh';
import { isDns1123Subdomain } from '../core/names';

/** One scaler parameter read from a key of a Secret that already exists in the namespace. */
export interface SecretParameter {
  /** The scaler's authentication parameter, e.g. `password`. */
  readonly parameter: string;
  /** Name of the Secret. */
  readonly secretName: string;
  /** Key within the Secret. */
  readonly key: string;
}

export interface TriggerAuthenticationProps {
  /** Object name. @default the construct id */
  readonly name?: string;
  /** Labels for the object. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Scaler parameters and the Secret keys they come from; values never appear in the manifest. */
  readonly secrets: readonly SecretParameter[];
}

/**
 * A KEDA TriggerAuthentication that hands a scaler its credentials by Secret reference
 * (`secretTargetRef`), so the ScaledObject carries no secret values.
 */
export class TriggerAuthentication extends Construct {
  public readonly name: string;
  public readonly resource: KedaTriggerAuthentication;

  constructor(scope: Construct, id: string, props: TriggerAuthenticationProps) {
    super(scope, id);
    this.name = props.name ?? id;
    if (props.secrets.length === 0) throw new Error(`${this.name}: a TriggerAuthentication needs at least one secret parameter; received none`);
    const parameters = new Set<string>();
    for (const s of props.secrets) {
      if (parameters.has(s.parameter)) throw new Error(`${this.name}: parameter ${s.parameter} is set twice`);
      parameters.add(s.parameter);
      if (!isDns1123Subdomain(s.secretName)) throw new Error(`${this.name}: secret name "${s.secretName}" is not a DNS-1123 subdomain`);
      if (!/^[-._a-zA-Z0-9]+$/.test(s.key)) throw new Error(`${this.name}: secret key "${s.key}" is not a valid Secret key ([-._a-zA-Z0-9]+)`);
    }
    this.resource = new KedaTriggerAuthentication(this, 'resource', {
      metadata: { name: this.name, labels: props.labels ? { ...props.labels } : undefined },
      spec: { secretTargetRef: props.secrets.map((s) => ({ parameter: s.parameter, name: s.secretName, key: s.key })) },
    });
  }
}
