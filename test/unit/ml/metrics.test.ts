import { describe, expect, it } from 'vitest';
import { hitAt, ndcgAt, RankMetrics, rankAgainst, rankInList } from '../../../ml/eval/metrics.ts';

describe('metrics', () => {
  it('breaks ties against the true item', () => {
    expect(rankAgainst(0.5, [0.1, 0.5, 0.9])).toBe(2);
    // A model that scores everything equally ranks the true item last, not first.
    expect(rankAgainst(0, new Float32Array(100))).toBe(100);
  });

  it('skips a negative that is the true item itself', () => {
    const negIds = ['a', 'TRUE', 'b'];
    const r = rankAgainst(0.5, [0.1, 0.5, 0.2], (n) => negIds[n] === 'TRUE');
    expect(r).toBe(0);
  });

  it('NaN scores sink', () => {
    expect(rankAgainst(NaN, [0, 1])).toBe(2);
    expect(rankAgainst(0, [NaN, NaN])).toBe(0);
  });

  it('HR and NDCG at K', () => {
    expect(hitAt(4, 5)).toBe(1);
    expect(hitAt(5, 5)).toBe(0);
    expect(ndcgAt(0, 10)).toBe(1);
    expect(ndcgAt(2, 10)).toBeCloseTo(0.5, 12);
    expect(ndcgAt(10, 10)).toBe(0);
    const m = new RankMetrics();
    m.add(0);
    m.add(6);
    m.add(50);
    const s = m.summary();
    expect(s.n).toBe(3);
    expect(s.hr5).toBeCloseTo(1 / 3, 12);
    expect(s.hr10).toBeCloseTo(2 / 3, 12);
    expect(s.ndcg10).toBeCloseTo((1 + 1 / Math.log2(8)) / 3, 12);
  });

  it('rank in a whole list, ties against the target', () => {
    expect(rankInList([0.2, 0.9, 0.2, 0.1], 0)).toBe(2);
    expect(rankInList([0.2, 0.9, 0.2, 0.1], 1)).toBe(0);
  });
});
