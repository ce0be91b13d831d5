/**
 * THE learning loop, shared by the live server (in a worker thread or learner process) and the evaluation
 * CLI. For every interaction, test then train: each model ranks the true track against sampled negatives
 * before learning from it; the ensemble ranks it from those scores with its current weights; hit@k and
 * NDCG@k are recorded for all of them; the ensemble's Hedge weights move on the models' losses; only then
 * does every model update. Deterministic for a given seed and input order. No server imports.
 */
import { Ensemble } from '../ensemble/ensemble.ts';
import { Rng } from '../models/shared/rng.ts';
import { contextOf, strength } from '../models/shared/signal.ts';
import type { Interaction, Recommender, ScoringContext, TrackFeatures } from '../types.ts';
import { AskerMemory } from './asker-memory.ts';
import { CandidatePool } from './candidate-pool.ts';
import { topK } from '../group/top-k.ts';
import { shortlist } from './retrieval.ts';
import { MetricsBook } from './learner-metrics.ts';
import type { LearnerMetrics, ModelCosts } from './learner-metrics.ts';
import type {
  IngestOptions,
  LearnerOptions,
  LearnerSnapshot,
  Recommendation,
  ScoreBreakdown,
  TestRecord,
} from './learner-types.ts';

export type * from './learner-types.ts';
export type { LearnerMetrics, ModelCosts } from './learner-metrics.ts';

const VERSION = 1;
export const ENSEMBLE = 'ensemble';

export class Learner {
  readonly ensemble: Ensemble;
  private readonly o: Required<LearnerOptions>;
  private rng: Rng;
  /**
   * Exploration draws of recommend()'s shortlist: a stream of their own, so serving recommendations never
   * shifts the test negatives the training stream draws from `rng` (not snapshotted: it only varies which
   * long-tail tracks get a look).
   */
  private exploreRng: Rng;
  private pool = new CandidatePool();
  private memory = new AskerMemory();
  private book: MetricsBook;
  private positives = 0;
  /** Wall time spent in each model's score() (tests) and update(), for the cost column of reports. */
  private cost: ModelCosts = {};
  /** The model catchUp() asks first. */
  private nextCatchUp = 0;

  constructor(
    readonly models: readonly Recommender[],
    ensemble?: Ensemble,
    opts: LearnerOptions = {},
  ) {
    const names = models.map((m) => m.name);
    if (new Set(names).size !== names.length) throw new Error(`model names must be unique: ${names.join(', ')}`);
    this.ensemble = ensemble ?? new Ensemble(names);
    if (this.ensemble.models.join('\u0000') !== names.join('\u0000')) {
      throw new Error('the ensemble must be built over the same models, in the same order');
    }
    this.o = {
      seed: 1,
      negatives: 100,
      k: 10,
      testEvery: 1,
      negativeSampling: 'uniform',
      curveEvery: 500,
      loss: 'ndcg',
      segments: true,
      retrieve: 60,
      explore: 12,
      ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
    };
    this.rng = new Rng(this.o.seed);
    this.exploreRng = new Rng(this.o.seed * 7919 + 17);
    this.book = new MetricsBook([...names, ENSEMBLE], this.o.k, this.o.curveEvery);
  }

  /** Give models track metadata (content features) and make the tracks candidates. */
  setCatalog(tracks: readonly TrackFeatures[]): void {
    for (const t of tracks) this.pool.add(t.id);
    for (const m of this.models) m.setCatalog?.(tracks);
  }

  /** Make tracks candidates (recommend() and tests) without metadata. */
  addCandidates(ids: readonly string[]): void {
    for (const id of ids) this.pool.add(id);
  }

  /** Known tracks: the default candidate set of recommend(). */
  catalog(): readonly string[] {
    return this.pool.all();
  }

  /** Hedge scopes from general to specific for a context. */
  chain(context: ScoringContext): string[] {
    const room = context.roomId !== undefined;
    const scope = room ? 'room' : 'user';
    const chain = [scope];
    if (this.o.segments) chain.push(`${scope}/${this.memory.positives(context) > 0 ? 'warm' : 'cold'}`);
    if (room) chain.push(`room#${context.roomId as string}`);
    return chain;
  }

  weights(context: ScoringContext): Record<string, number> {
    return this.ensemble.named(this.ensemble.weights(this.chain(context)));
  }

