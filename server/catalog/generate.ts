/**
 * The default catalog: generated, seeded, identical everywhere. Tracks come in artist runs so the
 * collaborative models see artist structure, and each artist has a small personal offset from its
 * genre's feature means so the content model sees more than twelve clusters.
 */
import type { AudioFeatures, Track } from '../../db/repositories/types.ts';
import { DURATION_RANGE_MS, FEATURE_RANGES, GENRES, type GenreProfile } from './genres.ts';
import { artistName, trackTitle } from './names.ts';
import { mulberry32, type Rng } from './prng.ts';

const FEATURES = Object.keys(FEATURE_RANGES) as (keyof AudioFeatures)[];
const clamp = (x: number, [lo, hi]: readonly [number, number]): number => Math.min(hi, Math.max(lo, x));
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export const generatedId = (i: number): string => `gen_${String(i).padStart(6, '0')}`;

interface Artist {
  name: string;
  genre: GenreProfile;
  offset: Record<keyof AudioFeatures, number>;
  popularity: number;
}

function newArtist(rng: Rng, taken: Set<string>): Artist {
  const genre = rng.weighted(GENRES.map((g) => [g, g.share] as const));
  let name = artistName(rng, genre.artistStyle);
  while (taken.has(name)) name = artistName(rng, genre.artistStyle);
  taken.add(name);
  const offset = {} as Record<keyof AudioFeatures, number>;
  for (const f of FEATURES) offset[f] = rng.normal(0, genre.features[f][1] * 0.5);
  // Few artists are very popular: a skewed base in 5..95.
  const popularity = 5 + 90 * Math.pow(rng.next(), 1.8);
  return { name, genre, offset, popularity };
}

function newTrack(rng: Rng, artist: Artist, index: number): Track {
  const features = {} as AudioFeatures;
  for (const f of FEATURES) {
    const [mean, sd] = artist.genre.features[f];
    features[f] = round3(clamp(rng.normal(mean + artist.offset[f], sd * 0.8), FEATURE_RANGES[f]));
  }
  const [mean, sd] = artist.genre.durationSec;
  return {
    id: generatedId(index),
    title: trackTitle(rng, artist.genre.artistStyle),
    artist: artist.name,
    genre: artist.genre.genre,
    durationMs: Math.round(clamp(rng.normal(mean, sd) * 1000, DURATION_RANGE_MS)),
    popularity: Math.round(clamp(rng.normal(artist.popularity, 10), [0, 100])),
    ...features,
  };
}

/**
 * n tracks from `seed`. Deterministic: the same (n, seed) gives the same catalog, and a smaller n
 * gives a prefix of a larger one.
 */
export function generateCatalog(n = 5000, seed = 42): Track[] {
  const rng = mulberry32(seed);
  const taken = new Set<string>();
  const tracks: Track[] = [];
  while (tracks.length < n) {
    const artist = newArtist(rng, taken);
    // 1..20 tracks per artist, most artists on the small side.
    const count = 1 + Math.floor(20 * Math.pow(rng.next(), 2));
    for (let i = 0; i < count && tracks.length < n; i++) tracks.push(newTrack(rng, artist, tracks.length + 1));
  }
  return tracks;
}
