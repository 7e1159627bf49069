import { Yaml } from 'cdk8s';
import { buildPlatform, type Endpoint, type Flow, type WorkloadInfo } from '../platform';
import { buildGitops } from '../platform/gitops';
import type { ResolvedGitops, ResolvedPlatform } from '../spec';

/** A Kubernetes object as synthesized. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** One output file: its path under dist/, its objects and its bytes. */
export interface RenderedFile {
  /** Path relative to dist/, e.g. `prod/0300-api.k8s.yaml`. */
  readonly path: string;
  readonly objects: readonly KubeObject[];
  readonly content: string;
}

/** One environment, synthesized in memory. */
export interface RenderedEnvironment {
  readonly environment: string;
  readonly platform: ResolvedPlatform;
  readonly files: readonly RenderedFile[];
  /** The workloads assembly registered (`ctx.workloads`), with autoscaling bounds. */
  readonly workloads: readonly WorkloadInfo[];
  /** The endpoints assembly registered (`ctx.endpoints`). */
  readonly endpoints: readonly Endpoint[];
  /** The flows between components assembly declared (`ctx.flows`). */
  readonly flows: readonly Flow[];
}

/** Synthesizes one environment in memory: validates the construct tree, then renders each chart once. */
export function renderEnvironment(platform: ResolvedPlatform): RenderedEnvironment {
  const ctx = buildPlatform(platform);
  const errors = ctx.app.node.findAll().flatMap((c) => c.node.validate().map((e) => `${c.node.path}: ${e}`));
  if (errors.length > 0) throw new Error(`construct validation failed in ${platform.environment}:\n  ${errors.join('\n  ')}`);
  const files: RenderedFile[] = [];
  for (const chart of ctx.charts) {
    const objects = chart.toJson() as KubeObject[];
    if (objects.length === 0) continue;
    files.push({ path: `${platform.environment}/${chart.fileName}`, objects, content: Yaml.stringify(...objects) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { environment: platform.environment, platform, files, workloads: ctx.workloads, endpoints: ctx.endpoints, flows: ctx.flows };
}

/** dist/gitops/: the Argo CD and Flux objects that sync every environment's folder. */
export function renderGitops(spec: ResolvedGitops, environments: readonly RenderedEnvironment[]): RenderedFile[] {
  const { charts } = buildGitops(spec, environments.map((e) => ({ environment: e.environment, platform: e.platform, objects: e.files.flatMap((f) => f.objects) })));
  return charts.map(({ fileName, chart }) => {
    const objects = chart.toJson() as KubeObject[];
    return { path: `gitops/${fileName}`, objects, content: Yaml.stringify(...objects) };
  });
}
