/**
 * Per-genre audio feature distributions for the generated catalog: [mean, sd] per feature, loosely
 * shaped like public descriptions of each genre (classical is acoustic and quiet, edm is loud and
 * steady around 126 BPM, hip-hop is wordy). Values are clamped to their valid ranges when drawn.
 */
import type { AudioFeatures } from '../../db/repositories/types.ts';

export type Dist = readonly [mean: number, sd: number];

export interface GenreProfile {
  genre: string;
  /** Relative share of artists in the catalog. */
  share: number;
  features: Readonly<Record<keyof AudioFeatures, Dist>>;
  durationSec: Dist;
  artistStyle: 'person' | 'band' | 'dj' | 'rapper' | 'ensemble' | 'composer';
}

const profile = (
  genre: string,
  share: number,
  artistStyle: GenreProfile['artistStyle'],
  durationSec: Dist,
  // danceability, energy, valence, tempo, acousticness, instrumentalness, speechiness, liveness, loudness
  f: readonly [Dist, Dist, Dist, Dist, Dist, Dist, Dist, Dist, Dist],
): GenreProfile => ({
  genre,
  share,
  artistStyle,
  durationSec,
  features: {
    danceability: f[0],
    energy: f[1],
    valence: f[2],
    tempo: f[3],
    acousticness: f[4],
    instrumentalness: f[5],
    speechiness: f[6],
    liveness: f[7],
    loudness: f[8],
  },
});

export const GENRES: readonly GenreProfile[] = [
  profile('pop', 14, 'person', [205, 35], [[0.68, 0.12], [0.68, 0.14], [0.55, 0.2], [118, 22], [0.15, 0.15], [0.02, 0.05], [0.07, 0.04], [0.17, 0.1], [-6, 2.5]]),
  profile('rock', 11, 'band', [235, 50], [[0.5, 0.13], [0.78, 0.15], [0.5, 0.22], [125, 25], [0.1, 0.15], [0.06, 0.12], [0.05, 0.03], [0.2, 0.13], [-6.5, 3]]),
  profile('hip-hop', 12, 'rapper', [210, 45], [[0.74, 0.12], [0.65, 0.14], [0.5, 0.2], [110, 28], [0.15, 0.15], [0.02, 0.06], [0.25, 0.13], [0.19, 0.12], [-6.5, 2.5]]),
  profile('edm', 10, 'dj', [230, 60], [[0.68, 0.12], [0.82, 0.12], [0.4, 0.2], [126, 10], [0.06, 0.1], [0.35, 0.3], [0.08, 0.06], [0.2, 0.14], [-5, 2.5]]),
  profile('jazz', 7, 'ensemble', [300, 90], [[0.55, 0.15], [0.38, 0.18], [0.52, 0.22], [115, 30], [0.7, 0.2], [0.55, 0.3], [0.06, 0.04], [0.18, 0.12], [-12, 4]]),
  profile('classical', 6, 'composer', [420, 200], [[0.3, 0.13], [0.18, 0.15], [0.25, 0.17], [100, 30], [0.92, 0.08], [0.85, 0.15], [0.045, 0.02], [0.13, 0.08], [-20, 6]]),
  profile('latin', 9, 'person', [215, 35], [[0.72, 0.1], [0.72, 0.14], [0.65, 0.18], [115, 25], [0.22, 0.18], [0.03, 0.08], [0.08, 0.05], [0.18, 0.12], [-5.5, 2.2]]),
  profile('r&b', 9, 'person', [225, 45], [[0.65, 0.13], [0.55, 0.15], [0.45, 0.2], [105, 25], [0.25, 0.2], [0.03, 0.08], [0.1, 0.07], [0.15, 0.1], [-7, 2.5]]),
  profile('metal', 6, 'band', [270, 70], [[0.4, 0.13], [0.92, 0.07], [0.3, 0.18], [130, 30], [0.02, 0.04], [0.15, 0.2], [0.09, 0.05], [0.2, 0.13], [-4.5, 2]]),
  profile('folk', 5, 'person', [220, 50], [[0.5, 0.13], [0.35, 0.17], [0.45, 0.2], [112, 25], [0.78, 0.17], [0.08, 0.15], [0.04, 0.02], [0.15, 0.1], [-10, 3.5]]),
  profile('ambient', 4, 'dj', [330, 120], [[0.3, 0.13], [0.2, 0.15], [0.15, 0.12], [95, 30], [0.75, 0.2], [0.88, 0.12], [0.04, 0.02], [0.11, 0.06], [-18, 6]]),
  profile('country', 7, 'person', [205, 30], [[0.58, 0.11], [0.62, 0.15], [0.55, 0.2], [120, 28], [0.3, 0.22], [0.01, 0.03], [0.04, 0.02], [0.18, 0.12], [-6.5, 2.5]]),
];

/** Valid range of each feature (Spotify's documented ranges; loudness in dB, tempo in BPM). */
export const FEATURE_RANGES: Readonly<Record<keyof AudioFeatures, readonly [number, number]>> = {
  danceability: [0, 1],
  energy: [0, 1],
  valence: [0, 1],
  tempo: [40, 220],
  acousticness: [0, 1],
  instrumentalness: [0, 1],
  speechiness: [0, 1],
  liveness: [0, 1],
  loudness: [-60, 0],
};

export const DURATION_RANGE_MS: readonly [number, number] = [30_000, 20 * 60_000];
