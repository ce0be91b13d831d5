/**
 * The state and training loop shared by the BPR-trained models (MF and the group model): entity factors
 * (users and rooms, prefixed keys), item factors and biases, a replay reservoir and a seeded RNG.
 * Each positive takes one SGD step against a negative sampled uniformly from the catalog seen so far and
 * is stored for replay; negative signals become "a random item beats this one" steps.
 */
import { bprStep } from './bpr.ts';
import { decodeF32, encodeF32 } from './codec.ts';
import { ensureF32, Factors } from './factors.ts';
import { IdIndex } from './id-index.ts';
import { Replay } from './replay.ts';
import { Rng } from './rng.ts';

export interface BprOptions {
  dim: number;
  lr: number;
  reg: number;
  initStd: number;
  /** Past positives replayed after each interaction (several epochs' worth of learning, online). */
  replay: number;
  replayCapacity: number;
  seed: number;
}

export interface BprCoreJSON {
  rng: number;
  ents: string[];
  items: string[];
  p: string;
  q: string;
  bias: string;
  buf: ReturnType<Replay['toJSON']>;
}

export class BprCore {
  rng: Rng;
  ents = new IdIndex();
  items = new IdIndex();
  p: Factors;
  q: Factors;
  bias: Float32Array = new Float32Array(256);
  buf: Replay;

  constructor(readonly o: BprOptions) {
    this.rng = new Rng(o.seed);
    this.p = new Factors(o.dim);
    this.q = new Factors(o.dim);
    this.buf = new Replay(o.replayCapacity);
  }

  /** Row of an entity, created on first sight (optionally starting at the mean of `initRows`). */
  entity(key: string, initRows: readonly number[] = []): number {
    const before = this.ents.size;
    const e = this.ents.add(key);
    if (e !== before) return e;
    this.p.addRow(this.rng, this.o.initStd);
    if (initRows.length > 0) {
      const d = this.o.dim;
      const v = new Float32Array(d);
      for (const r of initRows) for (let k = 0; k < d; k++) v[k] = (v[k] as number) + (this.p.data[r * d + k] as number) / initRows.length;
      this.p.data.set(v, e * d);
    }
    return e;
  }

  item(id: string): number {
    const before = this.items.size;
    const i = this.items.add(id);
    if (i === before) {
      this.q.addRow(this.rng, this.o.initStd);
      this.bias = ensureF32(this.bias, this.items.size);
    }
    return i;
  }

  /** A random item other than `not` (uniform over the catalog seen so far), or -1 if there is none. */
  negative(not: number): number {
    const n = this.items.size;
    if (n < 2) return -1;
    let j = this.rng.int(n - 1);
    if (j >= not) j++;
    return j;
  }

  learn(e: number, i: number, s: number): void {
    const j = this.negative(i);
    if (j < 0) return;
    if (s > 0) {
      bprStep(this.p, e, this.q, this.bias, i, j, s, this.o.lr, this.o.reg);
      this.buf.add(this.rng, e, i, s);
    } else if (s < 0) {
      bprStep(this.p, e, this.q, this.bias, j, i, -s, this.o.lr, this.o.reg);
    }
  }

  replay(): void {
    for (let r = 0; r < this.o.replay && this.buf.size > 0; r++) {
      const slot = this.rng.int(this.buf.size);
      const i = this.buf.item[slot] as number;
      const j = this.negative(i);
      if (j >= 0) bprStep(this.p, this.buf.ent[slot] as number, this.q, this.bias, i, j, this.buf.weight[slot] as number, this.o.lr, this.o.reg);
    }
  }

  /** Factor vector of an entity row (a view), or null. */
  vector(e: number | undefined): Float32Array | null {
    const d = this.o.dim;
    return e === undefined ? null : this.p.data.subarray(e * d, (e + 1) * d);
  }

  candidates(ids: readonly string[]): Int32Array {
    // A plain loop: Int32Array.from with a map function is several times slower, and this runs per scoring.
    const out = new Int32Array(ids.length);
    for (let c = 0; c < ids.length; c++) out[c] = this.items.get(ids[c] as string) ?? -1;
    return out;
  }

  toJSON(): BprCoreJSON {
    return {
      rng: this.rng.state,
      ents: this.ents.toJSON(),
      items: this.items.toJSON(),
      p: encodeF32(this.p.view()),
      q: encodeF32(this.q.view()),
      bias: encodeF32(this.bias.subarray(0, this.items.size)),
      buf: this.buf.toJSON(),
    };
  }

  load(d: BprCoreJSON): void {
    this.rng.state = d.rng;
    this.ents = IdIndex.from(d.ents);
    this.items = IdIndex.from(d.items);
    this.p = Factors.fromData(this.o.dim, decodeF32(d.p));
    this.q = Factors.fromData(this.o.dim, decodeF32(d.q));
    this.bias = ensureF32(decodeF32(d.bias), 256);
    this.buf = Replay.from(d.buf);
  }
}
