export { renderEnvironment, renderGitops, type KubeObject, type RenderedEnvironment, type RenderedFile } from './render';
export { checkSynthOutput, publishOutput, runSynth, synthesize, synthesizePlatforms, type EnvironmentSources, type SynthOutput } from './run';
export { summarize } from './summary';
export { listFiles, readTree, writeTreeAtomically, type WriteResult } from './write';
export { parsePlanArgs, planOutput, readTreeAtRevision, runPlan, type PlanOptions } from './plan';
