/** The Learner's public types: options, score breakdowns, recommendations, test records, snapshots. */
import type { EnsembleJSON } from '../ensemble/ensemble.ts';
import type { ModelSnapshot, SnapshotHeader } from '../types.ts';
import type { AskerMemoryJSON } from './asker-memory.ts';
import type { NegativeSampling, PoolJSON } from './candidate-pool.ts';
import type { MetricsJSON } from './learner-metrics.ts';

export interface LearnerOptions {
  seed?: number;
  /** Negatives sampled per tested interaction. */
  negatives?: number;
  /** Cut-off of the prequential hit@k / NDCG@k. */
  k?: number;
  /** In 'sampled' mode, test one in every n positive interactions (all are learned from). */
  testEvery?: number;
  negativeSampling?: NegativeSampling;
  /** Tests per scope between two points of the metrics curve. */
  curveEvery?: number;
  /** Loss fed to Hedge: 1 − 1/log2(rank+2) ('ndcg', untruncated), 1 − hit@k ('hit') or 1 − 1/(rank+1) ('rr'). */
  loss?: 'ndcg' | 'hit' | 'rr';
  /** Keep separate weights for askers with and without history (cold start favours other models). */
  segments?: boolean;
  /** recommend() without candidates: tracks each retrieving model contributes to the shortlist... */
  retrieve?: number;
  /** ...and uniformly drawn known tracks added to it (exploration). See retrieval.ts. */
  explore?: number;
}

export interface ScoreBreakdown {
  candidates: readonly string[];
  /** Raw scores per model. */
  models: Record<string, Float32Array>;
  ensemble: Float32Array;
  weights: Record<string, number>;
  /** Per model, its weighted normalised share of each candidate's ensemble score. */
  contributions: Record<string, Float32Array>;
  /** Per model, its rank percentile of each candidate centred on 0 (rankScores), when the ensemble ranks. */
  ranks?: Record<string, Float32Array> | undefined;
}

/** What to test an interaction against before learning from it. */
export type TestMode =
  /** The true track vs `negatives` sampled from the known tracks (cheap; the default). */
  | 'sampled'
  /** The true track vs every known track the asker has not interacted with (a whole-catalog ranking). */
  | 'pool'
  /** Learn without testing. */
  | 'none';

export interface IngestOptions {
  /** Overrides the learner's test mode for this batch (testEvery still applies to 'sampled'). */
  test?: TestMode;
}

/** One test-then-train measurement, in the order the names of `Learner.names()` list them. */
export interface TestRecord {
  interactionId: string;
  scope: string;
  /** Candidates ranked (true track included). */
  candidates: number;
  /** 0-based rank of the true track per model, then the ensemble (ties count against it). */
  ranks: number[];
}

export interface Recommendation {
  trackId: string;
  score: number;
  contributions: Record<string, number>;
}

export interface LearnerSnapshot {
  header: SnapshotHeader;
  models: ModelSnapshot[];
  ensemble: EnsembleJSON;
  state: {
    rng: number;
    pool: PoolJSON;
    memory: AskerMemoryJSON;
    metrics: MetricsJSON;
    positives: number;
  };
}
