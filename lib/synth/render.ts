import { buildPlatform, withSyncWave, type Endpoint, type Flow, type WorkloadInfo } from '../platform';
import { buildGitops } from '../platform/gitops';
import type { ResolvedGitops, ResolvedPlatform } from '../spec';
import { chartObjects } from './chart-objects';
import { ManifestYaml } from './manifest-yaml';

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
  const { charts, workloads, endpoints, flows } = synthesizeCharts(platform);
  const files: RenderedFile[] = [];
  const yaml = new ManifestYaml();
  for (const { fileName, objects } of charts) {
    if (objects.length === 0) continue;
    files.push({ path: `${platform.environment}/${fileName}`, objects, content: yaml.stringify(objects) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { environment: platform.environment, platform, files, workloads, endpoints, flows };
}

/** Every manifest's objects (environments and gitops/) by its path under dist/, for readers that would otherwise parse the bytes again (the plan). */
export function objectsByPath(output: { readonly environments: readonly RenderedEnvironment[]; readonly gitops: readonly RenderedFile[] }): Map<string, readonly KubeObject[]> {
  return new Map([...output.environments.flatMap((env) => env.files), ...output.gitops].map((f) => [f.path, f.objects] as const));
}

/** The construct tree's objects per chart and the assembly registries; the tree itself is not kept (it is the larger part of memory). */
function synthesizeCharts(platform: ResolvedPlatform) {
  const ctx = buildPlatform(platform);
  const errors = ctx.app.node.findAll().flatMap((c) => c.node.validate().map((e) => `${c.node.path}: ${e}`));
  if (errors.length > 0) throw new Error(`construct validation failed in ${platform.environment}:\n  ${errors.join('\n  ')}`);
  const charts = ctx.charts;
  const objects = chartObjects(charts);
  return {
    // Every object carries its chart's apply wave as Argo CD's sync wave, as the file prefix says it.
    charts: charts.map((chart, i) => ({ fileName: chart.fileName, objects: (objects[i] as KubeObject[]).map((o) => withSyncWave(o, chart.wave) as KubeObject) })),
    workloads: ctx.workloads,
    endpoints: ctx.endpoints,
    flows: ctx.flows,
  };
}

/** dist/gitops/: the Argo CD and Flux objects that sync every environment's folder. */
export function renderGitops(spec: ResolvedGitops, environments: readonly RenderedEnvironment[]): RenderedFile[] {
  const { charts } = buildGitops(spec, environments.map((e) => ({ environment: e.environment, platform: e.platform, objects: e.files.flatMap((f) => f.objects) })));
  const objects = chartObjects(charts.map(({ chart }) => chart));
  const yaml = new ManifestYaml();
  return charts.map(({ fileName }, i) => ({ path: `gitops/${fileName}`, objects: objects[i] as KubeObject[], content: yaml.stringify(objects[i]) }));
}
