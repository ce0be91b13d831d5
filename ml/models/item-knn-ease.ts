/**
 * EASE (Steck 2019) weights from the item Gram matrix: P = (G + λI)⁻¹, B = I − P·diag(1/diag P), zero
 * diagonal. The Gram matrix is the one the item model updates per interaction, so the live server and the
 * eval CLI run the same code; only this O(n³) inverse is periodic.
 */
import { invertSpd } from './shared/spd-inverse.ts';
import type { CoMatrix } from './shared/co-matrix.ts';

export function easeWeights(n: number, diag: Float64Array, co: CoMatrix, lambda: number): Float32Array {
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    g[i * n + i] = (diag[i] ?? 0) + lambda;
    co.forEachInRow(i, (j, v) => {
      if (j < n) g[i * n + j] = v;
    });
  }
  invertSpd(g, n);
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i !== j) b[i * n + j] = -(g[i * n + j] as number) / (g[j * n + j] as number);
    }
  }
  return b;
}
