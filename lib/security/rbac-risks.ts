// The RBAC requests that hand out more than they say: Stackwright refuses them unless waived.
// https://kubernetes.io/docs/concepts/security/rbac-good-practices/

/** An RBAC policy rule as declared: explicit API groups, resources and verbs. */
export interface RbacRuleRequest {
  /** API groups; `''` is the core group. */
  readonly apiGroups: readonly string[];
  /** Resources, optionally with a subresource (`pods/log`). */
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Object names the rule is limited to. @default every object of the resources */
  readonly resourceNames?: readonly string[];
}

/** Verbs the API server authorizes for resources. */
export const RBAC_VERBS = [
  'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection',
  'escalate', 'bind', 'impersonate', 'use', 'approve', 'sign',
] as const;

const PRIVILEGE_VERBS: Readonly<Record<string, string>> = {
  escalate: 'the verb "escalate" lets it create or edit roles with permissions it does not hold',
  bind: 'the verb "bind" lets it bind roles with permissions it does not hold',
  impersonate: 'the verb "impersonate" lets it act as any user, group or ServiceAccount',
};

/** Why the rule is forbidden, one sentence per problem; empty when the rule is acceptable. */
export function forbiddenRequests(rule: RbacRuleRequest): string[] {
  const problems: string[] = [];
  for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
    const wild = rule[field].filter((v) => v.includes('*'));
    if (wild.length > 0) {
      problems.push(`a wildcard in ${field} (${wild.map((v) => JSON.stringify(v)).join(', ')}) grants everything that exists now and anything added later; list what is needed explicitly`);
    }
  }
  for (const verb of rule.verbs) if (PRIVILEGE_VERBS[verb]) problems.push(PRIVILEGE_VERBS[verb]);
  const secrets = rule.apiGroups.includes('') && rule.resources.includes('secrets');
  const reading = rule.verbs.filter((v) => v === 'list' || v === 'watch');
  if (secrets && reading.length > 0) {
    problems.push(`${reading.map((v) => `"${v}"`).join(' and ')} on secrets return${reading.length === 1 ? 's' : ''} the values of every Secret in the namespace; use "get" with resourceNames`);
  }
  return problems;
}

/** Rules that can never be allowed as written (not a matter of risk): each a sentence; empty when valid. */
export function invalidRequests(rule: RbacRuleRequest): string[] {
  const problems: string[] = [];
  for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
    if (rule[field].length === 0) problems.push(`${field} is empty; a rule needs at least one`);
  }
  const unknown = rule.verbs.filter((v) => !v.includes('*') && !(RBAC_VERBS as readonly string[]).includes(v));
  if (unknown.length > 0) problems.push(`unknown verb(s) ${unknown.map((v) => JSON.stringify(v)).join(', ')}; expected ${RBAC_VERBS.join(', ')}`);
  if ((rule.resourceNames?.length ?? 0) > 0) {
    // The object name is not known when these requests are authorized, so resourceNames never matches them.
    const nameless = rule.verbs.filter((v) => v === 'create' || v === 'deletecollection');
    if (nameless.length > 0) problems.push(`resourceNames cannot restrict ${nameless.map((v) => `"${v}"`).join(' or ')} (the name is unknown when it is authorized); put ${nameless.length === 1 ? 'it' : 'them'} in a rule without resourceNames`);
  }
  return problems;
}
