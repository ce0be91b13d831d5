/** Percentiles of latency samples (ms). Samples arrive from several workers as Float64Arrays. */

export interface Dist {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  n: number;
}

export const EMPTY_DIST: Dist = { p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN, n: 0 };

/** Nearest-rank percentiles (as ml/bench/timing.ts), over typed arrays so 10⁶ samples sort quickly. */
export function distribution(parts: readonly (Float64Array | readonly number[])[]): Dist {
  const n = parts.reduce((s, p) => s + p.length, 0);
  if (n === 0) return EMPTY_DIST;
  const xs = new Float64Array(n);
  let o = 0;
  for (const p of parts) {
    xs.set(p, o);
    o += p.length;
  }
  xs.sort();
  const at = (q: number): number => xs[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] ?? NaN;
  let sum = 0;
  for (const x of xs) sum += x;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: xs[n - 1] ?? NaN, mean: sum / n, n };
}

/** Wall-clock milliseconds with sub-ms resolution, comparable across threads and processes (the server's own). */
export { wallNow } from '../../../server/learning/wall-clock.ts';

/** Exponential inter-arrival time (ms) for a Poisson process of `ratePerS` events/s. */
export function poissonDelayMs(ratePerS: number, rnd: () => number = Math.random): number {
  return (-Math.log(1 - rnd()) / ratePerS) * 1000;
}
