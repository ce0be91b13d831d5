/**
 * In-place inverse of a symmetric positive-definite matrix (row-major n×n Float64Array) by Cholesky:
 * A = L·Lᵀ, U = L⁻ᵀ, A⁻¹ = U·Uᵀ. Every step is written as dot products of contiguous rows with four
 * accumulators, which is what makes plain JS fast enough here (1.5k items: ~1-2 s instead of ~7 s).
 *
 * `invertSpdSteps` is the same work as a generator that yields after every row of each of the three
 * passes (a row is at most ~n²/2 multiply-adds: a few milliseconds at 4k items), so a caller on a latency
 * path can spread one inverse over many short slices (item-knn.ts's deferred EASE refresh).
 */
function dot(x: Float64Array, ox: number, y: Float64Array, oy: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += (x[ox + k] as number) * (y[oy + k] as number);
    s1 += (x[ox + k + 1] as number) * (y[oy + k + 1] as number);
    s2 += (x[ox + k + 2] as number) * (y[oy + k + 2] as number);
    s3 += (x[ox + k + 3] as number) * (y[oy + k + 3] as number);
  }
  for (; k < len; k++) s0 += (x[ox + k] as number) * (y[oy + k] as number);
  return s0 + s1 + s2 + s3;
}

export function invertSpd(a: Float64Array, n: number): void {
  runToEnd(invertSpdSteps(a, n));
}

/** Runs a stepwise computation (a generator that yields between slices) in one piece; returns its result. */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export function* invertSpdSteps(a: Float64Array, n: number): Generator<void, void> {
  // 1. Cholesky: lower triangle of a becomes L (row i, columns ≤ i).
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      const s = (a[ri + j] as number) - dot(a, ri, a, rj, j);
      if (i === j) {
        if (!(s > 0)) throw new Error(`matrix is not positive definite (pivot ${i})`);
        a[ri + i] = Math.sqrt(s);
      } else {
        a[ri + j] = s / (a[rj + j] as number);
      }
    }
    yield;
  }
  // 2. U = L⁻ᵀ (upper triangular): U[j][i] = -(Σ_{k=j}^{i-1} L[i][k]·U[j][k]) / L[i][i].
  const u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const lii = a[ri + i] as number;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      u[rj + i] = -dot(a, ri + j, u, rj + j, i - j) / lii;
    }
    u[ri + i] = 1 / lii;
    yield;
  }
  // 3. A⁻¹[i][j] = Σ_{k ≥ max(i,j)} U[i][k]·U[j][k].
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const v = dot(u, ri + i, u, j * n + i, n - i);
      a[ri + j] = v;
      a[j * n + i] = v;
    }
    yield;
  }
}
