// The repository's GitHub Actions workflow runs what .ci/run runs, with actions pinned.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const workflow = parse(readFileSync(join(root, '.github', 'workflows', 'ci.yml'), 'utf8')) as { jobs: Record<string, { steps: { uses?: string; run?: string }[] }> };
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
const ciRun = readFileSync(join(root, '.ci', 'run'), 'utf8');
/** Shell commands, without `sudo`, comments and blank lines. */
const commands = (script: string) => script.split('\n').map((l) => l.replace(/#.*$/, '').trim().replace(/^sudo /, '')).filter(Boolean);

describe('.github/workflows/ci.yml', () => {
  it('installs, installs the lockfile and tests exactly as .ci/run does', () => {
    const run = steps.flatMap((s) => commands(s.run ?? ''));
    const local = commands(ciRun).filter((c) => /^(apt-get|npm) /.test(c));
    expect(local).toEqual(['apt-get update', 'apt-get install -y --no-install-recommends prometheus prometheus-alertmanager postgresql', 'npm ci --no-audit --no-fund', 'npm test']);
    for (const c of local) expect(run, c).toContain(c);
  });

  it('pins every action to a commit SHA', () => {
    const uses = steps.flatMap((s) => (s.uses ? [s.uses] : []));
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u, u).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });
});
