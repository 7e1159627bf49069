import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { synthesize } from '../../lib/synth';
import { generatedService, main, parseScaleArgs, withGeneratedServices } from '../../lib/tools/scale-platform';

type Json = Record<string, any>;

describe('the scale series platform', () => {
  // Twelve services: web and worker kinds, calls to other services and to both stores, an HPA in prod.
  const output = synthesize(withGeneratedServices(environmentSources, 12));
  const objects = (env: string): Json[] => output.environments.find((e) => e.environment === env)!.files.flatMap((f) => f.objects as readonly Json[]);
  const find = (env: string, kind: string, name: string): Json => {
    const found = objects(env).find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`${env} has no ${kind}/${name}`);
    return found;
  };

  it('passes every spec rule, and its workloads fit the quotas it grows, in every environment', () => {
    expect(output.environments.map((e) => e.environment)).toEqual(['dev', 'staging', 'prod']);
    for (const env of ['dev', 'staging', 'prod']) {
      const quota = find(env, 'ResourceQuota', 'namespace-quota');
      const reference = environmentSources.environments[env].security!.quota!;
      expect(quota.metadata.namespace).toBe(`atlas-${env}`);
      expect(quota.spec.hard.pods).not.toBe(String(reference.pods));
    }
  });

  it('gives each generated service ports, probes, resources and policies for its dependencies', () => {
    const web = find('prod', 'Deployment', 'svc-0006').spec.template.spec.containers[0];
    expect(web.ports.map((p: Json) => p.containerPort)).toEqual([8080, 9090]);
    expect([web.startupProbe.httpGet.path, web.readinessProbe.httpGet.path, web.livenessProbe.httpGet.path]).toEqual(['/healthz', '/readyz', '/livez']);
    expect(web.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
    // svc-0006 calls svc-0004 (svc-0005 is a worker) and PostgreSQL.
    expect(generatedService(6).dependsOn).toEqual(['svc-0004', 'postgres']);
    const egress = find('prod', 'NetworkPolicy', 'svc-0006-egress');
    const peers = egress.spec.egress.map((r: Json) => r.to[0].podSelector?.matchLabels?.['app.kubernetes.io/name']);
    expect(peers).toEqual(expect.arrayContaining(['svc-0004', 'postgres']));
    expect(find('prod', 'HorizontalPodAutoscaler', 'svc-0011').spec.maxReplicas).toBe(4);
    expect(find('prod', 'PodDisruptionBudget', 'svc-0002').spec.maxUnavailable).toBe(1);
  });

  it('never writes the project dist/ and asks for a whole number of services', () => {
    expect(parseScaleArgs(['--services', '100', '--out', '/tmp/x'])).toEqual({ services: 100, out: '/tmp/x' });
    expect(() => parseScaleArgs(['--services', '100'])).toThrow('--out <dir> is required');
    expect(() => parseScaleArgs(['--services', '1.5', '--out', '/tmp/x'])).toThrow('--services must be a whole number');
    expect(() => main('/project', ['--services', '0', '--out', '/project/dist'])).toThrow("--out must not be the project's dist/");
  });
});
