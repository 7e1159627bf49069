// Field types shared by every part of the spec, each with a message that says what is allowed.
import * as z from 'zod';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isPortName } from '../core/names';
import { isQuantity } from '../core/quantity';

/** A DNS-1123 label: names of namespaces, services, data stores, environments. */
export const dnsLabel = z.string().refine(isDns1123Label, {
  error: 'expected a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
});

/** A component name: a DNS-1035 label (Service names must start with a letter), short enough for derived names. */
export const componentName = z.string().refine((v) => isDns1035Label(v) && v.length <= 40, {
  error: 'expected a DNS-1035 label of at most 40 characters: lowercase letters, digits and "-", starting with a letter (room is left for derived names such as "<name>-preview")',
});

/** A port name as the API server accepts it (IANA service name). */
export const portName = z.string().refine(isPortName, {
  error: 'expected a port name: at most 15 characters, lowercase letters, digits and "-", at least one letter, no "--"',
});

export const portNumber = z.number().int().min(1, { error: 'expected a port from 1 to 65535' }).max(65535, { error: 'expected a port from 1 to 65535' });

/** A fully qualified host name, e.g. api.example.com. */
export const hostname = z.string().refine((v) => isDns1123Subdomain(v) && v.includes('.') && v.split('.').every(isDns1123Label), {
  error: 'expected a fully qualified DNS host name such as api.example.com (lowercase)',
});

/** A CPU quantity, e.g. "250m" or "1". */
export const cpuQuantity = z.string().refine((v) => isQuantity(v) && !v.startsWith('-'), {
  error: 'expected a CPU quantity such as "100m", "0.5" or "2"',
});

/** A memory or storage quantity, e.g. "256Mi" or "10Gi" (no millibytes). */
export const byteQuantity = z.string().refine((v) => isQuantity(v) && !v.startsWith('-') && !/\d(m|n|u)$/.test(v), {
  error: 'expected a memory or storage quantity such as "256Mi" or "10Gi" (binary suffixes Ki, Mi, Gi, Ti)',
});

const IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** A container image pinned to a tag other than `latest`, or to a digest. */
export const pinnedImage = z.string().refine(
  (v) => {
    if (!IMAGE.test(v)) return false;
    if (v.includes('@sha256:')) return true;
    const tag = /:([\w][\w.-]*)$/.exec(v.slice(v.lastIndexOf('/') + 1));
    return tag !== null && tag[1] !== 'latest';
  },
  { error: 'expected a pinned image reference: registry/repository:tag with a tag other than "latest", or @sha256:<digest>' },
);

/** An environment variable name. */
export const envVarName = z.string().regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/, {
  error: 'expected an environment variable name: letters, digits, "_", "-" and ".", not starting with a digit',
});

export const nonNegativeInt = z.number().int().min(0);
export const positiveInt = z.number().int().min(1);
