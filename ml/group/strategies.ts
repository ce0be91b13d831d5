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
import { normaliseScores } from './normalise.ts';
import type { Normalisation } from './normalise.ts';

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
  const m = memberScores.length;
  if (m === 0) return new Float32Array(0);
  const n = memberScores[0]?.length ?? 0;
  for (const s of memberScores) if (s.length !== n) throw new Error('aggregate: every member needs one score per candidate');
  const method = opts.normalise ?? 'minmax';
  const norm = method === 'none' ? memberScores : memberScores.map((s) => normaliseScores(s, method));
  switch (strategy) {
    case 'average':
      return weightedMean(norm, new Float32Array(m).fill(1 / m));
    case 'fair':
      return weightedMean(norm, fairWeights(m, opts));
    case 'least-misery':
      return extreme(norm, (a, b) => (b < a ? b : a));
    case 'most-pleasure':
      return extreme(norm, (a, b) => (b > a ? b : a));
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

function weightedMean(norm: readonly ArrayLike<number>[], w: Float32Array): Float32Array {
  const n = norm[0]?.length ?? 0;
  const out = new Float32Array(n);
  norm.forEach((s, k) => {
    const wk = w[k] ?? 0;
    if (wk === 0) return;
    for (let i = 0; i < n; i++) out[i] = (out[i] ?? 0) + wk * (s[i] ?? 0);
  });
  return out;
}

function extreme(norm: readonly ArrayLike<number>[], pick: (a: number, b: number) => number): Float32Array {
  const n = norm[0]?.length ?? 0;
  const m = norm.length;
  const out = new Float32Array(n);
  const sum = new Float32Array(n);
  const first = norm[0] ?? [];
  for (let i = 0; i < n; i++) {
    out[i] = first[i] ?? 0;
    sum[i] = first[i] ?? 0;
  }
  for (let k = 1; k < m; k++) {
    const s = norm[k] ?? [];
    for (let i = 0; i < n; i++) {
      const v = s[i] ?? 0;
      out[i] = pick(out[i] ?? 0, v);
      sum[i] = (sum[i] ?? 0) + v;
    }
  }
  for (let i = 0; i < n; i++) out[i] = (out[i] ?? 0) + (TIE_BREAK * (sum[i] ?? 0)) / m;
  return out;
}
