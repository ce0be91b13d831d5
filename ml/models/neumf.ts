/**
 * NeuMF, the "user preference model": neural collaborative filtering (GMF + MLP, tfjs layers) trained by
 * mini-batches (`fit`) and fine-tuned online from a replay buffer (`update`).
 *
 * Entities are users ("u:<id>") and rooms ("r:<id>") in one embedding table, so a room learns its own taste
 * from room-level interactions. Vocabularies grow online inside pre-allocated tables (default 8,192
 * users+rooms and 32,768 items); ids past capacity share hashed rows (see neumf-vocab.ts).
 *
 * Call `initBackend()` (ml/backend.ts) before `NeuMF.create()`: the model runs on whatever backend is active.
 */
import * as tf from '@tensorflow/tfjs';
import { SIGNAL } from '../types.ts';
import type { Interaction, ModelSnapshot, Recommender, ScoringContext } from '../types.ts';
import { decodeF32 as b64ToF32, decodeI32 as b64ToI32, encodeF32 as f32ToB64, encodeI32 as i32ToB64 } from './shared/codec.ts';
import { buildNetwork } from './neumf-network.ts';
import type { Network } from './neumf-network.ts';
import { resolveConfig, ARCH_KEYS } from './neumf-options.ts';
import type { NeuMFConfig, NeuMFOptions } from './neumf-options.ts';
import { HeadForward } from './neumf-forward.ts';
import { allocBatch, gaussian, pushSample, ReplayBuffer, shuffle } from './neumf-replay.ts';
import { uniform } from './shared/rng.ts';
import type { SampleBatch } from './neumf-replay.ts';
import { gatherRows, repeatRow, syncVariable } from './neumf-sparse.ts';
import { trainStep } from './neumf-train.ts';
import type { SparseTable } from './neumf-sparse.ts';
import { checkSnapshot, decodeRowsInto, encodeRows, NEUMF_SNAPSHOT_VERSION } from './neumf-snapshot.ts';
import type { NeuMFSnapshotData } from './neumf-snapshot.ts';
import { IdTable } from './neumf-vocab.ts';

export { NEUMF_DEFAULTS } from './neumf-options.ts';
export type { NeuMFConfig, NeuMFOptions } from './neumf-options.ts';

/** Standard deviation of the initial embedding values. */
const INIT_STD = 0.05;

interface EntityVectors {
  gmf: Float32Array;
  mlp: Float32Array;
}

interface ItemInputs {
  key: readonly string[];
  steps: number;
  size: number;
  rows: Int32Array; // candidate → item row, -1 when unknown
  known: number;
  gmf: tf.Tensor2D; // known candidates' GMF embeddings
  mlp: tf.Tensor2D;
}

/** Shortlist scorings kept between two training steps (scoreInJs). */
const SCORE_CACHE_MAX = 512;
/** Up to this many candidates, score() runs the head in TypeScript; beyond, on tfjs (see neumf-forward.ts). */
const JS_FORWARD_MAX = 2048;

/** With deferSteps, update() trains by itself once this many steps are due (a learner never idle). */
export const DEFER_LIMIT = 4;

export class NeuMF implements Recommender {
  readonly name = 'neumf';
  readonly config: NeuMFConfig;
  private readonly net: Network;
  private readonly tables: [SparseTable, SparseTable, SparseTable, SparseTable];
  private entities: IdTable;
  private items: IdTable;
  private entityCount: Int32Array;
  private replay: ReplayBuffer;
  /** The head's weights read out for scoreInJs, valid while `steps` has not moved. */
  private forward: { steps: number; f: HeadForward } | undefined;
  private optimizer: tf.Optimizer;
  private rand: () => number;
  private readonly batch: SampleBatch;
  private pending = 0; // interactions since the last online step
  private pendingSamples = 0;
  private seen = 0;
  private steps = 0;
  private rowsCache = new WeakMap<readonly string[], { size: number; rows: Int32Array }>();
  private itemInputs: ItemInputs | undefined;
  private meanCache: (EntityVectors & { steps: number }) | undefined;
  /**
   * scoreInJs results between training steps, by who is asking (the entity rows resolved) and which rows
   * are scored: weights move only in a step, so a room re-ranking the same candidates between two steps
   * (a push per interaction, a step every few hundred) gets the same numbers. Cleared by a step.
   */
  private scoreCache = new Map<string, Float32Array>();
  private scoreCacheSteps = -1;
  private disposed = false;

  static async create(opts: NeuMFOptions = {}): Promise<NeuMF> {
    await tf.ready();
    return new NeuMF(resolveConfig(opts));
  }

