/**
 * Stage one of recommend(): candidate retrieval. Scoring the whole catalog with every model costs tens of
 * milliseconds per request on a 26k-track catalog (per-candidate id lookups, member loops, a rank
 * normalisation per model), so a request without explicit candidates first gathers a shortlist of a few
 * hundred tracks from the models that can find their best items cheaply (`Recommender.retrieve`):
 *  - popularity: the maintained top set of the context's scope (room vs solo) and mood;
 *  - item-knn: the co-occurrence neighbours of the room's (or user's) recent history;
 *  - mf-bpr: the best items for the room's (or its members' mean) factor vector;
 *  - content: the tracks nearest the room's profile (reaches tracks nobody has played);
 * plus a few uniformly drawn known tracks, so that no track is unreachable (exploration: the ensemble
 * learns from what it serves). Stage two — every model and the ensemble — then scores only the shortlist.
 * Explicit candidate lists (the evaluation protocols) skip this stage entirely.
 */
import type { Rng } from '../models/shared/rng.ts';
import type { Recommender, ScoringContext } from '../types.ts';
import type { CandidatePool } from './candidate-pool.ts';

export interface RetrievalOptions {
  /** Tracks asked from each retrieving model. */
  perModel: number;
  /** Uniformly drawn known tracks added to the shortlist. */
  explore: number;
}

/** The shortlist for a context: the union of the models' retrievals and the exploration draws. */
export function shortlist(
  models: readonly Recommender[],
  ctx: ScoringContext,
  pool: CandidatePool,
  rng: Rng,
  o: RetrievalOptions,
): string[] {
  const out = new Set<string>();
  for (const m of models) {
    if (m.retrieve === undefined) continue;
    for (const id of m.retrieve(ctx, o.perModel)) if (pool.has(id)) out.add(id);
  }
  const all = pool.all();
  const want = Math.min(all.length, out.size + o.explore);
  for (let tries = 0; out.size < want && tries < o.explore * 20; tries++) out.add(all[rng.int(all.length)] as string);
  // A model that cannot retrieve yet (no history anywhere) must not leave the room with nothing.
  return out.size > 0 ? [...out] : [...all];
}
