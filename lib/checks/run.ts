import type { ResolvedPlatform, SpecProblem } from '../spec';
import { checkApiServerRules } from './api-server';
import { checkClusterPolicy } from './cluster-policy';
import { formatFinding, objectRef, type Finding, type ManifestFile } from './finding';
import { FindingSink, ObjectIndex } from './object-index';
import { checkPodPolicy } from './pod-policy';
import { checkSchemas } from './schema/check-schemas';
import type { RuleName } from './rules';

/** One environment's output and the platform it came from (for its waivers). */
export interface CheckedEnvironment {
  readonly environment: string;
  readonly files: readonly ManifestFile[];
  readonly platform?: ResolvedPlatform;
}

/** A waiver as the checks apply it: from `checks.waivers`, or from a waived RBAC rule. */
export interface Waiver {
  readonly rule: RuleName;
  readonly kinds: readonly string[];
  /** Undefined: any namespace (RBAC waivers name a Role or ClusterRole). */
  readonly namespace?: string;
  readonly name: string;
  readonly reason: string;
  /** Where it is declared, for messages. */
  readonly specPath: string;
  /** Whether matching nothing is a spec error (explicit waivers); RBAC waivers are checked by the spec itself. */
  readonly mustMatch: boolean;
}

export interface WaivedFinding {
  readonly finding: Finding;
  readonly reason: string;
  readonly specPath: string;
}

export interface CheckReport {
  /** Findings no waiver accepts: any one fails the synth. */
  readonly findings: readonly Finding[];
  readonly waived: readonly WaivedFinding[];
  /** Waivers that match no finding (spec errors). */
  readonly staleWaivers: readonly SpecProblem[];
}

/** Every rule over one environment's objects, indexed once. */
export function checkEnvironment(environment: string, files: readonly ManifestFile[]): Finding[] {
  const index = new ObjectIndex(environment, files);
  const sink = new FindingSink(environment);
  checkSchemas(index, sink);
  checkApiServerRules(index, sink);
  checkPodPolicy(index, sink);
  checkClusterPolicy(index, sink);
  return sink.findings;
}

/** The waivers a platform's spec declares. */
export function waiversOf(platform: ResolvedPlatform): Waiver[] {
  const explicit = platform.checks.waivers.map((w, i): Waiver => {
    const parts = w.object.split('/');
    const [kind, namespace, name] = parts.length === 3 ? parts : [parts[0], '', parts[1]];
    return { rule: w.rule, kinds: [kind], namespace, name, reason: w.reason, specPath: `checks.waivers[${i}]`, mustMatch: true };
  });
  // A wildcard RBAC rule the spec already accepts with a reason (security.rbac[].rules[].waiver).
  const rbac = platform.security.rbac.flatMap((grant) => grant.rules.flatMap((rule, j): Waiver[] => rule.waiver ? [{
    rule: 'rbac-wildcard', kinds: ['Role', 'ClusterRole'], name: grant.name, reason: rule.waiver.reason, specPath: `security.rbac[${grant.name}].rules[${j}].waiver`, mustMatch: false,
  }] : []));
  return [...explicit, ...rbac];
}

function matches(waiver: Waiver, finding: Finding): boolean {
  return waiver.rule === finding.rule && waiver.kinds.includes(finding.kind) && waiver.name === finding.name
    && (waiver.namespace === undefined || waiver.namespace === finding.namespace);
}

/** Checks every environment, then applies each environment's waivers. */
export function checkOutput(environments: readonly CheckedEnvironment[]): CheckReport {
  const findings: Finding[] = [];
  const waived: WaivedFinding[] = [];
  const staleWaivers: SpecProblem[] = [];
  for (const env of environments) {
    const waivers = env.platform ? waiversOf(env.platform) : [];
    const used = new Set<Waiver>();
    for (const finding of checkEnvironment(env.environment, env.files)) {
      const waiver = waivers.find((w) => matches(w, finding));
      if (waiver) {
        used.add(waiver);
        waived.push({ finding, reason: waiver.reason, specPath: waiver.specPath });
      } else {
        findings.push(finding);
      }
    }
    for (const waiver of waivers) {
      if (!waiver.mustMatch || used.has(waiver)) continue;
      staleWaivers.push({
        environment: env.environment,
        path: waiver.specPath,
        received: { rule: waiver.rule, object: objectRef(waiver.kinds[0], waiver.namespace, waiver.name) },
        message: `the waiver matches no finding of ${waiver.rule} on ${objectRef(waiver.kinds[0], waiver.namespace, waiver.name)}: remove it`,
      });
    }
  }
  return { findings, waived, staleWaivers };
}

/** The failure text: a count, then one line per finding. */
export function formatFindings(findings: readonly Finding[]): string {
  return `${findings.length} check finding${findings.length === 1 ? '' : 's'} (rule, environment, file, object: message):\n${findings.map(formatFinding).join('\n')}`;
}

/** The summary lines of accepted findings: each with its reason. */
export function formatWaived(waived: readonly WaivedFinding[]): string[] {
  return waived.map((w) => `  waived [${w.finding.rule}] ${w.finding.environment} ${objectRef(w.finding.kind, w.finding.namespace, w.finding.name)}: ${w.reason} (${w.specPath})`);
}
