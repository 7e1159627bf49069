import { formatTotals } from '../review/plan-report';
import { totalsOf, type EnvironmentPlan } from '../review/plan';
import type { RenderedEnvironment, RenderedFile } from './render';
import type { WriteResult } from './write';

/**
 * A one-screen summary: per environment the objects by kind, and the plan's totals against what
 * dist/ held before (`npm run plan` before a synth shows the same changes field by field).
 */
export function summarize(envs: readonly RenderedEnvironment[], result: WriteResult, plans: readonly EnvironmentPlan[] = [], gitops: readonly RenderedFile[] = []): string {
  const lines: string[] = [];
  const planLine = (name: string) => {
    const plan = plans.find((p) => p.environment === name);
    return `  plan: ${plan ? formatTotals(totalsOf([plan])) : 'no changes'}`;
  };
  for (const env of envs) {
    lines.push(`${env.environment}: ${countObjects(env.files)}, overview ${env.environment}.md`);
    lines.push(planLine(env.environment));
  }
  if (gitops.length > 0) {
    lines.push(`gitops: ${countObjects(gitops)}`);
    lines.push(planLine('gitops'));
  }
  // Other output outside the environments (e.g. dist/gitops/ once it is removed) gets its totals too.
  for (const plan of plans) {
    if (envs.some((e) => e.environment === plan.environment) || (gitops.length > 0 && plan.environment === 'gitops')) continue;
    const totals = totalsOf([plan]);
    if (plan.objects.length > 0 || plan.files.length > 0) lines.push(`${plan.environment}:`, `  plan: ${formatTotals(totals)}`);
  }
  const written = result.added.length + result.changed.length + result.removed.length;
  lines.push(written === 0 ? 'dist/ is unchanged' : `dist/: ${result.added.length} file(s) added, ${result.changed.length} changed, ${result.removed.length} removed`);
  return lines.join('\n');
}

/** `130 objects in 23 files (ClusterRole 2, ConfigMap 16, ...)`. */
function countObjects(files: readonly RenderedFile[]): string {
  const kinds = new Map<string, number>();
  let objects = 0;
  for (const file of files) {
    for (const obj of file.objects) {
      kinds.set(obj.kind, (kinds.get(obj.kind) ?? 0) + 1);
      objects++;
    }
  }
  const byKind = [...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ');
  return `${objects} objects in ${files.length} files (${byKind})`;
}
