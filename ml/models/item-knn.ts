/**
 * Item-to-item neighbourhood model. Every user and every room is a "basket" of tracks; each interaction
 * updates the item-item Gram matrix (co-occurrence counts, room baskets weighted more because a room's
 * choices are what room recommendations must reproduce). Scores are Σ over the asker's history of a
 * cosine-normalised similarity with shrinkage. In `ease` mode the model also keeps EASE weights recomputed
 * from the same Gram matrix every `refreshEvery` updates (and on `refresh()`), for catalogs small enough to
 * invert, and blends them with the cosine scores (z-scored over the candidates): EASE is the sharper
 * model but only as fresh as its last refresh and blind to tracks that arrived since; cosine is always
 * current. Until the first refresh (or past easeMaxItems) it is the cosine model.
 */
import type { Interaction, ModelSnapshot, Recommender, ScoringContext } from '../types.ts';
import { decodeF32, decodeF64, encodeF32, encodeF64 } from './shared/codec.ts';
import { ensureF64 } from './shared/factors.ts';
import { IdIndex } from './shared/id-index.ts';
import { creditsUser, roomKey, strength, userKey } from './shared/signal.ts';
import { defined } from './shared/options.ts';
import { zNormalise } from './shared/znorm.ts';
import { checkSnapshot, makeSnapshot } from './shared/snapshot.ts';
import { CoMatrix } from './shared/co-matrix.ts';
import type { CoMatrixJSON } from './shared/co-matrix.ts';
import { easeSteps, easeWeights } from './item-knn-ease.ts';
import { neighbours, sameHistory, walk } from './item-knn-retrieve.ts';
import type { History } from './item-knn-retrieve.ts';
import { Basket, historyOf } from './item-knn-basket.ts';
import type { BasketJSON } from './item-knn-basket.ts';

export interface ItemKnnOptions {
  name?: string;
  /** 'cosine' (incremental, any catalog size) or 'ease' (closed form, catalogs ≤ easeMaxItems). */
  mode?: 'cosine' | 'ease';
  /** Weight of a room basket in the Gram matrix relative to a user basket. */
  roomWeight?: number;
  /** Shrinkage added to the cosine denominator: pairs seen together once count for less. */
  shrink?: number;
  /**
   * A new item co-occurs with at most this many most recent items of the basket: bounds the work per
   * update (two hashed row updates per window item). 100 measured only ~8 % faster than 200 on the bench
   * stream (most baskets are shorter), not worth changing what the evaluations measured.
   */
  window?: number;
  /** Scoring uses at most this many most recent history items. */
  historyLimit?: number;
  /** A basket value saturates here (repeated plays do not dominate). */
  cap?: number;
  /**
   * Weight of the members' mean history when the room has its own history (default 0, room only: on
   * Mafengwo even 0.05 lowers group NDCG — what a group chose together predicts it far better)...
   */
  memberWeight?: number;
  /** ...and when it has none yet (cold room: members carry it). */
  memberBackoff?: number;
  /** EASE L2 regularisation λ. */
  lambda?: number;
  /** Share of the EASE scores in the blend with cosine scores (ease mode). */
  easeShare?: number;
  easeMaxItems?: number;
  /** Recompute EASE weights after this many updates (the live server and the eval CLI share it). */
  refreshEvery?: number;
  /**
   * Leave a due EASE refresh to catchUp() (run when the learner is idle), which computes it in slices of
   * EASE_SLICE_MS and starts the next one only when the last one's work is at most EASE_SHARE of the time
   * since it finished: one inverse is O(n³) (seconds at a few thousand items), and the live learner's
   * thread must never be held that long between an interaction and its push.
   */
  deferRefresh?: boolean;
  /** Catalogs up to this size keep co-occurrences in a dense matrix (fast), larger ones sparse. */
  denseMax?: number;
}

