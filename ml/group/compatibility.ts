/**
 * Two-person taste compatibility (0–100, like a Blend) from listening histories and track metadata, with
 * the reasons behind it. Three parts, each 0..1:
 *  - artists:  Jaccard overlap of the artist sets, square-rooted: sharing a quarter of one's artists is
 *              already a strong bond, and the raw Jaccard would call it 25/100;
 *  - genres:   overlap of the two genre distributions (Σ min(p, q): 1 when they listen in the same mix);
 *  - features: cosine of the standardised audio-feature profiles, mapped from −1..1 to 0..1.
 * Parts without data (no genres, no features) drop out and the others are re-weighted.
 */
import type { TrackFeatures } from '../types.ts';

export type HistoryItem = string | { trackId: string; weight?: number | undefined };
export type TrackLookup = ReadonlyMap<string, TrackFeatures> | ((id: string) => TrackFeatures | undefined);
export type FeatureStats = Readonly<Record<string, { mean: number; std: number }>>;

export interface CompatibilityOptions {
  /** The two people's names for the sentence (default "You both …"). */
  names?: readonly [string, string];
  /** Population mean/std per feature; default: computed from the catalog when `tracks` is a Map. */
  featureStats?: FeatureStats;
  weights?: { artists?: number; genres?: number; features?: number };
}

export interface Compatibility {
  score: number;
  parts: { artists: number | null; genres: number | null; features: number | null };
  reasons: { sharedArtists: string[]; sharedGenres: string[]; features: { name: string; a: number; b: number }[] };
  sentence: string;
}

interface Profile {
  artists: Map<string, number>;
  genres: Map<string, number>;
  genreTotal: number;
  featureSum: Map<string, number>;
  featureWeight: Map<string, number>;
}

const DEFAULT_WEIGHTS = { artists: 0.4, genres: 0.3, features: 0.3 };
const statsCache = new WeakMap<object, FeatureStats>();

export function compatibility(
  a: readonly HistoryItem[],
  b: readonly HistoryItem[],
  tracks: TrackLookup,
  opts: CompatibilityOptions = {},
): Compatibility {
  const look = typeof tracks === 'function' ? tracks : (id: string) => tracks.get(id);
  const pa = profile(a, look);
  const pb = profile(b, look);
  // Without catalog statistics, standardise over the two histories' own tracks.
  const stats =
    opts.featureStats ??
    (typeof tracks === 'function' ? undefined : catalogStats(tracks)) ??
    featureStatsOf([...a, ...b].map((h) => look(typeof h === 'string' ? h : h.trackId)).filter((t): t is TrackFeatures => t !== undefined));

  const artistsPart = pa.artists.size + pb.artists.size > 0 ? Math.sqrt(jaccard(pa.artists, pb.artists)) : null;
  const genresPart = pa.genreTotal > 0 && pb.genreTotal > 0 ? overlap(pa, pb) : null;
  const feat = featureCompare(pa, pb, stats);
  const w = { ...DEFAULT_WEIGHTS, ...opts.weights };
  const parts = { artists: artistsPart, genres: genresPart, features: feat?.similarity ?? null };
  let num = 0;
  let den = 0;
  for (const k of ['artists', 'genres', 'features'] as const) {
    const v = parts[k];
    if (v === null) continue;
    num += w[k] * v;
    den += w[k];
  }
  const score = den > 0 ? Math.round((100 * num) / den) : 0;

  // Shared artists by how much the lighter listener of the two plays them.
  const both = (x: string): number => Math.min(pa.artists.get(x) ?? 0, pb.artists.get(x) ?? 0);
  const sharedArtists = [...pa.artists.keys()]
    .filter((x) => pb.artists.has(x))
    .sort((x, y) => both(y) - both(x) || x.localeCompare(y))
    .slice(0, 5);
  const share = (p: Profile, g: string): number => (p.genres.get(g) ?? 0) / (p.genreTotal || 1);
  const sharedGenres = [...pa.genres.keys()]
    .filter((g) => Math.min(share(pa, g), share(pb, g)) >= 0.05)
    .sort((x, y) => Math.min(share(pa, y), share(pb, y)) - Math.min(share(pa, x), share(pb, x)) || x.localeCompare(y))
    .slice(0, 3);
  const features = feat?.closest.slice(0, 3).map(({ name, a: fa, b: fb }) => ({ name, a: fa, b: fb })) ?? [];
  const close = feat?.closest.filter((f) => f.gap < 0.5).slice(0, 2).map((f) => f.name) ?? [];
  return {
    score,
    parts,
    reasons: { sharedArtists, sharedGenres, features },
    sentence: sentence(score, sharedArtists, sharedGenres, close, opts.names),
  };
}

