import { SpecError } from '../lib/spec';

/**
 * The lines a SpecError prints, one per problem (`<env>: <path>: <message>; received <value>`), as a
 * user sees them; none when `run` succeeds. Any other error propagates.
 */
export function specProblems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof SpecError) return error.message.split('\n').slice(1).map((line) => line.trim());
    throw error;
  }
  return [];
}
