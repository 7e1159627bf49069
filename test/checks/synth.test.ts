import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Manifest } from '../../lib/checks';
import { SpecError } from '../../lib/spec';
import { checkSynthOutput, publishOutput, runSynth, synthesize } from '../../lib/synth';
import { invalidServices, sourcesOf, validServices } from './spec-arbitraries';

const web = {
  name: 'web', kind: 'web', image: 'ghcr.io/acme/web:1.0.0', replicas: 2, ports: [{ name: 'http', port: 8080 }], metricsPort: false,
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
};

const OLD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n  namespace: demo-test\n';

function tempDist(): string {
  const dist = join(mkdtempSync(join(tmpdir(), 'stackwright-checks-')), 'dist');
  mkdirSync(join(dist, 'test'), { recursive: true });
  writeFileSync(join(dist, 'test', 'old.k8s.yaml'), OLD);
  return dist;
}

function untouched(dist: string): void {
  expect(readdirSync(join(dist, 'test'))).toEqual(['old.k8s.yaml']);
  expect(readFileSync(join(dist, 'test', 'old.k8s.yaml'), 'utf8')).toBe(OLD);
  expect(readdirSync(join(dist, '..')).filter((n) => n.startsWith('.dist-'))).toEqual([]);
}

describe('synth with checks', () => {
  it('refuses to write dist/ when an object breaks a rule, printing each finding with rule, environment, file and object', () => {
    const output = synthesize(sourcesOf([web]));
    const file = output.environments[0].files.find((f) => f.path === 'test/0300-web.k8s.yaml')!;
    const deployment = file.objects.find((o) => o.kind === 'Deployment') as Manifest & { spec: any };
    const container = deployment.spec.template.spec.containers[0];
    container.ports[0].name = 'http-alternative';
    container.image = 'ghcr.io/acme/web:latest';
    (file.objects as Manifest[]).push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-key', namespace: 'demo-test' }, stringData: { key: 'hunter2' } });
    const dist = tempDist();
    const lines: string[] = [];
    expect(publishOutput(output, dist, (l) => lines.push(l))).toBe(1);
    const text = lines.join('\n');
    expect(text).toMatch(/^synth failed, dist\/ left unchanged\n\d+ check findings \(rule, environment, file, object: message\):\n/);
    expect(text).toContain('  [port-name] test test/0300-web.k8s.yaml Deployment/demo-test/web: spec.template.spec.containers[web].ports[http-alternative].name: "http-alternative" is not an IANA service name');
    expect(text).toContain('  [pinned-image] test test/0300-web.k8s.yaml Deployment/demo-test/web: spec.template.spec.containers[web].image: "ghcr.io/acme/web:latest" is not pinned');
    expect(text).toContain('  [secret-data] test test/0300-web.k8s.yaml Secret/demo-test/web-key: stringData holds key: reference the secret');
    untouched(dist);
  });

  it('writes dist/ and echoes each waiver with its reason when the spec waives the only finding', () => {
    const reason = 'this test cluster runs without a network policy controller';
    const sources = sourcesOf([web], {
      traffic: { networkPolicies: false },
      checks: { waivers: [{ rule: 'default-deny', object: 'Namespace/demo-test', reason }] },
    });
    const dist = tempDist();
    const lines: string[] = [];
    expect(runSynth(sources, dist, (l) => lines.push(l))).toBe(0);
    expect(lines.at(-1)).toBe(`checks: no findings besides these waived in the spec:\n  waived [default-deny] test Namespace/demo-test: ${reason} (checks.waivers[0])`);
    expect(readdirSync(join(dist, 'test'))).toContain('0300-web.k8s.yaml');
  });

  it('fails on a waiver that matches no finding, as a spec error, and leaves dist/ untouched', () => {
    const sources = sourcesOf([web], { checks: { waivers: [{ rule: 'pinned-image', object: 'Deployment/demo-test/web', reason: 'the image was pinned long ago' }] } });
    const dist = tempDist();
    const lines: string[] = [];
    expect(runSynth(sources, dist, (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toBe([
      'synth failed, dist/ left unchanged',
      'invalid platform spec (1 problem):',
      '  test: checks.waivers[0]: the waiver matches no finding of pinned-image on Deployment/demo-test/web: remove it; received {"rule":"pinned-image","object":"Deployment/demo-test/web"}',
    ].join('\n'));
    untouched(dist);
  });

  it('rejects a waiver naming a rule that does not exist, an object not as findings name it, or a short reason', () => {
    const sources = sourcesOf([web], { checks: { waivers: [{ rule: 'pinned-images', object: 'web', reason: 'short' }] } });
    const lines: string[] = [];
    expect(runSynth(sources, tempDist(), (l) => lines.push(l))).toBe(1);
    const text = lines.join('\n');
    expect(text).toContain('invalid platform spec (3 problems)');
    expect(text).toMatch(/ {2}test: checks\.waivers\[0\]\.rule: expected one of "known-kind", "schema", .*, "cronjob-policy"; received "pinned-images"/);
    expect(text).toContain('  test: checks.waivers[0].object: expected an object as findings name it: "Kind/namespace/name", or "Kind/name" for a cluster-scoped object; received "web"');
    expect(text).toContain('  test: checks.waivers[0].reason: expected ≥ 20; received "short"');
  });
});

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
