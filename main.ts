// `npm run synth` and `cdk8s synth`: every environment in environments/ into dist/, atomically.
import { join } from 'node:path';
import { environmentSources } from './environments';
import { runSynth } from './lib/synth';

/** Synthesizes every environment into `<root>/dist`; under `cdk8s synth`, CDK8S_OUTDIR gets a copy. */
export function main(root: string = __dirname): number {
  return runSynth(environmentSources, join(root, 'dist'), console.log, process.env.CDK8S_OUTDIR);
}

// Run directly (tsx, ts-node, the cdk8s CLI); the bundled launcher calls main() itself.
if (require.main === module) process.exitCode = main();
