// dist/gitops/: how Argo CD or Flux sync every environment's folder. Derived from the GitOps block
// and from what the environments render, so the AppProject allows exactly their namespaces and kinds.
import { App, Chart } from 'cdk8s';
import { platformObjectIdentity, recommendedLabels } from '../core/labels';
import { ArgoCdApplication, SyncPolicy } from '../gitops/argo-cd-application';
import { ArgoCdProject, type GroupKind, type ProjectDestination } from '../gitops/argo-cd-project';
import { FluxGitRepository } from '../gitops/flux-git-repository';
import { FluxKustomization } from '../gitops/flux-kustomization';
import { SpecError, type ResolvedGitops, type ResolvedPlatform } from '../spec';

/** The API server address of the cluster a controller runs in. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** One environment as rendered: its platform and its objects. */
export interface GitopsEnvironment {
  readonly environment: string;
  readonly platform: ResolvedPlatform;
  readonly objects: ReadonlyArray<{ readonly apiVersion: string; readonly kind: string; readonly metadata: { readonly namespace?: string } }>;
}

/** The GitOps charts, each with the file it is written to under dist/gitops/. */
export interface GitopsOutput {
  readonly app: App;
  readonly charts: ReadonlyArray<{ readonly fileName: string; readonly chart: Chart }>;
}

/**
 * Argo CD (`argo-cd.k8s.yaml`: an AppProject and one Application per environment; automated sync
 * with prune and self-heal except in production, which syncs by hand) and Flux (`flux.k8s.yaml`: a
 * GitRepository and one Kustomization per environment, pruning and waiting). Apply one of them to
 * the cluster its controller runs in.
 */
export function buildGitops(spec: ResolvedGitops, environments: readonly GitopsEnvironment[]): GitopsOutput {
  const names = [...new Set(environments.map((e) => e.platform.name))];
  if (!spec.argoCd.project && names.length > 1) {
    throw new SpecError([{ environment: 'gitops', path: 'argoCd.project', received: undefined, message: `the environments belong to different platforms (${names.join(', ')}); name the AppProject` }]);
  }
  const platformName = names[0];
  const project = spec.argoCd.project ?? platformName;
  // Like the platform's other platform-level objects, versioned with the Stackwright release (the revision
  // synced is a field, so a branch switch reads as a change, not as a relabel).
  const labels = (name: string) => recommendedLabels(platformObjectIdentity({ name, instance: name, component: 'gitops', partOf: platformName }));
  const app = new App();
  const cluster = (env: string) => spec.clusters[env];
  const folder = (env: string) => `${spec.path}/${env}`;

  const argo = new Chart(app, 'argo-cd', { namespace: spec.argoCd.namespace, disableResourceNameHashes: true });
  const destinations: ProjectDestination[] = [];
  const clusterResources: GroupKind[] = [];
  const namespaceResources: GroupKind[] = [];
  for (const e of environments) {
    const namespaces = new Set<string>();
    for (const o of e.objects) {
      const kind = { group: groupOf(o.apiVersion), kind: o.kind };
      if (o.metadata.namespace === undefined) clusterResources.push(kind);
      else {
        namespaceResources.push(kind);
        namespaces.add(o.metadata.namespace);
      }
    }
    namespaces.add(e.platform.namespace);
    for (const namespace of [...namespaces].sort()) destinations.push({ ...clusterOf(cluster(e.environment)), namespace });
  }
  new ArgoCdProject(argo, 'project', {
    name: project,
    labels: labels(project),
    description: `The ${platformName} platform: ${environments.map((e) => e.environment).join(', ')}, from ${folder('<environment>')}`,
    sourceRepos: [spec.repoUrl],
    destinations,
    clusterResources,
    namespaceResources,
  });
  for (const e of environments) {
    const name = `${platformName}-${e.environment}`;
    new ArgoCdApplication(argo, e.environment, {
      name,
      labels: labels(name),
      project,
      repoUrl: spec.repoUrl,
      revision: spec.revision,
      path: folder(e.environment),
      destination: { ...clusterOf(cluster(e.environment)), namespace: e.platform.namespace },
      // Production changes when someone syncs it; the other environments follow Git by themselves.
      syncPolicy: e.platform.production ? SyncPolicy.manual() : SyncPolicy.automated({ prune: true, selfHeal: true }),
    });
  }

  const flux = new Chart(app, 'flux', { namespace: spec.flux.namespace, disableResourceNameHashes: true });
  const source = new FluxGitRepository(flux, 'source', {
    name: platformName,
    labels: labels(platformName),
    url: spec.repoUrl,
    branch: spec.revision,
    interval: spec.flux.sourceInterval,
    onlyPath: spec.path,
  });
  for (const e of environments) {
    const name = `${platformName}-${e.environment}`;
    const remote = cluster(e.environment);
    new FluxKustomization(flux, e.environment, {
      name,
      labels: labels(name),
      sourceName: source.name,
      path: `./${folder(e.environment)}`,
      interval: spec.flux.interval,
      retryInterval: spec.flux.retryInterval,
      timeout: spec.flux.timeout,
      prune: true,
      wait: true,
      kubeConfigSecret: remote === undefined ? undefined : `${remote}-kubeconfig`,
    });
  }
  return { app, charts: [{ fileName: 'argo-cd.k8s.yaml', chart: argo }, { fileName: 'flux.k8s.yaml', chart: flux }] };
}

/** An Argo CD destination: a registered cluster by name, or the controller's own cluster. */
function clusterOf(name: string | undefined): { name?: string; server?: string } {
  return name === undefined ? { server: IN_CLUSTER } : { name };
}

/** `apps/v1` → `apps`; the core group (`v1`) is the empty string. */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
