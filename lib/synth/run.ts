import { resolve } from 'node:path';
import { checkOutput, formatFindings, formatWaived, type CheckReport } from '../checks';
import { SpecError, resolveEnvironments, resolveGitops, type GitopsInput, type Overlay, type PlatformInput, type ResolvedGitops, type ResolvedPlatform, type SpecProblem } from '../spec';
import { planTrees } from '../review/plan';
import { renderOverview } from '../review/overview';
import { objectsByPath, renderEnvironment, renderGitops, type RenderedEnvironment, type RenderedFile } from './render';
import { summarize } from './summary';
import { readTree, writeTreeAtomically } from './write';

/** The environments as declared in environments/: a shared base and one overlay per environment. */
export interface EnvironmentSources {
  readonly base: Overlay<PlatformInput>;
  readonly environments: Readonly<Record<string, Overlay<PlatformInput>>>;
  /** How Argo CD and Flux sync the environments (one block for all of them); absent: no dist/gitops/. */
  readonly gitops?: GitopsInput;
}

/** Every output file of every environment, in memory (path relative to dist/ → bytes): manifests and overviews. */
export interface SynthOutput {
  readonly environments: readonly RenderedEnvironment[];
  /** dist/gitops/, when the sources have a GitOps block. */
  readonly gitops: readonly RenderedFile[];
  readonly files: ReadonlyMap<string, string>;
}

/** Resolves every environment (reporting every spec problem at once) and synthesizes them in memory. */
export function synthesize(sources: EnvironmentSources): SynthOutput {
  const problems: SpecProblem[] = [];
  const collect = <T>(resolve: () => T): T | undefined => {
    try {
      return resolve();
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const platforms = collect(() => resolveEnvironments(sources.base, sources.environments));
  const gitops = sources.gitops === undefined ? undefined : collect(() => resolveGitops(sources.gitops, Object.keys(sources.environments)));
  if (problems.length > 0 || platforms === undefined) throw new SpecError(problems);
  return synthesizePlatforms(platforms, gitops);
}

export function synthesizePlatforms(platforms: readonly ResolvedPlatform[], gitopsSpec?: ResolvedGitops): SynthOutput {
  // Assembly checks (quotas, secret references) can fail per environment: report every environment's at once.
  const environments: RenderedEnvironment[] = [];
  const problems: SpecProblem[] = [];
  for (const platform of platforms) {
    try {
      environments.push(renderEnvironment(platform));
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
  const files = new Map<string, string>();
  for (const env of environments) {
    for (const file of env.files) files.set(file.path, file.content);
    // Beside the folder, not in it: `kubectl apply -f dist/<env>` reads only manifests.
    files.set(`${env.environment}.md`, renderOverview(env));
  }
  // Never inside an environment's folder: applying an environment needs no Argo CD or Flux CRDs.
  const gitops = gitopsSpec === undefined ? [] : renderGitops(gitopsSpec, environments);
  for (const file of gitops) files.set(file.path, file.content);
  return { environments, gitops, files };
}

/** The manifest checks (lib/checks) over every environment of a synth, with each environment's waivers, and over dist/gitops/. */
export function checkSynthOutput(output: SynthOutput): CheckReport {
  return checkOutput([
    ...output.environments.map((env) => ({ environment: env.environment, files: env.files, platform: env.platform })),
    // Like `npm run check` over the committed gitops/ folder: no spec of its own, so no waivers.
    ...(output.gitops.length > 0 ? [{ environment: 'gitops', files: output.gitops, platform: undefined }] : []),
  ]);
}

/** `npm run synth`: synthesize all environments, check them, then swap them into dist/; returns the exit code. */
export function runSynth(
  sources: EnvironmentSources,
  distDir: string,
  log: (line: string) => void = console.log,
  /** Also write the output here (the cdk8s CLI's output folder, which it wipes before each run). */
  mirrorDir?: string,
): number {
  let output: SynthOutput;
  try {
    output = synthesize(sources);
  } catch (error) {
    if (error instanceof SpecError) {
      log(`synth failed, dist/ left unchanged\n${error.message}`);
      return 1;
    }
    throw error;
  }
  return publishOutput(output, distDir, log, mirrorDir);
}

/**
 * Checks a synthesized output and, only when no check finds an error and every waiver matched one,
 * swaps it into dist/ and prints the summary; otherwise prints every finding and leaves dist/ alone.
 */
export function publishOutput(output: SynthOutput, distDir: string, log: (line: string) => void = console.log, mirrorDir?: string): number {
  const report = checkSynthOutput(output);
  if (report.staleWaivers.length > 0) {
    log(`synth failed, dist/ left unchanged\n${new SpecError(report.staleWaivers).message}`);
    return 1;
  }
  if (report.findings.length > 0) {
    log(`synth failed, dist/ left unchanged\n${formatFindings(report.findings)}`);
    return 1;
  }
  const previous = readTree(distDir, output.files);
  const result = writeTreeAtomically(distDir, output.files, previous);
  if (mirrorDir !== undefined && resolve(mirrorDir) !== resolve(distDir)) writeTreeAtomically(resolve(mirrorDir), output.files);
  const production = new Set(output.environments.filter((e) => e.platform.production).map((e) => e.environment));
  log(summarize(output.environments, result, planTrees(previous, output.files, (env) => production.has(env), objectsByPath(output)), output.gitops));
  log(report.waived.length === 0 ? 'checks: no findings' : ['checks: no findings besides these waived in the spec:', ...formatWaived(report.waived)].join('\n'));
  return 0;
}
