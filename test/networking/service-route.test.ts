import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from '../../lib/networking/security-headers';
import { ServiceRoute, type ServiceRouteProps } from '../../lib/networking/service-route';

function synth(props: Partial<ServiceRouteProps> = {}) {
  const chart = Testing.chart();
  new ServiceRoute(chart, 'dashboard', {
    gateway: { name: 'atlas', sectionNames: ['https-app.example.com'] },
    hostnames: ['app.example.com'],
    backends: [{ serviceName: 'dashboard', port: 80 }],
    ...props,
  });
  return Testing.synth(chart)[0] as { metadata: { name: string }; spec: any };
}

describe('ServiceRoute', () => {
  it('attaches to the HTTPS listeners only and matches path prefixes', () => {
    const route = synth({ paths: ['/', '/static'] });
    expect(route.spec.parentRefs).toEqual([{ name: 'atlas', sectionName: 'https-app.example.com' }]);
    expect(route.spec.hostnames).toEqual(['app.example.com']);
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }, { path: { type: 'PathPrefix', value: '/static' } }]);
    expect(route).toMatchSnapshot();
  });

  it('attaches to a Gateway in another namespace by naming that namespace in its parent references', () => {
    const route = synth({ gateway: { name: 'atlas', namespace: 'shop', sectionNames: ['https-kibana.example.com'] } });
    expect(route.spec.parentRefs).toEqual([{ name: 'atlas', namespace: 'shop', sectionName: 'https-kibana.example.com' }]);
  });

  it('sets the security headers on every response with a ResponseHeaderModifier filter', () => {
    const [filter] = synth({ responseHeaders: securityHeaders({ frameOptions: 'SAMEORIGIN' }) }).spec.rules[0].filters;
    expect(filter.type).toBe('ResponseHeaderModifier');
    expect(filter.responseHeaderModifier.set).toEqual([
      { name: 'Content-Security-Policy', value: "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'" },
      { name: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
      { name: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' },
      { name: 'X-Content-Type-Options', value: 'nosniff' },
      { name: 'X-Frame-Options', value: 'SAMEORIGIN' },
    ]);
  });

  it('answers CORS with a CORS filter carrying the typed options', () => {
    const filters = synth({ cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true, maxAgeSeconds: 300 } }).spec.rules[0].filters;
    expect(filters).toEqual([{
      type: 'CORS',
      cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], allowHeaders: ['Authorization', 'Content-Type'], allowCredentials: true, maxAge: 300 },
    }]);
  });

  it('times requests out after 60 seconds, and websocket paths after their own timeout in a separate rule', () => {
    const rules = synth({ websocket: { paths: ['/live'], timeoutSeconds: 7200 } }).spec.rules;
    expect(rules.map((r: any) => [r.name, r.matches.map((m: any) => m.path.value), r.timeouts])).toEqual([
      ['http', ['/'], { request: '60s' }],
      ['websocket', ['/live'], { request: '7200s' }],
    ]);
  });

  it('splits traffic between weighted backends, as a canary does', () => {
    const refs = synth({ backends: [{ serviceName: 'dashboard', port: 80, weight: 90 }, { serviceName: 'dashboard-canary', port: 80, weight: 10 }] }).spec.rules[0].backendRefs;
    expect(refs).toEqual([
      { group: '', kind: 'Service', name: 'dashboard', port: 80, weight: 90 },
      { group: '', kind: 'Service', name: 'dashboard-canary', port: 80, weight: 10 },
    ]);
  });

  it('fails on a negative weight', () => {
    expect(() => synth({ backends: [{ serviceName: 'dashboard', port: 80, weight: -1 }] })).toThrow('dashboard: backend weight must be a whole number from 0 to 1000000; received -1');
  });

  it('fails without a backend', () => {
    expect(() => synth({ backends: [] })).toThrow('dashboard: a route needs at least one backend');
  });
});