const VERSION = 1;
/** Longest slice of a deferred EASE refresh (one catchUp call; a row of the inverse may overrun it a little). */
export const EASE_SLICE_MS = 4;
/** Deferred EASE refreshes use at most this share of the learner thread's time. */
export const EASE_SHARE = 0.05;

/** A deferred EASE refresh in progress. */
interface EaseJob {
  n: number;
  steps: Generator<void, Float32Array>;
  /** Updates it covers (subtracted from `dirty` when it lands; a snapshot meanwhile keeps them due). */
  covers: number;
  workMs: number;
}

export class ItemKnn implements Recommender {
  readonly name: string;
  private readonly o: Required<Omit<ItemKnnOptions, 'name'>>;
  private items = new IdIndex();
  private diag: Float64Array = new Float64Array(256);
  private co: CoMatrix;
  /** sqrt of the Gram diagonal, kept in step with it (the cosine denominator). */
  private norms: Float64Array = new Float64Array(256);
  private baskets = new Map<string, Basket>();
  private ease: { n: number; b: Float32Array } | null = null;
  private dirty = 0;
  private job: EaseJob | null = null;
  /** The last deferred refresh: when it landed (performance.now()) and the work it took (ms). */
  private lastJob = { doneAt: -Infinity, workMs: 0 };
  private seen = 0;
  private scratch: Float64Array = new Float64Array(0);
  /**
   * The last retrieval's neighbour sums: recommend() asks retrieve() then score() for the same context,
   * and in sparse mode both need the same walk over the history's rows; valid until the next update.
   */
  private walked: { hist: History; seen: number; acc: Float64Array } | null = null;
  private walkBuf: Float64Array = new Float64Array(0);

  constructor(opts: ItemKnnOptions = {}) {
    this.name = opts.name ?? (opts.mode === 'ease' ? 'ease' : 'item-knn');
    this.o = {
      mode: 'cosine',
      roomWeight: 3,
      shrink: 5,
      window: 200,
      historyLimit: 100,
      cap: 1,
      memberWeight: 0,
      memberBackoff: 1,
      lambda: 300,
      easeShare: 0.5,
      easeMaxItems: 4000,
      refreshEvery: 20_000,
      deferRefresh: false,
      denseMax: 4096,
      ...defined(opts),
    };
    this.co = new CoMatrix(this.o.denseMax);
  }

  private basket(key: string): Basket {
    let b = this.baskets.get(key);
    if (b === undefined) this.baskets.set(key, (b = new Basket()));
    return b;
  }

  update(interactions: readonly Interaction[]): void {
    for (const x of interactions) {
      this.seen++;
      const s = strength(x);
      const j = this.items.add(x.trackId);
      this.diag = ensureF64(this.diag, this.items.size);
      this.norms = ensureF64(this.norms, this.items.size);
      this.co.grow(this.items.size);
      if (creditsUser(x)) this.apply(this.basket(userKey(x.userId)), j, s, 1);
      if (x.roomId !== null) this.apply(this.basket(roomKey(x.roomId)), j, s, this.o.roomWeight);
      if (this.o.mode === 'ease' && ++this.dirty >= this.o.refreshEvery && !this.o.deferRefresh) this.refresh();
    }
  }

  /** Move basket value of item j by s and keep the Gram matrix equal to Σ_baskets w·v·vᵀ (within the window). */
  private apply(b: Basket, j: number, s: number, w: number): void {
    const old = b.get(j);
    const next = Math.min(this.o.cap, Math.max(0, old + s));
    const d = next - old;
    if (d === 0) return;
    const order = b.order;
    const values = b.values;
    // The window: the basket's `window` most recent items (a bound on the work per update).
    for (let p = Math.max(0, order.length - this.o.window); p < order.length; p++) {
      const k = order[p] as number;
      if (k === j) continue;
      const c = w * d * (values[p] as number);
      if (c === 0) continue;
      this.co.addSym(j, k, c);
    }
    this.diag[j] = (this.diag[j] ?? 0) + w * (next * next - old * old);
    this.norms[j] = Math.sqrt(Math.max(0, this.diag[j] ?? 0));
    b.set(j, next);
  }

