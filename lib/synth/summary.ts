import type { RenderedEnvironment } from './render';
import type { WriteResult } from './write';

/** A one-screen summary per environment: objects by kind, files, and which files changed. */
export function summarize(envs: readonly RenderedEnvironment[], result: WriteResult): string {
  const lines: string[] = [];
  for (const env of envs) {
    const kinds = new Map<string, number>();
    let objects = 0;
    for (const file of env.files) {
      for (const obj of file.objects) {
        kinds.set(obj.kind, (kinds.get(obj.kind) ?? 0) + 1);
        objects++;
      }
    }
    const prefix = `${env.environment}/`;
    const mine = (paths: readonly string[]) => paths.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
    const changes = [
      ...mine(result.added).map((p) => `+${p}`),
      ...mine(result.changed).map((p) => `~${p}`),
      ...mine(result.removed).map((p) => `-${p}`),
    ];
    const byKind = [...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ');
    lines.push(`${env.environment}: ${objects} objects in ${env.files.length} files (${byKind})`);
    lines.push(changes.length === 0 ? '  no changes' : `  ${changes.length} file(s) changed: ${changes.join(' ')}`);
  }
  const other = [...result.added, ...result.changed, ...result.removed].filter((p) => !envs.some((e) => p.startsWith(`${e.environment}/`)));
  if (other.length > 0) lines.push(`other: ${other.join(' ')}`);
  return lines.join('\n');
}
