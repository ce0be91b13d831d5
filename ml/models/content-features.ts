/**
 * Track metadata → dense content vectors: numeric audio features standardised (z-scores over the
 * catalog), genre one-hot, the most frequent tags (term frequency scaled to 1 per track); columns centred
 * and rows L2-normalised so a dot product is a cosine that is not dominated by whichever field is largest.
 */
import type { TrackFeatures } from '../types.ts';

export interface ContentFeatureOptions {
  maxTags: number;
  genreWeight: number;
  tagWeight: number;
  featureWeight: number;
  /** Numeric feature keys to ignore (e.g. popularity, which is not content). */
  ignore: readonly string[];
  /**
   * A fixed tag vocabulary (columns in this order). Without one the columns are the catalog's most frequent
   * tags, which can change when the catalog is replaced, and profiles live in column space.
   */
  tagVocabulary?: readonly string[] | undefined;
}

export interface ContentMatrix {
  ids: string[];
  dim: number;
  /** Row-major ids.length × dim. */
  x: Float32Array;
  columns: string[];
}

export function buildContentMatrix(tracks: readonly TrackFeatures[], o: ContentFeatureOptions): ContentMatrix {
  const ignore = new Set(o.ignore);
  const numKeys = new Set<string>();
  const genres = new Set<string>();
  const tagDf = new Map<string, number>();
  for (const t of tracks) {
    for (const k of Object.keys(t.features ?? {})) if (!ignore.has(k)) numKeys.add(k);
    if (t.genre !== undefined) genres.add(t.genre);
    for (const tag of new Set(t.tags ?? [])) tagDf.set(tag, (tagDf.get(tag) ?? 0) + 1);
  }
  const keys = [...numKeys].sort();
  const genreList = [...genres].sort();
  const tags =
    o.tagVocabulary !== undefined
      ? [...o.tagVocabulary]
      : [...tagDf]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, o.maxTags)
          .map(([t]) => t);
  const columns = [...keys, ...genreList.map((g) => `genre:${g}`), ...tags.map((t) => `tag:${t}`)];
  const dim = columns.length;
  const n = tracks.length;
  const x = new Float32Array(n * dim);
  // Numeric features: mean and std over tracks that have the key.
  keys.forEach((k, c) => {
    let s = 0;
    let s2 = 0;
    let m = 0;
    for (const t of tracks) {
      const v = t.features?.[k];
      if (v === undefined || !Number.isFinite(v)) continue;
      s += v;
      s2 += v * v;
      m++;
    }
    const mean = m > 0 ? s / m : 0;
    const std = m > 1 ? Math.sqrt(Math.max(0, s2 / m - mean * mean)) : 0;
    tracks.forEach((t, r) => {
      const v = t.features?.[k];
      if (v !== undefined && Number.isFinite(v) && std > 0) x[r * dim + c] = (o.featureWeight * (v - mean)) / std;
    });
  });
  const gIndex = new Map(genreList.map((g, i) => [g, keys.length + i]));
  const tIndex = new Map(tags.map((t, i) => [t, keys.length + genreList.length + i]));
  tracks.forEach((t, r) => {
    const g = t.genre === undefined ? undefined : gIndex.get(t.genre);
    if (g !== undefined) x[r * dim + g] = o.genreWeight;
    const tf = new Map<number, number>();
    for (const tag of t.tags ?? []) {
      const c = tIndex.get(tag);
      if (c !== undefined) tf.set(c, (tf.get(c) ?? 0) + 1);
    }
    const max = Math.max(0, ...tf.values());
    for (const [c, f] of tf) x[r * dim + c] = (o.tagWeight * f) / max;
  });
  // Centre columns, then L2-normalise rows.
  for (let c = 0; c < dim; c++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += x[r * dim + c] as number;
    const mean = n > 0 ? s / n : 0;
    for (let r = 0; r < n; r++) x[r * dim + c] = (x[r * dim + c] as number) - mean;
  }
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < dim; c++) s += (x[r * dim + c] as number) ** 2;
    const norm = Math.sqrt(s);
    if (norm > 0) for (let c = 0; c < dim; c++) x[r * dim + c] = (x[r * dim + c] as number) / norm;
  }
  return { ids: tracks.map((t) => t.id), dim, x, columns };
}
