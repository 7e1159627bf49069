import { describe, expect, it } from 'vitest';
import { mergeOverlay, resolvePlatform } from '../../lib/spec';
import { badSpecs, base, dev } from './bad-specs';
import { specProblems } from '../spec-problems';

function problemsOf(spec: (typeof badSpecs)[number]): string[] {
  return specProblems(() => resolvePlatform('dev', spec.input ?? mergeOverlay(mergeOverlay(base, dev), spec.overlay)));
}

describe('bad-spec corpus', () => {
  it('holds at least 25 cases', () => {
    expect(badSpecs.length).toBeGreaterThanOrEqual(25);
  });

  it.each(badSpecs.map((s) => [s.name, s] as const))('fails on %s with the exact problem', (_, spec) => {
    expect(problemsOf(spec)).toEqual(spec.expected);
  });
});
