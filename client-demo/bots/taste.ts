/**
 * Simulated members with distinct, consistent tastes: each loves one or two genres and prefers a region
 * of the audio-feature space (energy, valence, danceability, acousticness). The score of a track is
 * fixed for a bot, so its likes, skips, votes and adds agree with each other over a whole session.
 */
import type { Track } from '../../db/repositories/types.ts';

export type Rng = () => number;

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Taste {
  name: string;
  genres: string[];
  /** Preferred audio features, 0..1. */
  target: { energy: number; valence: number; danceability: number; acousticness: number };
  /** How picky: scores above likeAt get a like, below dislikeAt a dislike and a skip vote. */
  likeAt: number;
  dislikeAt: number;
}

const FIRST = ['Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lea', 'Milo', 'Noor', 'Oli', 'Pia'];

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

export function makeTastes(count: number, genres: readonly string[], seed: number): Taste[] {
  const r = rng(seed);
  const out: Taste[] = [];
  for (let i = 0; i < count; i++) {
    // Spread favourite genres over the members so the room has camps, plus a second genre for some.
    const first = genres[(i * 5 + Math.floor(r() * 3)) % genres.length] ?? 'pop';
    const second = r() < 0.5 ? pick(r, genres) : undefined;
    const favs = second && second !== first ? [first, second] : [first];
    const name = `${FIRST[i % FIRST.length]} (${favs.join('+')})`;
    out.push({
      name: i >= FIRST.length ? `${name} ${Math.floor(i / FIRST.length) + 1}` : name,
      genres: favs,
      target: { energy: r(), valence: r(), danceability: 0.3 + r() * 0.6, acousticness: r() },
      likeAt: 0.62 + r() * 0.08,
      dislikeAt: 0.2 + r() * 0.08,
    });
  }
  return out;
}

/** Genres a fan of the key tends to put up with (a crude map of the catalog's genres). */
const RELATED: Record<string, string[]> = {
  pop: ['r&b', 'edm', 'latin', 'country'],
  rock: ['metal', 'folk', 'country'],
  'hip-hop': ['r&b', 'edm'],
  edm: ['pop', 'hip-hop'],
  jazz: ['r&b', 'classical', 'folk'],
  classical: ['ambient', 'jazz'],
  latin: ['pop', 'edm'],
  'r&b': ['hip-hop', 'pop', 'jazz'],
  metal: ['rock'],
  folk: ['country', 'rock', 'ambient'],
  ambient: ['classical', 'folk'],
  country: ['folk', 'rock', 'pop'],
};

/** 0..1: genre counts most (favourite > second > related), then closeness in feature space. */
export function scoreTrack(t: Taste, track: Pick<Track, 'genre' | 'energy' | 'valence' | 'danceability' | 'acousticness'>): number {
  const related = t.genres.some((g) => RELATED[g]?.includes(track.genre));
  const genre = t.genres[0] === track.genre ? 1 : t.genres.includes(track.genre) ? 0.8 : related ? 0.4 : 0;
  const d =
    Math.abs(t.target.energy - track.energy) +
    Math.abs(t.target.valence - track.valence) +
    Math.abs(t.target.danceability - track.danceability) +
    Math.abs(t.target.acousticness - track.acousticness);
  const closeness = 1 - d / 4;
  return 0.55 * genre + 0.45 * closeness;
}
