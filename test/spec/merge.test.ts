import { describe, expect, it } from 'vitest';
import { mergeOverlay } from '../../lib/spec';

describe('mergeOverlay', () => {
  it('merges objects key by key and leaves the base untouched', () => {
    const base = { cluster: { provider: 'local', capabilities: { keda: false, vpa: false } } };
    const merged = mergeOverlay(base, { cluster: { capabilities: { keda: true } } });
    expect(merged).toEqual({ cluster: { provider: 'local', capabilities: { keda: true, vpa: false } } });
    expect(base.cluster.capabilities.keda).toBe(false);
  });

  it('merges lists of named items by name, keeping base order and appending new items', () => {
    const base = { services: [{ name: 'api', replicas: 1, env: { A: '1' } }, { name: 'worker', replicas: 1 }] };
    const merged = mergeOverlay(base, { services: [{ name: 'worker', replicas: 4 }, { name: 'billing', replicas: 2 }, { name: 'api', env: { B: '2' } }] });
    expect(merged).toEqual({
      services: [
        { name: 'api', replicas: 1, env: { A: '1', B: '2' } },
        { name: 'worker', replicas: 4 },
        { name: 'billing', replicas: 2 },
      ],
    });
  });

  it('replaces lists of plain values instead of concatenating them', () => {
    expect(mergeOverlay({ args: ['--a', '--b'] }, { args: ['--c'] })).toEqual({ args: ['--c'] });
  });

  it('keeps a base value the overlay does not mention, and lets the overlay set a value to false or zero', () => {
    expect(mergeOverlay({ a: 1, b: true, c: 'x' }, { b: false, a: 0 })).toEqual({ a: 0, b: false, c: 'x' });
  });
});
