// `npm run synth` and `cdk8s synth`: every environment in environments/ into dist/, atomically.
import { join } from 'node:path';
import { environmentSources } from './environments';
import { runSynth } from './lib/synth';

process.exitCode = runSynth(environmentSources, join(import.meta.dirname, 'dist'));
