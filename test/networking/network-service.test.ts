import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { NetworkService, type NetworkServiceProps } from '../../lib/networking/network-service';
import { ServiceType, SessionAffinity } from '../../lib/networking/service-type';

const selector = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api-prod' };

function synth(props: Partial<NetworkServiceProps> = {}) {
  const chart = Testing.chart();
  new NetworkService(chart, 'api', { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...props });
  return Testing.synth(chart)[0] as { metadata: { name: string; annotations?: Record<string, string> }; spec: any };
}

describe('NetworkService', () => {
  it('is a ClusterIP Service targeting ports by name by default', () => {
    const svc = synth();
    expect(svc.spec).toEqual({ type: 'ClusterIP', selector, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] });
    expect(svc).toMatchSnapshot();
  });

  it('has no cluster IP when headless, so DNS answers with pod addresses', () => {
    expect(synth({ type: ServiceType.headless() }).spec).toMatchObject({ type: 'ClusterIP', clusterIP: 'None' });
  });

  it('keeps client source IPs on NodePort and LoadBalancer Services', () => {
    expect(synth({ type: ServiceType.nodePort() }).spec).toMatchObject({ type: 'NodePort', externalTrafficPolicy: 'Local' });
    expect(synth({ type: ServiceType.loadBalancer() }).spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
  });

  it('makes a load balancer internal with each provider\'s annotation', () => {
    expect(synth({ type: ServiceType.loadBalancer({ provider: 'aws', internal: true }) }).metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    });
    expect(synth({ type: ServiceType.loadBalancer({ provider: 'aws' }) }).metadata.annotations?.['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe('internet-facing');
    expect(synth({ type: ServiceType.loadBalancer({ provider: 'gcp', internal: true }) }).metadata.annotations).toEqual({ 'networking.gke.io/load-balancer-type': 'Internal' });
    expect(synth({ type: ServiceType.loadBalancer({ provider: 'azure', internal: true }) }).metadata.annotations).toEqual({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' });
    expect(synth({ type: ServiceType.loadBalancer({ provider: 'gcp' }) }).metadata.annotations).toBeUndefined();
  });

  it('admits only the source ranges given to a load balancer', () => {
    expect(synth({ type: ServiceType.loadBalancer({ provider: 'aws', sourceRanges: ['10.0.0.0/8'] }) }).spec.loadBalancerSourceRanges).toEqual(['10.0.0.0/8']);
  });

  it('pins each client IP to one pod for the affinity timeout', () => {
    expect(synth({ sessionAffinity: SessionAffinity.clientIp(1800) }).spec).toMatchObject({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 1800 } } });
    expect(synth({ sessionAffinity: SessionAffinity.none() }).spec.sessionAffinity).toBeUndefined();
  });

  it('fails on an internal load balancer without a cloud provider', () => {
    expect(() => ServiceType.loadBalancer({ internal: true })).toThrow('an internal load balancer needs a cloud provider (aws, gcp or azure); received provider "local"');
  });

  it('fails on a session affinity timeout beyond a day', () => {
    expect(() => SessionAffinity.clientIp(86401)).toThrow('ClientIP session affinity needs a timeout from 1 to 86400 seconds; received 86401');
  });

  it('fails on an empty selector, which would send traffic to every pod of the namespace', () => {
    expect(() => synth({ selector: {} })).toThrow('api: a Service needs a pod selector; an empty one would match every pod in the namespace');
  });

  it('fails on a port name longer than 15 characters', () => {
    expect(() => synth({ ports: [{ name: 'http-public-facing', port: 80 }] })).toThrow('port name "http-public-facing" is not a valid port name');
  });
});
