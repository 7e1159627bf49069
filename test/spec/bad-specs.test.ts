import { describe, expect, it } from 'vitest';
import { SpecError, mergeOverlay, resolvePlatform } from '../../lib/spec';
import { badSpecs, base, dev } from './bad-specs';

function problemsOf(spec: (typeof badSpecs)[number]): string[] {
  const input = spec.input ?? mergeOverlay(mergeOverlay(base, dev), spec.overlay);
  try {
    resolvePlatform('dev', input);
  } catch (error) {
    if (error instanceof SpecError) return error.message.split('\n').slice(1).map((l) => l.trim());
    throw error;
  }
  return [];
}

describe('bad-spec corpus', () => {
  it('holds at least 25 cases', () => {
    expect(badSpecs.length).toBeGreaterThanOrEqual(25);
  });

  it.each(badSpecs.map((s) => [s.name, s] as const))('fails on %s with the exact problem', (_, spec) => {
    expect(problemsOf(spec)).toEqual(spec.expected);
  });
});
