/**
 * The hybrid ensemble: per-model scores, normalised per model over the candidate set, summed with Hedge
 * weights. It exposes each model's contribution to each candidate's score (for explanations and for the
 * weights users see) and snapshots its weights.
 */
import { Hedge } from './hedge.ts';
import type { HedgeJSON, HedgeOptions } from './hedge.ts';
import { normaliseScores } from './normalise.ts';
import type { Normalisation } from './normalise.ts';

/**
 * How weights learn from a test-then-train round:
 * - 'hedge': each model's own loss (1 − gain of its rank of the true track) — weight flows to the single
 *   best model;
 * - 'eg': exponentiated gradient of the ensemble's own listwise loss (softmax cross-entropy of the true
 *   track over the combined, normalised scores) — weight flows to the best *mixture*, so two good models
 *   that err differently can both keep weight.
 */
export type WeightRule = 'hedge' | 'eg';

export interface EnsembleOptions {
  normalise?: Normalisation;
  hedge?: Partial<HedgeOptions>;
  rule?: WeightRule;
  /** EG: inverse temperature of the softmax over combined scores (higher = focus on the top). */
  sharpness?: number;
  /**
   * Leader guard (rank normalisation only): when one model holds at least this share of the weight, the
   * others only break its ties instead of reordering its near-ties. Hedge is then confident that model is
   * best, and a weighted sum of rank percentiles would otherwise let 1−w of the weight overturn the
   * leader's one-rank differences — costing the ensemble a little against its own best model. Set 1 to
   * disable. Default 0.9.
   */
  leaderShare?: number;
}

export interface Combined {
  score: Float32Array;
  /** contributions[m][c] = weight of model m × its normalised score of candidate c. */
  contributions: Float32Array[];
  /**
   * ranks[m][c]: model m's rank percentile of candidate c, centred on 0 (rankScores), when the ensemble
   * normalises by rank: callers that show per-model ranks (reasons) read them instead of sorting again.
   */
  ranks?: Float32Array[] | undefined;
}

export interface EnsembleJSON {
  normalise: Normalisation;
  rule?: WeightRule;
  hedge: HedgeJSON;
}

export class Ensemble {
  readonly hedge: Hedge;
  readonly normalise: Normalisation;
  readonly rule: WeightRule;
  readonly sharpness: number;
  readonly leaderShare: number;
  private scratch: Float32Array = new Float32Array(256);

  constructor(
    readonly models: readonly string[],
    opts: EnsembleOptions = {},
  ) {
    this.hedge = new Hedge(models, opts.hedge);
    this.normalise = opts.normalise ?? 'rank';
    this.rule = opts.rule ?? 'hedge';
    this.sharpness = opts.sharpness ?? 1;
    this.leaderShare = opts.leaderShare ?? 0.9;
  }

  /** Index of the model whose weight share triggers the leader guard, or −1. */
  private leader(weights: ArrayLike<number>): number {
    if (this.normalise !== 'rank' || this.leaderShare >= 1) return -1;
    let best = -1;
    let total = 0;
    for (let m = 0; m < weights.length; m++) {
      const w = weights[m] as number;
      total += w;
      if (best < 0 || w > (weights[best] as number)) best = m;
    }
    return best >= 0 && total > 0 && (weights[best] as number) / total >= this.leaderShare ? best : -1;
  }

  /**
   * Apply the leader guard to a weighted sum: score = z_leader + (others' weighted sum) scaled below the
   * leader's smallest rank step (1/(n−1) on the percentile scale; the others' part is at most 1/(4n)), so
   * the leader's order is kept and only its ties are broken by the rest of the ensemble.
   */
  private guard(score: Float32Array, leaderZ: Float32Array, leaderW: number, total: number): void {
    const n = score.length;
    const rest = Math.max(total - leaderW, 1e-12);
    const scale = 1 / (rest * 2 * Math.max(n, 2));
    for (let c = 0; c < n; c++) {
      const lz = leaderZ[c] as number;
      score[c] = lz + ((score[c] as number) - leaderW * lz) * scale;
    }
  }

