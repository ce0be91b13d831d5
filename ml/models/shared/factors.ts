import type { Rng } from './rng.ts';

/**
 * A growable row-major matrix of Float32 factors (one row per user, room or item). Rows are added as ids
 * appear in the stream; capacity doubles so appending stays amortised O(dim).
 */
export class Factors {
  data: Float32Array;
  rows = 0;

  constructor(
    readonly dim: number,
    capacity = 1024,
  ) {
    this.data = new Float32Array(Math.max(1, capacity) * dim);
  }

  /** Append a row initialised N(0, std²) and return its index. */
  addRow(rng: Rng, std: number): number {
    const need = (this.rows + 1) * this.dim;
    if (need > this.data.length) {
      const next = new Float32Array(Math.max(need, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    const off = this.rows * this.dim;
    for (let k = 0; k < this.dim; k++) this.data[off + k] = rng.normal() * std;
    return this.rows++;
  }

  /** Dot product of row a of this and row b of other. */
  dot(a: number, other: Factors, b: number): number {
    const x = this.data;
    const y = other.data;
    const oa = a * this.dim;
    const ob = b * other.dim;
    let s = 0;
    for (let k = 0; k < this.dim; k++) s += (x[oa + k] ?? 0) * (y[ob + k] ?? 0);
    return s;
  }

  /** The used part of the buffer (a copy-free view). */
  view(): Float32Array {
    return this.data.subarray(0, this.rows * this.dim);
  }

  static fromData(dim: number, data: Float32Array): Factors {
    const f = new Factors(dim, Math.max(1, data.length / dim));
    f.data.set(data);
    f.rows = data.length / dim;
    return f;
  }
}

/** Grow a Float32Array to hold at least `n` entries (amortised doubling, zero-filled). */
export function ensureF32(a: Float32Array, n: number): Float32Array {
  if (n <= a.length) return a;
  const next = new Float32Array(Math.max(n, a.length * 2, 16));
  next.set(a);
  return next;
}

/** Grow a Float64Array to hold at least `n` entries (amortised doubling, zero-filled). */
export function ensureF64(a: Float64Array, n: number): Float64Array {
  if (n <= a.length) return a;
  const next = new Float64Array(Math.max(n, a.length * 2, 16));
  next.set(a);
  return next;
}