function profile(history: readonly HistoryItem[], look: (id: string) => TrackFeatures | undefined): Profile {
  const p: Profile = { artists: new Map(), genres: new Map(), genreTotal: 0, featureSum: new Map(), featureWeight: new Map() };
  const add = (m: Map<string, number>, k: string, w: number): void => void m.set(k, (m.get(k) ?? 0) + w);
  for (const h of history) {
    const id = typeof h === 'string' ? h : h.trackId;
    const w = typeof h === 'string' ? 1 : (h.weight ?? 1);
    const t = look(id);
    if (!t || !(w > 0)) continue;
    if (t.artist) add(p.artists, t.artist, w);
    if (t.genre) {
      add(p.genres, t.genre, w);
      p.genreTotal += w;
    }
    for (const [name, v] of Object.entries(t.features ?? {})) {
      if (!Number.isFinite(v)) continue;
      add(p.featureSum, name, v * w);
      add(p.featureWeight, name, w);
    }
  }
  return p;
}

function jaccard(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let inter = 0;
  for (const k of a.keys()) if (b.has(k)) inter++;
  const union = a.size + b.size - inter;
  return union > 0 ? inter / union : 0;
}

function overlap(a: Profile, b: Profile): number {
  let s = 0;
  for (const [g, n] of a.genres) s += Math.min(n / a.genreTotal, (b.genres.get(g) ?? 0) / b.genreTotal);
  return Math.min(1, s);
}

/** Mean and std of every feature over tracks (population statistics for standardising profiles). */
export function featureStatsOf(tracks: Iterable<TrackFeatures>): FeatureStats {
  const acc = new Map<string, { n: number; sum: number; sq: number }>();
  for (const t of tracks) {
    for (const [name, v] of Object.entries(t.features ?? {})) {
      if (!Number.isFinite(v)) continue;
      const s = acc.get(name) ?? { n: 0, sum: 0, sq: 0 };
      s.n++;
      s.sum += v;
      s.sq += v * v;
      acc.set(name, s);
    }
  }
  const out: Record<string, { mean: number; std: number }> = {};
  for (const [name, s] of acc) {
    const mean = s.sum / s.n;
    out[name] = { mean, std: Math.sqrt(Math.max(0, s.sq / s.n - mean * mean)) };
  }
  return out;
}

function catalogStats(tracks: ReadonlyMap<string, TrackFeatures>): FeatureStats | undefined {
  let s = statsCache.get(tracks);
  if (!s) {
    s = featureStatsOf(tracks.values());
    statsCache.set(tracks, s);
  }
  return Object.keys(s).length ? s : undefined;
}

interface FeatureComparison {
  similarity: number;
  /** per feature, both raw means and their gap in population standard deviations, closest first */
  closest: { name: string; a: number; b: number; gap: number }[];
}

function featureCompare(a: Profile, b: Profile, stats: FeatureStats): FeatureComparison | undefined {
  const names = [...a.featureSum.keys()].filter((n) => b.featureSum.has(n) && (stats[n]?.std ?? 0) > 0).sort();
  if (names.length === 0) return undefined;
  const za: number[] = [];
  const zb: number[] = [];
  const rows = names.map((name) => {
    const st = stats[name] ?? { mean: 0, std: 1 };
    const ma = (a.featureSum.get(name) ?? 0) / (a.featureWeight.get(name) ?? 1);
    const mb = (b.featureSum.get(name) ?? 0) / (b.featureWeight.get(name) ?? 1);
    za.push((ma - st.mean) / st.std);
    zb.push((mb - st.mean) / st.std);
    return { name, a: round(ma), b: round(mb), gap: Math.abs(ma - mb) / st.std };
  });
  const dot = za.reduce((s, x, i) => s + x * (zb[i] ?? 0), 0);
  const na = Math.hypot(...za);
  const nb = Math.hypot(...zb);
  // Two profiles at the population mean have no direction: equal means they agree.
  const EPS = 1e-6;
  const cos = na < EPS && nb < EPS ? 1 : na < EPS || nb < EPS ? 0 : dot / (na * nb);
  const closest = rows.sort((x, y) => x.gap - y.gap || x.name.localeCompare(y.name));
  return { similarity: (1 + Math.max(-1, Math.min(1, cos))) / 2, closest };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

export function listPhrase(xs: readonly string[]): string {
  if (xs.length <= 1) return xs[0] ?? '';
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1] ?? ''}`;
}

function sentence(score: number, artists: string[], genres: string[], close: string[], names?: readonly [string, string]): string {
  const who = names ? `${names[0]} and ${names[1]}` : 'You';
  const bits: string[] = [];
  if (artists.length) bits.push(`both play ${listPhrase(artists.slice(0, 3))}`);
  if (genres.length) bits.push(`share a taste for ${listPhrase(genres.slice(0, 2))}`);
  if (close.length) bits.push(`like a similar ${listPhrase(close)}`);
  if (bits.length === 0) return `${score}% taste match: ${who.toLowerCase() === 'you' ? 'you have' : `${who} have`} little in common yet.`;
  // Serial comma between the clauses: each clause may hold its own "and".
  const clauses = bits.length <= 1 ? (bits[0] ?? '') : `${bits.slice(0, -1).join(', ')}, and ${bits[bits.length - 1] ?? ''}`;
  return `${score}% taste match: ${who === 'You' ? 'you' : who} ${clauses}.`;
}
