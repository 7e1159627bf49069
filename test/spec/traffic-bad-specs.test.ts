import { describe, expect, it } from 'vitest';
import { base } from '../../environments/base';
import { dev } from '../../environments/dev';
import { prod } from '../../environments/prod';
import { mergeOverlay, resolvePlatform } from '../../lib/spec';
import type { BadSpec } from './bad-specs';
import { gatewayBadSpecs, trafficBadSpecs } from './traffic-bad-specs';
import { specProblems } from '../spec-problems';

function problemsOf(environment: string, overlay: unknown, spec: BadSpec): string[] {
  return specProblems(() => resolvePlatform(environment, spec.input ?? mergeOverlay(mergeOverlay(base, overlay), spec.overlay)));
}

describe('bad traffic specs', () => {
  it('accept the reference platform in dev and prod as it is', () => {
    expect(problemsOf('dev', dev, { name: 'none', expected: [] })).toEqual([]);
    expect(problemsOf('prod', prod, { name: 'none', expected: [] })).toEqual([]);
  });

  it.each(trafficBadSpecs.map((s) => [s.name, s] as const))('fails on %s with the exact problem', (_, spec) => {
    expect(problemsOf('dev', dev, spec)).toEqual(spec.expected);
  });

  it.each(gatewayBadSpecs.map((s) => [s.name, s] as const))('fails on %s with the exact problem', (_, spec) => {
    expect(problemsOf('prod', prod, spec)).toEqual(spec.expected);
  });
});
