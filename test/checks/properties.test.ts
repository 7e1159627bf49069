import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SpecError } from '../../lib/spec';
import { checkSynthOutput, synthesize } from '../../lib/synth';
import { invalidServices, sourcesOf, validServices } from './spec-arbitraries';

// 50 valid specs synthesized and checked, 150 invalid ones resolved: 200 generated specs per run.
describe('generated specs', () => {
  it('synthesize every valid spec to YAML that reads back as the objects and passes every check', () => {
    fc.assert(fc.property(validServices, (services) => {
      const output = synthesize(sourcesOf(services));
      const report = checkSynthOutput(output);
      expect(report.findings).toEqual([]);
      expect(report.staleWaivers).toEqual([]);
      for (const file of output.environments[0].files) {
        const docs = parseAllDocuments(output.files.get(file.path)!);
        expect(docs.flatMap((d) => d.errors)).toEqual([]);
        expect(docs.map((d) => d.toJSON())).toEqual(file.objects);
      }
    }), { numRuns: 50 });
  });

  it('fail every spec with one defect with a SpecError that names the environment and a field path, never a crash', () => {
    fc.assert(fc.property(invalidServices, ({ services }) => {
      let error: unknown;
      try {
        synthesize(sourcesOf(services));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SpecError);
      const problems = (error as SpecError).problems;
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) {
        expect(p.environment).toBe('test');
        expect(p.path).toMatch(/^services\[[^\]]+\]/);
      }
    }), { numRuns: 150 });
  });
});
