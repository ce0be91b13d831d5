/**
 * Ranking metrics for "one true item against sampled negatives" and whole-catalog protocols. Ties are
 * broken AGAINST the true item (a negative with an equal score ranks above it), so a model that scores
 * everything 0 gets nothing; a negative that is the true item itself is skipped, never a hit or a miss.
 */

/** NaN scores sink to the bottom so a broken model cannot win ties by accident. */
const clean = (s: number): number => (Number.isNaN(s) ? -Infinity : s);

/**
 * 0-based rank of the true item: how many counted negatives score ≥ it. `skip[n]` marks negatives to
 * ignore (the true item listed among its own negatives).
 */
export function rankAgainst(
  trueScore: number,
  negatives: ArrayLike<number>,
  skip?: (n: number) => boolean,
): number {
  const t = clean(trueScore);
  let rank = 0;
  for (let n = 0; n < negatives.length; n++) {
    if (skip?.(n) === true) continue;
    if (clean(negatives[n] as number) >= t) rank++;
  }
  return rank;
}

/** Rank of candidate `target` among all candidates (others scoring ≥ it rank above it). */
export function rankInList(scores: ArrayLike<number>, target: number, exclude?: (n: number) => boolean): number {
  const t = clean(scores[target] as number);
  let rank = 0;
  for (let n = 0; n < scores.length; n++) {
    if (n === target || exclude?.(n) === true) continue;
    if (clean(scores[n] as number) >= t) rank++;
  }
  return rank;
}

export const hitAt = (rank: number, k: number): number => (rank < k ? 1 : 0);
export const ndcgAt = (rank: number, k: number): number => (rank < k ? 1 / Math.log2(rank + 2) : 0);

export interface MetricSummary {
  n: number;
  hr5: number;
  hr10: number;
  ndcg5: number;
  ndcg10: number;
}

/** Running means of HR@5/10 and NDCG@5/10 (HR@K equals recall@K when there is one true item). */
export class RankMetrics {
  private n = 0;
  private sums = [0, 0, 0, 0];

  add(rank: number): void {
    this.n++;
    const s = this.sums;
    s[0] = (s[0] as number) + hitAt(rank, 5);
    s[1] = (s[1] as number) + hitAt(rank, 10);
    s[2] = (s[2] as number) + ndcgAt(rank, 5);
    s[3] = (s[3] as number) + ndcgAt(rank, 10);
  }

  get count(): number {
    return this.n;
  }

  summary(): MetricSummary {
    const m = (i: number): number => (this.n === 0 ? 0 : (this.sums[i] as number) / this.n);
    return { n: this.n, hr5: m(0), hr10: m(1), ndcg5: m(2), ndcg10: m(3) };
  }
}
