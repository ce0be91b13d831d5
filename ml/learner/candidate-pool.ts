/**
 * The tracks the learner knows (seen in the stream or given as catalog) and how to draw test negatives
 * from them: uniformly, or in proportion to popularity (a uniform draw is mostly long tail, which makes
 * popularity look better in test-then-train than it is on a whole-catalog ranking).
 */
import { IdIndex } from '../models/shared/id-index.ts';
import { Replay } from '../models/shared/replay.ts';
import type { Rng } from '../models/shared/rng.ts';

export type NegativeSampling = 'uniform' | 'popular' | 'mixed';

export interface PoolJSON {
  ids: string[];
  popular: ReturnType<Replay['toJSON']>;
}

export class CandidatePool {
  private ids = new IdIndex();
  /** A reservoir of past positive items: a uniform draw from it is a popularity-proportional item draw. */
  private popular = new Replay(100_000);

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): number {
    return this.ids.add(id);
  }

  /** Count one positive for popularity-proportional sampling. */
  addPositive(rng: Rng, id: string): void {
    this.popular.add(rng, 0, this.ids.add(id), 1);
  }

  all(): readonly string[] {
    return this.ids.ids();
  }

  /** Up to n distinct negatives different from `not` (fewer when the pool is small). */
  sample(rng: Rng, n: number, not: string, how: NegativeSampling): string[] {
    const notIndex = this.ids.get(not);
    const available = this.ids.size - (notIndex === undefined ? 0 : 1);
    const want = Math.min(n, available);
    const picked = new Set<number>();
    let tries = 0;
    while (picked.size < want && tries < want * 20) {
      tries++;
      const popular = how === 'popular' || (how === 'mixed' && (tries & 1) === 0);
      const i =
        popular && this.popular.size > 0 ? (this.popular.item[rng.int(this.popular.size)] as number) : rng.int(this.ids.size);
      if (i !== notIndex) picked.add(i);
    }
    return [...picked].map((i) => this.ids.id(i));
  }

  toJSON(): PoolJSON {
    return { ids: this.ids.toJSON(), popular: this.popular.toJSON() };
  }

  static from(d: PoolJSON): CandidatePool {
    const p = new CandidatePool();
    p.ids = IdIndex.from(d.ids);
    p.popular = Replay.from(d.popular);
    return p;
  }
}
