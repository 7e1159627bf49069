// `npm run plan [-- --markdown] [-- --base <git revision>]`: what a synth would change in dist/, object by object.
import { join } from 'node:path';
import { environmentSources } from './environments';
import { parsePlanArgs, runPlan } from './lib/synth';

/**
 * Prints the plan of a fresh synth against `<root>/dist` (or dist/ at `--base`); dist/ is not touched.
 * Exit code 0: nothing would change; 2: something would; 1: the spec or the arguments are invalid.
 */
export function main(root: string = __dirname, argv: readonly string[] = process.argv.slice(2)): number {
  try {
    const options = parsePlanArgs(argv, process.stdout.isTTY === true);
    return runPlan(environmentSources, join(root, 'dist'), options);
  } catch (error) {
    console.error(`plan: ${(error as Error).message}`);
    return 1;
  }
}

// Run directly (tsx, ts-node); the bundled launcher calls main() itself.
if (require.main === module) process.exitCode = main();
