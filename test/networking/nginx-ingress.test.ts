import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { IngressTls, NginxIngress, type NginxIngressProps } from '../../lib/networking/nginx-ingress';
import { securityHeaders } from '../../lib/networking/security-headers';

type Obj = { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec: any; data?: Record<string, string> };

function synth(props: Partial<NginxIngressProps> = {}) {
  const chart = Testing.chart();
  const ingress = new NginxIngress(chart, 'api', {
    hosts: ['api.example.com'],
    backend: { serviceName: 'api', port: 80 },
    tls: IngressTls.certManager('letsencrypt-prod', 'api-tls'),
    ...props,
  });
  const objects = Testing.synth(chart) as Obj[];
  return { ingress, objects, object: objects.find((o) => o.kind === 'Ingress')!, annotations: objects.find((o) => o.kind === 'Ingress')!.metadata.annotations! };
}

const A = 'nginx.ingress.kubernetes.io';

describe('NginxIngress', () => {
  it('routes every host and path prefix to the Service port, with TLS for all hosts', () => {
    const { object, objects } = synth({ hosts: ['api.example.com', 'api.example.org'], paths: ['/', '/v2'], ingressClassName: 'nginx-internal' });
    expect(object.spec.ingressClassName).toBe('nginx-internal');
    expect(object.spec.tls).toEqual([{ hosts: ['api.example.com', 'api.example.org'], secretName: 'api-tls' }]);
    expect(object.spec.rules.map((r: any) => [r.host, r.http.paths.map((p: any) => [p.path, p.pathType, p.backend.service.name, p.backend.service.port.number])])).toEqual([
      ['api.example.com', [['/', 'Prefix', 'api', 80], ['/v2', 'Prefix', 'api', 80]]],
      ['api.example.org', [['/', 'Prefix', 'api', 80], ['/v2', 'Prefix', 'api', 80]]],
    ]);
    expect(objects).toMatchSnapshot();
  });

  it('asks cert-manager for the certificate only when it issues it', () => {
    expect(synth().annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    expect(synth({ tls: IngressTls.secret('api-tls') }).annotations['cert-manager.io/cluster-issuer']).toBeUndefined();
  });

  it('renders the typed defaults: HTTPS redirect, 10m bodies, 5s connect and 60s read and send timeouts, no rate limit', () => {
    const { annotations } = synth();
    expect(annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
      [`${A}/force-ssl-redirect`]: 'true',
      [`${A}/ssl-redirect`]: 'true',
      [`${A}/proxy-body-size`]: '10m',
      [`${A}/proxy-connect-timeout`]: '5',
      [`${A}/proxy-read-timeout`]: '60',
      [`${A}/proxy-send-timeout`]: '60',
    });
  });

  it('renders a per-client rate limit in requests per minute with its burst', () => {
    const { annotations } = synth({ rateLimit: { requestsPerMinute: 100 } });
    expect(annotations[`${A}/limit-rpm`]).toBe('100');
    expect(annotations[`${A}/limit-burst-multiplier`]).toBe('5');
  });

  it('renders CORS origins, methods, headers, credentials and preflight cache', () => {
    const { annotations } = synth({ cors: { allowOrigins: ['https://app.example.com', 'https://admin.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['Authorization'], exposeHeaders: ['X-Request-Id'], allowCredentials: true, maxAgeSeconds: 300 } });
    expect(annotations).toMatchObject({
      [`${A}/enable-cors`]: 'true',
      [`${A}/cors-allow-origin`]: 'https://app.example.com, https://admin.example.com',
      [`${A}/cors-allow-methods`]: 'GET, POST',
      [`${A}/cors-allow-headers`]: 'Authorization',
      [`${A}/cors-expose-headers`]: 'X-Request-Id',
      [`${A}/cors-allow-credentials`]: 'true',
      [`${A}/cors-max-age`]: '300',
    });
  });

  it('keeps websocket routes open with long read and send timeouts', () => {
    const { annotations } = synth({ timeouts: { readSeconds: 3600, sendSeconds: 3600 } });
    expect([annotations[`${A}/proxy-read-timeout`], annotations[`${A}/proxy-send-timeout`]]).toEqual(['3600', '3600']);
  });

  it('sets security headers from a ConfigMap in its own namespace rather than a snippet', () => {
    const chart = new Chart(Testing.app(), 'traffic', { namespace: 'atlas-prod' });
    new NginxIngress(chart, 'api', { hosts: ['api.example.com'], backend: { serviceName: 'api', port: 80 }, responseHeaders: securityHeaders() });
    const objects = Testing.synth(chart) as Obj[];
    const ingress = objects.find((o) => o.kind === 'Ingress')!;
    const configMap = objects.find((o) => o.kind === 'ConfigMap')!;
    expect(ingress.metadata.annotations![`${A}/custom-headers`]).toBe('atlas-prod/api-response-headers');
    expect(configMap.metadata.name).toBe('api-response-headers');
    expect(configMap.data).toMatchObject({ 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains', 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' });
    expect(Object.keys(ingress.metadata.annotations!).some((k) => k.endsWith('snippet'))).toBe(false);
  });

  it('does not redirect to HTTPS when it has no certificate', () => {
    const { object, annotations } = synth({ tls: undefined });
    expect(object.spec.tls).toBeUndefined();
    expect(annotations[`${A}/ssl-redirect`]).toBe('false');
  });

  it('fails on a host name that is not fully qualified', () => {
    expect(() => synth({ hosts: ['api'] })).toThrow('api: "api" is not a fully qualified host name');
  });

  it('fails on CORS credentials with any origin', () => {
    expect(() => synth({ cors: { allowOrigins: ['*'], allowCredentials: true } })).toThrow('CORS credentials cannot be combined with origin "*"');
  });

  it('fails on a body size nginx cannot read', () => {
    expect(() => synth({ bodySize: '10 MB' })).toThrow('bodySize "10 MB" is not an nginx size such as "10m"');
  });
});
