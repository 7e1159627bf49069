import * as z from 'zod';
import { RULE_NAMES } from '../checks/rules';

/**
 * Accepts the findings of one check rule on one object, for a stated reason (echoed in the synth
 * summary). A waiver that matches no finding is a spec error, so waivers never outlive their cause.
 */
export const waiverSchema = z.strictObject({
  /** The rule waived (README, "Checks"). */
  rule: z.enum(RULE_NAMES),
  /** Kind of the object, e.g. `Namespace`, `Deployment`. */
  kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, { error: 'expected a Kubernetes kind such as "Deployment"' }),
  /** Namespace of the object; leave out for cluster-scoped objects. */
  namespace: z.string().optional(),
  /** Name of the object. */
  name: z.string().min(1),
  /** Why the finding is acceptable here, for reviewers. */
  reason: z.string().trim().min(20, { error: 'expected a reason of at least 20 characters' }),
});

export const checksSchema = z.strictObject({
  /** Findings accepted per object and rule, each with its reason. */
  waivers: z.array(waiverSchema).default([]),
});

export type WaiverSpec = z.output<typeof waiverSchema>;
