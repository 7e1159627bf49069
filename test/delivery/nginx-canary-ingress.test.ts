import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { NginxCanaryIngress } from '../../lib/delivery/nginx-canary-ingress';

const A = 'nginx.ingress.kubernetes.io';

describe('NginxCanaryIngress', () => {
  it('pairs with the main Ingress on its hosts and paths and sends the weight, out of 100, to the canary Service', () => {
    const chart = Testing.chart();
    new NginxCanaryIngress(chart, 'shop-canary', {
      hosts: ['shop.example.com'], paths: ['/', '/api'], backend: { serviceName: 'shop-canary', port: 80 }, weight: 10, tlsSecretName: 'shop-tls',
    });
    const [ingress] = Testing.synth(chart);
    expect(ingress.metadata.annotations).toEqual({ [`${A}/canary`]: 'true', [`${A}/canary-weight`]: '10', [`${A}/canary-weight-total`]: '100' });
    expect(ingress.spec.rules).toEqual([{
      host: 'shop.example.com',
      http: { paths: ['/', '/api'].map((path) => ({ path, pathType: 'Prefix', backend: { service: { name: 'shop-canary', port: { number: 80 } } } })) },
    }]);
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
    expect(ingress).toMatchSnapshot();
  });

  it('fails on a weight outside 0–100', () => {
    expect(() => new NginxCanaryIngress(Testing.chart(), 'shop-canary', { hosts: ['shop.example.com'], backend: { serviceName: 'shop-canary', port: 80 }, weight: 120 }))
      .toThrow('shop-canary: the canary weight must be a whole percentage from 0 to 100; received 120');
  });
});