  /** A model with the snapshot's configuration and weights. */
  static async fromSnapshot(snapshot: ModelSnapshot): Promise<NeuMF> {
    const m = await NeuMF.create(checkSnapshot(snapshot).config);
    m.restore(snapshot);
    return m;
  }

  private constructor(config: NeuMFConfig) {
    this.config = config;
    this.net = buildNetwork(this.config);
    const c = this.config;
    const dims = [c.gmfDim, c.gmfDim, c.mlpDim, c.mlpDim];
    const caps = [c.entityCapacity, c.itemCapacity, c.entityCapacity, c.itemCapacity];
    this.tables = this.net.tables.map((variable, k) => ({
      dim: dims[k] ?? 0,
      values: new Float32Array((caps[k] ?? 0) * (dims[k] ?? 0)),
      accum: new Float32Array((caps[k] ?? 0) * (dims[k] ?? 0)),
      variable,
    })) as [SparseTable, SparseTable, SparseTable, SparseTable];
    this.entities = new IdTable(c.entityCapacity);
    this.items = new IdTable(c.itemCapacity);
    this.entityCount = new Int32Array(c.entityCapacity);
    this.replay = new ReplayBuffer(c.replaySize);
    this.optimizer = tf.train.adam(c.lr);
    this.rand = uniform(c.seed);
    this.batch = allocBatch(c.batchSize * (1 + c.negatives));
    this.resetTables();
  }

  /** Fresh seeded values for every row, Adagrad accumulators at their usual 0.1 start. */
  private resetTables(): void {
    const gauss = gaussian(uniform(this.config.seed ^ 0x9e3779b9));
    for (const t of this.tables) {
      for (let j = 0; j < t.values.length; j++) t.values[j] = gauss() * INIT_STD;
      t.accum.fill(0.1);
      tf.tidy(() => syncVariable(t));
    }
    this.meanCache = undefined;
    this.scoreCacheSteps = -1;
  }

  // ---- learning -------------------------------------------------------------------------------------------

  /** Learn online: samples go to the replay buffer; one small batch trains every `trainEvery` interactions. */
  update(interactions: readonly Interaction[]): void {
    this.assertLive();
    // A deferred step waits for catchUp() until this many are due.
    const limit = this.config.trainEvery * (this.config.deferSteps ? DEFER_LIMIT : 1);
    for (const it of interactions) {
      const made = this.ingest(it, undefined);
      if (made === 0) continue;
      this.pendingSamples += made;
      if (++this.pending >= limit) this.step();
    }
  }

  catchUp(): boolean {
    if (this.disposed || this.pending < this.config.trainEvery) return false;
    this.step();
    return true;
  }

  /** One online step: the newest samples always train (so fresh taste shows up at once); replayed ones fill the batch. */
  private step(): void {
    this.batch.length = 0;
    const recent = Math.min(this.pendingSamples, this.config.batchSize);
    this.replay.sampleInto(this.batch, recent, this.config.batchSize - recent, this.rand);
    this.pending = 0;
    this.pendingSamples = 0;
    this.trainBatch(this.batch);
  }

  /** Mini-batch training over `interactions` for `epochs` passes; returns the mean loss of each epoch. */
  async fit(interactions: readonly Interaction[], epochs = 1): Promise<number[]> {
    this.assertLive();
    const all = allocBatch(interactions.length * 2);
    for (const it of interactions) this.ingest(it, all);
    const order = Int32Array.from({ length: all.length }, (_, i) => i);
    const losses: number[] = [];
    for (let e = 0; e < epochs; e++) {
      shuffle(order, this.rand);
      let sum = 0;
      let batches = 0;
      for (let start = 0; start < order.length; start += this.config.batchSize) {
        this.batch.length = 0;
        const end = Math.min(order.length, start + this.config.batchSize);
        for (let k = start; k < end; k++) {
          const i = order[k] ?? 0;
          pushSample(this.batch, all.entity[i] ?? 0, all.item[i] ?? 0, all.label[i] ?? 0, all.weight[i] ?? 0);
        }
        sum += this.trainBatch(this.batch);
        batches++;
        // Let timers and sockets breathe during long fits.
        if (batches % 16 === 0) await new Promise<void>((r) => setImmediate(r));
      }
      losses.push(batches ? sum / batches : 0);
    }
    this.pending = 0;
    this.pendingSamples = 0;
    return losses;
  }

