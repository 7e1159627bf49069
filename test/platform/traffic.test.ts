import { describe, expect, it } from 'vitest';
import { environmentSources } from '../../environments';
import { resolvePlatform } from '../../lib/spec';
import { synthesize, synthesizePlatforms, type KubeObject } from '../../lib/synth';

const envs = new Map(synthesize(environmentSources).environments.map((e) => [e.environment, e]));
const objectsOf = (env: string) => envs.get(env)!.files.flatMap((f) => f.objects) as (KubeObject & { spec: any })[];
const kinds = (env: string) => new Set(objectsOf(env).map((o) => o.kind));
const A = 'nginx.ingress.kubernetes.io';

describe('traffic of the reference platform', () => {
  it.each(['dev', 'staging'])('routes %s through NGINX Ingress, with no Gateway API objects', (env) => {
    expect(kinds(env).has('Ingress')).toBe(true);
    expect([...kinds(env)].filter((k) => ['Gateway', 'HTTPRoute', 'GatewayClass'].includes(k))).toEqual([]);
    const hosts = objectsOf(env).filter((o) => o.kind === 'Ingress').map((o) => [o.metadata.name, o.spec.rules.map((r: any) => r.host).join(), o.spec.rules[0].http.paths.map((p: any) => p.path).join()]);
    expect(hosts).toEqual([
      ['api', `api.${env}.atlas.example.com`, '/'],
      ['dashboard', `app.${env}.atlas.example.com`, '/'],
      ['dashboard-websocket', `app.${env}.atlas.example.com`, '/live'],
    ]);
  });

  it('routes prod\'s services and Kibana through the Gateway API with cert-manager certificates and no Ingress', () => {
    expect(objectsOf('prod').filter((o) => o.kind === 'Ingress')).toEqual([]);
    const certificates = objectsOf('prod').filter((o) => o.kind === 'Certificate').map((o) => [o.metadata.name, o.spec.dnsNames.join(), o.spec.issuerRef.name]);
    expect(certificates).toEqual([
      ['api-tls', 'api.atlas.example.com', 'letsencrypt-prod'], ['dashboard-tls', 'app.atlas.example.com', 'letsencrypt-prod'], ['kibana-tls', 'kibana.atlas.example.com', 'letsencrypt-prod'],
    ]);
    const routes = objectsOf('prod').filter((o) => o.kind === 'HTTPRoute').map((o) => [o.metadata.name, o.spec.parentRefs.map((p: any) => p.sectionName).join()]);
    expect(routes).toEqual([['api', 'https-api.atlas.example.com'], ['dashboard', 'https-app.atlas.example.com'], ['atlas-https-redirect', 'http'], ['kibana', 'https-kibana.atlas.example.com']]);
  });

  it('lets cert-manager issue staging certificates, while dev uses a named Secret', () => {
    const issuer = (env: string) => objectsOf(env).find((o) => o.kind === 'Ingress' && o.metadata.name === 'api')!.metadata.annotations as Record<string, string>;
    expect(issuer('staging')['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    expect(issuer('dev')['cert-manager.io/cluster-issuer']).toBeUndefined();
    expect(objectsOf('dev').find((o) => o.kind === 'Ingress' && o.metadata.name === 'api')!.spec.tls).toEqual([{ hosts: ['api.dev.atlas.example.com'], secretName: 'api-tls' }]);
  });

  it('gives the dashboard\'s websocket route long timeouts on NGINX and on the Gateway', () => {
    const ws = objectsOf('staging').find((o) => o.metadata.name === 'dashboard-websocket')!.metadata.annotations as Record<string, string>;
    expect([ws[`${A}/proxy-read-timeout`], ws[`${A}/proxy-send-timeout`]]).toEqual(['3600', '3600']);
    // The websocket Ingress reuses the main Ingress's certificate instead of requesting a second one.
    expect(ws['cert-manager.io/cluster-issuer']).toBeUndefined();
    const route = objectsOf('prod').find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'dashboard')!;
    expect(route.spec.rules.map((r: any) => [r.name, r.timeouts.request])).toEqual([['http', '60s'], ['websocket', '3600s']]);
  });

  it('answers the dashboard\'s cross-origin calls to the api from app.<domain> only', () => {
    const ingress = objectsOf('staging').find((o) => o.kind === 'Ingress' && o.metadata.name === 'api')!.metadata.annotations as Record<string, string>;
    expect(ingress[`${A}/cors-allow-origin`]).toBe('https://app.staging.atlas.example.com');
    const route = objectsOf('prod').find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'api')!;
    expect(route.spec.rules[0].filters.find((f: any) => f.type === 'CORS').cors.allowOrigins).toEqual(['https://app.atlas.example.com']);
  });

  it('limits a production environment on NGINX to 100 requests per minute per client by default', () => {
    const staging = envs.get('staging')!.platform;
    const input = { ...JSON.parse(JSON.stringify(staging)), production: true };
    delete input.services.find((s: { name: string }) => s.name === 'api').exposure.rateLimit;
    const asProduction = resolvePlatform('staging', input);
    const [env] = synthesizePlatforms([asProduction]).environments;
    const annotationsOf = (name: string) => env.files.flatMap((f) => f.objects).find((o) => o.kind === 'Ingress' && o.metadata.name === name)!.metadata.annotations as Record<string, string>;
    expect(annotationsOf('dashboard')[`${A}/limit-rpm`]).toBe('100');
    expect(annotationsOf('dashboard-websocket')[`${A}/limit-rpm`]).toBe('100');
    expect(annotationsOf('api')[`${A}/limit-rpm`]).toBe('100');
    // staging itself is not production: only its explicit api limit applies.
    const stagingAnnotations = (name: string) => objectsOf('staging').find((o) => o.metadata.name === name && o.kind === 'Ingress')!.metadata.annotations as Record<string, string>;
    expect(stagingAnnotations('dashboard')[`${A}/limit-rpm`]).toBeUndefined();
    expect(stagingAnnotations('api')[`${A}/limit-rpm`]).toBe('600');
  });
});
