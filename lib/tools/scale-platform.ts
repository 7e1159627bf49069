// The reference platform plus N generated services, for `npm run bench`'s scale series.
// Usage: node lib/synth/launch.js lib/tools/scale-platform.ts --services <N> --out <dir>
// Writes <dir> (never the project's dist/) the way `npm run synth` writes dist/.
import { resolve } from 'node:path';
import { environmentSources } from '../../environments';
import { formatBytes, formatCpu, parseQuantity } from '../core/quantity';
import type { Overlay, PlatformInput } from '../spec';
import { runSynth, type EnvironmentSources } from '../synth';

type ServiceInput = NonNullable<PlatformInput['services']>[number];
type ServiceOverlay = Overlay<ServiceInput> & { readonly name: string };
type QuotaOverlay = NonNullable<NonNullable<Overlay<PlatformInput>['security']>['quota']>;

const CPU = ['50m', '100m', '250m'] as const;
const MEMORY = ['64Mi', '128Mi', '256Mi'] as const;

/** Every fifth generated service is a worker; the rest are web services. */
function isWorker(i: number): boolean {
  return i % 5 === 0;
}

function serviceName(i: number): string {
  return `svc-${String(i).padStart(4, '0')}`;
}

/** Limits are 4× the CPU and 2× the memory request. */
function resourcesOf(i: number): { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } } {
  const cpu = CPU[i % CPU.length];
  const memory = MEMORY[i % MEMORY.length];
  return {
    requests: { cpu, memory },
    limits: { cpu: formatCpu(parseQuantity(cpu) * 4), memory: formatBytes(parseQuantity(memory) * 2) },
  };
}

/**
 * Service `i` (1-based) of a generated fleet: web services (HTTP and metrics ports) that call the
 * previous web service and, some of them, PostgreSQL or Redis; workers (metrics port only) that
 * consume from Redis and call a web service. Every one has probes, resources and a pinned image.
 */
export function generatedService(i: number): ServiceInput {
  const name = serviceName(i);
  const previousWeb = [i - 1, i - 2].find((j) => j >= 1 && !isWorker(j));
  const calls = previousWeb === undefined ? ['api'] : [serviceName(previousWeb)];
  const common = {
    name,
    description: `Generated service ${i} of a scale test`,
    image: `ghcr.io/atlas-platform/${name}:1.${i % 10}.${i % 7}`,
    resources: resourcesOf(i),
    metricsPort: 'metrics',
  };
  if (isWorker(i)) {
    return {
      ...common,
      kind: 'worker',
      args: ['--queue', name],
      ports: [{ name: 'metrics', port: 9090 }],
      env: { LOG_FORMAT: 'json', METRICS_PORT: '9090', QUEUE: name },
      dependsOn: ['redis', ...calls],
      probes: { readiness: { path: '/readyz', port: 'metrics' }, liveness: { path: '/livez', port: 'metrics' } },
      terminationGracePeriodSeconds: 60,
      preStopSleepSeconds: 0,
    };
  }
  const stores = [...(i % 3 === 0 ? ['postgres'] : []), ...(i % 4 === 0 ? ['redis'] : [])];
  return {
    ...common,
    kind: 'web',
    ports: [
      { name: 'http', port: 8080, servicePort: 80 },
      { name: 'metrics', port: 9090 },
    ],
    env: { LOG_FORMAT: 'json', PORT: '8080', METRICS_PORT: '9090' },
    dependsOn: [...calls, ...stores],
    probes: {
      startup: { path: '/healthz', port: 'http', failureThreshold: 30, periodSeconds: 2 },
      readiness: { path: '/readyz', port: 'http' },
      liveness: { path: '/livez', port: 'http' },
    },
  };
}

/** Per environment: staging and prod run two replicas of each, and prod autoscales every tenth web service. */
function overlayOf(environment: string, i: number): ServiceOverlay {
  if (environment === 'dev') return { name: serviceName(i), replicas: 1 };
  if (environment === 'prod' && i % 10 === 1) {
    return { name: serviceName(i), autoscaling: { hpa: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70 } } };
  }
  return { name: serviceName(i), replicas: 2 };
}

/** Most pods one service runs at once: its autoscaler's maximum or replicas, plus the 25% rollout surge. */
function peakPods(overlay: ServiceOverlay): number {
  const max = overlay.autoscaling?.hpa?.maxReplicas ?? overlay.replicas ?? 1;
  return max + Math.ceil(max / 4);
}

/** The application namespace's quota grown by what the generated services need at their peak. */
function grownQuota(environment: string, quota: QuotaOverlay | undefined, overlays: readonly ServiceOverlay[]): QuotaOverlay {
  const { requests, limits, pods } = quota ?? {};
  if (!requests?.cpu || !requests.memory || !limits?.cpu || !limits.memory || pods === undefined) {
    throw new Error(`${environment}: the scale series grows security.quota (requests, limits, pods), so the overlay must set them`);
  }
  const sum = { rc: parseQuantity(requests.cpu), rm: parseQuantity(requests.memory), lc: parseQuantity(limits.cpu), lm: parseQuantity(limits.memory), pods };
  overlays.forEach((overlay, index) => {
    const pods = peakPods(overlay);
    const r = resourcesOf(index + 1);
    sum.rc += pods * parseQuantity(r.requests.cpu);
    sum.rm += pods * parseQuantity(r.requests.memory);
    sum.lc += pods * parseQuantity(r.limits.cpu);
    sum.lm += pods * parseQuantity(r.limits.memory);
    sum.pods += pods;
  });
  return {
    ...quota,
    requests: { cpu: formatCpu(sum.rc), memory: formatBytes(sum.rm) },
    limits: { cpu: formatCpu(sum.lc), memory: formatBytes(sum.lm) },
    pods: sum.pods,
  };
}

/** The sources plus `count` generated services in the base, their per-environment sizes, and quotas grown to fit. */
export function withGeneratedServices(sources: EnvironmentSources, count: number): EnvironmentSources {
  if (count === 0) return sources;
  const indexes = Array.from({ length: count }, (_, k) => k + 1);
  const environments: Record<string, Overlay<PlatformInput>> = {};
  for (const [environment, overlay] of Object.entries(sources.environments)) {
    const overlays = indexes.map((i) => overlayOf(environment, i));
    environments[environment] = {
      ...overlay,
      services: [...(overlay.services ?? []), ...overlays],
      security: { ...overlay.security, quota: grownQuota(environment, overlay.security?.quota, overlays) },
    };
  }
  const base = sources.base;
  return { base: { ...base, services: [...(base.services ?? []), ...indexes.map(generatedService)] }, environments };
}

/** Parses `--services <N> --out <dir>`. */
export function parseScaleArgs(argv: readonly string[]): { services: number; out: string } {
  let services: number | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--services') services = Number(argv[++i]);
    else if (argv[i] === '--out') out = argv[++i];
    else throw new Error(`unknown argument "${argv[i]}"; expected --services <N> --out <dir>`);
  }
  if (services === undefined || !Number.isInteger(services) || services < 0 || services > 9999) {
    throw new Error('--services must be a whole number from 0 to 9999');
  }
  if (!out) throw new Error('--out <dir> is required (the scale series never writes the project\'s dist/)');
  return { services, out };
}

export function main(root: string, argv: readonly string[] = process.argv.slice(2)): number {
  const { services, out } = parseScaleArgs(argv);
  const outDir = resolve(out);
  if (outDir === resolve(root, 'dist')) throw new Error('--out must not be the project\'s dist/');
  return runSynth(withGeneratedServices(environmentSources, services), outDir);
}
