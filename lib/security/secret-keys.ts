// Secret key names and types as the API server checks them.

/** A Secret data key: letters, digits, '-', '_' and '.' (k8s.io/apimachinery IsConfigMapKey). */
export function isSecretKey(key: string): boolean {
  return key.length > 0 && key.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(key) && key !== '.' && key !== '..';
}

/** Keys the API server requires for a Secret type; Opaque requires none. */
export const REQUIRED_KEYS: Readonly<Record<string, readonly string[]>> = {
  Opaque: [],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/basic-auth': [],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

/** Throws naming the Secret when a key is malformed, repeated, or a key its type needs is missing. */
export function checkSecretKeys(secret: string, type: string, keys: readonly string[]): void {
  if (keys.length === 0) throw new Error(`Secret ${secret}: expected at least one key`);
  const seen = new Set<string>();
  for (const key of keys) {
    if (!isSecretKey(key)) throw new Error(`Secret ${secret}: key "${key}" is not a valid Secret key (letters, digits, '-', '_' and '.')`);
    if (seen.has(key)) throw new Error(`Secret ${secret}: key "${key}" is listed twice`);
    seen.add(key);
  }
  const required = REQUIRED_KEYS[type];
  if (required === undefined) throw new Error(`Secret ${secret}: type "${type}" is not supported; expected one of ${Object.keys(REQUIRED_KEYS).join(', ')}`);
  const missing = required.filter((k) => !seen.has(k));
  if (missing.length > 0) throw new Error(`Secret ${secret}: type ${type} needs the key(s) ${missing.join(', ')}`);
}
