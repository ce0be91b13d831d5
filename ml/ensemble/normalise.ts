/**
 * Per-model score normalisation before weighting: models score on unrelated scales (counts, cosines,
 * dot products), so the ensemble combines z-scores or rank percentiles over the same candidate set.
 */
import { zNormalise } from '../models/shared/znorm.ts';

export type Normalisation = 'z' | 'rank';

export function normaliseScores(s: Float32Array, how: Normalisation): Float32Array {
  return how === 'z' ? zScores(s) : rankScores(s);
}

/** z-scores: a model that cannot tell candidates apart (zero variance) adds nothing. */
export const zScores = zNormalise;

/** Rank percentile in [0, 1] (1 = best), ties sharing their mean rank; centred so ties at 0 add nothing. */
export function rankScores(s: Float32Array): Float32Array {
  const n = s.length;
  const out = new Float32Array(n);
  if (n < 2) return out;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (s[a] as number) - (s[b] as number));
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && s[order[j + 1] as number] === s[order[i] as number]) j++;
    const r = (i + j) / 2 / (n - 1) - 0.5;
    for (let k = i; k <= j; k++) out[order[k] as number] = r;
    i = j + 1;
  }
  return out;
}
