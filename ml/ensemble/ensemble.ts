/**
 * The hybrid ensemble: per-model scores, normalised per model over the candidate set, summed with Hedge
 * weights. It exposes each model's contribution to each candidate's score (for explanations and for the
 * weights users see) and snapshots its weights.
 */
import { Hedge } from './hedge.ts';
import type { HedgeJSON, HedgeOptions } from './hedge.ts';
import { normaliseScores } from './normalise.ts';
import type { Normalisation } from './normalise.ts';

export interface EnsembleOptions {
  normalise?: Normalisation;
  hedge?: Partial<HedgeOptions>;
}

export interface Combined {
  score: Float32Array;
  /** contributions[m][c] = weight of model m × its normalised score of candidate c. */
  contributions: Float32Array[];
}

export interface EnsembleJSON {
  normalise: Normalisation;
  hedge: HedgeJSON;
}

export class Ensemble {
  readonly hedge: Hedge;
  readonly normalise: Normalisation;
  private scratch: Float32Array = new Float32Array(256);

  constructor(
    readonly models: readonly string[],
    opts: EnsembleOptions = {},
  ) {
    this.hedge = new Hedge(models, opts.hedge);
    this.normalise = opts.normalise ?? 'z';
  }

  weights(chain: readonly string[]): Float64Array {
    return this.hedge.weights(chain);
  }

  observe(chain: readonly string[], losses: ArrayLike<number>): void {
    this.hedge.observe(chain, losses);
  }

  combine(scores: readonly Float32Array[], weights: ArrayLike<number>): Combined {
    const n = scores[0]?.length ?? 0;
    const score = new Float32Array(n);
    const contributions = scores.map((s, m) => {
      const z = normaliseScores(s, this.normalise);
      const w = weights[m] as number;
      for (let c = 0; c < n; c++) {
        z[c] = w * (z[c] as number);
        score[c] = (score[c] as number) + (z[c] as number);
      }
      return z;
    });
    return { score, contributions };
  }

  /** Only the combined score (no per-model contributions): the learner's test loop needs nothing more. */
  combineScore(scores: readonly Float32Array[], weights: ArrayLike<number>): Float32Array {
    const n = scores[0]?.length ?? 0;
    const score = new Float32Array(n);
    if (this.scratch.length < n) this.scratch = new Float32Array(n * 2);
    const z = this.scratch.subarray(0, n);
    scores.forEach((s, m) => {
      normaliseScores(s, this.normalise, z);
      const w = weights[m] as number;
      for (let c = 0; c < n; c++) score[c] = (score[c] as number) + w * (z[c] as number);
    });
    return score;
  }

  /** Weights as a name → weight record (what the UI shows). */
  named(weights: ArrayLike<number>): Record<string, number> {
    return Object.fromEntries(this.models.map((m, i) => [m, weights[i] as number]));
  }

  toJSON(): EnsembleJSON {
    return { normalise: this.normalise, hedge: this.hedge.toJSON() };
  }

  load(d: EnsembleJSON): void {
    if (d.normalise !== this.normalise) throw new Error(`ensemble snapshot normalises by ${d.normalise}, not ${this.normalise}`);
    this.hedge.load(d.hedge);
  }
}
