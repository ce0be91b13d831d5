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
    const row = co.denseRow(i);
    if (row !== null) for (let j = 0; j < n; j++) g[i * n + j] = row[j] as number;
    else co.forEachInRow(i, (j, v) => void (j < n && (g[i * n + j] = v)));
    g[i * n + i] = (diag[i] ?? 0) + lambda;
  }
  invertSpd(g, n);
  const inv = new Float64Array(n);
  for (let j = 0; j < n; j++) inv[j] = -1 / (g[j * n + j] as number);
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const r = i * n;
    for (let j = 0; j < n; j++) b[r + j] = (g[r + j] as number) * (inv[j] as number);
    b[r + i] = 0;
  }
  return b;
}
