/** The shared Spotify-style catalog (CSV, RFC 4180: names hold commas and quotes) as TrackFeatures. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { TrackFeatures } from '../types.ts';

export const FEATURE_COLUMNS = [
  'danceability',
  'energy',
  'valence',
  'tempo',
  'acousticness',
  'instrumentalness',
  'speechiness',
  'liveness',
  'loudness',
] as const;

export interface CatalogTrack extends TrackFeatures {
  title: string;
  /** 0..100, Spotify's popularity */
  popularity: number;
}

export function readCatalog(file: string): CatalogTrack[] {
  const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  return rows.map((r, i) => {
    const features: Record<string, number> = {};
    for (const c of FEATURE_COLUMNS) {
      const v = Number(r[c]);
      if (Number.isFinite(v)) features[c] = v;
    }
    const id = r['track_id'] || `row_${i}`;
    return {
      id,
      title: r['track_name'] ?? id,
      artist: r['artist_name'] || undefined,
      genre: r['genre'] || undefined,
      features,
      popularity: Number(r['popularity']) || 0,
    };
  });
}
