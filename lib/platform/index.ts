import { App } from 'cdk8s';
import type { ResolvedPlatform } from '../spec';
import { buildApps } from './apps';
import { buildAutoscaling } from './autoscaling';
import { PlatformContext } from './context';
import { buildData, buildStorage, connectDataClients, declareDatabaseWriters } from './data';
import { buildMetrics } from './metrics';
import { buildNetworkPolicies } from './network-policies';
import { buildNamespaces, buildSecurity, completeTenancy } from './security';
import { buildTelemetry } from './telemetry';
import { buildTraffic } from './traffic';

export { ComponentChart, PlatformContext, metricsPortNames, withSyncWave, type ClusterFlow, type ComponentExposure, type Endpoint, type EndpointMetrics, type EndpointPort, type ExternalFlow, type Flow, type FlowPeer, type NamespaceRequest, type PodResources, type SecretReference, type WorkloadInfo } from './context';

/** Maps a resolved platform onto constructs: one cdk8s App, one chart per component. */
export function buildPlatform(platform: ResolvedPlatform): PlatformContext {
  const ctx = new PlatformContext(new App(), platform);
  // Order: components that serve traffic register endpoints first; wiring that reads all
  // endpoints (network policies, scraping, overview) comes after them.
  buildNamespaces(ctx);
  buildStorage(ctx);
  const stores = buildData(ctx);
  const apps = buildApps(ctx);
  connectDataClients(ctx, apps, stores);
  buildSecurity(ctx, apps);
  buildTelemetry(ctx, apps);
  buildTraffic(ctx, apps);
  // Disruption budgets derive from every registered workload and the autoscalers' bounds.
  buildAutoscaling(ctx, apps);
  // Restore runbooks stop every workload of a database's clients, each by its replica owner: after autoscaling.
  declareDatabaseWriters(ctx, stores);
  // Scraping, rules and dashboards read every endpoint and workload (with autoscaler bounds): after the components.
  buildMetrics(ctx);
  // The policy graph reads every endpoint and flow registered above.
  buildNetworkPolicies(ctx);
  // After every builder: namespaces, quota sums and secret references need every component's registrations.
  completeTenancy(ctx);
  return ctx;
}
