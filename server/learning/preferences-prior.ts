/**
 * Cold start from declared taste: a member who has told us genres and artists but played little gets
 * those tracks lifted. The lift fades as their own history grows (after ~10 positive interactions the
 * models speak for them), so a declaration never overrides what someone actually does.
 */
import type { CatalogIndex } from './catalog-index.ts';
import type { Preferences } from './types.ts';

const FADE = 10;
const PER_KEY = 15;

/** Weight of the prior for someone with `positives` positive interactions (1 → 0). */
export const priorWeight = (positives: number): number => FADE / (FADE + positives);

/** Extra candidates for a shortlist: the declared genres' and artists' popular tracks. */
export function preferredTracks(prefs: Preferences | undefined, catalog: CatalogIndex): string[] {
  if (!prefs) return [];
  const out: string[] = [];
  for (const g of prefs.genres ?? []) out.push(...catalog.ofGenre(g).slice(0, PER_KEY));
  for (const a of prefs.artists ?? []) out.push(...catalog.ofArtist(a).slice(0, PER_KEY));
  return out;
}

/** 1 for a track by a declared artist, 0.6 for one of a declared genre, else 0. */
export function preferenceMatch(prefs: Preferences, catalog: CatalogIndex, candidates: readonly string[]): Float32Array {
  const out = new Float32Array(candidates.length);
  const genres = new Set((prefs.genres ?? []).map((g) => g.toLowerCase()));
  const artists = new Set((prefs.artists ?? []).map((a) => a.toLowerCase()));
  if (genres.size === 0 && artists.size === 0) return out;
  candidates.forEach((id, i) => {
    const t = catalog.get(id);
    if (!t) return;
    if (artists.has(t.artist.toLowerCase())) out[i] = 1;
    else if (genres.has(t.genre.toLowerCase())) out[i] = 0.6;
  });
  return out;
}

/**
 * Blend a member's ensemble scores (any scale) with their preference match: both as 0..1 and mixed by
 * priorWeight(positives). Returns the input untouched when nothing was declared.
 */
export function withPrior(scores: Float32Array, match: Float32Array, positives: number): Float32Array {
  let any = false;
  for (const v of match) if (v > 0) any = true;
  if (!any) return scores;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of scores) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi > lo ? hi - lo : 1;
  const w = priorWeight(positives);
  const out = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = (1 - w) * (((scores[i] as number) - lo) / span) + w * (match[i] as number);
  return out;
}