  /** Map one interaction to samples (user, and room when in one); returns how many were made. */
  private ingest(it: Interaction, into: SampleBatch | undefined): number {
    const signal = SIGNAL[it.type] * (it.weight ?? 1);
    if (!Number.isFinite(signal) || signal === 0) return 0;
    const label = signal > 0 ? 1 : 0;
    const weight = Math.min(3, Math.max(0.1, Math.abs(signal)));
    // A room-level act (a vote outcome, a data set's group row) teaches the room, not the user who sent it.
    const keys: string[] = [];
    if (it.groupLevel !== true && it.userId !== '') keys.push(`u:${it.userId}`);
    if (it.roomId != null) keys.push(`r:${it.roomId}`);
    if (keys.length === 0) return 0;
    const item = this.items.ensure(it.trackId);
    this.seen++;
    for (const key of keys) {
      const e = this.entities.ensure(key);
      this.entityCount[e] = (this.entityCount[e] ?? 0) + 1;
      this.replay.push(e, item, label, weight);
      if (into) pushSample(into, e, item, label, weight);
    }
    return keys.length;
  }

  /** One optimisation step on the samples in `b` plus `negatives` sampled items per positive; returns the loss. */
  trainBatch(b: SampleBatch): number {
    const observed = b.length;
    if (observed === 0 || this.items.size === 0) return 0;
    // Uniform negatives from the known items (NeuMF's sampling); a rare false negative is the usual price.
    for (let i = 0; i < observed; i++) {
      if (b.label[i] !== 1) continue;
      for (let k = 0; k < this.config.negatives && b.length < b.entity.length; k++) {
        pushSample(b, b.entity[i] ?? 0, this.items.randomRow(this.rand), 0, 1);
      }
    }
    const loss = trainStep(this.net, this.tables, this.optimizer, b, this.config);
    this.steps++;
    return loss;
  }

  // ---- scoring --------------------------------------------------------------------------------------------

  /**
   * Probability-like scores in (0, 1). Who: the room's own embedding when it has history; otherwise its known
   * members' averaged embedding; otherwise the user; otherwise the average entity. Items the model never saw
   * get the mean score of the known candidates, so they are neither promoted nor buried by this model.
   */
  score(context: ScoringContext, candidates: readonly string[]): Float32Array {
    this.assertLive();
    const n = candidates.length;
    const out = new Float32Array(n);
    if (n === 0) return out;
    if (n <= JS_FORWARD_MAX) return this.scoreInJs(context, candidates, out);
    const c = this.candidateInputs(candidates);
    if (c.known === 0) return out.fill(0.5);
    const who = this.resolve(context);
    tf.tidy(() => {
      const tile = (v: Float32Array): tf.Tensor => tf.tensor2d(repeatRow(v, c.known), [c.known, v.length]);
      const p = this.net.head.predict([tile(who.gmf), c.gmf, tile(who.mlp), c.mlp], { batchSize: c.known }) as tf.Tensor;
      // Read inside the tidy and return nothing: tidy walks a returned value, element by element for typed arrays.
      const vals = p.dataSync();
      if (c.known === n) out.set(vals);
      else {
        let mean = 0;
        for (let j = 0; j < c.known; j++) mean += vals[j] ?? 0;
        mean /= c.known;
        for (let i = 0, j = 0; i < n; i++) out[i] = (c.rows[i] ?? -1) >= 0 ? (vals[j++] ?? 0) : mean;
      }
    });
    return out;
  }

  /** score() for shortlists: the same head in plain TypeScript (neumf-forward.ts), no tensors. */
  private scoreInJs(context: ScoringContext, candidates: readonly string[], out: Float32Array): Float32Array {
    const n = candidates.length;
    const rows = new Int32Array(n);
    let known = 0;
    for (let i = 0; i < n; i++) {
      const r = this.items.lookup(candidates[i] ?? '') ?? -1;
      rows[i] = r;
      if (r >= 0) known++;
    }
    if (known === 0) return out.fill(0.5);
    const whoRows = this.resolveRows(context);
    if (this.scoreCacheSteps !== this.steps) {
      this.scoreCache.clear();
      this.scoreCacheSteps = this.steps;
    }
    const key = `${whoRows === 'mean' ? 'mean' : whoRows.join(',')}|${rows.join(',')}`;
    const hit = this.scoreCache.get(key);
    if (hit) {
      out.set(hit);
      return out;
    }
    this.scoreRows(whoRows, rows, known, out);
    if (this.scoreCache.size >= SCORE_CACHE_MAX) this.scoreCache.delete(this.scoreCache.keys().next().value as string);
    this.scoreCache.set(key, out.slice());
    return out;
  }

