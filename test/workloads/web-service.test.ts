import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { WebService } from '../../lib/workloads/web-service';

type Obj = { kind: string; metadata: { name: string; labels: Record<string, string> }; spec: any; automountServiceAccountToken?: boolean };

function synth(props: Partial<ConstructorParameters<typeof WebService>[2]> = {}) {
  const chart = Testing.chart();
  new WebService(chart, 'api', {
    image: 'ghcr.io/acme/api:1.2.3',
    ports: [{ name: 'http', port: 8080, servicePort: 80 }],
    ...props,
  });
  const objects = Testing.synth(chart) as Obj[];
  const byKind = (kind: string) => objects.find((o) => o.kind === kind)!;
  return { objects, deployment: byKind('Deployment'), service: byKind('Service'), account: byKind('ServiceAccount') };
}

describe('WebService', () => {
  it('emits a ServiceAccount, a Deployment and a Service, all named after the service', () => {
    const { objects } = synth();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/api', 'Deployment/api', 'Service/api']);
    expect(objects).toMatchSnapshot();
  });

  it('runs every container under restricted Pod Security', () => {
    const pod = synth().deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('mounts an emptyDir for each writable path because the root filesystem is read-only', () => {
    const pod = synth({ writablePaths: ['/tmp', '/var/cache/app'] }).deployment.spec.template.spec;
    expect(pod.containers[0].volumeMounts).toEqual([
      { mountPath: '/tmp', name: 'writable-tmp' },
      { mountPath: '/var/cache/app', name: 'writable-var-cache-app' },
    ]);
    expect(pod.volumes.map((v: { name: string }) => v.name)).toEqual(['writable-tmp', 'writable-var-cache-app']);
  });

  it('writes the requested quantities verbatim', () => {
    const c = synth({ resources: { requests: { cpu: '250m', memory: '1.5Gi' }, limits: { cpu: '2', memory: '3Gi' } } }).deployment.spec.template.spec.containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '1.5Gi' }, limits: { cpu: '2', memory: '3Gi' } });
  });

  it('probes readiness and liveness by port name, and allows a slow start', () => {
    const c = synth({ readinessProbe: { path: '/ready' }, livenessProbe: { path: '/live' } }).deployment.spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http', scheme: 'HTTP' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/live', port: 'http', scheme: 'HTTP' });
    expect(c.startupProbe).toMatchObject({ httpGet: { path: '/live', port: 'http' }, failureThreshold: 30, periodSeconds: 2 });
  });

  it('drains with a native preStop sleep, or exec sleep on clusters before 1.30', () => {
    expect(synth({ preStopSleepSeconds: 7 }).deployment.spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 7 } } });
    expect(synth({ nativeSleepAction: false }).deployment.spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    expect(synth({ preStopSleepSeconds: 0 }).deployment.spec.template.spec.containers[0].lifecycle).toBeUndefined();
  });

  it('selects pods on name and instance only, never on version', () => {
    const { deployment, service } = synth({ instance: 'api-prod', version: '1.2.3' });
    const stable = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api-prod' };
    expect(deployment.spec.selector).toEqual({ matchLabels: stable });
    expect(service.spec.selector).toEqual(stable);
    expect(deployment.spec.template.metadata.labels['app.kubernetes.io/version']).toBe('1.2.3');
    for (const c of deployment.spec.template.spec.topologySpreadConstraints) expect(c.labelSelector.matchLabels).toEqual(stable);
  });

  it('spreads pods across zones and nodes without blocking scheduling on a single-zone cluster', () => {
    const constraints = synth().deployment.spec.template.spec.topologySpreadConstraints;
    expect(constraints.map((c: { topologyKey: string; whenUnsatisfiable: string }) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ]);
  });

  it('does not mount the ServiceAccount token unless asked', () => {
    expect(synth().deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(synth().account.automountServiceAccountToken).toBe(false);
    expect(synth({ automountServiceAccountToken: true }).deployment.spec.template.spec.automountServiceAccountToken).toBe(true);
  });

  it('targets container ports by name from the Service', () => {
    expect(synth().service.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }]);
  });

  it('adds secret references after the plain variables', () => {
    const chart = Testing.chart();
    const web = new WebService(chart, 'api', { image: 'a/b:1', ports: [{ name: 'http', port: 80 }], env: { B: '2', A: '1' } });
    web.workload.addEnv({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } });
    const dep = (Testing.synth(chart) as Obj[]).find((o) => o.kind === 'Deployment')!;
    expect(dep.spec.template.spec.containers[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
    ]);
    expect(() => web.workload.addEnv({ name: 'A', value: 'x' })).toThrow('environment variable A is set twice');
  });

  it('leaves spec.replicas unset once an autoscaler owns the count', () => {
    const chart = Testing.chart();
    const web = new WebService(chart, 'api', { image: 'a/b:1', ports: [{ name: 'http', port: 80 }], replicas: 3 });
    web.workload.markAutoscaled();
    const dep = (Testing.synth(chart) as Obj[]).find((o) => o.kind === 'Deployment')!;
    expect(dep.spec.replicas).toBeUndefined();
    expect(synth({ replicas: 3 }).deployment.spec.replicas).toBe(3);
  });

  it('fails when a limit is below its request', () => {
    expect(() => synth({ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } } })).toThrow('cpu limit 500m is below the request 1');
  });

  it('fails without a port', () => {
    expect(() => synth({ ports: [] })).toThrow('a WebService needs at least one port');
  });

  it('fails on a port name longer than 15 characters', () => {
    expect(() => synth({ ports: [{ name: 'http-public-facing', port: 80 }] })).toThrow('port name "http-public-facing" is not a valid port name');
  });
});
