/**
 * THE learning loop, shared by the live server (in a worker thread or learner process) and the evaluation
 * CLI. For every interaction, test then train: each model ranks the true track against sampled negatives
 * before learning from it; the ensemble ranks it from those scores with its current weights; hit@k and
 * NDCG@k are recorded for all of them; the ensemble's Hedge weights move on the models' losses; only then
 * does every model update. Deterministic for a given seed and input order. No server imports.
 */
import { Ensemble } from '../ensemble/ensemble.ts';
import type { EnsembleJSON } from '../ensemble/ensemble.ts';
import { Rng } from '../models/shared/rng.ts';
import { contextOf, creditsUser, roomKey, strength, userKey } from '../models/shared/signal.ts';
import type { Interaction, ModelSnapshot, Recommender, ScoringContext, SnapshotHeader, TrackFeatures } from '../types.ts';
import { CandidatePool } from './candidate-pool.ts';
import type { NegativeSampling, PoolJSON } from './candidate-pool.ts';
import { MetricsBook } from './learner-metrics.ts';
import type { LearnerMetrics, MetricsJSON } from './learner-metrics.ts';

export interface LearnerOptions {
  seed?: number;
  /** Negatives sampled per tested interaction. */
  negatives?: number;
  /** Cut-off of the prequential hit@k / NDCG@k. */
  k?: number;
  /** In 'sampled' mode, test one in every n positive interactions (all are learned from). */
  testEvery?: number;
  negativeSampling?: NegativeSampling;
  /** Tests per scope between two points of the metrics curve. */
  curveEvery?: number;
  /** Loss fed to Hedge: 1 − 1/log2(rank+2) ('ndcg', untruncated), 1 − hit@k ('hit') or 1 − 1/(rank+1) ('rr'). */
  loss?: 'ndcg' | 'hit' | 'rr';
  /** Keep separate weights for askers with and without history (cold start favours other models). */
  segments?: boolean;
}

export interface ScoreBreakdown {
  candidates: readonly string[];
  /** Raw scores per model. */
  models: Record<string, Float32Array>;
  ensemble: Float32Array;
  weights: Record<string, number>;
  /** Per model, its weighted normalised share of each candidate's ensemble score. */
  contributions: Record<string, Float32Array>;
}

/** What to test an interaction against before learning from it. */
export type TestMode =
  /** The true track vs `negatives` sampled from the known tracks (cheap; the default). */
  | 'sampled'
  /** The true track vs every known track the asker has not interacted with (a whole-catalog ranking). */
  | 'pool'
  /** Learn without testing. */
  | 'none';

export interface IngestOptions {
  /** Overrides the learner's test mode for this batch (testEvery still applies to 'sampled'). */
  test?: TestMode;
}

/** One test-then-train measurement, in the order the names of `Learner.names()` list them. */
export interface TestRecord {
  interactionId: string;
  scope: string;
  /** Candidates ranked (true track included). */
  candidates: number;
  /** 0-based rank of the true track per model, then the ensemble (ties count against it). */
  ranks: number[];
}

export interface Recommendation {
  trackId: string;
  score: number;
  contributions: Record<string, number>;
}

export interface LearnerSnapshot {
  header: SnapshotHeader;
  models: ModelSnapshot[];
  ensemble: EnsembleJSON;
  state: {
    rng: number;
    pool: PoolJSON;
    known: Array<[string, string[]]>;
    counts: Array<[string, number]>;
    rooms: Array<[string, string[]]>;
    metrics: MetricsJSON;
    positives: number;
  };
}

const VERSION = 1;
export const ENSEMBLE = 'ensemble';