  private scoreRows(whoRows: readonly number[] | 'mean', rows: Int32Array, known: number, out: Float32Array): Float32Array {
    const n = rows.length;
    const idx = new Int32Array(known);
    for (let i = 0, j = 0; i < n; i++) if ((rows[i] as number) >= 0) idx[j++] = rows[i] as number;
    const [, ig, , im] = this.tables;
    const who = this.vectorsOf(whoRows);
    if (this.forward?.steps !== this.steps) this.forward = { steps: this.steps, f: new HeadForward(this.net.layers) };
    const vals = new Float32Array(known);
    this.forward.f.score(who.gmf, who.mlp, ig.values, im.values, idx, known, vals);
    if (known === n) {
      out.set(vals);
      return out;
    }
    let mean = 0;
    for (let j = 0; j < known; j++) mean += vals[j] as number;
    mean /= known;
    for (let i = 0, j = 0; i < n; i++) out[i] = (rows[i] as number) >= 0 ? (vals[j++] as number) : mean;
    return out;
  }

  /**
   * The candidates' item embeddings as tensors, kept between calls while neither the candidate array nor the
   * weights change: a room's members, or many rooms, are scored against one catalog between training steps.
   */
  private candidateInputs(candidates: readonly string[]): ItemInputs {
    const size = this.items.size + (this.items.isFull ? 1 : 0);
    const c = this.itemInputs;
    if (c && c.key === candidates && c.steps === this.steps && c.size === size) return c;
    this.dropItemInputs();
    let rows = this.rowsCache.get(candidates);
    if (!rows || rows.size !== size) {
      const r = new Int32Array(candidates.length);
      for (let i = 0; i < candidates.length; i++) r[i] = this.items.lookup(candidates[i] ?? '') ?? -1;
      rows = { size, rows: r };
      this.rowsCache.set(candidates, rows);
    }
    let known = 0;
    for (const r of rows.rows) if (r >= 0) known++;
    const idx = new Int32Array(known);
    for (let i = 0, j = 0; i < rows.rows.length; i++) if ((rows.rows[i] as number) >= 0) idx[j++] = rows.rows[i] as number;
    const [, ig, , im] = this.tables;
    const next: ItemInputs = {
      key: candidates,
      steps: this.steps,
      size,
      rows: rows.rows,
      known,
      gmf: tf.tensor2d(gatherRows(ig, idx, known), [known, ig.dim]),
      mlp: tf.tensor2d(gatherRows(im, idx, known), [known, im.dim]),
    };
    this.itemInputs = next;
    return next;
  }

  private dropItemInputs(): void {
    this.itemInputs?.gmf.dispose();
    this.itemInputs?.mlp.dispose();
    this.itemInputs = undefined;
  }

  /**
   * The textbook path: the layers model with its Embedding lookups, for rows the caller already resolved.
   * Equal to score() for a single entity (a test holds them together); handy for exporting the model.
   */
  predictRows(entityRow: number, itemRows: Int32Array): Float32Array {
    const out = new Float32Array(itemRows.length);
    tf.tidy(() => {
      const n = itemRows.length;
      const p = this.net.model.predict([tf.fill([n, 1], entityRow, 'int32'), tf.tensor2d(itemRows, [n, 1], 'int32')], { batchSize: n });
      out.set((p as tf.Tensor).dataSync());
    });
    return out;
  }

  /** Row of an entity ("u:<id>" or "r:<id>") or item id, if known. */
  rowOf(kind: 'entity' | 'item', key: string): number | undefined {
    return (kind === 'entity' ? this.entities : this.items).lookup(key);
  }

  private trained(key: string): number | undefined {
    const r = this.entities.lookup(key);
    return r !== undefined && (this.entityCount[r] ?? 0) > 0 ? r : undefined;
  }

  private resolve(ctx: ScoringContext): EntityVectors {
    return this.vectorsOf(this.resolveRows(ctx));
  }

  /** The entity rows whose average embeds `ctx` (see score()), or 'mean': every trained entity's. */
  private resolveRows(ctx: ScoringContext): number[] | 'mean' {
    if (ctx.roomId !== undefined) {
      const r = this.trained(`r:${ctx.roomId}`);
      if (r !== undefined) return [r];
    }
    const members = (ctx.members ?? []).map((m) => this.trained(`u:${m}`)).filter((r): r is number => r !== undefined);
    if (members.length > 0) return members;
    if (ctx.userId !== undefined) {
      const u = this.trained(`u:${ctx.userId}`);
      if (u !== undefined) return [u];
    }
    return 'mean';
  }

