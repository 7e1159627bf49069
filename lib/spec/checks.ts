import * as z from 'zod';
import { RULE_NAMES } from '../checks/rules';

/**
 * Accepts the findings of one check rule on one object, for a stated reason (echoed in the synth
 * summary). A waiver that matches no finding is a spec error, so waivers never outlive their cause.
 */
export const waiverSchema = z.strictObject({
  /** The rule waived (README, "Checks"). */
  rule: z.enum(RULE_NAMES),
  /** The object as findings name it: `Kind/namespace/name`, or `Kind/name` when cluster-scoped. */
  object: z.string().regex(/^[A-Z][A-Za-z0-9]*\/([a-z0-9][-a-z0-9]*\/)?[^/\s]+$/, {
    error: 'expected an object as findings name it: "Kind/namespace/name", or "Kind/name" for a cluster-scoped object',
  }),
  /** Why the finding is acceptable here, for reviewers. */
  reason: z.string().trim().min(20, { error: 'expected a reason of at least 20 characters' }),
});

export const checksSchema = z.strictObject({
  /** Findings accepted per object and rule, each with its reason. */
  waivers: z.array(waiverSchema).default([]),
});

export type WaiverSpec = z.output<typeof waiverSchema>;
