/**
 * EASE (Steck 2019) weights from the item Gram matrix: P = (G + λI)⁻¹, B = I − P·diag(1/diag P), zero
 * diagonal. The Gram matrix is the one the item model updates per interaction, so the live server and the
 * eval CLI run the same code; only this O(n³) inverse is periodic.
 *
 * `easeSteps` is the same computation as a generator that yields every few rows, so the live learner can
 * run it in slices of a few milliseconds between pushes (item-knn.ts catchUp) instead of holding its
 * thread for seconds (1.8k items: ~3 s in one piece on the development machines). The Gram rows are read
 * as the copy reaches them, so with updates arriving between slices the copy mixes a few milliseconds of
 * states; λ on the diagonal keeps such a matrix positive definite, and the weights are as fresh as the
 * copy, which is all a periodic refresh ever is.
 */
import { invertSpdSteps, runToEnd } from './shared/spd-inverse.ts';
import type { CoMatrix } from './shared/co-matrix.ts';

/** Rows copied (or scaled) per slice: a row is only n reads, far less than an inverse row. */
const COPY_ROWS = 64;

/** `diag(i)`: the Gram diagonal, read as the copy reaches row i (the model's array is replaced as it grows). */
export function easeWeights(n: number, diag: (i: number) => number, co: CoMatrix, lambda: number): Float32Array {
  return runToEnd(easeSteps(n, diag, co, lambda));
}

export function* easeSteps(n: number, diag: (i: number) => number, co: CoMatrix, lambda: number): Generator<void, Float32Array> {
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = co.denseRow(i);
    if (row !== null) for (let j = 0; j < n; j++) g[i * n + j] = row[j] as number;
    else co.forEachInRow(i, (j, v) => void (j < n && (g[i * n + j] = v)));
    g[i * n + i] = diag(i) + lambda;
    if (i % COPY_ROWS === COPY_ROWS - 1) yield;
  }
  yield* invertSpdSteps(g, n);
  const inv = new Float64Array(n);
  for (let j = 0; j < n; j++) inv[j] = -1 / (g[j * n + j] as number);
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const r = i * n;
    for (let j = 0; j < n; j++) b[r + j] = (g[r + j] as number) * (inv[j] as number);
    b[r + i] = 0;
    if (i % COPY_ROWS === COPY_ROWS - 1) yield;
  }
  return b;
}