  private vectorsOf(rows: readonly number[] | 'mean'): EntityVectors {
    if (rows !== 'mean') return this.average(rows);
    if (!this.meanCache || this.meanCache.steps !== this.steps) {
      const rows = this.entities.usedRows().filter((r) => (this.entityCount[r] ?? 0) > 0);
      this.meanCache = { steps: this.steps, ...this.average(rows) };
    }
    return this.meanCache;
  }

  private average(rows: readonly number[]): EntityVectors {
    const avg = (t: SparseTable): Float32Array => {
      const v = new Float32Array(t.dim);
      for (const r of rows) for (let k = 0; k < t.dim; k++) v[k] = (v[k] ?? 0) + (t.values[r * t.dim + k] ?? 0);
      if (rows.length) for (let k = 0; k < t.dim; k++) v[k] = (v[k] ?? 0) / rows.length;
      return v;
    };
    return { gmf: avg(this.tables[0]), mlp: avg(this.tables[2]) };
  }

  // ---- persistence ----------------------------------------------------------------------------------------

  /** Weights (used rows only) and id maps. Optimizer state and the replay buffer restart after a restore. */
  snapshot(): ModelSnapshot {
    this.assertLive();
    const tables = this.tables.map((t, k) => encodeRows(t.values, t.dim, (k % 2 === 0 ? this.entities : this.items).usedRows()));
    const head = this.net.headVars.map((v) => ({ name: v.name, shape: [...v.shape], values: f32ToB64(v.dataSync() as Float32Array) }));
    const data: NeuMFSnapshotData = {
      config: { ...this.config, layers: [...this.config.layers] },
      entities: this.entities.toJSON(),
      items: this.items.toJSON(),
      entityCount: i32ToB64(this.entityCount),
      tables,
      head,
      steps: this.steps,
    };
    return { header: { model: this.name, version: NEUMF_SNAPSHOT_VERSION, createdAt: Date.now(), interactions: this.seen }, data };
  }

  restore(snapshot: ModelSnapshot): void {
    this.assertLive();
    const d = checkSnapshot(snapshot);
    for (const k of ARCH_KEYS) {
      if (JSON.stringify(d.config[k]) !== JSON.stringify(this.config[k])) {
        const [theirs, ours] = [JSON.stringify(d.config[k]), JSON.stringify(this.config[k])];
        throw new Error(`NeuMF snapshot has ${k}=${theirs}, this model ${ours}; use NeuMF.fromSnapshot`);
      }
    }
    if (d.head.length !== this.net.headVars.length) throw new Error('NeuMF snapshot head does not match the network');
    this.resetTables();
    d.tables.forEach((s, k) => {
      const t = this.tables[k];
      if (!t) throw new Error('NeuMF snapshot has too many tables');
      decodeRowsInto(t.values, t.dim, s);
      tf.tidy(() => syncVariable(t));
    });
    tf.tidy(() => {
      d.head.forEach((h, k) => {
        const v = this.net.headVars[k];
        if (!v || JSON.stringify(h.shape) !== JSON.stringify(v.shape)) throw new Error('NeuMF snapshot head shape mismatch');
        v.assign(tf.tensor(b64ToF32(h.values), h.shape));
      });
    });
    this.entities = IdTable.fromJSON(this.config.entityCapacity, d.entities);
    this.items = IdTable.fromJSON(this.config.itemCapacity, d.items);
    const counts = b64ToI32(d.entityCount);
    if (counts.length !== this.config.entityCapacity) throw new Error('NeuMF snapshot entity counts do not match the capacity');
    this.entityCount = counts;
    this.replay = new ReplayBuffer(this.config.replaySize);
    this.optimizer.dispose();
    this.optimizer = tf.train.adam(this.config.lr);
    this.rand = uniform(this.config.seed + d.steps);
    this.rowsCache = new WeakMap();
    this.dropItemInputs();
    this.meanCache = undefined;
    this.seen = snapshot.header.interactions;
    this.steps = d.steps;
    this.forward = undefined;
    this.scoreCacheSteps = -1;
    this.pending = 0;
    this.pendingSamples = 0;
  }

  // ---- housekeeping ---------------------------------------------------------------------------------------

  stats(): { entities: number; items: number; replay: number; steps: number; interactions: number } {
    return { entities: this.entities.size, items: this.items.size, replay: this.replay.size, steps: this.steps, interactions: this.seen };
  }

  /** Free every tensor the model holds (weights, optimizer state). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dropItemInputs();
    this.optimizer.dispose();
    this.net.head.dispose();
    this.net.model.dispose();
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('NeuMF: used after dispose()');
  }
}

