import { describe, expect, it } from 'vitest';
import { cidrContains, cidrWithin, isCidr } from '../../lib/core/cidr';

describe('CIDR syntax', () => {
  it('accepts IPv4 and IPv6 networks whose host bits are zero', () => {
    for (const c of ['10.0.0.0/8', '0.0.0.0/0', '198.51.100.0/24', '203.0.113.7/32', '::/0', '2001:db8::/32', 'fd00::/8']) expect(isCidr(c), c).toBe(true);
  });

  it('rejects host bits, missing or oversized prefixes and non-addresses', () => {
    for (const c of ['10.0.0.1/8', '10.0.0.0', '10.0.0.0/33', '2001:db8::1/32', 'example.com/24', '10.0.0.0/-1', '300.0.0.0/8']) expect(isCidr(c), c).toBe(false);
  });

  it('tells whether an address lies in a network', () => {
    expect(cidrContains('10.0.0.0/8', '10.255.1.2')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '11.0.0.1')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '203.0.113.5')).toBe(true);
    expect(cidrContains('2001:db8::/32', '2001:db8:1::5')).toBe(true);
    expect(cidrContains('2001:db8::/32', '2001:db9::5')).toBe(false);
    expect(cidrContains('10.0.0.0/8', '2001:db8::1')).toBe(false);
  });

  it('tells whether a network lies inside another', () => {
    expect(cidrWithin('10.30.0.0/16', '0.0.0.0/0')).toBe(true);
    expect(cidrWithin('10.30.0.0/16', '10.30.0.0/16')).toBe(true);
    expect(cidrWithin('10.0.0.0/8', '10.30.0.0/16')).toBe(false);
    expect(cidrWithin('10.31.0.0/16', '10.30.0.0/16')).toBe(false);
    expect(cidrWithin('fd00:10::/32', '::/0')).toBe(true);
    expect(cidrWithin('10.30.0.0/16', '::/0')).toBe(false);
  });
});
