import { describe, expect, it } from 'vitest';
import { quotaOverflows, rolloutSurge, type WorkloadDemand } from '../../lib/security/quota-demand';

const web = (name: string, max: number, cpu = '500m', memory = '512Mi'): WorkloadDemand => ({
  name, kind: 'Deployment', replicas: { max }, podResources: { requests: { cpu, memory }, limits: { cpu: '1', memory: '1Gi' } },
});
const hard = {
  'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '8', 'limits.memory': '16Gi',
  'requests.storage': '100Gi', persistentvolumeclaims: '10', pods: '40',
};

describe('quota demand', () => {
  it('adds Kubernetes\' default 25% rolling-update surge, rounded up, to Deployments only', () => {
    expect(rolloutSurge(web('api', 3))).toBe(1);
    expect(rolloutSurge(web('api', 8))).toBe(2);
    expect(rolloutSurge(web('api', 0))).toBe(0);
    expect(rolloutSurge({ ...web('db', 3), kind: 'StatefulSet' })).toBe(0);
    expect(rolloutSurge({ ...web('api', 3), surge: 0 })).toBe(0);
  });

  it('fits when the peak equals the quota exactly', () => {
    // 6 pods at peak + 2 surge = 8 pods × 500m = 4 CPU, exactly the quota.
    expect(quotaOverflows(hard, [web('api', 6)])).toEqual([]);
  });

  it('reports what the workloads need, what the quota allows and who needs it, largest first', () => {
    const overflows = quotaOverflows({ ...hard, 'limits.cpu': '16' }, [web('api', 6), web('dashboard', 1, '100m', '128Mi')]);
    expect(overflows).toEqual([
      { resource: 'requests.cpu', needed: '4200m', allowed: '4', contributors: ['api (6+2 surge)×500m', 'dashboard (1+1 surge)×100m'] },
    ]);
  });

  it('counts each replica\'s claims and the shared ones against storage and the claim count', () => {
    const db: WorkloadDemand = {
      name: 'postgres', kind: 'StatefulSet', replicas: { max: 3 },
      podResources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
      claimsPerReplica: ['20Gi', '10Gi'], sharedClaims: ['20Gi'],
    };
    const overflows = quotaOverflows({ ...hard, persistentvolumeclaims: '6' }, [db]);
    expect(overflows).toEqual([
      { resource: 'requests.storage', needed: '110Gi', allowed: '100Gi', contributors: ['postgres 3×(20Gi+10Gi)+20Gi'] },
      { resource: 'persistentvolumeclaims', needed: '7', allowed: '6', contributors: ['postgres 7'] },
    ]);
  });

  it('does not overflow on floating-point sums of millicores', () => {
    const three = [1, 2, 3].map((i) => ({ ...web(`w${i}`, 1, '100m'), surge: 0 }));
    expect(quotaOverflows({ ...hard, 'requests.cpu': '300m' }, three)).toEqual([]);
  });
});
