// The reference platform: a shared base and one overlay per environment.
import type { EnvironmentSources } from '../lib/synth';
import { base } from './base';
import { dev } from './dev';
import { prod } from './prod';
import { staging } from './staging';

export const environmentSources: EnvironmentSources = {
  base,
  environments: { dev, staging, prod },
};
