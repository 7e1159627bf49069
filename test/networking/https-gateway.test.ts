import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { HttpsGateway, type HttpsGatewayProps } from '../../lib/networking/https-gateway';

type Obj = { kind: string; metadata: { name: string }; spec: any };

function synth(props: Partial<HttpsGatewayProps> = {}) {
  const chart = Testing.chart();
  new HttpsGateway(chart, 'atlas', {
    gatewayClassName: 'envoy-gateway',
    hosts: [{ hostname: 'api.example.com', secretName: 'api-tls' }, { hostname: 'app.example.com', secretName: 'dashboard-tls' }],
    clusterIssuer: 'letsencrypt-prod',
    ...props,
  });
  const objects = Testing.synth(chart) as Obj[];
  return { objects, gateway: objects.find((o) => o.kind === 'Gateway')!, routes: objects.filter((o) => o.kind === 'HTTPRoute'), certificates: objects.filter((o) => o.kind === 'Certificate') };
}

describe('HttpsGateway', () => {
  it('has a plain-HTTP listener on 80 and one HTTPS listener per host terminating TLS with its certificate', () => {
    const { gateway, objects } = synth();
    expect(gateway.spec.gatewayClassName).toBe('envoy-gateway');
    expect(gateway.spec.listeners.map((l: any) => [l.name, l.protocol, l.port, l.hostname, l.tls?.certificateRefs?.[0]?.name])).toEqual([
      ['http', 'HTTP', 80, undefined, undefined],
      ['https-api.example.com', 'HTTPS', 443, 'api.example.com', 'api-tls'],
      ['https-app.example.com', 'HTTPS', 443, 'app.example.com', 'dashboard-tls'],
    ]);
    for (const l of gateway.spec.listeners) expect(l.allowedRoutes).toEqual({ namespaces: { from: 'Same' } });
    expect(objects).toMatchSnapshot();
  });

  it('lets routes attach to a host\'s listener from the one other namespace it names, and nowhere else', () => {
    const { gateway, certificates } = synth({ hosts: [{ hostname: 'api.example.com', secretName: 'api-tls' }, { hostname: 'kibana.example.com', secretName: 'kibana-tls', routeNamespace: 'shop-telemetry' }] });
    const allowed = Object.fromEntries(gateway.spec.listeners.map((l: any) => [l.name, l.allowedRoutes]));
    expect(allowed['https-api.example.com']).toEqual({ namespaces: { from: 'Same' } });
    expect(allowed['https-kibana.example.com']).toEqual({ namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop-telemetry' } } } });
    // The certificate stays beside the Gateway, which reads it.
    expect(certificates.map((c) => c.metadata.name)).toEqual(['api-tls', 'kibana-tls']);
    expect(() => synth({ hosts: [{ hostname: 'kibana.example.com', secretName: 'kibana-tls', routeNamespace: 'Shop_Telemetry' }] })).toThrow('route namespace "Shop_Telemetry" of kibana.example.com is not a DNS-1123 label');
  });

  it('only redirects on HTTP: its one route on the HTTP listener answers 301 to https and has no backend', () => {
    const { routes } = synth();
    expect(routes).toHaveLength(1);
    const [redirect] = routes;
    expect(redirect.metadata.name).toBe('atlas-https-redirect');
    expect(redirect.spec.parentRefs).toEqual([{ name: 'atlas', sectionName: 'http' }]);
    expect(redirect.spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
    expect(redirect.spec.rules.some((r: any) => r.backendRefs !== undefined)).toBe(false);
  });

  it('keeps one cert-manager Certificate per Secret, for that Secret\'s hosts', () => {
    const { certificates } = synth({ hosts: [{ hostname: 'api.example.com', secretName: 'api-tls' }, { hostname: 'api.example.org', secretName: 'api-tls' }] });
    expect(certificates.map((c) => [c.metadata.name, c.spec.secretName, c.spec.dnsNames, c.spec.issuerRef])).toEqual([
      ['api-tls', 'api-tls', ['api.example.com', 'api.example.org'], { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-prod' }],
    ]);
  });

  it('expects the Secrets to exist when no issuer is given', () => {
    expect(synth({ clusterIssuer: undefined }).certificates).toEqual([]);
  });

  it('fails on a host listed twice', () => {
    expect(() => synth({ hosts: [{ hostname: 'api.example.com', secretName: 'a' }, { hostname: 'api.example.com', secretName: 'b' }] })).toThrow('atlas: host api.example.com is listed twice');
  });

  it('fails without hosts', () => {
    expect(() => synth({ hosts: [] })).toThrow('atlas: a Gateway needs at least one HTTPS host');
  });
});
