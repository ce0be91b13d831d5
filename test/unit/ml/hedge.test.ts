import { describe, expect, it } from 'vitest';
import { Ensemble } from '../../../ml/ensemble/ensemble.ts';
import { Hedge } from '../../../ml/ensemble/hedge.ts';
import { rankScores, zScores } from '../../../ml/ensemble/normalise.ts';

describe('Hedge', () => {
  it('moves weight toward the model with the lower loss, keeping the exploration floor', () => {
    const h = new Hedge(['good', 'bad', 'meh'], { eta: 0.5, gamma: 0.06 });
    const w0 = h.weights(['user']);
    expect(Array.from(w0)).toEqual([1 / 3, 1 / 3, 1 / 3].map((v) => expect.closeTo(v, 12) as unknown as number));
    for (let i = 0; i < 50; i++) h.observe(['user'], [0.1, 0.9, 0.5]);
    const w = h.weights(['user']);
    expect(w[0]).toBeGreaterThan(0.9);
    expect(w[1]).toBeGreaterThanOrEqual(0.02 - 1e-12); // γ/M floor
    expect(w[0]! + w[1]! + w[2]!).toBeCloseTo(1, 12);
  });

  it('a specific scope starts at its parent and follows its own evidence', () => {
    const h = new Hedge(['x', 'y'], { eta: 0.2, gamma: 0 });
    for (let i = 0; i < 30; i++) h.observe(['room'], [0, 1]); // rooms in general: x is better
    const fresh = h.weights(['room', 'room#new']);
    expect(fresh[0]).toBeCloseTo(h.weights(['room'])[0] as number, 12);
    for (let i = 0; i < 200; i++) h.observe(['room', 'room#odd'], [1, 0]); // this room: y is better
    expect(h.weights(['room', 'room#odd'])[1]).toBeGreaterThan(0.9);
  });

  it('discounting lets a model that improves win weight back', () => {
    const h = new Hedge(['a', 'b'], { eta: 0.5, gamma: 0, decay: 0.9 });
    for (let i = 0; i < 100; i++) h.observe(['s'], [0, 1]);
    for (let i = 0; i < 100; i++) h.observe(['s'], [1, 0]);
    expect(h.weights(['s'])[1]).toBeGreaterThan(0.9);
  });

  it('snapshot and load give identical weights', () => {
    const h = new Hedge(['a', 'b'], { eta: 0.3 });
    h.observe(['s', 's/warm'], [0.2, 0.7]);
    const k = new Hedge(['a', 'b'], { eta: 0.3 });
    k.load(JSON.parse(JSON.stringify(h.toJSON())));
    expect(Array.from(k.weights(['s', 's/warm']))).toEqual(Array.from(h.weights(['s', 's/warm'])));
    expect(() => new Hedge(['a', 'c']).load(h.toJSON())).toThrow();
  });
});

describe('Ensemble', () => {
  it('is invariant to each model score scale and reports contributions that sum to the score', () => {
    const e = new Ensemble(['m1', 'm2'], { normalise: 'z' });
    const s1 = Float32Array.from([1, 2, 3, 4]);
    const s2 = Float32Array.from([40, 10, 30, 20]);
    const a = e.combine([s1, s2], [0.5, 0.5]);
    const b = e.combine([s1.map((v) => v * 1000), s2.map((v) => v / 7)], [0.5, 0.5]);
    for (let c = 0; c < 4; c++) {
      expect(b.score[c]).toBeCloseTo(a.score[c] as number, 4);
      expect(a.contributions[0]![c]! + a.contributions[1]![c]!).toBeCloseTo(a.score[c] as number, 5);
    }
    expect(Array.from(e.combineScore([s1, s2], [0.5, 0.5]))).toEqual(Array.from(a.score));
  });

  it('a model that cannot tell candidates apart adds nothing', () => {
    const flat = Float32Array.from([0, 0, 0]);
    expect(Array.from(zScores(flat))).toEqual([0, 0, 0]);
    expect(Array.from(rankScores(flat))).toEqual([0, 0, 0]);
  });

  it('rank normalisation shares ranks between ties', () => {
    expect(Array.from(rankScores(Float32Array.from([5, 1, 5, 3, NaN])))).toEqual([0.375, -0.25, 0.375, 0, -0.5]);
  });
});

describe('Ensemble (exponentiated gradient rule)', () => {
  it('learns a mixture when two models are each right half of the time', () => {
    const e = new Ensemble(['left', 'right', 'noise'], { rule: 'eg', normalise: 'z', hedge: { eta: 0.2, gamma: 0 }, sharpness: 2 });
    // Candidate 0 is the true item. 'left' ranks it first on even rounds, 'right' on odd ones; 'noise' never.
    for (let i = 0; i < 300; i++) {
      const good = Float32Array.from([3, 1, 0, 0]);
      const bad = Float32Array.from([0, 3, 1, 0]);
      const noise = Float32Array.from([0, 1, 3, 2]);
      const raw = i % 2 === 0 ? [good, bad, noise] : [bad, good, noise];
      e.learn(['s'], raw, e.weights(['s']), [0, 0, 0]);
    }
    const w = e.weights(['s']);
    expect(w[0]).toBeGreaterThan(0.3);
    expect(w[1]).toBeGreaterThan(0.3);
    expect(w[2]).toBeLessThan(0.1);
  });
});
