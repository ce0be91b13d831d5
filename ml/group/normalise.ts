/**
 * Per-member score normalisation for group aggregation: models score on their own scales (probabilities,
 * dot products, counts) and one member's scores can span a wider range than another's, so every member's
 * scores are mapped to 0..1 before they are combined.
 */
import { rankScores } from '../ensemble/normalise.ts';

export type Normalisation = 'minmax' | 'rank';

/**
 * 'minmax' (default): linear to 0..1, O(n), keeps how much better one item is than another.
 * 'rank': percentile of each score among the member's scores (ties share their mean rank), O(n log n):
 * immune to outliers, but costs ~1 ms per 26k scores, so it is opt-in on the hot path.
 * A member whose scores are all equal (no opinion) gets 0.5 everywhere: neither pleased nor miserable.
 */
export function normaliseScores(scores: ArrayLike<number>, method: Normalisation = 'minmax'): Float32Array {
  const n = scores.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  if (method === 'rank') return rankPercentiles(scores, out);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = scores[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return out.fill(0.5);
  const inv = 1 / span;
  // NaN (a model with no opinion on an item) becomes 0: the member's least preferred.
  for (let i = 0; i < n; i++) {
    const v = ((scores[i] as number) - lo) * inv;
    out[i] = v === v ? v : 0;
  }
  return out;
}

/** The ensemble's rank percentiles (ties share their mean rank, NaN lowest), on 0..1. */
function rankPercentiles(scores: ArrayLike<number>, out: Float32Array): Float32Array {
  return rankScores(Float32Array.from(scores), out, 0);
}

/** x ↦ (x − lo) × scale; a `flat` member (no opinion) maps to 0.5 everywhere, as normaliseScores does. */
export interface LinearMap {
  lo: number;
  scale: number;
  flat: boolean;
}
const IDENTITY: LinearMap = { lo: 0, scale: 1, flat: false };

/**
 * Members' scores with their map to 0..1, applied lazily by the loops that read them: same numbers as
 * normaliseScores, without ten fresh 26k arrays per request. 'rank' (and only it) materialises.
 */
export interface PreparedMembers {
  cols: readonly Float32Array[];
  maps: readonly LinearMap[];
  /** candidates per member */
  n: number;
}

export function prepareMembers(memberScores: readonly Float32Array[], method: Normalisation | 'none' = 'minmax'): PreparedMembers {
  const n = memberScores[0]?.length ?? 0;
  for (const s of memberScores) if (s.length !== n) throw new Error('every member needs one score per candidate');
  if (method === 'rank') return { cols: memberScores.map((s) => normaliseScores(s, 'rank')), maps: memberScores.map(() => IDENTITY), n };
  return { cols: memberScores, maps: method === 'minmax' ? memberScores.map(minMaxMap) : memberScores.map(() => IDENTITY), n };
}

/** Member `m`'s normalised score of candidate `i` (NaN counts as 0: the least preferred). */
export function normalisedAt(p: PreparedMembers, m: number, i: number): number {
  const map = p.maps[m] as LinearMap;
  if (map.flat) return 0.5;
  const v = (((p.cols[m] as Float32Array)[i] as number) - map.lo) * map.scale;
  return v === v ? v : 0;
}

function minMaxMap(s: Float32Array): LinearMap {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < s.length; i++) {
    const v = s[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return span > 0 && Number.isFinite(span) ? { lo, scale: 1 / span, flat: false } : { lo: 0, scale: 0, flat: true };
}
