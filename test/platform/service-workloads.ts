// Test helper: the objects that run a service's pods, whatever its delivery strategy.

type Workload = { readonly kind: string; readonly spec?: any };

/**
 * The Deployments and Rollouts running a service's pods, found by their pods' `app.kubernetes.io/name`:
 * one Deployment, a blue-green pair, a stable and a canary Deployment, or an Argo Rollout.
 */
export function serviceWorkloads<T extends Workload>(objects: readonly T[], service: string): T[] {
  const found = objects.filter((o) => (o.kind === 'Deployment' || o.kind === 'Rollout') && o.spec?.template?.metadata?.labels?.['app.kubernetes.io/name'] === service);
  if (found.length === 0) throw new Error(`no Deployment or Rollout runs the pods of ${service}`);
  return found;
}