  /**
   * Learn from one test: `raw` are the models' scores of candidates whose first one is the true track,
   * `weights` the weights the ensemble used, `losses` each model's own loss (for 'hedge').
   */
  learn(chain: readonly string[], raw: readonly Float32Array[], weights: ArrayLike<number>, losses: ArrayLike<number>): void {
    if (this.rule === 'hedge') {
      this.hedge.observe(chain, losses);
      return;
    }
    const n = raw[0]?.length ?? 0;
    if (n < 2) return;
    const z = raw.map((s) => normaliseScores(s, this.normalise));
    const combined = new Float64Array(n);
    z.forEach((zm, m) => {
      const w = weights[m] as number;
      for (let c = 0; c < n; c++) combined[c] = (combined[c] as number) + w * (zm[c] as number);
    });
    let max = -Infinity;
    for (const v of combined) max = Math.max(max, v);
    let sum = 0;
    const p = combined.map((v) => {
      const e = Math.exp(this.sharpness * (v - max));
      sum += e;
      return e;
    });
    // ∂(−log p_true)/∂w_m = β·(E_p[z_m] − z_m[true]); fed to the same multiplicative update as Hedge losses.
    const grad = z.map((zm) => {
      let expect = 0;
      for (let c = 0; c < n; c++) expect += ((p[c] as number) / sum) * (zm[c] as number);
      return this.sharpness * (expect - (zm[0] as number));
    });
    this.hedge.observe(chain, grad);
  }

  weights(chain: readonly string[]): Float64Array {
    return this.hedge.weights(chain);
  }

  observe(chain: readonly string[], losses: ArrayLike<number>): void {
    this.hedge.observe(chain, losses);
  }

  /**
   * The weighted sum of the models' normalised scores, with each model's part (`contributions`) and, under
   * rank normalisation, its ranks. `detail` false: the same `score`, number for number, without keeping
   * the parts (contributions and ranks come back empty).
   */
  combine(scores: readonly Float32Array[], weights: ArrayLike<number>, detail = true): Combined {
    const n = scores[0]?.length ?? 0;
    const score = new Float32Array(n);
    const lead = this.leader(weights);
    let leaderZ: Float32Array | undefined;
    const ranks: Float32Array[] | undefined = this.normalise === 'rank' && detail ? [] : undefined;
    const contributions: Float32Array[] = [];
    if (!detail && this.scratch.length < n) this.scratch = new Float32Array(n * 2);
    const scratch = detail ? undefined : this.scratch.subarray(0, n);
    for (let m = 0; m < scores.length; m++) {
      const z = normaliseScores(scores[m] as Float32Array, this.normalise, scratch);
      if (m === lead) leaderZ = Float32Array.from(z);
      ranks?.push(z.slice());
      const w = weights[m] as number;
      for (let c = 0; c < n; c++) {
        z[c] = w * (z[c] as number);
        score[c] = (score[c] as number) + (z[c] as number);
      }
      if (detail) contributions.push(z);
    }
    if (leaderZ) this.guard(score, leaderZ, weights[lead] as number, sumOf(weights));
    return { score, contributions, ranks };
  }

  /** Only the combined score (no per-model contributions): the learner's test loop needs nothing more. */
  combineScore(scores: readonly Float32Array[], weights: ArrayLike<number>): Float32Array {
    return this.combine(scores, weights, false).score;
  }

  /** Weights as a name → weight record (what the UI shows). */
  named(weights: ArrayLike<number>): Record<string, number> {
    return Object.fromEntries(this.models.map((m, i) => [m, weights[i] as number]));
  }

  toJSON(): EnsembleJSON {
    return { normalise: this.normalise, rule: this.rule, hedge: this.hedge.toJSON() };
  }

  load(d: EnsembleJSON): void {
    if (d.normalise !== this.normalise) throw new Error(`ensemble snapshot normalises by ${d.normalise}, not ${this.normalise}`);
    if ((d.rule ?? 'hedge') !== this.rule) throw new Error(`ensemble snapshot learns by ${d.rule ?? 'hedge'}, not ${this.rule}`);
    this.hedge.load(d.hedge);
  }
}

function sumOf(weights: ArrayLike<number>): number {
  let t = 0;
  for (let m = 0; m < weights.length; m++) t += weights[m] as number;
  return t;
}
