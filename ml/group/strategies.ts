/**
 * Group aggregation: many members' scores of the same candidates → one score per candidate for the room.
 * Each member's scores are normalised first (normalise.ts) so one member's scale cannot dominate.
 *
 *  - average:       mean of the members' scores (utilitarian).
 *  - least-misery:  the least happy member's score: picks what nobody hates.
 *  - most-pleasure: the happiest member's score: picks someone's favourite.
 *  - fair:          weighted mean whose weights grow for members served worst so far in the session
 *                   (FairnessState), so a starved member's favourites rise until they catch up.
 */
import type { FairnessState } from './fairness.ts';
import { prepareMembers } from './normalise.ts';
import type { LinearMap, Normalisation, PreparedMembers } from './normalise.ts';

export const GROUP_STRATEGIES = ['average', 'least-misery', 'most-pleasure', 'fair'] as const;
export type GroupStrategy = (typeof GROUP_STRATEGIES)[number];

export function isGroupStrategy(s: string): s is GroupStrategy {
  return (GROUP_STRATEGIES as readonly string[]).includes(s);
}

export interface AggregateOptions {
  /** Session satisfaction, read by 'fair'. */
  fairness?: FairnessState | undefined;
  /** Member ids aligned with memberScores; 'fair' needs them to look members up. */
  memberIds?: readonly string[] | undefined;
  /** Per-member normalisation (default 'minmax'); 'none' when the caller already normalised to 0..1. */
  normalise?: Normalisation | 'none' | undefined;
  /** 'fair': weight ∝ exp(strength × (mean satisfaction − member's)); 0 makes it the average. Default 6. */
  fairnessStrength?: number | undefined;
}

/**
 * Min/max alone tie often (every member's favourite scores 1 under most-pleasure); a small share of the
 * mean breaks those ties towards what the rest of the room likes, without reordering real differences.
 */
const TIE_BREAK = 1e-3;

export function aggregate(
  strategy: GroupStrategy,
  memberScores: readonly Float32Array[],
  opts: AggregateOptions = {},
): Float32Array {
  if (memberScores.length === 0) return new Float32Array(0);
  return aggregatePrepared(strategy, prepareMembers(memberScores, opts.normalise ?? 'minmax'), opts);
}

/** aggregate() over members already prepared (prepareMembers), so a caller can reuse the normalisation. */
export function aggregatePrepared(strategy: GroupStrategy, p: PreparedMembers, opts: AggregateOptions = {}): Float32Array {
  const m = p.cols.length;
  if (m === 0) return new Float32Array(0);
  switch (strategy) {
    case 'average':
      return weightedMean(p, new Float32Array(m).fill(1 / m));
    case 'fair':
      return weightedMean(p, fairWeights(m, opts));
    case 'least-misery':
      return extreme(p, false);
    case 'most-pleasure':
      return extreme(p, true);
  }
}

/**
 * Weights for 'fair' (summing to 1): members below the room's mean satisfaction weigh exponentially more.
 * Members without history yet (just joined) count as average. Without a FairnessState: equal weights.
 */
export function fairWeights(members: number, opts: AggregateOptions = {}): Float32Array {
  const w = new Float32Array(members).fill(1 / Math.max(1, members));
  const { fairness, memberIds } = opts;
  if (!fairness || !memberIds || memberIds.length !== members) return w;
  const sats = memberIds.map((id) => fairness.satisfaction(id));
  const known = sats.filter((s): s is number => s !== undefined);
  if (known.length === 0) return w;
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  const strength = opts.fairnessStrength ?? 6;
  let total = 0;
  sats.forEach((s, i) => {
    const v = Math.exp(strength * (mean - (s ?? mean)));
    w[i] = v;
    total += v;
  });
  for (let i = 0; i < members; i++) w[i] = (w[i] ?? 0) / total;
  return w;
}

// Hot loops (10 members × 26k candidates per request) index typed arrays directly: `as number` is safe
// within bounds and keeps V8 on its fast path, where `?? 0` on every element costs several times more.
// NaN (a model without an opinion) counts as the member's least preferred: 0 after normalisation.
function weightedMean({ cols, maps, n }: PreparedMembers, w: Float32Array): Float32Array {
  const out = new Float32Array(n);
  for (let k = 0; k < cols.length; k++) {
    const s = cols[k] as Float32Array;
    const wk = w[k] as number;
    const { lo, scale, flat } = maps[k] as LinearMap;
    if (wk === 0) continue;
    if (flat) {
      for (let i = 0; i < n; i++) out[i] = (out[i] as number) + wk * 0.5;
      continue;
    }
    const a = wk * scale;
    for (let i = 0; i < n; i++) {
      const v = a * ((s[i] as number) - lo);
      if (v === v) out[i] = (out[i] as number) + v;
    }
  }
  return out;
}

function extreme({ cols, maps, n }: PreparedMembers, pickMax: boolean): Float32Array {
  const m = cols.length;
  const out = new Float32Array(n);
  const sum = new Float32Array(n);
  for (let k = 0; k < m; k++) {
    const s = cols[k] as Float32Array;
    const { lo, scale, flat } = maps[k] as LinearMap;
    for (let i = 0; i < n; i++) {
      let v = flat ? 0.5 : ((s[i] as number) - lo) * scale;
      if (v !== v) v = 0;
      if (k === 0 || (pickMax ? v > (out[i] as number) : v < (out[i] as number))) out[i] = v;
      sum[i] = (sum[i] as number) + v;
    }
  }
  const tie = TIE_BREAK / m;
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) + tie * (sum[i] as number);
  return out;
}
