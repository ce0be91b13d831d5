/**
 * One room request end to end: normalise each member once, aggregate with a strategy, take the top k, and
 * report how the list serves each member (satisfaction, harmony). Sharing the normalisation between the
 * aggregation and the report is what keeps a 10-member × 26k-candidate request around a millisecond.
 */
import type { FairnessState } from './fairness.ts';
import { harmony, satisfactionPrepared } from './harmony.ts';
import { normalisedAt, prepareMembers } from './normalise.ts';
import { aggregatePrepared } from './strategies.ts';
import type { AggregateOptions, GroupStrategy } from './strategies.ts';
import { topK } from './top-k.ts';

export interface GroupRecommendOptions extends AggregateOptions {
  /** Candidate indices not to recommend (already queued or played). */
  exclude?: ReadonlySet<number> | undefined;
  /** Compute per-member satisfaction and harmony of the list (default true). */
  report?: boolean | undefined;
}

export interface GroupRecommendation {
  /** candidate indices, best first */
  indices: number[];
  /** the group score of each recommended candidate */
  scores: number[];
  /** per member (in memberScores order), 0..1; empty when report is false */
  satisfaction: number[];
  harmony: number;
  /** Each member's normalised score (0..1) of candidate i: what FairnessState.record wants once it plays. */
  memberScoresOf(i: number): number[];
}

export function recommendForGroup(
  strategy: GroupStrategy,
  memberScores: readonly Float32Array[],
  k: number,
  opts: GroupRecommendOptions = {},
): GroupRecommendation {
  const p = prepareMembers(memberScores, opts.normalise ?? 'minmax');
  const agg = aggregatePrepared(strategy, p, opts);
  const indices = topK(agg, k, opts.exclude);
  const satisfaction = opts.report === false ? [] : satisfactionPrepared(p, indices);
  return {
    indices,
    scores: indices.map((i) => agg[i] as number),
    satisfaction,
    harmony: harmony(satisfaction),
    memberScoresOf: (i) => p.cols.map((_, m) => normalisedAt(p, m, i)),
  };
}

/** After the room played candidate `i`: credit every member with how much they liked it. */
export function recordPlayed(fairness: FairnessState, memberIds: readonly string[], rec: GroupRecommendation, i: number): void {
  fairness.record(memberIds, rec.memberScoresOf(i));
}
