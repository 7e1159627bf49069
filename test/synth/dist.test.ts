import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { formatFinding } from '../../lib/checks';
import { checkSynthOutput, readTree, synthesize } from '../../lib/synth';

const distDir = join(__dirname, '..', '..', 'dist');

describe('committed dist/', () => {
  const output = synthesize(environmentSources);
  const fresh = output.files;
  const committed = readTree(distDir);

  it('has exactly the files a fresh synth writes', () => {
    expect([...committed.keys()], 'dist/ is stale: run `npm run synth` and commit dist/').toEqual([...fresh.keys()].sort());
  });

  it.each([...fresh.keys()])('%s equals a fresh synth byte for byte', (path) => {
    expect(committed.get(path) === fresh.get(path), `dist/${path} is stale: run \`npm run synth\` and commit dist/`).toBe(true);
  });

  it('passes every manifest check: no finding besides the spec\'s reasoned waivers', () => {
    const report = checkSynthOutput(output);
    expect(report.findings.map(formatFinding)).toEqual([]);
    expect(report.staleWaivers).toEqual([]);
    // The log shipper's open egress (every environment) and dev's standalone monitoring namespace.
    expect(report.waived.map((w) => `${w.finding.environment} ${w.finding.rule} ${w.finding.kind}/${w.finding.name}`)).toEqual([
      'dev default-deny Namespace/atlas-dev-log-shipper',
      'dev default-deny Namespace/monitoring',
      'staging default-deny Namespace/atlas-staging-log-shipper',
      'prod default-deny Namespace/atlas-prod-log-shipper',
    ]);
  });

  it('is byte-identical across two synths in one process', () => {
    const again = synthesize(environmentSources).files;
    expect([...again.entries()]).toEqual([...fresh.entries()]);
  });
});
