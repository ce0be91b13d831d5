/**
 * Prequential (test-then-train) bookkeeping: hit@k and NDCG@k of every model and of the ensemble on each
 * tested interaction, overall and per scope (user / room), plus a curve of windowed values and ensemble
 * weights for plots.
 */
export interface Tally {
  tests: number;
  hits: number;
  ndcg: number;
}

export interface CurvePoint {
  /** Interactions ingested when the point was taken. */
  at: number;
  scope: string;
  /** Windowed hit@k per model (and 'ensemble') since the previous point of this scope. */
  hit: Record<string, number>;
  /** Ensemble weights of the scope at that time. */
  weights: Record<string, number>;
}

/** model name → ms spent scoring and learning. */
export type ModelCosts = Record<string, { scoreMs: number; updateMs: number }>;

export interface LearnerMetrics {
  interactions: number;
  tests: number;
  k: number;
  /** name → tally over all tests; names are the models' plus 'ensemble'. */
  overall: Record<string, Tally>;
  byScope: Record<string, Record<string, Tally>>;
  curve: CurvePoint[];
  /** Wall time per model in score() (tests and every Learner.score call) and in learning (not snapshotted). */
  cost?: ModelCosts;
}

export interface MetricsJSON {
  interactions: number;
  tests: number;
  overall: Record<string, Tally>;
  byScope: Record<string, Record<string, Tally>>;
  window: Record<string, Record<string, Tally>>;
  curve: CurvePoint[];
}

const empty = (): Tally => ({ tests: 0, hits: 0, ndcg: 0 });

export class MetricsBook {
  interactions = 0;
  tests = 0;
  private overall: Record<string, Tally> = {};
  private byScope: Record<string, Record<string, Tally>> = {};
  private window: Record<string, Record<string, Tally>> = {};
  private curve: CurvePoint[] = [];

  constructor(
    readonly names: readonly string[],
    readonly k: number,
    private readonly curveEvery: number,
  ) {}

  private tally(book: Record<string, Tally>, name: string): Tally {
    return (book[name] ??= empty());
  }

  /** Record one tested interaction: ranks[i] is the 0-based rank of the true item for names[i]. */
  record(scope: string, ranks: readonly number[], weights: () => Record<string, number>): void {
    this.tests++;
    const scoped = (this.byScope[scope] ??= {});
    const win = (this.window[scope] ??= {});
    this.names.forEach((name, i) => {
      const r = ranks[i] as number;
      const hit = r < this.k ? 1 : 0;
      const gain = r < this.k ? 1 / Math.log2(r + 2) : 0;
      for (const t of [this.tally(this.overall, name), this.tally(scoped, name), this.tally(win, name)]) {
        t.tests++;
        t.hits += hit;
        t.ndcg += gain;
      }
    });
    const n = win[this.names[0] as string]?.tests ?? 0;
    if (n >= this.curveEvery) {
      this.curve.push({
        at: this.interactions,
        scope,
        hit: Object.fromEntries(this.names.map((name) => [name, (win[name]?.hits ?? 0) / n])),
        weights: weights(),
      });
      this.window[scope] = {};
    }
  }

  summary(): LearnerMetrics {
    const copy = (b: Record<string, Tally>): Record<string, Tally> =>
      Object.fromEntries(Object.entries(b).map(([k, t]) => [k, { ...t }]));
    return {
      interactions: this.interactions,
      tests: this.tests,
      k: this.k,
      overall: copy(this.overall),
      byScope: Object.fromEntries(Object.entries(this.byScope).map(([s, b]) => [s, copy(b)])),
      curve: this.curve.map((p) => ({ ...p })),
    };
  }

  toJSON(): MetricsJSON {
    return {
      interactions: this.interactions,
      tests: this.tests,
      overall: this.overall,
      byScope: this.byScope,
      window: this.window,
      curve: this.curve,
    };
  }

  load(d: MetricsJSON): void {
    const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
    this.interactions = d.interactions;
    this.tests = d.tests;
    this.overall = clone(d.overall);
    this.byScope = clone(d.byScope);
    this.window = clone(d.window);
    this.curve = clone(d.curve);
  }
}
