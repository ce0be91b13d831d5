/**
 * Retrieval for the embedding models: the n items with the largest vec·q_j (+ bias_j) over the whole item
 * table, scanned in index space. This is the cheap part of a full-catalog score() — no id lookups, no
 * per-candidate allocation, one contiguous pass over the factors — and it only has to pick a shortlist.
 */
import { topK } from '../../group/top-k.ts';
import type { Factors } from './factors.ts';

let scratch = new Float32Array(0);

/** Indices of the n best items for `vec` (bias only when null), best first. */
export function topByDot(vec: Float32Array | null, q: Factors, bias: Float32Array, items: number, n: number): number[] {
  if (scratch.length < items) scratch = new Float32Array(items * 2);
  const s = scratch.subarray(0, items);
  const d = q.dim;
  const qd = q.data;
  if (vec === null) {
    s.set(bias.subarray(0, items));
  } else {
    for (let j = 0, o = 0; j < items; j++, o += d) {
      let acc = bias[j] as number;
      for (let k = 0; k < d; k++) acc += (vec[k] as number) * (qd[o + k] as number);
      s[j] = acc;
    }
  }
  return topK(s, n);
}

/** Indices of the n rows of a row-major matrix x (rows × dim) with the largest dot product with p. */
export function topRowsByDot(p: Float32Array, x: Float32Array, rows: number, dim: number, n: number): number[] {
  if (scratch.length < rows) scratch = new Float32Array(rows * 2);
  const s = scratch.subarray(0, rows);
  for (let j = 0, o = 0; j < rows; j++, o += dim) {
    let acc = 0;
    for (let k = 0; k < dim; k++) acc += (p[k] as number) * (x[o + k] as number);
    s[j] = acc;
  }
  return topK(s, n);
}
