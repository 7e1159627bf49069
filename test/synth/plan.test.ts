import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { prod } from '../../environments/prod';
import { parsePlanArgs, readTree, readTreeAtRevision, runPlan, runSynth, synthesize, writeTreeAtomically, type EnvironmentSources } from '../../lib/synth';

/** A dist/ holding a fresh synth of the reference platform, as if committed. */
function committedDist(): string {
  const dist = join(mkdtempSync(join(tmpdir(), 'stackwright-plan-')), 'dist');
  writeTreeAtomically(dist, synthesize(environmentSources).files);
  return dist;
}

/** The reference platform with the api image of prod (only) at another tag, as an edit of environments/prod.ts would. */
const apiReleasedInProd: EnvironmentSources = {
  ...environmentSources,
  environments: {
    ...environmentSources.environments,
    prod: { ...prod, services: prod.services.map((s) => (s.name === 'api' ? { ...s, image: 'ghcr.io/atlas-platform/api:1.5.0' } : s)) },
  },
};

function plan(sources: EnvironmentSources, dist: string, options = {}): { code: number; out: string } {
  const out: string[] = [];
  const code = runPlan(sources, dist, options, (t) => out.push(t));
  return { code, out: out.join('\n') };
}

describe('npm run plan', () => {
  const dist = committedDist();

  it('exits 0 and says so when a fresh synth equals the committed dist/', () => {
    const { code, out } = plan(environmentSources, dist);
    expect(code).toBe(0);
    expect(out).toBe('dev: no changes\ngitops: no changes\nprod (production): no changes\nstaging: no changes\n\nPlan: no changes in 3 environments and gitops/.');
  });

  it('plans dist/gitops/ like an environment: a new branch in the GitOps block changes each Application and the GitRepository', () => {
    const onRelease: EnvironmentSources = { ...environmentSources, gitops: { ...environmentSources.gitops!, revision: 'release' } };
    const { code, out } = plan(onRelease, dist);
    expect(code).toBe(2);
    const gitops = out.split('\n').filter((l) => / gitops /.test(l));
    expect(gitops).toEqual([
      '  ~ gitops Application/atlas-dev: spec.source.targetRevision  main → release',
      '  ~ gitops Application/atlas-prod: spec.source.targetRevision  main → release',
      '  ~ gitops Application/atlas-staging: spec.source.targetRevision  main → release',
      '  ~ gitops GitRepository/atlas (flux-system): spec.ref.branch  main → release',
    ]);
    expect(out).toMatch(/^gitops: 4 changed$/m);
    expect(out).toMatch(/^dev: no changes$/m);
  });

  it('prints exactly the one field a changed image tag in environments/prod.ts changes, and exits 2', () => {
    const { code, out } = plan(apiReleasedInProd, dist);
    expect(code).toBe(2);
    // Field lines read `  ~ <env> <Kind>/<name>: <path>  <old> → <new>`; added and removed objects `  + <env> <Kind>/<name>`.
    const objectLines = out.split('\n').filter((l) => /^ {2}~ \S+ [A-Za-z]+\/[\w.-]+: \S+ {2}/.test(l) || /^ {2}[+-] /.test(l));
    expect(objectLines).toEqual([
      '  ~ prod Deployment/api: spec.template.spec.containers[api].image  ghcr.io/atlas-platform/api:1.4.2 → ghcr.io/atlas-platform/api:1.5.0',
    ]);
    // What only repeats the new version (labels on every api object, the OTel service.version) is summarized, not listed as changes.
    expect(out).toMatch(/^ {2}~ prod app\.kubernetes\.io\/version 1\.4\.2 → 1\.5\.0 on Deployment\/api, .*\bService\/api\b/m);
    expect(out).toContain('dev: no changes');
    expect(out).toContain('staging: no changes');
    expect(out).toMatch(/^prod \(production\): 1 changed, \d+ relabelled, 1 other file changed$/m);
    expect(out).toContain('  files: ~prod.md');
  });

  it('does not touch dist/ while planning', () => {
    // The atomic writer swaps in a new folder: the same inode and bytes prove nothing was written.
    const inode = statSync(dist).ino;
    const files = readTree(dist);
    expect(plan(apiReleasedInProd, dist).code).toBe(2);
    expect(statSync(dist).ino).toBe(inode);
    expect(readTree(dist)).toEqual(files);
    expect(plan(environmentSources, dist).code).toBe(0);
  });

  it('prints Markdown for a pull request with --markdown', () => {
    const { code, out } = plan(apiReleasedInProd, dist, { markdown: true });
    expect(code).toBe(2);
    expect(out).toContain('| ~ | `Deployment/api` | `spec.template.spec.containers[api].image` | `ghcr.io/atlas-platform/api:1.4.2` | `ghcr.io/atlas-platform/api:1.5.0` |');
  });

  it('fails with exit code 1 and the spec problem when the spec is invalid', () => {
    const broken = { ...environmentSources, environments: { ...environmentSources.environments, prod: { ...prod, services: [{ name: 'api', replicas: -1 }] } } };
    const { code, out } = plan(broken, dist);
    expect(code).toBe(1);
    expect(out).toContain('prod: services[api].replicas');
  });

  it('compares with dist/ as committed at a git revision with --base', () => {
    const repo = mkdtempSync(join(tmpdir(), 'stackwright-git-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    const repoDist = join(repo, 'dist');
    writeTreeAtomically(repoDist, synthesize(apiReleasedInProd).files);
    git('add', 'dist');
    git('commit', '-qm', 'release api 1.5.0 in prod');
    writeTreeAtomically(repoDist, synthesize(environmentSources).files);
    writeFileSync(join(repoDist, 'untracked.md'), 'not committed\n');
    expect(readTreeAtRevision(repoDist, 'HEAD').get('prod/0300-api.k8s.yaml')).toContain('image: ghcr.io/atlas-platform/api:1.5.0');
    expect(readTreeAtRevision(repoDist, 'HEAD').has('untracked.md')).toBe(false);
    // On disk dist/ equals a fresh synth; against HEAD, prod's api goes back from 1.5.0 to 1.4.2.
    expect(plan(environmentSources, repoDist, { base: 'HEAD' }).out).toContain(
      '  ~ prod Deployment/api: spec.template.spec.containers[api].image  ghcr.io/atlas-platform/api:1.5.0 → ghcr.io/atlas-platform/api:1.4.2',
    );
  });
});

describe('the npm run plan entry', () => {
  it('runs through the bundled launcher like npm run synth and exits 0 against the committed dist/', () => {
    const root = join(__dirname, '..', '..');
    const out = execFileSync('node', ['lib/synth/launch.js', 'plan.ts', '--no-color'], { cwd: root, encoding: 'utf8' });
    expect(out).toContain('Plan: no changes in 3 environments and gitops/.');
  });
});

describe('synth summary', () => {
  it('shows the plan totals per environment against what dist/ held before', () => {
    const dist = committedDist();
    const lines: string[] = [];
    expect(runSynth(apiReleasedInProd, dist, (l) => lines.push(l))).toBe(0);
    const summary = lines.join('\n').split('\n');
    // Seven lines of plan totals (gitops/ too), then the checks: the reference environments need no waiver.
    expect(summary).toHaveLength(10);
    expect(summary[0]).toMatch(/^dev: \d+ objects in \d+ files \((\w+ \d+, )*Deployment \d+, .*\), overview dev\.md$/);
    expect(summary[2]).toMatch(/^staging: \d+ objects in \d+ files \(.*\), overview staging\.md$/);
    expect(summary[4]).toMatch(/^prod: \d+ objects in \d+ files \(.*\), overview prod\.md$/);
    expect(summary[6]).toBe('gitops: 8 objects in 2 files (Application 3, AppProject 1, GitRepository 1, Kustomization 3)');
    expect([summary[1], summary[3], summary[7]]).toEqual(['  plan: no changes', '  plan: no changes', '  plan: no changes']);
    expect(summary[5]).toMatch(/^ {2}plan: 1 changed, \d+ relabelled, 1 other file changed$/);
    expect(summary[8]).toMatch(/^dist\/: 0 file\(s\) added, \d+ changed, 0 removed$/);
    expect(summary[9]).toBe('checks: no findings');
  });
});

describe('parsePlanArgs', () => {
  it('colours terminal text on a TTY unless NO_COLOR is set or Markdown is asked for', () => {
    expect(parsePlanArgs([], true, {})).toEqual({ markdown: false, color: true, base: undefined });
    expect(parsePlanArgs([], false, {}).color).toBe(false);
    expect(parsePlanArgs([], true, { NO_COLOR: '1' }).color).toBe(false);
    expect(parsePlanArgs(['--color'], false, {}).color).toBe(true);
    expect(parsePlanArgs(['--markdown', '--color'], true, {})).toEqual({ markdown: true, color: false, base: undefined });
    expect(parsePlanArgs(['--base', 'origin/main'], false, {}).base).toBe('origin/main');
    expect(parsePlanArgs(['--base=HEAD~1'], false, {}).base).toBe('HEAD~1');
  });

  it('fails on an unknown argument, naming the ones it accepts', () => {
    expect(() => parsePlanArgs(['--md'], false, {})).toThrow('unknown argument "--md"; expected --markdown, --color, --no-color or --base <git revision>');
  });
});
