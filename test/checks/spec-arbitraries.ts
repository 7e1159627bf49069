// fast-check generators of small platform specs: valid ones (services with ports, replicas,
// resources, dependencies and sometimes an HPA, sized to fit the quota) and invalid ones (one valid
// spec, one defect).
import fc from 'fast-check';
import type { EnvironmentSources } from '../../lib/synth';

/** What stays fixed: one environment on a cluster with the Prometheus Operator, logs and traces off, a roomy quota. */
export function sourcesOf(services: readonly object[], extra: Record<string, unknown> = {}): EnvironmentSources {
  return {
    base: {
      name: 'demo',
      cluster: { capabilities: { prometheusOperator: true } },
      telemetry: { logs: { enabled: false }, traces: { enabled: false } },
      security: {
        quota: { requests: { cpu: '64', memory: '256Gi' }, limits: { cpu: '256', memory: '512Gi' }, pods: 1000 },
      },
      services,
      ...extra,
    } as never,
    environments: { test: { environment: 'test' } },
  };
}

const serviceName = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5})?$/);
const portName = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,6})?$/);
const millicores = fc.integer({ min: 10, max: 1000 });
const mebibytes = fc.integer({ min: 16, max: 1024 });

interface PortInput { name: string; port: number; servicePort?: number }

const ports = (min: number) => fc.uniqueArray(fc.record({ name: portName, port: fc.integer({ min: 1024, max: 65535 }) }), {
  minLength: min, maxLength: 3, selector: (p) => p.name,
}).filter((list) => new Set(list.map((p) => p.port)).size === list.length);

const service = fc.record({
  name: serviceName,
  kind: fc.constantFrom('web', 'worker'),
  replicas: fc.integer({ min: 0, max: 5 }),
  cpu: fc.tuple(millicores, fc.integer({ min: 0, max: 1000 })),
  memory: fc.tuple(mebibytes, fc.integer({ min: 0, max: 1024 })),
  ports: ports(1),
  usePortForMetrics: fc.boolean(),
  image: fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}$/)),
  dependsOn: fc.array(fc.nat(), { maxLength: 3 }),
  // An HPA on CPU (then it owns the replica count) for some services.
  hpa: fc.option(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 50, max: 90 })), { nil: undefined }),
});

/** A valid list of 1 to 3 services; each depends on some of the others (by index, deduplicated). */
export const validServices = fc.uniqueArray(service, { minLength: 1, maxLength: 3, selector: (s) => s.name }).map((list) => list.map((s, i) => {
  const others = list.filter((_, j) => j !== i).map((o) => o.name);
  const dependsOn = [...new Set(s.dependsOn.filter(() => others.length > 0).map((n) => others[n % others.length]))];
  const ports: PortInput[] = s.ports;
  return {
    name: s.name,
    kind: s.kind,
    image: `ghcr.io/acme/${s.image[0]}:${s.image[1]}`,
    replicas: s.replicas,
    ports,
    // The last of several ports may serve metrics; a service always keeps a serving port for its callers.
    // A web service without one says so (`false`): the spec refuses an unmonitored web service by omission.
    metricsPort: s.usePortForMetrics && ports.length > 1 ? ports[ports.length - 1].name : s.kind === 'web' ? false : undefined,
    resources: {
      requests: { cpu: `${s.cpu[0]}m`, memory: `${s.memory[0]}Mi` },
      limits: { cpu: `${s.cpu[0] + s.cpu[1]}m`, memory: `${s.memory[0] + s.memory[1]}Mi` },
    },
    dependsOn,
    ...(s.hpa ? { autoscaling: { hpa: { minReplicas: s.hpa[0], maxReplicas: s.hpa[0] + s.hpa[1], cpuUtilization: s.hpa[2] } } } : {}),
  };
}));

/** One defect a spec can have, with a valid spec to put it in. */
const defects: readonly [string, (services: Record<string, any>[]) => void][] = [
  ['a port name of 16 characters', (s) => { s[0].ports[0].name = 'abcdefghijklmnop'; }],
  ['an image tagged latest', (s) => { s[0].image = 'ghcr.io/acme/web:latest'; }],
  ['an image without a tag', (s) => { s[0].image = 'ghcr.io/acme/web'; }],
  ['negative replicas', (s) => { s[0].replicas = -1; }],
  ['fractional replicas', (s) => { s[0].replicas = 1.5; }],
  ['a misspelled field', (s) => { s[0].replcas = 2; }],
  ['a cpu request that is no quantity', (s) => { s[0].resources.requests.cpu = 'lots'; }],
  ['a memory limit below the request', (s) => { s[0].resources.limits.memory = '1Mi'; }],
  ['a dependency on an unknown service', (s) => { s[0].dependsOn = ['nowhere']; }],
  ['a dependency on itself', (s) => { s[0].dependsOn = [s[0].name]; }],
  ['an upper-case service name', (s) => { s[0].name = 'Web'; }],
  ['a port number of 70000', (s) => { s[0].ports[0].port = 70000; }],
  ['two ports with one name', (s) => { s[0].ports.push({ ...s[0].ports[0], port: s[0].ports[0].port === 1024 ? 1025 : 1024 }); }],
  ['a metrics port that is not a port of the service', (s) => { s[0].metricsPort = 'nope'; }],
  ['a duplicate service', (s) => { s.push(structuredClone(s[0])); }],
  ['an HPA whose minimum is above its maximum', (s) => { s[0].autoscaling = { hpa: { minReplicas: 4, maxReplicas: 2, cpuUtilization: 70 } }; }],
];

/** A valid spec with exactly one defect, and the defect's description. */
export const invalidServices = fc.tuple(validServices, fc.integer({ min: 0, max: defects.length - 1 })).map(([services, d]) => {
  const copy = structuredClone(services) as Record<string, any>[];
  defects[d][1](copy);
  return { defect: defects[d][0], services: copy };
});
