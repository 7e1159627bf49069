/** One problem in one environment's spec. */
export interface SpecProblem {
  readonly environment: string;
  /** Field path, e.g. `services[api].resources.limits.memory`. */
  readonly path: string;
  /** The value received, as JSON (undefined when the field is missing). */
  readonly received: unknown;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** Every problem found in one or more environments; synth stops on it and leaves dist/ alone. */
export class SpecError extends Error {
  constructor(public readonly problems: readonly SpecProblem[]) {
    super(SpecError.format(problems));
    this.name = 'SpecError';
  }

  static format(problems: readonly SpecProblem[]): string {
    const lines = problems.map((p) => `  ${p.environment}: ${p.path || '(root)'}: ${p.message}; received ${show(p.received)}`);
    return `invalid platform spec (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}
