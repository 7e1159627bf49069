// Resource quantities as the API server parses them (k8s.io/apimachinery/pkg/api/resource):
// <sign><digits>[.<digits>][<binarySI> | <decimalSI> | e<exponent>]

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Whether the API server accepts the string as a quantity. */
export function isQuantity(value: string): boolean {
  return QUANTITY.test(value);
}

/** The numeric value of a quantity (cores for cpu, bytes for memory); throws on invalid syntax. */
export function parseQuantity(value: string): number {
  const m = QUANTITY.exec(value);
  if (!m) throw new Error(`"${value}" is not a Kubernetes quantity (e.g. 250m, 1.5, 512Mi, 2Gi)`);
  const [, sign, digits, suffix = ''] = m;
  const factor = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX[suffix];
  return (sign === '-' ? -1 : 1) * Number(digits) * factor;
}

/** Formats cores as millicores or whole cores, e.g. 0.25 → "250m", 2 → "2". */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Formats bytes in the largest binary unit that divides them, e.g. 536870912 → "512Mi". */
export function formatBytes(bytes: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
    if (bytes >= SUFFIX[unit] && bytes % SUFFIX[unit] === 0) return `${bytes / SUFFIX[unit]}${unit}`;
  }
  return String(bytes);
}
