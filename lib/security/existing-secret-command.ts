// The `kubectl create secret` command an operator runs for a Secret created out of band.
import { checkSecretKeys } from './secret-keys';

export interface ExistingSecret {
  readonly name: string;
  readonly namespace: string;
  readonly keys: readonly string[];
  /** @default 'Opaque' */
  readonly type?: string;
}

/**
 * The command creating the Secret from one file per key (no value on the command line or in shell
 * history), in a directory named after the Secret.
 */
export function kubectlCreateSecretCommand(secret: ExistingSecret): string {
  const type = secret.type ?? 'Opaque';
  checkSecretKeys(secret.name, type, secret.keys);
  const parts = [`kubectl create secret generic ${secret.name}`, `--namespace ${secret.namespace}`];
  if (type !== 'Opaque') parts.push(`--type ${type}`);
  for (const key of secret.keys) parts.push(`--from-file=${key}=./${secret.name}/${key}`);
  return parts.join(' \\\n    ');
}
