/**
 * Hedge (exponentiated gradient over experts, Freund & Schapire 1997) for model weights. Each scope
 * (e.g. 'user', 'room', 'room:42') keeps a discounted cumulative loss per model; its weights are
 * softmax(−η·loss). Weights are read along a back-off chain — global, then each scope from general to
 * specific, each trusted in proportion to how much data it has — and finally mixed with the uniform
 * distribution (γ) so that every model keeps a say and keeps being explored in what is served.
 */
export interface HedgeOptions {
  /** Learning rate η: how fast weight moves to the model with the lower loss. */
  eta: number;
  /** Exploration: share of the weight spread uniformly over models. */
  gamma: number;
  /** Observations after which a scope's own weights are trusted half (back-off pseudo-count). */
  prior: number;
  /** Per-observation discount of past losses (1 = none; < 1 tracks models whose quality drifts). */
  decay: number;
}

export const DEFAULT_HEDGE: HedgeOptions = { eta: 0.1, gamma: 0.05, prior: 20, decay: 1 };

interface Scope {
  loss: Float64Array;
  n: number;
}

export interface HedgeJSON {
  models: string[];
  scopes: Array<[string, number[], number]>;
}

export const GLOBAL_SCOPE = 'global';

export class Hedge {
  readonly o: HedgeOptions;
  private scopes = new Map<string, Scope>();

  constructor(
    readonly models: readonly string[],
    opts: Partial<HedgeOptions> = {},
  ) {
    this.o = { ...DEFAULT_HEDGE, ...opts };
  }

  private scope(key: string): Scope {
    let s = this.scopes.get(key);
    if (s === undefined) this.scopes.set(key, (s = { loss: new Float64Array(this.models.length), n: 0 }));
    return s;
  }

  /** Record one round of losses (each in [0, 1]) for the global scope and every scope of the chain. */
  observe(chain: readonly string[], losses: ArrayLike<number>): void {
    for (const key of [GLOBAL_SCOPE, ...chain]) {
      const s = this.scope(key);
      for (let m = 0; m < s.loss.length; m++) s.loss[m] = this.o.decay * (s.loss[m] as number) + (losses[m] as number);
      s.n++;
    }
  }

  /** Pure Hedge weights of one scope (no back-off, no exploration); uniform for an unknown scope. */
  scopeWeights(key: string): Float64Array {
    const s = this.scopes.get(key);
    const m = this.models.length;
    const w = new Float64Array(m);
    if (s === undefined) return w.fill(1 / m);
    let min = Infinity;
    for (const l of s.loss) min = Math.min(min, l);
    let z = 0;
    for (let i = 0; i < m; i++) {
      w[i] = Math.exp(-this.o.eta * ((s.loss[i] as number) - min)); // shift by min: no underflow
      z += w[i] as number;
    }
    for (let i = 0; i < m; i++) w[i] = (w[i] as number) / z;
    return w;
  }

  /** Observations a scope has seen. */
  count(key: string): number {
    return this.scopes.get(key)?.n ?? 0;
  }

  /** Weights for a context: global backed off along the chain, then mixed with uniform by γ. */
  weights(chain: readonly string[]): Float64Array {
    const m = this.models.length;
    let w = this.scopeWeights(GLOBAL_SCOPE);
    for (const key of chain) {
      const n = this.count(key);
      if (n === 0) continue;
      const t = n / (n + this.o.prior);
      const own = this.scopeWeights(key);
      w = w.map((v, i) => t * (own[i] as number) + (1 - t) * v);
    }
    return w.map((v) => (1 - this.o.gamma) * v + this.o.gamma / m);
  }

  toJSON(): HedgeJSON {
    return { models: [...this.models], scopes: [...this.scopes].map(([k, s]) => [k, [...s.loss], s.n]) };
  }

  load(d: HedgeJSON): void {
    if (d.models.join('\u0000') !== this.models.join('\u0000')) {
      throw new Error(`hedge snapshot models [${d.models.join(', ')}] differ from [${this.models.join(', ')}]`);
    }
    this.scopes = new Map(d.scopes.map(([k, loss, n]) => [k, { loss: Float64Array.from(loss), n }]));
  }
}