export class Learner {
  readonly ensemble: Ensemble;
  private readonly o: Required<LearnerOptions>;
  private rng: Rng;
  private pool = new CandidatePool();
  /** Positive interactions per entity key: decides the cold/warm weight segment. */
  private counts = new Map<string, number>();
  /** Members seen acting in each room, for room contexts whose interactions do not list members. */
  private rooms = new Map<string, Set<string>>();
  /** Tracks each user / room interacted with: excluded from 'pool' tests (recommend what is new to them). */
  private known = new Map<string, Set<string>>();
  private book: MetricsBook;
  private positives = 0;

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
      ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
    };
    this.rng = new Rng(this.o.seed);
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
    if (this.o.segments) {
      const key = room ? roomKey(context.roomId as string) : context.userId === undefined ? '' : userKey(context.userId);
      chain.push(`${scope}/${(this.counts.get(key) ?? 0) > 0 ? 'warm' : 'cold'}`);
    }
    if (room) chain.push(`room#${context.roomId as string}`);
    return chain;
  }

  weights(context: ScoringContext): Record<string, number> {
    return this.ensemble.named(this.ensemble.weights(this.chain(this.withMembers(context))));
  }

  private withMembers(context: ScoringContext): ScoringContext {
    if (context.roomId === undefined || context.members !== undefined) return context;
    const known = this.rooms.get(context.roomId);
    return known === undefined ? context : { ...context, members: [...known] };
  }

  score(context: ScoringContext, candidates: readonly string[]): ScoreBreakdown {
    const ctx = this.withMembers(context);
    const raw = this.models.map((m) => m.score(ctx, candidates));
    const w = this.ensemble.weights(this.chain(ctx));
    const { score, contributions } = this.ensemble.combine(raw, w);
    const names = this.models.map((m) => m.name);
    return {
      candidates,
      models: Object.fromEntries(names.map((n, i) => [n, raw[i] as Float32Array])),
      ensemble: score,
      weights: this.ensemble.named(w),
      contributions: Object.fromEntries(names.map((n, i) => [n, contributions[i] as Float32Array])),
    };
  }

  recommend(context: ScoringContext, k: number, candidates?: readonly string[]): Recommendation[] {
    const cands = candidates ?? this.pool.all();
    const b = this.score(context, cands);
    const order = Array.from({ length: cands.length }, (_, i) => i).sort(
      (x, y) => (b.ensemble[y] as number) - (b.ensemble[x] as number) || x - y,
    );
    return order.slice(0, k).map((i) => ({
      trackId: cands[i] as string,
      score: b.ensemble[i] as number,
      contributions: Object.fromEntries(Object.entries(b.contributions).map(([n, c]) => [n, c[i] as number])),
    }));
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
      for (const m of this.models) m.update([x]);
      this.remember(x, s);
      this.book.interactions++;
    }
    return records;
  }

  private remember(x: Interaction, s: number): void {
    this.pool.add(x.trackId);
    if (x.roomId !== null && creditsUser(x)) {
      let set = this.rooms.get(x.roomId);
      if (set === undefined) this.rooms.set(x.roomId, (set = new Set()));
      set.add(x.userId);
    }
    const keys: string[] = [];
    if (creditsUser(x)) keys.push(userKey(x.userId));
    if (x.roomId !== null) keys.push(roomKey(x.roomId));
    for (const key of keys) {
      let set = this.known.get(key);
      if (set === undefined) this.known.set(key, (set = new Set()));
      set.add(x.trackId);
    }
    if (s <= 0) return;
    this.pool.addPositive(this.rng, x.trackId);
    for (const key of keys) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  private knownOf(ctx: ScoringContext): ReadonlySet<string> | undefined {
    if (ctx.roomId !== undefined) return this.known.get(roomKey(ctx.roomId));
    return ctx.userId === undefined ? undefined : this.known.get(userKey(ctx.userId));
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
    const ctx = contextOf(x, this.roomMembers(x.roomId));
    let negatives: string[];
    if (mode === 'pool') {
      const mine = this.knownOf(ctx);
      negatives = this.pool.all().filter((id) => id !== x.trackId && mine?.has(id) !== true);
    } else {
      negatives = this.pool.sample(this.rng, this.o.negatives, x.trackId, this.o.negativeSampling);
    }
    if (negatives.length === 0) return null;
    const candidates = [x.trackId, ...negatives];
    const chain = this.chain(ctx);
    const raw = this.models.map((m) => m.score(ctx, candidates));
    const w = this.ensemble.weights(chain);
    const ens = this.ensemble.combineScore(raw, w);
    const rankOf = (s: Float32Array): number => {
      let r = 0;
      const t = s[0] as number;
      for (let c = 1; c < s.length; c++) if ((s[c] as number) >= t || Number.isNaN(t)) r++;
      return r;
    };
    const ranks = [...raw.map(rankOf), rankOf(ens)];
    const scope = chain[0] as string;
    this.book.record(scope, ranks, () => this.ensemble.named(this.ensemble.weights([scope])));
    this.ensemble.learn(chain, raw, w, raw.map((_, m) => this.lossOf(ranks[m] as number)));
    return { interactionId: x.id, scope, candidates: candidates.length, ranks };
  }

  private roomMembers(roomId: string | null): string[] | undefined {
    if (roomId === null) return undefined;
    const set = this.rooms.get(roomId);
    return set === undefined ? undefined : [...set];
  }

  /** Let models recompute derived state (e.g. the EASE refresh); the server calls it when idle. */
  refresh(): void {
    for (const m of this.models) m.refresh?.();
  }

  metrics(): LearnerMetrics {
    return this.book.summary();
  }

  snapshot(): LearnerSnapshot {
    return {
      header: { model: 'learner', version: VERSION, createdAt: Date.now(), interactions: this.book.interactions },
      models: this.models.map((m) => m.snapshot()),
      ensemble: this.ensemble.toJSON(),
      state: {
        rng: this.rng.state,
        pool: this.pool.toJSON(),
        known: [...this.known].map(([k, v]) => [k, [...v]]),
        counts: [...this.counts],
        rooms: [...this.rooms].map(([r, s]) => [r, [...s]]),
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
    this.known = new Map(s.state.known.map(([k, v]) => [k, new Set(v)]));
    this.counts = new Map(s.state.counts);
    this.rooms = new Map(s.state.rooms.map(([r, m]) => [r, new Set(m)]));
    this.book.load(s.state.metrics);
    this.positives = s.state.positives;
  }
}
