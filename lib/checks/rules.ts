// The catalogue of checks: every rule a finding can name, with the one-line reason it exists.
// Waivers in the spec (`checks.waivers[].rule`) must name one of these.

/** Each rule's name and why it matters (README, "Checks"). */
export const RULES = {
  // Schema: what the API server would reject, or silently drop.
  'known-kind': 'an object of a kind no schema covers cannot be checked, and may need a CRD the cluster lacks',
  schema: 'the API server rejects an object that does not match the schema of its kind',
  'unknown-field': 'a field the schema does not declare is rejected (strict field validation) or silently dropped, so a misspelled field never takes effect',
  // API-server rules the schemas do not encode.
  'object-name': 'the API server rejects names that are not DNS-1123 subdomains (Namespaces: DNS-1123 labels; Services: DNS-1035 labels)',
  'object-namespace': 'a namespaced object without a namespace lands wherever kubectl points; a cluster-scoped one must not name one',
  'label-syntax': 'the API server rejects label keys that are not qualified names and values that are not label values (63 characters of [A-Za-z0-9_.-])',
  'port-name': 'port names must be IANA service names (at most 15 characters, a letter, no "--") and unique, or the API server rejects the object',
  'container-name': 'container names must be unique DNS-1123 labels within a pod, or the API server rejects it',
  quantity: 'resource amounts must parse as Kubernetes quantities, and no request may exceed its limit',
  'selector-match': 'a workload whose selector does not match its pod template labels is rejected by the API server',
  'volume-mount': 'a volume mount must name a volume of the pod or a claim template, or the pod is rejected',
  // Production policy.
  'pod-security': 'pods in a namespace that enforces restricted Pod Security must meet it, or admission rejects them at apply time',
  'namespace-pod-security': 'a namespace may enforce less than restricted Pod Security only as a spec-marked exception with its reason annotated',
  resources: 'without cpu and memory requests the scheduler packs pods blindly, and without a memory limit one pod can starve its node',
  probes: 'without readiness and liveness probes traffic reaches pods that are not ready and hung pods are never restarted',
  'pinned-image': 'an image without a tag, or tagged latest, changes under the same manifest, so a deploy is not reproducible',
  'secret-data': 'a Secret with inline data puts secret values in git; secrets are referenced (ExternalSecret, SealedSecret) instead',
  'rbac-wildcard': 'a wildcard in apiGroups, resources or verbs grants everything, including kinds and verbs added later',
  'default-deny': 'every namespace needs a NetworkPolicy that denies all ingress and egress by default, so only declared flows pass',
  'disruption-budget': 'a workload that runs more than one replica needs a PodDisruptionBudget, or a node drain can take all of it down at once',
  'disruption-budget-eviction': 'a PodDisruptionBudget that allows no eviction blocks node drains and cluster upgrades',
  'autoscaler-target': 'an autoscaler must target a workload that exists in its namespace, or it scales nothing',
  'autoscaler-bounds': 'minReplicas above maxReplicas leaves the autoscaler unable to act',
  'autoscaled-replicas': 'a workload under an HPA or KEDA must not set replicas, or every apply resets the count the autoscaler chose',
  'service-selector': 'a Service that selects no pod template has no endpoints',
  'service-target-port': 'a named targetPort must be a container port name of the selected pods, or the Service forwards nowhere',
  'duplicate-object': 'two objects with the same kind, namespace and name overwrite each other on apply',
  'cronjob-policy': 'a CronJob needs a starting deadline, a run deadline, a concurrency policy and history limits, or missed and hung runs pile up',
} as const;

export type RuleName = keyof typeof RULES;

export const RULE_NAMES = Object.keys(RULES) as [RuleName, ...RuleName[]];
