import { describe, expect, it } from 'vitest';
import { FairnessState } from '../../../ml/group/fairness.ts';
import { normaliseScores } from '../../../ml/group/normalise.ts';
import { aggregate, fairWeights } from '../../../ml/group/strategies.ts';
import { topK } from '../../../ml/group/top-k.ts';

const f = (...xs: number[]): Float32Array => Float32Array.from(xs);
const best = (s: Float32Array): number => topK(s, 1)[0] ?? -1;

describe('normaliseScores', () => {
  it('min-max maps to 0..1 and a flat member to 0.5', () => {
    expect(Array.from(normaliseScores(f(2, 4, 6)))).toEqual([0, 0.5, 1]);
    expect(Array.from(normaliseScores(f(3, 3)))).toEqual([0.5, 0.5]);
  });

  it('rank gives percentiles with shared ranks for ties', () => {
    expect(Array.from(normaliseScores(f(10, -5, 10, 0), 'rank'))).toEqual([(2 + 3) / 2 / 3, 0, (2 + 3) / 2 / 3, 1 / 3].map(Math.fround));
  });
});

describe('aggregate', () => {
  // Three candidates, three members. Item 0: two love it, one hates it. Item 1: everybody finds it fine.
  // Item 2: member 2's favourite, the others are lukewarm.
  const members = [f(1.0, 0.6, 0.2), f(0.9, 0.6, 0.1), f(0.0, 0.5, 1.0)];

  it('average picks the crowd-pleaser', () => {
    expect(best(aggregate('average', members))).toBe(0);
  });

  it('least misery picks the item nobody hates', () => {
    expect(best(aggregate('least-misery', members))).toBe(1);
  });

  it('most pleasure picks someone’s favourite, breaking ties towards the rest of the room', () => {
    const s = aggregate('most-pleasure', members);
    expect([0, 2]).toContain(best(s));
    // Items 0 and 2 are both somebody's favourite (1 after normalisation); 0 is liked by more members.
    expect(best(s)).toBe(0);
    // Two opposite members: the mean prefers the compromise, most pleasure one of the favourites.
    const opposite = [f(1, 0.7, 0), f(0, 0.7, 1)];
    expect(best(aggregate('average', opposite))).toBe(1);
    expect([0, 2]).toContain(best(aggregate('most-pleasure', opposite)));
  });

  it('normalises so one member’s scale cannot dominate', () => {
    // Member 0 scores in thousands, member 1 in 0..1 and disagrees: an unnormalised mean would follow member 0.
    const s = aggregate('average', [f(1000, 0, 900), f(0, 1, 0.9)]);
    expect(best(s)).toBe(2);
  });

  it('fair without history is the average', () => {
    const fairness = new FairnessState();
    expect(Array.from(aggregate('fair', members, { fairness, memberIds: ['a', 'b', 'c'] }))).toEqual(Array.from(aggregate('average', members)));
  });

  it('fair weighs the worst-served member most', () => {
    const fairness = new FairnessState();
    fairness.record(['a', 'b', 'c'], [0.9, 0.9, 0.1]);
    const w = fairWeights(3, { fairness, memberIds: ['a', 'b', 'c'] });
    expect(w[2]).toBeGreaterThan(w[0] ?? 1);
    expect((w[0] ?? 0) + (w[1] ?? 0) + (w[2] ?? 0)).toBeCloseTo(1, 6);
  });

  it('fair lifts the starved member after several rounds', () => {
    // 30 candidates: members a and b share a taste; c wants the opposite. Each round the room plays the top
    // unplayed item and records what each member thought of it.
    const n = 30;
    const a = Float32Array.from({ length: n }, (_, i) => i / n);
    const b = Float32Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    const c = Float32Array.from({ length: n }, (_, i) => 1 - i / n);
    const ids = ['a', 'b', 'c'];
    const norm = [a, b, c].map((s) => normaliseScores(s));
    const session = (strategy: 'average' | 'fair'): { cMean: number; cBest: number } => {
      const fairness = new FairnessState();
      const played = new Set<number>();
      const cScores: number[] = [];
      for (let round = 0; round < 8; round++) {
        const agg = aggregate(strategy, [a, b, c], { fairness, memberIds: ids });
        const pick = topK(agg, 1, played)[0] ?? 0;
        played.add(pick);
        fairness.record(ids, norm.map((s) => s[pick] ?? 0));
        cScores.push(norm[2]?.[pick] ?? 0);
      }
      return { cMean: fairness.satisfaction('c') ?? 0, cBest: Math.max(...cScores) };
    };
    const avg = session('average');
    const fair = session('fair');
    expect(avg.cBest).toBeLessThan(0.3); // average keeps starving c
    expect(fair.cBest).toBeGreaterThan(0.8); // fair serves c one of their favourites
    expect(fair.cMean).toBeGreaterThan(avg.cMean + 0.2);
  });

  it('handles edge cases', () => {
    expect(aggregate('average', [])).toHaveLength(0);
    expect(() => aggregate('average', [f(1, 2), f(1)])).toThrow();
    expect(Array.from(aggregate('least-misery', [f(0.2, 0.8)], { normalise: 'none' }))).toEqual([
      Math.fround(0.2 + 1e-3 * 0.2),
      Math.fround(0.8 + 1e-3 * 0.8),
    ]);
  });
});

