// CIDR syntax as the API server checks NetworkPolicy ipBlocks (net.ParseCIDR, host bits zero).
import { isIP } from 'node:net';

/** Whether the string is an IPv4 or IPv6 network in CIDR notation with its host bits zero. */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const bitsText = value.slice(slash + 1);
  const family = isIP(address);
  if (family === 0 || !/^\d{1,3}$/.test(bitsText)) return false;
  const bits = Number(bitsText);
  const width = family === 4 ? 32 : 128;
  if (bits > width) return false;
  const n = addressToBigInt(address);
  const hostMask = (1n << BigInt(width - bits)) - 1n;
  return (n & hostMask) === 0n;
}

/** Whether `ip` (an address) lies inside `network` (CIDR). */
export function cidrContains(network: string, ip: string): boolean {
  const [address, bitsText] = network.split('/');
  const family = isIP(address);
  if (family === 0 || isIP(ip) !== family) return false;
  const width = family === 4 ? 32 : 128;
  const shift = BigInt(width - Number(bitsText));
  return addressToBigInt(address) >> shift === addressToBigInt(ip) >> shift;
}

/** Whether the network `inner` (CIDR) lies inside `outer` (CIDR): same family, at least as long a prefix, same leading bits. */
export function cidrWithin(inner: string, outer: string): boolean {
  const [address, bits] = inner.split('/');
  return Number(bits) >= Number(outer.split('/')[1]) && cidrContains(outer, address);
}

function addressToBigInt(address: string): bigint {
  if (isIP(address) === 4) return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  const [head, tail = ''] = address.includes('::') ? address.split('::') : [address, undefined as unknown as string];
  const headParts = head ? head.split(':') : [];
  const tailParts = address.includes('::') && tail ? tail.split(':') : [];
  const expand = (parts: string[]) => parts.flatMap((p) => (p.includes('.') ? ipv4Groups(p) : [p]));
  const h = expand(headParts);
  const t = expand(tailParts);
  const groups = address.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function ipv4Groups(dotted: string): string[] {
  const n = dotted.split('.').map(Number);
  return [((n[0] << 8) | n[1]).toString(16), ((n[2] << 8) | n[3]).toString(16)];
}
