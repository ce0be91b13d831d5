import type { Factors } from './factors.ts';

/**
 * One BPR-SGD step (Rendle et al. 2009) on "entity e prefers item i over item j" with sample weight w:
 * ascend ln σ(x_ei − x_ej) with L2 regularisation. Shared by the MF model and the group model.
 */
export function bprStep(
  p: Factors,
  e: number,
  q: Factors,
  bias: Float32Array,
  i: number,
  j: number,
  w: number,
  lr: number,
  reg: number,
): void {
  const d = p.dim;
  const pd = p.data;
  const qd = q.data;
  const pe = e * d;
  const qi = i * d;
  const qj = j * d;
  let x = (bias[i] as number) - (bias[j] as number);
  for (let k = 0; k < d; k++) x += (pd[pe + k] as number) * ((qd[qi + k] as number) - (qd[qj + k] as number));
  const g = w / (1 + Math.exp(x)); // w·σ(−x)
  for (let k = 0; k < d; k++) {
    const pk = pd[pe + k] as number;
    const a = qd[qi + k] as number;
    const b = qd[qj + k] as number;
    pd[pe + k] = pk + lr * (g * (a - b) - reg * pk);
    qd[qi + k] = a + lr * (g * pk - reg * a);
    qd[qj + k] = b + lr * (-g * pk - reg * b);
  }
  bias[i] = (bias[i] as number) + lr * (g - reg * (bias[i] as number));
  bias[j] = (bias[j] as number) + lr * (-g - reg * (bias[j] as number));
}

/** Score items for one factor vector (or none: bias only) into out. */
export function dotScores(
  vec: Float32Array | null,
  q: Factors,
  bias: Float32Array,
  cand: Int32Array,
  out: Float32Array,
  biasWeight = 1,
): void {
  const d = q.dim;
  const qd = q.data;
  for (let c = 0; c < cand.length; c++) {
    const j = cand[c] as number;
    if (j < 0) continue;
    let s = biasWeight * (bias[j] as number);
    if (vec !== null) {
      const o = j * d;
      for (let k = 0; k < d; k++) s += (vec[k] as number) * (qd[o + k] as number);
    }
    out[c] = s;
  }
}

/** Mean of some rows of a factor matrix, or null when none of the rows exist. */
export function meanRows(p: Factors, rows: readonly number[]): Float32Array | null {
  if (rows.length === 0) return null;
  const d = p.dim;
  const v = new Float32Array(d);
  for (const r of rows) for (let k = 0; k < d; k++) v[k] = (v[k] as number) + (p.data[r * d + k] as number);
  for (let k = 0; k < d; k++) v[k] = (v[k] as number) / rows.length;
  return v;
}
