import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { SpecError, resolveEnvironments } from '../../lib/spec';

describe('resolveEnvironments', () => {
  it('resolves the reference platform with defaults filled in and the namespace derived', () => {
    const [dev, staging, prod] = resolveEnvironments(environmentSources.base, environmentSources.environments);
    expect([dev.namespace, staging.namespace, prod.namespace]).toEqual(['atlas-dev', 'atlas-staging', 'atlas-prod']);
    // In prod an autoscaler owns the api's and the worker's counts; their minimums stand in for replicas.
    const fewest = (s: (typeof prod.services)[number]) => s.autoscaling.hpa?.minReplicas ?? s.autoscaling.keda?.minReplicas ?? s.replicas;
    expect(prod.services.map((s) => [s.name, fewest(s)])).toEqual([['api', 3], ['dashboard', 2], ['worker', 2]]);
    expect(dev.services.map((s) => [s.name, s.replicas])).toEqual([['api', 1], ['dashboard', 1], ['worker', 1]]);
    expect(dev.services[0].writablePaths).toEqual(['/tmp']);
    expect(Object.isFrozen(prod.services[0].resources)).toBe(true);
  });

  it('reports the problems of every environment at once, not just the first', () => {
    const broken = {
      dev: { ...environmentSources.environments.dev, services: [{ name: 'api', replicas: -1 }] },
      staging: environmentSources.environments.staging,
      prod: { ...environmentSources.environments.prod, cluster: { provider: 'ibm' as never }, services: [{ name: 'worker', image: 'acme/worker:latest' }] },
    };
    let error: unknown;
    try {
      resolveEnvironments(environmentSources.base, broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems.map((p) => `${p.environment}: ${p.path}`)).toEqual([
      'dev: services[api].replicas',
      'prod: cluster.provider',
      'prod: services[worker].image',
    ]);
  });
});