  /** One slice of a due EASE refresh (deferRefresh): returns whether it ran one. */
  catchUp(): boolean {
    if (this.o.mode !== 'ease') return false;
    if (this.job === null) {
      if (this.dirty < this.o.refreshEvery) return false;
      if (performance.now() - this.lastJob.doneAt < (this.lastJob.workMs * (1 - EASE_SHARE)) / EASE_SHARE) return false;
      const n = this.items.size;
      if (n === 0 || n > this.o.easeMaxItems) {
        this.refresh();
        return true;
      }
      this.job = { n, steps: easeSteps(n, (i) => this.diag[i] ?? 0, this.co, this.o.lambda), covers: this.dirty, workMs: 0 };
    }
    const job = this.job;
    const start = performance.now();
    let now = start;
    for (;;) {
      const r = job.steps.next();
      now = performance.now();
      if (r.done) {
        this.ease = { n: job.n, b: r.value };
        this.dirty -= job.covers;
        this.job = null;
        this.lastJob = { doneAt: now, workMs: job.workMs + (now - start) };
        return true;
      }
      if (now - start >= EASE_SLICE_MS) break;
    }
    job.workMs += now - start;
    return true;
  }

  /** Recompute the EASE weights (ease mode) now, unless nothing changed since the last refresh. */
  refresh(): void {
    if (this.o.mode !== 'ease' || (this.dirty === 0 && this.ease !== null && this.job === null)) return;
    this.dirty = 0;
    this.job = null;
    const n = this.items.size;
    // Past easeMaxItems the inverse is too slow to keep fresh: fall back to cosine rather than serve stale weights.
    this.ease = n === 0 || n > this.o.easeMaxItems ? null : { n, b: easeWeights(n, (i) => this.diag[i] ?? 0, this.co, this.o.lambda) };
  }

  score(context: ScoringContext, candidates: readonly string[]): Float32Array {
    const out = new Float32Array(candidates.length);
    const hist = historyOf(context, this.baskets, {
      historyLimit: this.o.historyLimit,
      memberWeight: this.o.memberWeight,
      memberBackoff: this.o.memberBackoff,
    });
    if (hist.length === 0) return out;
    const cand = new Int32Array(candidates.length);
    for (let n = 0; n < candidates.length; n++) cand[n] = this.items.get(candidates[n] as string) ?? -1;
    this.scoreCosine(hist, cand, out);
    if (this.ease === null) return out;
    const e = new Float32Array(candidates.length);
    this.scoreEase(hist, cand, e);
    const zc = zNormalise(out);
    const ze = zNormalise(e);
    const a = this.o.easeShare;
    for (let c = 0; c < out.length; c++) out[c] = a * (ze[c] as number) + (1 - a) * (zc[c] as number);
    return out;
  }

  /** Retrieval: the cosine neighbours of the context's history (room and, per score(), its members). */
  retrieve(context: ScoringContext, n: number): readonly string[] {
    const hist = historyOf(context, this.baskets, {
      historyLimit: this.o.historyLimit,
      memberWeight: this.o.memberWeight,
      memberBackoff: this.o.memberBackoff,
    });
    if (hist.length === 0) return [];
    if (this.walkBuf.length < this.items.size) this.walkBuf = new Float64Array(this.items.size * 2);
    const acc = walk(hist, this.co, this.norms, this.o.shrink, this.items.size, this.walkBuf);
    if (!this.co.isDense) this.walked = { hist, seen: this.seen, acc };
    return neighbours(acc, n).map((i) => this.items.id(i));
  }

  private scoreEase(hist: ReadonlyArray<readonly [number, number]>, cand: Int32Array, out: Float32Array): void {
    const { n, b } = this.ease as { n: number; b: Float32Array };
    for (const [i, x] of hist) {
      if (i >= n) continue;
      const row = i * n;
      for (let c = 0; c < cand.length; c++) {
        const j = cand[c] as number;
        if (j >= 0 && j < n) out[c] = (out[c] as number) + x * (b[row + j] as number);
      }
    }
  }

