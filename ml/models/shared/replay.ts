import { decodeF32, decodeI32, encodeF32, encodeI32 } from './codec.ts';
import type { Rng } from './rng.ts';

/**
 * A reservoir of past (entity, item, weight) positives: online SGD models replay a few of them after each
 * new interaction, which gives single-pass learners the effect of several epochs while every stored sample
 * stays a uniform draw over the whole stream (reservoir sampling).
 */
export class Replay {
  ent: Int32Array;
  item: Int32Array;
  weight: Float32Array;
  size = 0;
  seen = 0;

  constructor(readonly capacity: number) {
    this.ent = new Int32Array(capacity);
    this.item = new Int32Array(capacity);
    this.weight = new Float32Array(capacity);
  }

  add(rng: Rng, e: number, i: number, w: number): void {
    this.seen++;
    let slot: number;
    if (this.size < this.capacity) slot = this.size++;
    else {
      slot = rng.int(this.seen);
      if (slot >= this.capacity) return;
    }
    this.ent[slot] = e;
    this.item[slot] = i;
    this.weight[slot] = w;
  }

  toJSON(): { capacity: number; size: number; seen: number; ent: string; item: string; weight: string } {
    const n = this.size;
    return {
      capacity: this.capacity,
      size: n,
      seen: this.seen,
      ent: encodeI32(this.ent.subarray(0, n)),
      item: encodeI32(this.item.subarray(0, n)),
      weight: encodeF32(this.weight.subarray(0, n)),
    };
  }

  static from(d: ReturnType<Replay['toJSON']>): Replay {
    const r = new Replay(d.capacity);
    r.size = d.size;
    r.seen = d.seen;
    r.ent.set(decodeI32(d.ent));
    r.item.set(decodeI32(d.item));
    r.weight.set(decodeF32(d.weight));
    return r;
  }
}
