/**
 * Retrieval for the item model: the nearest neighbours of a history, found by walking only the
 * co-occurrence rows of the history's items (sparse: their stored pairs; dense: small catalogs) into one
 * accumulator — the same cosine-with-shrinkage sum as score(), without touching the rest of the catalog.
 */
import { topK } from '../group/top-k.ts';
import type { CoMatrix } from './shared/co-matrix.ts';

let acc = new Float64Array(0);

/** Indices of up to n items with the largest positive Σ_hist x·cos(i, j), best first. */
export function neighbours(
  hist: ReadonlyArray<readonly [number, number]>,
  co: CoMatrix,
  norms: Float64Array,
  shrink: number,
  size: number,
  n: number,
): number[] {
  if (acc.length < size) acc = new Float64Array(size * 2);
  const touched: number[] = [];
  for (const [i, x] of hist) {
    const ni = norms[i] as number;
    const dense = co.denseRow(i);
    if (dense !== null) {
      for (let j = 0; j < size; j++) {
        const g = dense[j] as number;
        if (g === 0) continue;
        if (acc[j] === 0) touched.push(j);
        acc[j] = (acc[j] as number) + (x * g) / (ni * (norms[j] as number) + shrink);
      }
      continue;
    }
    const r = co.sparseRow(i);
    if (r === undefined) continue;
    for (let s = 0; s < r.n; s++) {
      const j = r.cols[s] as number;
      if (acc[j] === 0) touched.push(j);
      acc[j] = (acc[j] as number) + (x * (r.vals[s] as number)) / (ni * (norms[j] as number) + shrink);
    }
  }
  const vals = new Float64Array(touched.length);
  for (let t = 0; t < touched.length; t++) {
    const j = touched[t] as number;
    vals[t] = acc[j] as number;
    acc[j] = 0;
  }
  return topK(vals, n)
    .filter((t) => (vals[t] as number) > 0)
    .map((t) => touched[t] as number);
}
