/**
 * A share of traces kept. Enum-like: `TraceSampling.ratio(0.1)`, `TraceSampling.all()`.
 * The decision is made once, in the collector gateway, on the trace id, so every replica keeps or
 * drops the same traces and the rate changes without redeploying applications.
 */
export class TraceSampling {
  /** Keep every trace. */
  public static all(): TraceSampling {
    return new TraceSampling(1);
  }

  /** Keep a share of traces, from 0 (none) to 1 (all). */
  public static ratio(ratio: number): TraceSampling {
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) throw new Error(`a sampling ratio is between 0 and 1; received ${ratio}`);
    return new TraceSampling(ratio);
  }

  /** The reference default: 10% in production, everything elsewhere. */
  public static forEnvironment(production: boolean): TraceSampling {
    return production ? TraceSampling.ratio(0.1) : TraceSampling.all();
  }

  private constructor(public readonly ratio: number) {}

  /** The collector's `probabilistic_sampler.sampling_percentage`. */
  public get percentage(): number {
    return Math.round(this.ratio * 10000) / 100;
  }
}
