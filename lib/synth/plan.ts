import { execFileSync } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { formatPlanMarkdown, formatPlanText } from '../review/plan-report';
import { hasChanges, planTrees, type EnvironmentPlan } from '../review/plan';
import { SpecError } from '../spec';
import { objectsByPath } from './render';
import { synthesize, type EnvironmentSources, type SynthOutput } from './run';
import { readTree } from './write';

/** How `npm run plan` reports. */
export interface PlanOptions {
  /** Markdown for a pull request instead of terminal text. @default false */
  readonly markdown?: boolean;
  /** ANSI colours (terminal text only). @default false */
  readonly color?: boolean;
  /** Compare with dist/ as committed at this git revision instead of the dist/ folder on disk. @default the folder */
  readonly base?: string;
}

/** The object-level plan of a fresh synth against a tree of committed output. */
export function planOutput(output: SynthOutput, committed: ReadonlyMap<string, string>): EnvironmentPlan[] {
  const production = new Set(output.environments.filter((e) => e.platform.production).map((e) => e.environment));
  return planTrees(committed, output.files, (env) => production.has(env), objectsByPath(output));
}

/**
 * `npm run plan`: synthesizes in memory (dist/ is not touched) and prints what would change against
 * the committed output. Exit code 0 when nothing changes, 2 when something does, 1 on a spec error.
 */
export function runPlan(sources: EnvironmentSources, distDir: string, options: PlanOptions = {}, log: (text: string) => void = console.log): number {
  let output: SynthOutput;
  try {
    output = synthesize(sources);
  } catch (error) {
    if (error instanceof SpecError) {
      log(`plan failed\n${error.message}`);
      return 1;
    }
    throw error;
  }
  const committed = options.base === undefined ? readTree(distDir) : readTreeAtRevision(distDir, options.base);
  const plans = planOutput(output, committed);
  log(options.markdown ? formatPlanMarkdown(plans) : formatPlanText(plans, { color: options.color }));
  return hasChanges(plans) ? 2 : 0;
}

/** The files under `dir` as committed at a git revision (path relative to `dir` → content). */
export function readTreeAtRevision(dir: string, revision: string): Map<string, string> {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dirname(dir), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const folder = basename(dir);
  const paths = git('ls-tree', '-r', '-z', '--name-only', revision, '--', `${folder}/`).split('\0').filter(Boolean).sort();
  return new Map(paths.map((path) => [path.slice(folder.length + 1), git('show', `${revision}:./${path}`)]));
}

/** Parses `npm run plan` arguments: `--markdown`, `--color`/`--no-color`, `--base <rev>`. */
export function parsePlanArgs(argv: readonly string[], isTty: boolean, env: NodeJS.ProcessEnv = process.env): PlanOptions {
  let markdown = false;
  let color: boolean | undefined;
  let base: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--markdown') markdown = true;
    else if (arg === '--color') color = true;
    else if (arg === '--no-color') color = false;
    else if (arg === '--base' && argv[i + 1] !== undefined) base = argv[++i];
    else if (arg.startsWith('--base=')) base = arg.slice('--base='.length);
    else throw new Error(`unknown argument "${arg}"; expected --markdown, --color, --no-color or --base <git revision>`);
  }
  // https://no-color.org: NO_COLOR disables colour unless asked for explicitly.
  const colorDefault = isTty && !env.NO_COLOR && env.TERM !== 'dumb';
  return { markdown, color: !markdown && (color ?? colorDefault), base };
}