  /**
   * Every model's scores of the candidates and the ensemble's combination. `skip` leaves models out (their
   * weight goes to the others): the live server scores each member of a room without its costliest model.
   */
  score(context: ScoringContext, candidates: readonly string[], skip?: ReadonlySet<string>): ScoreBreakdown {
    const ctx = this.memory.withMembers(context);
    const { raw, w } = this.rawScores(ctx, candidates, skip);
    const { score, contributions, ranks } = this.ensemble.combine(raw, w);
    const names = this.models.map((m) => m.name);
    return {
      candidates,
      models: Object.fromEntries(names.map((n, i) => [n, raw[i] as Float32Array])),
      ensemble: score,
      weights: this.ensemble.named(w),
      contributions: Object.fromEntries(names.map((n, i) => [n, contributions[i] as Float32Array])),
      ranks: ranks && Object.fromEntries(names.map((n, i) => [n, ranks[i] as Float32Array])),
    };
  }

  /**
   * `score(…).ensemble` alone, without the per-model breakdown (contributions, ranks, named records): the
   * live server scores the members who acted on every push of their room and reads nothing else.
   */
  scoreEnsemble(context: ScoringContext, candidates: readonly string[], skip?: ReadonlySet<string>): Float32Array {
    const { raw, w } = this.rawScores(this.memory.withMembers(context), candidates, skip);
    return this.ensemble.combineScore(raw, w);
  }

  /** Every model's raw scores (zeros for skipped models) and the context's weights, skipped ones given to the rest. */
  private rawScores(ctx: ScoringContext, candidates: readonly string[], skip: ReadonlySet<string> | undefined) {
    const raw = this.models.map((m) => {
      if (skip?.has(m.name)) return new Float32Array(candidates.length);
      const t = performance.now();
      const out = m.score(ctx, candidates);
      this.costOf(m.name).scoreMs += performance.now() - t;
      return out;
    });
    const w = this.ensemble.weights(this.chain(ctx));
    if (skip !== undefined && skip.size > 0) withoutSkipped(w, this.models, skip);
    return { raw, w };
  }

  /**
   * The top k tracks for a context, best first (ties to the earlier candidate). With explicit candidates
   * (the evaluation protocols) every one of them is scored by every model. Without, this is the server's
   * two-stage path: retrieve a shortlist of a few hundred tracks from the whole catalog (retrieval.ts),
   * then every model and the ensemble score only the shortlist; a partial top-k selection replaces a sort.
   */
  recommend(context: ScoringContext, k: number, candidates?: readonly string[]): Recommendation[] {
    const cands = candidates ?? this.retrieve(context);
    const b = this.score(context, cands);
    return topK(b.ensemble, k).map((i) => ({
      trackId: cands[i] as string,
      score: b.ensemble[i] as number,
      contributions: Object.fromEntries(Object.entries(b.contributions).map(([n, c]) => [n, c[i] as number])),
    }));
  }

  /** Stage one of recommend() without candidates: the shortlist of a context (see retrieval.ts). */
  retrieve(context: ScoringContext, explore = this.o.explore): string[] {
    const ctx = this.memory.withMembers(context);
    return shortlist(this.models, ctx, this.pool, this.exploreRng, { perModel: this.o.retrieve, explore });
  }

  /** Positive interactions learned from a context's asker (0 = cold start). */
  positivesOf(context: ScoringContext): number {
    return this.memory.positives(context);
  }

  /** Names of what a TestRecord ranks: the models, then 'ensemble'. */
  names(): string[] {
    return [...this.models.map((m) => m.name), ENSEMBLE];
  }

  /**
   * Test then train, interaction by interaction: returns the tests made. Every interaction is learned from;
   * positive ones on known tracks are tested first ('sampled': one in `testEvery`; 'pool': all).
   */
  ingest(interactions: readonly Interaction[], opts: IngestOptions = {}): TestRecord[] {
    const mode = opts.test ?? 'sampled';
    const records: TestRecord[] = [];
    for (const x of interactions) {
      const s = strength(x);
      if (s > 0 && mode !== 'none' && this.pool.has(x.trackId)) {
        const due = mode === 'pool' || this.positives++ % this.o.testEvery === 0;
        const r = due ? this.test(x, mode) : null;
        if (r !== null) records.push(r);
      }
      for (const m of this.models) {
        const t = performance.now();
        m.update([x]);
        this.costOf(m.name).updateMs += performance.now() - t;
      }
      this.pool.add(x.trackId);
      if (s > 0) this.pool.addPositive(this.rng, x.trackId);
      this.memory.remember(x, s);
      this.book.interactions++;
    }
    return records;
  }

  private lossOf(rank: number): number {
    switch (this.o.loss) {
      case 'hit':
        return rank < this.o.k ? 0 : 1;
      case 'rr':
        return 1 - 1 / (rank + 1);
      default:
        return 1 - 1 / Math.log2(rank + 2);
    }
  }

