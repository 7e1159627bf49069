import { resolve } from 'node:path';
import { SpecError, resolveEnvironments, type Overlay, type PlatformInput, type ResolvedPlatform, type SpecProblem } from '../spec';
import { planTrees } from '../review/plan';
import { renderOverview } from '../review/overview';
import { objectsByPath, renderEnvironment, type RenderedEnvironment } from './render';
import { summarize } from './summary';
import { readTree, writeTreeAtomically } from './write';

/** The environments as declared in environments/: a shared base and one overlay per environment. */
export interface EnvironmentSources {
  readonly base: Overlay<PlatformInput>;
  readonly environments: Readonly<Record<string, Overlay<PlatformInput>>>;
}

/** Every output file of every environment, in memory (path relative to dist/ → bytes): manifests and overviews. */
export interface SynthOutput {
  readonly environments: readonly RenderedEnvironment[];
  readonly files: ReadonlyMap<string, string>;
}

/** Resolves every environment (reporting every spec problem at once) and synthesizes them in memory. */
export function synthesize(sources: EnvironmentSources): SynthOutput {
  return synthesizePlatforms(resolveEnvironments(sources.base, sources.environments));
}

export function synthesizePlatforms(platforms: readonly ResolvedPlatform[]): SynthOutput {
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
  return { environments, files };
}

/** `npm run synth`: synthesize all environments, then swap them into dist/; returns the exit code. */
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
  const previous = readTree(distDir, output.files);
  const result = writeTreeAtomically(distDir, output.files, previous);
  if (mirrorDir !== undefined && resolve(mirrorDir) !== resolve(distDir)) writeTreeAtomically(resolve(mirrorDir), output.files);
  const production = new Set(output.environments.filter((e) => e.platform.production).map((e) => e.environment));
  log(summarize(output.environments, result, planTrees(previous, output.files, (env) => production.has(env), objectsByPath(output.environments))));
  return 0;
}
