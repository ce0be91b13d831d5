import { describe, expect, it } from 'vitest';
import { FairnessState } from '../../../ml/group/fairness.ts';
import { groupReport, harmony, memberSatisfaction } from '../../../ml/group/harmony.ts';

describe('harmony', () => {
  it('is 1 for equal satisfactions', () => {
    expect(harmony([0.7, 0.7, 0.7])).toBe(1);
    expect(harmony([])).toBe(1);
    expect(harmony([0.3])).toBe(1);
    expect(harmony([0, 0])).toBe(1);
  });

  it('falls as one member gets everything', () => {
    expect(harmony([1, 0, 0, 0])).toBeCloseTo(0.25, 6); // Gini (n−1)/n
    expect(harmony([0.9, 0.8, 0.7])).toBeGreaterThan(harmony([0.9, 0.5, 0.1]));
  });
});

describe('memberSatisfaction', () => {
  const ana = Float32Array.from([1, 0.8, 0.1, 0]);
  const bo = Float32Array.from([0, 0.1, 0.9, 1]);

  it('is 1 for a member whose ideal list was chosen, lower for the other', () => {
    const [a = 0, b = 0] = memberSatisfaction([ana, bo], [0, 1]);
    expect(a).toBeCloseTo(1, 6);
    expect(b).toBeLessThan(0.2);
  });

  it('reports per member and harmony', () => {
    const even = groupReport(['ana', 'bo'], [ana, bo], [0, 3]);
    const skewed = groupReport(['ana', 'bo'], [ana, bo], [0, 1]);
    expect(even.members.map((m) => m.id)).toEqual(['ana', 'bo']);
    expect(even.harmony).toBeGreaterThan(skewed.harmony);
    expect(skewed.min).toBeLessThan(0.2);
  });
});

describe('FairnessState', () => {
  it('tracks the mean satisfaction per member, with optional decay', () => {
    const f = new FairnessState();
    f.record(['a', 'b'], [1, 0]);
    f.record(['a', 'b'], [0, 0.5]);
    expect(f.satisfaction('a')).toBeCloseTo(0.5, 6);
    expect(f.satisfaction('b')).toBeCloseTo(0.25, 6);
    expect(f.satisfaction('nobody')).toBeUndefined();
    expect(f.rounds('a')).toBe(2);

    const d = new FairnessState({ decay: 0.5 });
    d.record(['a'], [0]);
    d.record(['a'], [1]);
    expect(d.satisfaction('a')).toBeCloseTo(1 / 1.5, 6); // the recent 1 counts twice the old 0

    const copy = FairnessState.fromJSON(JSON.parse(JSON.stringify(f.toJSON())));
    expect(copy.satisfaction('b')).toBeCloseTo(0.25, 6);
    f.reset('a');
    expect(f.memberIds()).toEqual(['b']);
    expect(() => f.record(['a'], [1, 2])).toThrow();
    expect(() => new FairnessState({ decay: 0 })).toThrow();
  });
});
