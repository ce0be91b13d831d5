import { describe, expect, it } from 'vitest';
import { invertSpd } from '../../../ml/models/shared/spd-inverse.ts';

describe('invertSpd', () => {
  it('inverts a symmetric positive-definite matrix', () => {
    const n = 7;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = ((i + 1) * (j + 2)) % 5 === 0 ? 1 : 0.1 * Math.min(i, j);
    // Make it SPD: A·Aᵀ + n·I.
    const spd = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? n : 0;
        for (let k = 0; k < n; k++) s += a[i * n + k]! * a[j * n + k]!;
        spd[i * n + j] = s;
      }
    const inv = spd.slice();
    invertSpd(inv, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += spd[i * n + k]! * inv[k * n + j]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
      }
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() => invertSpd(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
  });
});