describe('topK', () => {
  it('returns the best indices, best first, skipping excluded and NaN', () => {
    const s = f(0.1, 0.9, NaN, 0.5, 0.9, 0.3);
    expect(topK(s, 3)).toEqual([1, 4, 3]);
    expect(topK(s, 2, new Set([1]))).toEqual([4, 3]);
    expect(topK(s, 0)).toEqual([]);
    expect(topK(s, 10)).toHaveLength(5);
  });

  it('equals a full sort (score down, index up) on random lists with ties, NaN and exclusions, short and long', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let t = 0; t < 2000; t++) {
      const n = Math.floor(rnd() * 200);
      const k = Math.floor(rnd() * 100); // both sides of the insertion-sort cut (64)
      const s = Float32Array.from({ length: n }, () => (rnd() < 0.05 ? NaN : Math.floor(rnd() * 12)));
      const ex = rnd() < 0.3 ? new Set([1, 5, 7]) : undefined;
      const want = [...s.keys()].filter((i) => !Number.isNaN(s[i]) && !ex?.has(i));
      want.sort((a, b) => (s[b] as number) - (s[a] as number) || a - b);
      expect(topK(s, k, ex)).toEqual(want.slice(0, k));
    }
  });
});

describe('aggregate normalisation', () => {
  it('normalising on the fly equals aggregating pre-normalised scores, for every strategy', () => {
    const raw = [f(3, 9, 1, 4), f(-2, 0, 5, 5), f(7, 7, 7, 7), f(0.1, NaN, 0.3, 0.2)];
    const norm = raw.map((s) => normaliseScores(s));
    for (const s of ['average', 'least-misery', 'most-pleasure'] as const) {
      const a = Array.from(aggregate(s, raw));
      const b = Array.from(aggregate(s, norm, { normalise: 'none' }));
      a.forEach((x, i) => expect(x).toBeCloseTo(b[i] ?? NaN, 6));
    }
  });
});

describe('recommendForGroup', () => {
  it('matches aggregate + topK + memberSatisfaction, and feeds fairness', async () => {
    const { recommendForGroup, recordPlayed } = await import('../../../ml/group/recommend.ts');
    const { memberSatisfaction, harmony } = await import('../../../ml/group/harmony.ts');
    const members = [f(1.0, 0.6, 0.2, 0.9), f(0.9, 0.6, 0.1, 0.3), f(0.0, 0.5, 1.0, 0.4)];
    const rec = recommendForGroup('least-misery', members, 2, { exclude: new Set([3]) });
    const agg = aggregate('least-misery', members);
    expect(rec.indices).toEqual(topK(agg, 2, new Set([3])));
    expect(rec.satisfaction).toEqual(memberSatisfaction(members, rec.indices));
    expect(rec.harmony).toBeCloseTo(harmony(rec.satisfaction), 9);
    const fairness = new FairnessState();
    recordPlayed(fairness, ['a', 'b', 'c'], rec, 2);
    expect(fairness.satisfaction('c')).toBeCloseTo(1, 6);
    expect(fairness.satisfaction('a')).toBeCloseTo(0, 6);
    expect(recommendForGroup('average', members, 1, { report: false }).satisfaction).toEqual([]);
  });
});
