import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppDeployment, type AppSidecar } from '../../lib/workloads/app-deployment';

const exporter: AppSidecar = {
  name: 'exporter',
  image: 'example.com/exporter:1.0.0',
  ports: [{ name: 'metrics', port: 9198 }],
  resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
  readinessProbe: { path: '/health' },
  livenessProbe: { path: '/health', periodSeconds: 20 },
};

function app() {
  const chart = Testing.chart();
  const deployment = new AppDeployment(chart, 'app', { image: 'example.com/app:1.0.0', ports: [{ name: 'http', port: 8080 }] });
  return { chart, deployment };
}

describe('AppDeployment.addSidecar', () => {
  it('adds a sidecar under restricted Pod Security, with its own resources, port and probes', () => {
    const { chart, deployment } = app();
    deployment.addSidecar({ ...exporter, runAsUser: 65534, env: { TARGET: 'http://localhost:8080' } });
    const pod = Testing.synth(chart).find((o) => o.kind === 'Deployment')!.spec.template.spec;
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(['app', 'exporter']);
    const sidecar = pod.containers[1];
    expect(sidecar.securityContext).toEqual({
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true,
      runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(sidecar.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } });
    // Probes default to the sidecar's own first port, not the main container's.
    expect(sidecar.readinessProbe.httpGet).toEqual({ path: '/health', port: 'metrics', scheme: 'HTTP' });
    expect(sidecar.livenessProbe.periodSeconds).toBe(20);
    expect(sidecar.env).toEqual([{ name: 'TARGET', value: 'http://localhost:8080' }]);
  });

  it('runs the sidecar as the pod\'s user unless told otherwise', () => {
    const { chart, deployment } = app();
    deployment.addSidecar(exporter);
    const pod = Testing.synth(chart).find((o) => o.kind === 'Deployment')!.spec.template.spec;
    expect(pod.containers[1].securityContext.runAsUser).toBe(pod.containers[0].securityContext.runAsUser);
  });

  it('fails on a container name or port name already used in the pod', () => {
    const { deployment } = app();
    expect(() => deployment.addSidecar({ ...exporter, name: 'app' })).toThrow('container app is added twice');
    expect(() => deployment.addSidecar({ ...exporter, ports: [{ name: 'http', port: 9000 }] })).toThrow('port name http is used twice in the pod');
  });

  it('fails when a sidecar limit is below its request', () => {
    const { deployment } = app();
    expect(() => deployment.addSidecar({ ...exporter, resources: { requests: { cpu: '200m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } } }))
      .toThrow('sidecar exporter cpu limit 100m is below the request 200m');
  });
});
