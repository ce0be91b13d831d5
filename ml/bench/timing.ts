/** Small timing helpers for benchmarks (benchmarks report numbers; tests never time things). */

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  n: number;
}

/** Nearest-rank percentiles of samples (ms). */
export function percentiles(samples: readonly number[]): Percentiles {
  const xs = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))] ?? NaN;
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), mean, n: xs.length };
}

/** Run `f` `warmup` times untimed, then `n` times timed; returns per-call milliseconds. */
export function sample(f: () => void, n: number, warmup = Math.min(20, n)): Percentiles {
  for (let i = 0; i < warmup; i++) f();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    f();
    out.push(performance.now() - t);
  }
  return percentiles(out);
}
