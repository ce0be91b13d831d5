/**
 * Hedge (exponentiated weights over experts, Freund & Schapire 1997) for model weights. Each scope
 * (e.g. 'user', 'user/warm', 'room#42') keeps a discounted cumulative loss per model. A context reads its
 * weights along a chain of scopes from general to specific: each scope starts from its parent's weights
 * and moves them multiplicatively by its own losses (w ∝ w_parent · exp(−η·loss)), so a room with two
 * interactions is served almost exactly like rooms in general, and one with hundreds follows its own
 * evidence. Finally the weights are mixed with the uniform distribution (γ) so that no model's weight ever
 * reaches zero: every model keeps a say in what is served and can win weight back when it improves.
 */
export interface HedgeOptions {
  /** Learning rate η: how fast weight moves to the model with the lower loss. */
  eta: number;
  /** Exploration: share of the weight spread uniformly over models. */
  gamma: number;
  /** Per-observation discount of past losses (1 = none; < 1 tracks models whose quality drifts). */
  decay: number;
}

export const DEFAULT_HEDGE: HedgeOptions = { eta: 0.1, gamma: 0.02, decay: 0.999 };

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

  /** Record one round of losses (each in [0, 1]) for every scope of the chain and the global one (shown in UIs). */
  observe(chain: readonly string[], losses: ArrayLike<number>): void {
    for (const key of [GLOBAL_SCOPE, ...chain]) {
      const s = this.scope(key);
      for (let m = 0; m < s.loss.length; m++) s.loss[m] = this.o.decay * (s.loss[m] as number) + (losses[m] as number);
      s.n++;
    }
  }

  /** Observations a scope has seen. */
  count(key: string): number {
    return this.scopes.get(key)?.n ?? 0;
  }

  /** Hedge weights along a chain (no exploration); uniform when no scope of the chain has data. */
  pureWeights(chain: readonly string[]): Float64Array {
    const m = this.models.length;
    const logw = new Float64Array(m);
    for (const key of chain) {
      const s = this.scopes.get(key);
      if (s === undefined) continue;
      for (let i = 0; i < m; i++) logw[i] = (logw[i] as number) - this.o.eta * (s.loss[i] as number);
    }
    let max = -Infinity;
    for (const v of logw) max = Math.max(max, v);
    let z = 0;
    const w = logw.map((v) => {
      const e = Math.exp(v - max); // shift by the max: no underflow however long the stream
      z += e;
      return e;
    });
    return w.map((v) => v / z);
  }

  /** Weights for a context: Hedge along the chain, then mixed with uniform by γ. */
  weights(chain: readonly string[]): Float64Array {
    const m = this.models.length;
    return this.pureWeights(chain).map((v) => (1 - this.o.gamma) * v + this.o.gamma / m);
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