  private scoreCosine(hist: ReadonlyArray<readonly [number, number]>, cand: Int32Array, out: Float32Array): void {
    const shrink = this.o.shrink;
    const norms = this.norms;
    if (this.co.isDense) {
      for (const [i, x] of hist) {
        const row = this.co.denseRow(i) as Float32Array;
        const ni = norms[i] as number;
        for (let c = 0; c < cand.length; c++) {
          const j = cand[c] as number;
          if (j < 0) continue;
          const g = row[j] as number;
          if (g !== 0) out[c] = (out[c] as number) + (x * g) / (ni * (norms[j] as number) + shrink);
        }
      }
      return;
    }
    const w = this.walked;
    if (w !== null && w.seen === this.seen && sameHistory(w.hist, hist)) {
      for (let c = 0; c < cand.length; c++) {
        const j = cand[c] as number;
        if (j >= 0) out[c] = w.acc[j] as number;
      }
      return;
    }
    let rowWork = 0;
    for (const [i] of hist) rowWork += this.co.sparseRow(i)?.n ?? 0;
    if (rowWork < hist.length * cand.length) {
      // Walk each history item's neighbours once into a dense accumulator: cheap for large candidate sets.
      if (this.scratch.length < this.items.size) this.scratch = new Float64Array(this.items.size * 2);
      const acc = this.scratch;
      const touched: number[] = [];
      for (const [i, x] of hist) {
        const r = this.co.sparseRow(i);
        if (r === undefined) continue;
        const ni = norms[i] as number;
        for (let s = 0; s < r.n; s++) {
          const j = r.cols[s] as number;
          if (acc[j] === 0) touched.push(j);
          acc[j] = (acc[j] as number) + (x * (r.vals[s] as number)) / (ni * (norms[j] as number) + shrink);
        }
      }
      for (let c = 0; c < cand.length; c++) {
        const j = cand[c] as number;
        if (j >= 0) out[c] = acc[j] as number;
      }
      for (const j of touched) acc[j] = 0;
      return;
    }
    for (const [i, x] of hist) {
      const ni = norms[i] as number;
      for (let c = 0; c < cand.length; c++) {
        const j = cand[c] as number;
        if (j < 0) continue;
        const g = this.co.get(i, j);
        if (g !== 0) out[c] = (out[c] as number) + (x * g) / (ni * (norms[j] as number) + shrink);
      }
    }
  }

  snapshot(): ModelSnapshot {
    return makeSnapshot(this.name, VERSION, this.seen, {
      items: this.items.toJSON(),
      diag: encodeF64(this.diag.subarray(0, this.items.size)),
      co: this.co.toJSON(),
      baskets: [...this.baskets].map(([k, b]) => [k, b.toJSON()]),
      ease: this.ease === null ? null : { n: this.ease.n, b: encodeF32(this.ease.b) },
      dirty: this.dirty,
    });
  }

  restore(snapshot: ModelSnapshot): void {
    checkSnapshot(snapshot, this.name, VERSION);
    const d = snapshot.data as {
      items: string[];
      diag: string;
      co: CoMatrixJSON;
      baskets: Array<[string, BasketJSON]>;
      ease: { n: number; b: string } | null;
      dirty: number;
    };
    this.items = IdIndex.from(d.items);
    this.diag = ensureF64(decodeF64(d.diag), 256);
    this.co = CoMatrix.from(d.co, this.o.denseMax);
    this.norms = ensureF64(this.diag.map((v) => Math.sqrt(Math.max(0, v))), 256);
    this.baskets = new Map(d.baskets.map(([k, b]) => [k, Basket.from(b)]));
    this.ease = d.ease === null ? null : { n: d.ease.n, b: decodeF32(d.ease.b) };
    this.dirty = d.dirty;
    this.job = null;
    this.seen = snapshot.header.interactions;
    this.walked = null;
  }
}
