/**
 * The n largest positive entries of a growing array of counts, kept for the retrieval stage without a
 * scan per request. The cached set is exact: it is recomputed (one O(items) pass) only after an update
 * that could change it — an outside item rising above the cached floor, or a member falling. Uniform
 * rescaling (time decay) keeps the order, so callers mark it stale only when they rescale.
 */
import { topK } from '../../group/top-k.ts';

export class TopSet {
  private idx: number[] = [];
  private members = new Set<number>();
  private floor = 0;
  private n = 0;
  private stale = true;

  /** Tell the set that counts[i] moved from `old` to `next`. */
  touched(i: number, old: number, next: number): void {
    if (this.stale) return;
    if (this.members.has(i) ? next < old : next > this.floor) this.stale = true;
  }

  invalidate(): void {
    this.stale = true;
  }

  /** Indices of the (up to) n largest positive counts among the first `size`; any order. */
  top(counts: Float64Array, size: number, n: number): readonly number[] {
    if (this.stale || n > this.n) {
      this.idx = topK(counts.subarray(0, size), n).filter((i) => (counts[i] as number) > 0);
      this.members = new Set(this.idx);
      this.n = n;
      // Fewer than n positives: any item turning positive belongs in the set.
      this.floor = this.idx.length < n ? 0 : (counts[this.idx[this.idx.length - 1] as number] as number);
      this.stale = false;
    }
    return n >= this.idx.length ? this.idx : this.idx.slice(0, n);
  }
}
