/**
 * Spotify-style CSV headers → Track fields. Exports of the Spotify API and the popular public dumps
 * disagree on names (track_name / name, artist_name / track_artist / artists, genre / playlist_genre),
 * so each field accepts the common aliases; the first alias present wins.
 */
import type { Track } from '../../db/repositories/types.ts';

export type CsvField = keyof Track;

export const COLUMN_ALIASES: Readonly<Record<CsvField, readonly string[]>> = {
  id: ['track_id', 'id', 'spotify_id', 'track_uri', 'uri'],
  title: ['track_name', 'name', 'title', 'song', 'song_name', 'track_title', 'track'],
  artist: ['artist_name', 'track_artist', 'artists', 'artist', 'artist_names'],
  genre: ['genre', 'playlist_genre', 'track_genre', 'genres'],
  durationMs: ['duration_ms', 'duration'],
  popularity: ['popularity', 'track_popularity'],
  danceability: ['danceability'],
  energy: ['energy'],
  valence: ['valence'],
  tempo: ['tempo'],
  acousticness: ['acousticness'],
  instrumentalness: ['instrumentalness'],
  speechiness: ['speechiness'],
  liveness: ['liveness'],
  loudness: ['loudness'],
};

/** Without these a row cannot become a Track; id, genre and popularity have fallbacks. */
const OPTIONAL: ReadonlySet<CsvField> = new Set(['id', 'genre', 'popularity']);

/** "Track Name", "track-name", "\uFEFFtrack_name" → "track_name". */
export const normalizeHeader = (h: string): string =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

export interface ColumnMap {
  /** field → index in the record, and the header name it came from (for error messages). */
  fields: Partial<Record<CsvField, { index: number; name: string }>>;
  missing: CsvField[];
}

export function mapColumns(header: readonly string[]): ColumnMap {
  const positions = new Map<string, number>();
  header.forEach((h, i) => {
    const name = normalizeHeader(h);
    if (!positions.has(name)) positions.set(name, i);
  });
  const fields: ColumnMap['fields'] = {};
  const missing: CsvField[] = [];
  for (const [field, aliases] of Object.entries(COLUMN_ALIASES) as [CsvField, readonly string[]][]) {
    const name = aliases.find((a) => positions.has(a));
    if (name !== undefined) fields[field] = { index: positions.get(name) ?? 0, name };
    else if (!OPTIONAL.has(field)) missing.push(field);
  }
  return { fields, missing };
}
