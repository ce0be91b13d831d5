/**
 * Per-model score normalisation before weighting: models score on unrelated scales (counts, cosines,
 * dot products), so the ensemble combines z-scores or rank percentiles over the same candidate set.
 */
import { zNormalise } from '../models/shared/znorm.ts';

export type Normalisation = 'z' | 'rank';

/** Normalised copy of s (into `out` when given: the hot loop reuses one buffer). */
export function normaliseScores(s: Float32Array, how: Normalisation, out?: Float32Array): Float32Array {
  return how === 'z' ? zScores(s, out) : rankScores(s, out);
}

/** z-scores: a model that cannot tell candidates apart (zero variance) adds nothing. */
export function zScores(s: Float32Array, out?: Float32Array): Float32Array {
  if (out === undefined) return zNormalise(s);
  out.set(zNormalise(s));
  return out;
}

// Scratch buffers of rankScores: allocating small typed arrays costs more than sorting 100 numbers.
let keyScratch = new Float64Array(256);
let idxScratch = new Int32Array(256);

/**
 * Rank percentile centred on 0 (best = +0.5, worst = −0.5; `centre` 0 gives 0..1), tied scores sharing their mean rank, so ties a
 * model cannot break add nothing. Sorting (score, index) pairs with a hand-written quicksort is ~5× faster
 * than Array.prototype.sort with a comparator, which matters in the learner's hot loop.
 */
export function rankScores(s: Float32Array, into?: Float32Array, centre = 0.5): Float32Array {
  const n = s.length;
  const out = into ?? new Float32Array(n);
  if (n < 2) return out.fill(0.5 - centre);
  if (keyScratch.length < n) {
    keyScratch = new Float64Array(n * 2);
    idxScratch = new Int32Array(n * 2);
  }
  const key = keyScratch;
  const idx = idxScratch;
  for (let i = 0; i < n; i++) {
    const v = s[i] as number;
    key[i] = Number.isNaN(v) ? -Infinity : v;
    idx[i] = i;
  }
  sortPairs(key, idx, 0, n - 1);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && key[j + 1] === key[i]) j++;
    const r = (i + j) / 2 / (n - 1) - centre;
    for (let k = i; k <= j; k++) out[idx[k] as number] = r;
    i = j + 1;
  }
  return out;
}

/** Ascending in-place quicksort of key[lo..hi] carrying idx along; insertion sort for short runs. */
function sortPairs(key: Float64Array, idx: Int32Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const p = key[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((key[i] as number) < p) i++;
      while ((key[j] as number) > p) j--;
      if (i <= j) {
        const k = key[i] as number;
        key[i] = key[j] as number;
        key[j] = k;
        const t = idx[i] as number;
        idx[i] = idx[j] as number;
        idx[j] = t;
        i++;
        j--;
      }
    }
    // Recurse into the smaller side, loop on the larger: O(log n) stack.
    if (j - lo < hi - i) {
      sortPairs(key, idx, lo, j);
      lo = i;
    } else {
      sortPairs(key, idx, i, hi);
      hi = j;
    }
  }
  for (let a = lo + 1; a <= hi; a++) {
    const k = key[a] as number;
    const t = idx[a] as number;
    let b = a - 1;
    while (b >= lo && (key[b] as number) > k) {
      key[b + 1] = key[b] as number;
      idx[b + 1] = idx[b] as number;
      b--;
    }
    key[b + 1] = k;
    idx[b + 1] = t;
  }
}
