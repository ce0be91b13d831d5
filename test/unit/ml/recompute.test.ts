import { describe, expect, it } from 'vitest';
import { recomputeScores } from '../../../ml/eval/recompute.ts';

describe('recomputeScores', () => {
  it('recomputes HR/NDCG from a scores file, ties against the true item, skipping self-negatives when told', () => {
    const tsv = ['group\t1\t10\t0.9\t0.1\t0.95\t0.2', 'group\t2\t11\t0.5\t0.5\t0.1', 'user\t7\t12\t0.3\t0.3\t0.9'].join('\n');
    const plain = recomputeScores(tsv);
    // group row 1: rank 1; group row 2: rank 1 (tie counts against); user: rank 2.
    expect(plain['group']?.ndcg10).toBeCloseTo(1 / Math.log2(3), 12);
    expect(plain['user']?.hr5).toBe(1);
    // Row 2's first negative is the true item itself: skipped, the true item ranks first.
    const skip = new Map([['group\t2\t11', new Set([0])]]);
    const fixed = recomputeScores(tsv, skip);
    expect(fixed['group']?.ndcg10).toBeCloseTo((1 / Math.log2(3) + 1) / 2, 12);
  });
});
