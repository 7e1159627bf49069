import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { Filebeat } from '../../../lib/observability/logging/filebeat';

type Obj = { kind: string; metadata: { name: string }; spec: any; rules?: any[]; subjects?: any[]; data?: Record<string, string> };

function synth() {
  const chart = Testing.chart();
  new Filebeat(chart, 'filebeat', { image: 'docker.elastic.co/beats/filebeat:9.4.1', namespace: 'atlas-prod-log-shipper', logstashHost: 'logstash.atlas-prod-telemetry.svc:5044' });
  const objects = Testing.synth(chart) as Obj[];
  const get = (kind: string) => objects.find((o) => o.kind === kind)!;
  const pod = get('DaemonSet').spec.template.spec;
  return { objects, get, pod, container: pod.containers[0], config: YAML.parse(get('ConfigMap').data!['filebeat.yml']) };
}

describe('Filebeat', () => {
  it('emits its config, ServiceAccount, cluster RBAC and DaemonSet', () => {
    const { objects } = synth();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/filebeat', 'ServiceAccount/filebeat', 'ClusterRole/atlas-prod-log-shipper-filebeat', 'ClusterRoleBinding/atlas-prod-log-shipper-filebeat', 'DaemonSet/filebeat',
    ]);
    expect(objects).toMatchSnapshot();
  });

  it('mounts the node log folders read-only and nothing else of the host but its registry', () => {
    const { pod, container } = synth();
    const hostPaths = pod.volumes.filter((v: any) => v.hostPath).map((v: any) => [v.name, v.hostPath.path]);
    expect(hostPaths).toEqual([['var-log-containers', '/var/log/containers'], ['var-log-pods', '/var/log/pods'], ['registry', '/var/lib/atlas-prod-log-shipper-filebeat']]);
    const mounts = Object.fromEntries(container.volumeMounts.map((m: any) => [m.name, m.readOnly ?? false]));
    expect(mounts).toMatchObject({ 'var-log-containers': true, 'var-log-pods': true, registry: false });
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.hostPID ?? false).toBe(false);
  });

  it('runs with the tightest settings that still read root-owned logs: no capabilities, no escalation, read-only root', () => {
    const { container } = synth();
    expect(container.securityContext).toEqual({
      runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, privileged: false, allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.resources.limits).toEqual({ cpu: '500m', memory: '256Mi' });
  });

  it('runs on every node, tainted ones included', () => {
    expect(synth().pod.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('may only read pods, namespaces and nodes from the API', () => {
    const { get } = synth();
    expect(get('ClusterRole').rules).toEqual([{ apiGroups: [''], resources: ['pods', 'namespaces', 'nodes'], verbs: ['get', 'list', 'watch'] }]);
    expect(get('ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'filebeat', namespace: 'atlas-prod-log-shipper' }]);
  });

  it('reads container logs with Kubernetes metadata and sends them to Logstash', () => {
    const { config } = synth();
    expect(config['filebeat.inputs'][0].paths).toEqual(['/var/log/containers/*.log']);
    expect(config['filebeat.inputs'][0].processors[0]).toHaveProperty('add_kubernetes_metadata');
    expect(config['output.logstash'].hosts).toEqual(['logstash.atlas-prod-telemetry.svc:5044']);
  });
});
