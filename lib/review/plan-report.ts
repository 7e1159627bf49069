import { formatChange, formatPath, formatValue } from './object-diff';
import { displayRef, GITOPS_FOLDER, mainNamespaceOf, totalsOf, VERSION_LABEL, type EnvironmentPlan, type ObjectChange, type PlanTotals } from './plan';

const SYMBOL = { add: '+', change: '~', remove: '-' } as const;

/** `1 changed, 2 added, 1 removed, 3 relabelled, 1 risky`, leaving out zeros; `no changes` when all are. */
export function formatTotals(totals: PlanTotals): string {
  const parts: string[] = [];
  if (totals.changed) parts.push(`${totals.changed} changed`);
  if (totals.added) parts.push(`${totals.added} added`);
  if (totals.removed) parts.push(`${totals.removed} removed`);
  if (totals.relabelled) parts.push(`${totals.relabelled} relabelled`);
  if (totals.files) parts.push(`${totals.files} other file${totals.files === 1 ? '' : 's'} changed`);
  if (totals.risky) parts.push(`${totals.risky} risky`);
  return parts.length === 0 ? 'no changes' : parts.join(', ');
}

/** ANSI styles for a terminal; identity functions when colour is off. */
function palette(color: boolean) {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { add: wrap(32, 39), change: wrap(33, 39), remove: wrap(31, 39), risk: (s: string) => wrap(1, 22)(wrap(31, 39)(s)), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** The plan as terminal text: one line per changed field, `prod Deployment/api: <path>  old → new`. */
export function formatPlanText(plans: readonly EnvironmentPlan[], options: { readonly color?: boolean } = {}): string {
  const p = palette(options.color ?? false);
  const lines: string[] = [];
  for (const plan of plans) {
    const totals = totalsOf([plan]);
    const header = `${plan.environment}${plan.production ? ' (production)' : ''}: ${formatTotals(totals)}`;
    lines.push(totals.risky ? p.risk(header) : p.bold(header));
    const ns = mainNamespaceOf(plan);
    const env = plan.environment;
    for (const change of plan.objects) {
      const ref = displayRef(change.ref, ns);
      const paint = p[change.action];
      const objectRisks = change.risks.filter((r) => r.field === undefined || !change.fields.some((f) => formatPath(f.path) === r.field));
      if (change.action !== 'change') lines.push(paint(`  ${SYMBOL[change.action]} ${env} ${ref}`));
      for (const field of change.fields) {
        const path = formatPath(field.path);
        const [before, after] = formatChange(field.before, field.after);
        lines.push(`  ${paint('~')} ${env} ${ref}: ${path}  ${p.remove(before)} → ${p.add(after)}`);
        for (const risk of change.risks.filter((r) => r.field === path)) lines.push(p.risk(`      ! risky: ${risk.reason}`));
      }
      if (change.action === 'change' && change.fields.length === 0 && objectRisks.length > 0) lines.push(paint(`  ~ ${env} ${ref}`));
      for (const risk of objectRisks) lines.push(p.risk(`      ! risky${risk.field ? ` ${risk.field}` : ''}: ${risk.reason}`));
    }
    for (const [label, refs] of relabels(plan.objects, ns)) lines.push(p.dim(`  ~ ${env} ${VERSION_LABEL} ${label} on ${refs.join(', ')}`));
    for (const [ref, path] of echoes(plan.objects, ns)) lines.push(p.dim(`  ~ ${env} ${ref}: ${path} follows the version`));
    if (plan.files.length > 0) lines.push(p.dim(`  files: ${plan.files.map((f) => `${SYMBOL[f.action]}${f.path}`).join(' ')}`));
  }
  const environments = plans.filter((p) => p.environment !== GITOPS_FOLDER).length;
  const gitops = plans.length > environments ? ` and ${GITOPS_FOLDER}/` : '';
  lines.push('', `Plan: ${formatTotals(totalsOf(plans))} in ${environments} environment${environments === 1 ? '' : 's'}${gitops}.`);
  return lines.join('\n');
}

/** The plan as Markdown for a pull request: risks first, then a table of changes per environment. */
export function formatPlanMarkdown(plans: readonly EnvironmentPlan[]): string {
  const out: string[] = [`## Stackwright plan: ${formatTotals(totalsOf(plans))}`, ''];
  for (const plan of plans) {
    const totals = totalsOf([plan]);
    out.push(`### ${plan.environment}${plan.production ? ' (production)' : ''}: ${formatTotals(totals)}`, '');
    if (plan.objects.length === 0 && plan.files.length === 0) continue;
    const ns = mainNamespaceOf(plan);
    const risky = plan.objects.filter((o) => o.risks.length > 0);
    for (const change of risky) {
      for (const risk of change.risks) {
        out.push(`> [!WARNING]`, `> **${SYMBOL[change.action]} \`${displayRef(change.ref, ns)}\`${risk.field ? ` \`${risk.field}\`` : ''}**: ${escapeCell(risk.reason)}`, '');
      }
    }
    const rows = plan.objects.flatMap((change) => tableRows(change, ns));
    if (rows.length > 0) out.push('| | object | field | before | after |', '|---|---|---|---|---|', ...rows, '');
    for (const [label, refs] of relabels(plan.objects, ns)) out.push(`\`${VERSION_LABEL}\` ${escapeCell(label)} on ${refs.map((r) => `\`${r}\``).join(', ')}`, '');
    const echoed = echoes(plan.objects, ns);
    if (echoed.length > 0) out.push(`Following the version: ${echoed.map(([ref, path]) => `\`${ref}\` \`${escapeCell(path)}\``).join(', ')}`, '');
    if (plan.files.length > 0) out.push(`Other files: ${plan.files.map((f) => `${SYMBOL[f.action]}\`${f.path}\``).join(', ')}`, '');
  }
  return out.join('\n').trimEnd() + '\n';
}

function tableRows(change: ObjectChange, ns: string | undefined): string[] {
  const ref = `\`${displayRef(change.ref, ns)}\``;
  const mark = change.risks.length > 0 ? `${SYMBOL[change.action]} ⚠️` : SYMBOL[change.action];
  if (change.action === 'add') return [`| ${mark} | ${ref} | (new object) | | |`];
  if (change.action === 'remove') return [`| ${mark} | ${ref} | (deleted) | | |`];
  return change.fields.map((f) => {
    const [before, after] = formatChange(f.before, f.after);
    return `| ${mark} | ${ref} | \`${escapeCell(formatPath(f.path))}\` | ${code(before)} | ${code(after)} |`;
  });
}

function code(value: string): string {
  return `\`${escapeCell(value).replace(/`/g, "'")}\``;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Fields that only echo the version, as `[object, path]`. */
function echoes(objects: readonly ObjectChange[], ns: string | undefined): Array<[string, string]> {
  return objects.flatMap((o) => (o.versionEchoes ?? []).map((f): [string, string] => [displayRef(o.ref, ns), formatPath(f.path)]));
}

/** Objects whose version label changed, grouped by `old → new`. */
function relabels(objects: readonly ObjectChange[], ns: string | undefined): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const o of objects) {
    if (!o.versionLabel) continue;
    const label = `${formatValue(o.versionLabel.before)} → ${formatValue(o.versionLabel.after)}`;
    groups.set(label, [...(groups.get(label) ?? []), displayRef(o.ref, ns)]);
  }
  return groups;
}
