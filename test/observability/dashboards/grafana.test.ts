import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DashboardConfigMap } from '../../../lib/observability/dashboards/dashboard-config-map';
import { Grafana, type GrafanaProps } from '../../../lib/observability/dashboards/grafana';
import { platformDashboards } from '../../../lib/observability/dashboards/platform-dashboards';

const props: GrafanaProps = {
  image: 'docker.io/grafana/grafana:12.1.1',
  adminSecret: 'grafana-admin',
  folder: 'shop',
  dashboardConfigMaps: ['shop-dev-dashboards'],
  dataSources: [{ name: 'Prometheus', uid: 'prometheus', type: 'prometheus', url: 'http://prometheus.monitoring.svc:9090', isDefault: true }],
};
const dashboards = platformDashboards({
  platform: 'shop', environment: 'dev',
  webServices: [{ name: 'api', namespace: 'shop-dev', job: 'api' }],
  workloads: [{ name: 'api', namespace: 'shop-dev', kind: 'Deployment' }],
  http: { requests: 'http_requests_total', duration: 'http_request_duration_seconds', statusLabel: 'code', routeLabel: 'route' },
});

describe('Grafana', () => {
  it('reads admin credentials from a mounted Secret and writes none', () => {
    const chart = Testing.chart();
    new Grafana(chart, 'grafana', props);
    const objects = Testing.synth(chart);
    const pod = objects.find((o) => o.kind === 'Deployment').spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ GF_SECURITY_ADMIN_USER__FILE: '/etc/grafana/admin/admin-user', GF_SECURITY_ADMIN_PASSWORD__FILE: '/etc/grafana/admin/admin-password', GF_USERS_ALLOW_SIGN_UP: 'false', GF_AUTH_ANONYMOUS_ENABLED: 'false' });
    expect(pod.volumes).toContainEqual({ name: 'admin', secret: { secretName: 'grafana-admin', defaultMode: 0o440, optional: false } });
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    expect(JSON.stringify(objects)).not.toMatch(/GF_SECURITY_ADMIN_PASSWORD"/);
    expect(objects).toMatchSnapshot();
  });

  it('provisions the Prometheus data source and the dashboard folder, read-only in the UI', () => {
    const chart = Testing.chart();
    const g = new Grafana(chart, 'grafana', props);
    const ds = parse(g.provisioning['datasources/datasources.yaml']);
    expect(ds.datasources).toEqual([{ name: 'Prometheus', uid: 'prometheus', type: 'prometheus', access: 'proxy', url: 'http://prometheus.monitoring.svc:9090', isDefault: true, editable: false }]);
    const provider = parse(g.provisioning['dashboards/dashboards.yaml']).providers[0];
    expect(provider).toMatchObject({ folder: 'shop', type: 'file', allowUiUpdates: false, options: { path: '/var/lib/grafana-dashboards' } });
    const pod = Testing.synth(chart).find((o) => o.kind === 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'dashboards', projected: { defaultMode: 0o444, sources: [{ configMap: { name: 'shop-dev-dashboards' } }] } });
  });

  it('authenticates a data source with a mounted password file and CA, never a value in the ConfigMap', () => {
    const chart = Testing.chart();
    const g = new Grafana(chart, 'grafana', {
      ...props,
      dataSources: [...props.dataSources, {
        name: 'Logs', uid: 'logs', type: 'elasticsearch', url: 'https://es.obs.svc:9200',
        basicAuth: { user: 'grafana', passwordFile: '/etc/grafana/secrets/es/password' }, caCertFile: '/etc/grafana/secrets/es/ca.crt',
      }],
      secretMounts: [{ name: 'es', secretName: 'grafana-elasticsearch', mountPath: '/etc/grafana/secrets/es' }],
    });
    const logs = parse(g.provisioning['datasources/datasources.yaml']).datasources[1];
    expect(logs).toMatchObject({
      basicAuth: true, basicAuthUser: 'grafana', jsonData: { tlsAuthWithCACert: true },
      secureJsonData: { basicAuthPassword: '$__file{/etc/grafana/secrets/es/password}', tlsCACert: '$__file{/etc/grafana/secrets/es/ca.crt}' },
    });
    const pod = Testing.synth(chart).find((o) => o.kind === 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'es', secret: { secretName: 'grafana-elasticsearch', defaultMode: 0o440, optional: false } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'es', mountPath: '/etc/grafana/secrets/es', readOnly: true });
  });

  it('runs hardened as the grafana user with a read-only root', () => {
    const chart = Testing.chart();
    new Grafana(chart, 'grafana', props);
    const pod = Testing.synth(chart).find((o) => o.kind === 'Deployment').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 472, fsGroup: 472, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('fails without exactly one default data source', () => {
    expect(() => new Grafana(Testing.chart(), 'g', { ...props, dataSources: [{ ...props.dataSources[0], isDefault: false }] })).toThrow('received 0');
  });
});

describe('DashboardConfigMap', () => {
  it('holds one JSON file per dashboard, with the sidecar label and folder annotation when given', () => {
    const chart = Testing.chart();
    new DashboardConfigMap(chart, 'dashboards', { name: 'shop-dev-dashboards', dashboards, labels: { grafana_dashboard: '1' }, annotations: { grafana_folder: 'shop' } });
    const [cm] = Testing.synth(chart);
    expect(cm.metadata).toMatchObject({ name: 'shop-dev-dashboards', labels: { grafana_dashboard: '1' }, annotations: { grafana_folder: 'shop' } });
    expect(Object.keys(cm.data).sort()).toEqual(['api-performance.json', 'autoscaling.json', 'infrastructure.json']);
    expect(JSON.parse(cm.data['api-performance.json']).uid).toBe('shop-dev-api-performance');
  });

  it('fails on two dashboards with the same uid', () => {
    expect(() => new DashboardConfigMap(Testing.chart(), 'd', { dashboards: [dashboards[0], { ...dashboards[0], name: 'copy' }] })).toThrow('share the uid shop-dev-api-performance');
  });
});
