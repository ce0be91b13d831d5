import { describe, expect, it } from 'vitest';
import { Ensemble } from '../../../ml/ensemble/ensemble.ts';

const f = (xs: number[]) => Float32Array.from(xs);
const argmax = (s: Float32Array) => s.indexOf(Math.max(...s));

describe('ensemble leader guard', () => {
  const leaderScores = f([0.9, 0.8, 0.1, 0.1]); // A above B by one rank; C and D tied
  const otherScores = f([0.0, 1.0, 0.2, 0.9]); // strongly prefers B, and D over C

  it('keeps the dominant model’s order and lets the others break only its ties', () => {
    const e = new Ensemble(['leader', 'other']);
    for (const combined of [e.combineScore([leaderScores, otherScores], [0.95, 0.05]), e.combine([leaderScores, otherScores], [0.95, 0.05]).score]) {
      expect(argmax(combined)).toBe(0);
      expect(combined[1]).toBeGreaterThan(combined[3] as number);
      expect(combined[3]).toBeGreaterThan(combined[2] as number); // the tie C = D broken by the other model
    }
  });

  it('mixes freely below the leader share, and can be disabled', () => {
    const mixed = new Ensemble(['leader', 'other']).combineScore([leaderScores, otherScores], [0.6, 0.4]);
    expect(argmax(mixed)).toBe(1); // B: second for the leader, first for the other
    const off = new Ensemble(['leader', 'other'], { leaderShare: 1 }).combineScore([leaderScores, otherScores], [0.7, 0.3]);
    const on = new Ensemble(['leader', 'other'], { leaderShare: 0.65 }).combineScore([leaderScores, otherScores], [0.7, 0.3]);
    expect(argmax(off)).toBe(1);
    expect(argmax(on)).toBe(0);
  });

  it('reports contributions as weight × normalised score either way', () => {
    const { contributions } = new Ensemble(['leader', 'other']).combine([leaderScores, otherScores], [0.95, 0.05]);
    expect(contributions[0]?.[0]).toBeCloseTo(0.95 * 0.5, 5);
    expect(contributions[1]?.[1]).toBeCloseTo(0.05 * 0.5, 5);
  });
});
