/** z-scores of a score vector over its candidates (all zeros when the scores do not vary). */
export function zNormalise(s: Float32Array): Float32Array {
  const n = s.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  let mean = 0;
  for (const v of s) mean += v;
  mean /= n;
  let varSum = 0;
  for (const v of s) varSum += (v - mean) ** 2;
  const std = Math.sqrt(varSum / n);
  if (!(std > 1e-12)) return out;
  for (let i = 0; i < n; i++) out[i] = ((s[i] as number) - mean) / std;
  return out;
}
