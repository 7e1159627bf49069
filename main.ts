// `npm run synth` and `cdk8s synth`: every environment in environments/ into dist/, atomically.
import { join } from 'node:path';
import { environmentSources } from './environments';
import { runSynth } from './lib/synth';

// Under `cdk8s synth`, CDK8S_OUTDIR names the CLI's own output folder: it gets a copy.
process.exitCode = runSynth(environmentSources, join(__dirname, 'dist'), console.log, process.env.CDK8S_OUTDIR);
