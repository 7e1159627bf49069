// dev: one replica each, small resources, a local cluster with no operators installed.
import type { Overlay, PlatformInput } from '../lib/spec';

export const dev = {
  environment: 'dev',
  domain: 'dev.atlas.example.com',
  cluster: { provider: 'local' },
  services: [
    { name: 'api', replicas: 1, env: { LOG_LEVEL: 'debug' } },
    { name: 'dashboard', replicas: 1 },
    { name: 'worker', replicas: 1, env: { LOG_LEVEL: 'debug' } },
  ],
} satisfies Overlay<PlatformInput>;
