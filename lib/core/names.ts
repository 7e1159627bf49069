// Name and label syntax as the API server checks it (k8s.io/apimachinery/pkg/util/validation).

/** DNS-1123 label: Namespaces, most object names' segments, container and port-bearing names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1035 label: Service names (must start with a letter). */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: most object names. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** IANA service name: container and Service port names (also at least one letter, no `--`). */
export const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** Label value: empty, or up to 63 of `[A-Za-z0-9_.-]` starting and ending alphanumeric. */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** The name part of a qualified name (label and annotation keys). */
export const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const PORT_NAME_MAX = 15;

export function isDns1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(value);
}

export function isDns1035Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && DNS1035_LABEL.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(value);
}

/** A port name the API server accepts: ≤15 chars, lowercase alphanumeric and '-', a letter, no '--'. */
export function isPortName(value: string): boolean {
  return value.length <= PORT_NAME_MAX && IANA_SVC_NAME.test(value) && /[a-z]/.test(value) && !value.includes('--');
}

export function isLabelValue(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && LABEL_VALUE.test(value);
}

/** A label or annotation key: optional DNS-subdomain prefix (≤253) and '/', then a name part (≤63). */
export function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (name.length > DNS1123_LABEL_MAX || !QUALIFIED_NAME_PART.test(name)) return false;
  return parts.length === 1 || (parts[0].length > 0 && isDns1123Subdomain(parts[0]));
}

/** Joins name parts with '-' and checks the result is a DNS-1123 label, so a too-long name fails loudly. */
export function joinName(...parts: string[]): string {
  const name = parts.filter((p) => p.length > 0).join('-');
  if (!isDns1123Label(name)) {
    throw new Error(`the name "${name}" is not a DNS-1123 label (lowercase alphanumeric and '-', at most 63 characters)`);
  }
  return name;
}
