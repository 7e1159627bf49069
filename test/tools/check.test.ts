import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../lib/tools/check';

function captured(): { lines: string[] } {
  const out = { lines: [] as string[] };
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.lines.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void out.lines.push(line));
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('npm run check', () => {
  it('passes the committed dist/ of every environment and gitops/ with no finding and nothing waived', () => {
    const out = captured();
    expect(main(join(__dirname, '..', '..'), [])).toBe(0);
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(/^checked \d+ objects in dev, gitops, prod, staging: 0 finding\(s\), 0 waived$/);
  });

  it('exits 1 on a committed object that breaks a rule, naming the rule, file and object', () => {
    const root = mkdtempSync(join(tmpdir(), 'stackwright-check-'));
    mkdirSync(join(root, 'dist', 'prod'), { recursive: true });
    writeFileSync(join(root, 'dist', 'prod', '0100-config.k8s.yaml'), [
      'apiVersion: v1', 'kind: Secret', 'metadata:', '  name: api-key', '  namespace: atlas-prod', 'data:', '  key: c2VjcmV0', '',
    ].join('\n'));
    const out = captured();
    expect(main(root, [])).toBe(1);
    const text = out.lines.join('\n');
    expect(text).toContain('  [secret-data] prod prod/0100-config.k8s.yaml Secret/atlas-prod/api-key: data holds key: reference the secret');
    expect(text).toContain('checked 1 objects in prod: 1 finding(s), 0 waived');
  });

  it('takes no arguments', () => {
    const out = captured();
    expect(main(join(__dirname, '..', '..'), ['--fix'])).toBe(1);
    expect(out.lines).toEqual(['check: unknown argument "--fix"; npm run check takes none']);
  });
});
