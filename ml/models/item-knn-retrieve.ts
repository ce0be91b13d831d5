/**
 * Retrieval for the item model: the nearest neighbours of a history, found by walking only the
 * co-occurrence rows of the history's items (sparse: their stored pairs; dense: small catalogs) into one
 * accumulator — the same cosine-with-shrinkage sum as score(), without touching the rest of the catalog.
 */
import { topK } from '../group/top-k.ts';
import type { CoMatrix } from './shared/co-matrix.ts';

export type History = ReadonlyArray<readonly [number, number]>;

/**
 * Σ_hist x·cos(i, j) for every j sharing a pair with the history, as a dense array over the first `size`
 * items (the same sums, in the same order, as score()'s sparse walk, so either can reuse the other's).
 */
export function walk(
  hist: History,
  co: CoMatrix,
  norms: Float64Array,
  shrink: number,
  size: number,
  into?: Float64Array,
): Float64Array {
  // Reusing the caller's buffer matters: a fresh 200 kB array per request is garbage the size of a
  // large object, and on a multi-GB heap its collection showed up as milliseconds of request latency.
  const acc = into !== undefined && into.length >= size ? into.subarray(0, size).fill(0) : new Float64Array(size);
  for (const [i, x] of hist) {
    const ni = norms[i] as number;
    const dense = co.denseRow(i);
    if (dense !== null) {
      for (let j = 0; j < size; j++) {
        const g = dense[j] as number;
        if (g !== 0) acc[j] = (acc[j] as number) + (x * g) / (ni * (norms[j] as number) + shrink);
      }
      continue;
    }
    const r = co.sparseRow(i);
    if (r === undefined) continue;
    for (let s = 0; s < r.n; s++) {
      const j = r.cols[s] as number;
      acc[j] = (acc[j] as number) + (x * (r.vals[s] as number)) / (ni * (norms[j] as number) + shrink);
    }
  }
  return acc;
}

/** Indices of up to n items with the largest positive sums of a walk, best first. */
export function neighbours(acc: Float64Array, n: number): number[] {
  return topK(acc, n).filter((j) => (acc[j] as number) > 0);
}

export function sameHistory(a: History, b: History): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k] as readonly [number, number];
    const y = b[k] as readonly [number, number];
    if (x[0] !== y[0] || x[1] !== y[1]) return false;
  }
  return true;
}
