/**
 * Matrix factorisation for implicit feedback, trained online by BPR-SGD (one step per interaction plus a
 * few replayed past positives). Users and rooms are both entities with their own factor vectors in one
 * item space; a room not seen yet is scored from its members' mean vector.
 */
import type { Interaction, ModelSnapshot, Recommender, ScoringContext } from '../types.ts';
import { dotScores, meanRows } from './shared/bpr.ts';
import { BprCore } from './shared/bpr-core.ts';
import type { BprCoreJSON, BprOptions } from './shared/bpr-core.ts';
import { defined } from './shared/options.ts';
import { creditsUser, roomKey, strength, userKey } from './shared/signal.ts';
import { checkSnapshot, makeSnapshot } from './shared/snapshot.ts';
import { topByDot } from './shared/dot-top.ts';
import { RetrievalCache } from './shared/retrieval-cache.ts';

export interface MfBprOptions extends Partial<BprOptions> {
  name?: string;
}

const VERSION = 1;

export class MfBpr implements Recommender {
  readonly name: string;
  private readonly core: BprCore;
  private seen = 0;
  private retrieved = new RetrievalCache();

  constructor(opts: MfBprOptions = {}) {
    const { name, ...rest } = opts;
    this.name = name ?? 'mf-bpr';
    this.core = new BprCore({ dim: 32, lr: 0.05, reg: 0.01, initStd: 0.1, replay: 16, replayCapacity: 500_000, seed: 7, ...defined(rest) });
  }

  update(interactions: readonly Interaction[]): void {
    const c = this.core;
    for (const x of interactions) {
      this.seen++;
      const s = strength(x);
      const i = c.item(x.trackId);
      if (creditsUser(x)) c.learn(c.entity(userKey(x.userId)), i, s);
      if (x.roomId !== null) c.learn(c.entity(roomKey(x.roomId)), i, s);
      c.replay();
    }
  }

  private vectorFor(context: ScoringContext): Float32Array | null {
    const c = this.core;
    if (context.roomId !== undefined) {
      const e = c.ents.get(roomKey(context.roomId));
      if (e !== undefined) return c.vector(e);
      const rows = (context.members ?? []).map((m) => c.ents.get(userKey(m))).filter((r) => r !== undefined);
      return meanRows(c.p, rows);
    }
    return context.userId === undefined ? null : c.vector(c.ents.get(userKey(context.userId)));
  }

  score(context: ScoringContext, candidates: readonly string[]): Float32Array {
    const out = new Float32Array(candidates.length);
    dotScores(this.vectorFor(context), this.core.q, this.core.bias, this.core.candidates(candidates), out);
    return out;
  }

  /**
   * Retrieval: the catalog's best items for the context's vector, by one pass over the item factors,
   * reused for a few hundred updates (see RetrievalCache).
   */
  retrieve(context: ScoringContext, n: number): readonly string[] {
    const c = this.core;
    return this.retrieved.get(context, n, this.seen, () =>
      topByDot(this.vectorFor(context), c.q, c.bias, c.items.size, n).map((i) => c.items.id(i)),
    );
  }

  snapshot(): ModelSnapshot {
    return makeSnapshot(this.name, VERSION, this.seen, this.core.toJSON());
  }

  restore(snapshot: ModelSnapshot): void {
    checkSnapshot(snapshot, this.name, VERSION);
    this.core.load(snapshot.data as BprCoreJSON);
    this.seen = snapshot.header.interactions;
    this.retrieved = new RetrievalCache();
  }
}
