/**
 * Cached retrievals of the full-scan retrievers (MF, content), per context, for a bounded number of
 * model updates. A full scan of 26k items × 32 factors costs ~1 ms in V8; the shortlist it yields only has
 * to contain good candidates, because stage two re-scores them with the current model, so a list a few
 * hundred interactions old serves as well as a fresh one (production systems refresh candidate lists
 * asynchronously for the same reason). A cache miss costs one scan.
 */
import type { ScoringContext } from '../../types.ts';

interface Entry {
  at: number;
  ids: readonly string[];
}

export class RetrievalCache {
  private entries = new Map<string, Entry>();

  /** @param fresh model updates after which a cached list is recomputed; @param capacity contexts kept */
  constructor(
    private readonly fresh = 500,
    private readonly capacity = 10_000,
  ) {}

  /** The cached list for (context, n) if computed at most `fresh` updates before `seen`, else compute it. */
  get(ctx: ScoringContext, n: number, seen: number, compute: () => readonly string[]): readonly string[] {
    const key = `${ctx.roomId ?? ''}\u0000${ctx.userId ?? ''}\u0000${(ctx.members ?? []).join('\u0001')}\u0000${ctx.mood ?? ''}\u0000${n}`;
    const e = this.entries.get(key);
    if (e !== undefined && seen - e.at < this.fresh) return e.ids;
    const ids = compute();
    if (this.entries.size >= this.capacity) this.entries.clear(); // crude bound: rebuilt on demand
    this.entries.set(key, { at: seen, ids });
    return ids;
  }
}