  /** Test one interaction before anything learns from it. */
  private test(x: Interaction, mode: 'sampled' | 'pool'): TestRecord | null {
    const ctx = contextOf(x, this.memory.members(x.roomId));
    let negatives: string[];
    if (mode === 'pool') {
      const mine = this.memory.knownOf(ctx);
      negatives = this.pool.all().filter((id) => id !== x.trackId && mine?.has(id) !== true);
    } else {
      negatives = this.pool.sample(this.rng, this.o.negatives, x.trackId, this.o.negativeSampling);
    }
    if (negatives.length === 0) return null;
    const candidates = [x.trackId, ...negatives];
    const chain = this.chain(ctx);
    const raw = this.models.map((m) => {
      const t = performance.now();
      const out = m.score(ctx, candidates);
      this.costOf(m.name).scoreMs += performance.now() - t;
      return out;
    });
    const w = this.ensemble.weights(chain);
    const ens = this.ensemble.combineScore(raw, w);
    const ranks = [...raw.map(rankOf), rankOf(ens)];
    const scope = chain[0] as string;
    // The curve shows what an established user / room of this scope is served with.
    this.book.record(scope, ranks, () => this.ensemble.named(this.ensemble.weights([scope, `${scope}/warm`])));
    this.ensemble.learn(chain, raw, w, raw.map((_, m) => this.lossOf(ranks[m] as number)));
    return { interactionId: x.id, scope, candidates: candidates.length, ranks };
  }

  /**
   * Deferred model work that came due (a NeuMF step, a slice of an EASE refresh): runs one model's piece,
   * so each call stays short; returns whether anything ran. The models take turns (the one after the last
   * that ran is asked first), so a refresh sliced over many calls never holds back another model's steps.
   * The live learner calls it when idle.
   */
  catchUp(): boolean {
    const n = this.models.length;
    for (let k = 0; k < n; k++) {
      const i = (this.nextCatchUp + k) % n;
      const m = this.models[i] as Recommender;
      const t = performance.now();
      if (m.catchUp?.()) {
        this.costOf(m.name).updateMs += performance.now() - t;
        this.nextCatchUp = (i + 1) % n;
        return true;
      }
    }
    return false;
  }

  /** Let models recompute derived state (e.g. the EASE refresh); the server calls it when idle. */
  refresh(): void {
    for (const m of this.models) m.refresh?.();
  }

  /** Time spent in each model so far (ms): scoring (tests and every score() call) and learning. */
  costs(): ModelCosts {
    return JSON.parse(JSON.stringify(this.cost)) as ModelCosts;
  }

  private costOf(name: string): { scoreMs: number; updateMs: number } {
    return (this.cost[name] ??= { scoreMs: 0, updateMs: 0 });
  }

  metrics(): LearnerMetrics {
    return { ...this.book.summary(), cost: this.costs() };
  }

  snapshot(): LearnerSnapshot {
    return {
      header: { model: 'learner', version: VERSION, createdAt: Date.now(), interactions: this.book.interactions },
      models: this.models.map((m) => m.snapshot()),
      ensemble: this.ensemble.toJSON(),
      state: {
        rng: this.rng.state,
        pool: this.pool.toJSON(),
        memory: this.memory.toJSON(),
        metrics: this.book.toJSON(),
        positives: this.positives,
      },
    };
  }

  restore(s: LearnerSnapshot): void {
    if (s.header.model !== 'learner' || s.header.version !== VERSION) {
      throw new Error(`not a learner snapshot of version ${VERSION}`);
    }
    for (const m of this.models) {
      const ms = s.models.find((x) => x.header.model === m.name);
      if (ms === undefined) throw new Error(`snapshot has no state for model '${m.name}'`);
      m.restore(ms);
    }
    this.ensemble.load(s.ensemble);
    this.rng.state = s.state.rng;
    this.pool = CandidatePool.from(s.state.pool);
    this.memory = AskerMemory.from(s.state.memory);
    this.book.load(s.state.metrics);
    this.positives = s.state.positives;
  }
}

/** Zero the weights of skipped models and rescale the rest to the same total (in place). */
function withoutSkipped(w: Float64Array | Float32Array | number[], models: readonly Recommender[], skip: ReadonlySet<string>): void {
  let kept = 0;
  let total = 0;
  models.forEach((m, i) => {
    total += w[i] as number;
    if (skip.has(m.name)) w[i] = 0;
    else kept += w[i] as number;
  });
  if (kept > 0) for (let i = 0; i < w.length; i++) w[i] = ((w[i] as number) * total) / kept;
}

/** The held-out positive's rank (0 = best) among its candidates: how many score at least as high. */
function rankOf(s: Float32Array): number {
  let r = 0;
  const t = s[0] as number;
  for (let c = 1; c < s.length; c++) if ((s[c] as number) >= t || Number.isNaN(t)) r++;
  return r;
}
