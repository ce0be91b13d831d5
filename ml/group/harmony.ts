/**
 * How evenly a room is served. `memberSatisfaction` rates a recommended list for each member (0..1: the
 * list's discounted gain under the member's own scores, relative to the best list of that length for them);
 * `harmony` turns those into one number, 1 − Gini: 1 when everyone is served equally, towards 0 when one
 * member gets everything.
 */
import { normalisedAt, prepareMembers } from './normalise.ts';
import type { LinearMap, Normalisation, PreparedMembers } from './normalise.ts';
import { topK } from './top-k.ts';

/** 1 − Gini coefficient of the (clamped to ≥ 0) satisfactions. Empty, single or all-zero: 1. */
export function harmony(satisfactions: readonly number[]): number {
  const xs = satisfactions.map((x) => (Number.isFinite(x) && x > 0 ? x : 0)).sort((a, b) => a - b);
  const n = xs.length;
  const total = xs.reduce((a, b) => a + b, 0);
  if (n <= 1 || total === 0) return 1;
  // Gini from the sorted values: Σ (2i − n + 1) x_i / (n Σ x), i from 0.
  let acc = 0;
  xs.forEach((x, i) => (acc += (2 * i - n + 1) * x));
  const gini = acc / (n * total);
  return Math.min(1, Math.max(0, 1 - gini));
}

const DISCOUNTS = Array.from({ length: 64 }, (_, pos) => 1 / Math.log2(pos + 2));
/** DCG's position discount (a table for the list lengths served: this runs per member per push). */
const discount = (pos: number): number => DISCOUNTS[pos] ?? 1 / Math.log2(pos + 2);

/**
 * Per member, how well the list `chosenIdx` (indices into the candidates, best first) serves them: DCG of
 * the list under their normalised scores ÷ DCG of their own top-|list|. 1 = their ideal list.
 */
export function memberSatisfaction(
  memberScores: readonly Float32Array[],
  chosenIdx: readonly number[],
  opts: { normalise?: Normalisation | 'none' } = {},
): number[] {
  return satisfactionPrepared(prepareMembers(memberScores, opts.normalise ?? 'minmax'), chosenIdx);
}

/** memberSatisfaction() over members already prepared (prepareMembers). */
export function satisfactionPrepared(p: PreparedMembers, chosenIdx: readonly number[]): number[] {
  const k = chosenIdx.length;
  return p.cols.map((s, m) => {
    if (k === 0 || (p.maps[m] as LinearMap).flat) return 1; // no opinion: any list is as good as any other
    let got = 0;
    chosenIdx.forEach((i, pos) => (got += normalisedAt(p, m, i) * discount(pos)));
    // The normalisation is increasing, so the member's ideal list is the top-k of their own scores.
    let best = 0;
    topK(s, k).forEach((i, pos) => (best += normalisedAt(p, m, i) * discount(pos)));
    return best > 0 ? Math.min(1, got / best) : 1;
  });
}

export interface GroupReport {
  members: { id: string; satisfaction: number }[];
  harmony: number;
  mean: number;
  min: number;
}

/** Per-member satisfaction of a list plus harmony, ready to show a room. */
export function groupReport(
  memberIds: readonly string[],
  memberScores: readonly Float32Array[],
  chosenIdx: readonly number[],
): GroupReport {
  return reportOf(memberIds, memberSatisfaction(memberScores, chosenIdx));
}

export function reportOf(memberIds: readonly string[], sat: readonly number[]): GroupReport {
  return {
    members: memberIds.map((id, i) => ({ id, satisfaction: sat[i] ?? 0 })),
    harmony: harmony(sat),
    mean: sat.length ? sat.reduce((a, b) => a + b, 0) / sat.length : 1,
    min: sat.length ? Math.min(...sat) : 1,
  };
}
