/**
 * The `prequential` protocol on a time-ordered (user, item) stream. Every `sample`-th event is tested by
 * the learner itself in 'pool' mode — each model and the ensemble rank the true item against the whole
 * candidate catalog (the items seen so far, or all items) minus what the user already has — recording
 * recall@k and NDCG@k; those same tests drive the ensemble's Hedge weights, so the weights optimise what is
 * measured. Every event is learned from, tested or not.
 */
import type { Learner } from '../learner/learner.ts';
import type { Interaction } from '../types.ts';
import { ndcgAt } from './metrics.ts';
import { progress } from './progress.ts';

export interface PrequentialOptions {
  sample: number;
  k?: number;
  /** Points on the metric curves. */
  points?: number;
  /** Called before each event (e.g. to update time-dependent metadata). */
  beforeEvent?: (x: Interaction) => void;
}

export interface PrequentialPoint {
  event: number;
  time: number;
  /** Windowed recall@k per model since the previous point. */
  recall: Record<string, number>;
  weights: Record<string, number>;
}

export interface PrequentialResult {
  events: number;
  tested: number;
  /** Tested events whose item was not a candidate yet (never seen): a miss for every model. */
  unseenItem: number;
  /** Mean number of candidates ranked per test. */
  meanCandidates: number;
  k: number;
  results: Record<string, { recall: number; ndcg: number }>;
  curve: PrequentialPoint[];
  finalWeights: Record<string, number>;
  timing: { ms: number };
}

export async function runPrequential(learner: Learner, events: readonly Interaction[], o: PrequentialOptions): Promise<PrequentialResult> {
  const k = o.k ?? 10;
  const names = learner.names();
  const sums = names.map(() => ({ hits: 0, ndcg: 0 }));
  const win = names.map(() => 0);
  let winN = 0;
  const curve: PrequentialPoint[] = [];
  const every = Math.max(1, Math.floor(Math.ceil(events.length / o.sample) / (o.points ?? 60)));
  let tested = 0;
  let unseen = 0;
  let candidates = 0;
  const t0 = performance.now();
  const bar = progress('stream', events.length);
  for (let n = 0; n < events.length; n++) {
    const x = events[n] as Interaction;
    o.beforeEvent?.(x);
    if (n % o.sample !== 0) {
      learner.ingest([x], { test: 'none' });
    } else {
      tested++;
      const rec = learner.ingest([x], { test: 'pool' })[0];
      if (rec === undefined) unseen++;
      else {
        candidates += rec.candidates;
        rec.ranks.forEach((r, m) => {
          const t = sums[m] as { hits: number; ndcg: number };
          if (r < k) {
            t.hits++;
            win[m] = (win[m] as number) + 1;
          }
          t.ndcg += ndcgAt(r, k);
        });
      }
      if (++winN >= every) {
        curve.push({
          event: n,
          time: x.createdAt,
          recall: Object.fromEntries(names.map((name, m) => [name, (win[m] as number) / winN])),
          weights: learner.ensemble.named(learner.ensemble.weights(['user', 'user/warm'])),
        });
        win.fill(0);
        winN = 0;
      }
    }
    if (n % 1000 === 0) {
      bar.update(n);
      await new Promise<void>((r) => setImmediate(r));
    }
  }
  bar.update(events.length);
  bar.stop();
  return {
    events: events.length,
    tested,
    unseenItem: unseen,
    meanCandidates: candidates / Math.max(1, tested - unseen),
    k,
    results: Object.fromEntries(
      names.map((name, m) => [name, { recall: (sums[m]?.hits ?? 0) / tested, ndcg: (sums[m]?.ndcg ?? 0) / tested }]),
    ),
    curve,
    finalWeights: learner.ensemble.named(learner.ensemble.weights(['user', 'user/warm'])),
    timing: { ms: performance.now() - t0 },
  };
}
