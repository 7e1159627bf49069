// The reference platform: a shared base, one overlay per environment, and how GitOps syncs them.
import type { EnvironmentSources } from '../lib/synth';
import { base } from './base';
import { dev } from './dev';
import { prod } from './prod';
import { staging } from './staging';

export const environmentSources: EnvironmentSources = {
  base,
  environments: { dev, staging, prod },
  // One repository, one Argo CD project and one Flux source serve every environment, so this block
  // lives here, beside the list of environments, rather than in an overlay that could diverge.
  gitops: {
    repoUrl: 'https://github.com/atlas-platform/platform.git',
    revision: 'main',
    // Argo CD and Flux run on a management cluster; each environment is a cluster registered there
    // (Argo CD cluster name; Flux reads its kubeconfig from the Secret <name>-kubeconfig).
    clusters: { dev: 'atlas-dev', staging: 'atlas-staging', prod: 'atlas-prod' },
  },
};
