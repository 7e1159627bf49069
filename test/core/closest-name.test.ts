import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../lib/core/closest-name';

describe('closestName', () => {
  it('suggests the field a typo was meant to be, ignoring case', () => {
    expect(closestName('replcas', ['image', 'replicas', 'ports'])).toBe('replicas');
    expect(closestName('Servics', ['services', 'cluster'])).toBe('services');
  });

  it('suggests nothing for a name far from every candidate', () => {
    expect(closestName('foo', ['replicas', 'image'])).toBeUndefined();
    // One edit per four letters of the candidate at most: "port" for "ports" (1 edit), not "pod" for "ports".
    expect(closestName('ports', ['pod'])).toBeUndefined();
  });

  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
