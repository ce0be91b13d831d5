import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvTrackId, parseCatalogCsv } from '../../../server/catalog/import-csv.ts';

const HEADER =
  'track_name,artist_name,genre,danceability,energy,loudness,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,popularity,track_id';
const row = (title: string, id: string, over: Partial<Record<'artist' | 'dance' | 'duration' | 'pop', string>> = {}) =>
  `${title},${over.artist ?? 'Queen'},Rock,${over.dance ?? '0.414'},0.404,-9.928,0.0499,0.271,0.0,0.3,0.224,71.105,${over.duration ?? '354320'},${over.pop ?? '84'},${id}`;

// The shared data set lives next to the project, never inside it.
const SHARED = path.resolve(import.meta.dirname, '../../../../shared/data/catalog/spotify_songs.csv');

describe('parseCatalogCsv', () => {
  it('maps Spotify columns to tracks', async () => {
    const { tracks, errors, rows } = await parseCatalogCsv([HEADER, row('Bohemian Rhapsody', 't1')].join('\n'));
    expect(errors).toEqual([]);
    expect(rows).toBe(1);
    expect(tracks).toEqual([
      {
        id: 't1',
        title: 'Bohemian Rhapsody',
        artist: 'Queen',
        genre: 'rock',
        durationMs: 354320,
        popularity: 84,
        danceability: 0.414,
        energy: 0.404,
        loudness: -9.928,
        speechiness: 0.0499,
        acousticness: 0.271,
        instrumentalness: 0,
        liveness: 0.3,
        valence: 0.224,
        tempo: 71.105,
      },
    ]);
  });

  it('reads RFC 4180: quoted commas, escaped quotes, CRLF, newlines inside quotes, a BOM', async () => {
    const text =
      '\uFEFF' +
      [HEADER, row('"Hello, World"', 'a'), row('"Say ""hi"""', 'b'), row('"two\r\nlines"', 'c'), row('Last', 'd')].join('\r\n') +
      '\r\n';
    const { tracks, errors } = await parseCatalogCsv(text);
    expect(errors).toEqual([]);
    expect(tracks.map((t) => t.title)).toEqual(['Hello, World', 'Say "hi"', 'two\r\nlines', 'Last']);
  });

  it('reports every bad row with the line it starts on, and keeps going', async () => {
    const lines = [
      HEADER, // 1
      row('Good', 'g1'), // 2
      row('"multi\nline"', 'g2'), // 3-4
      '', // 5 (blank lines are skipped, not errors)
      row('Too danceable', 'b1', { dance: '1.5' }), // 6
      'only,three,fields', // 7
      row('', 'b2'), // 8
      row('No duration', 'b3', { duration: 'abc' }), // 9
      row('"Bad\nspread"', 'b4', { pop: '101' }), // 10-11
      row('Again', 'g1'), // 12
      row('Fine', 'g3', { pop: '' }), // 13
    ];
    const text = lines.join('\r\n');
    const { tracks, errors, rows } = await parseCatalogCsv(text);
    // The same file streamed in 7-byte chunks (CRLF split across chunks) gives the same lines.
    const bytes = Buffer.from(text);
    const chunked = async function* () {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    };
    expect((await parseCatalogCsv(chunked())).errors).toEqual((await parseCatalogCsv(text)).errors);
    expect(tracks.map((t) => t.id)).toEqual(['g1', 'g2', 'g3']);
    expect(tracks[2]?.popularity).toBeNull();
    expect(rows).toBe(9);
    expect(errors).toEqual([
      { line: 6, reason: 'danceability is above 1' },
      { line: 7, reason: 'expected 15 fields, found 3' },
      { line: 8, reason: 'track_name is empty' },
      { line: 9, reason: 'duration_ms is not a number' },
      { line: 10, reason: 'popularity is above 100' },
      { line: 12, reason: 'duplicate track id g1 (first on line 2)' },
    ]);
  });

  it('keeps a stray quote inside a field, and reports an unclosed quote with its line', async () => {
    const stray = await parseCatalogCsv([HEADER, row('12" Mix', 'a'), row('"Live" at Wembley', 'b')].join('\n'));
    expect(stray.errors).toEqual([]);
    expect(stray.tracks.map((t) => t.title)).toEqual(['12" Mix', '"Live" at Wembley']);
    for (const [text, line] of [
      [[HEADER, row('Fine', 'a'), row('"never closed', 'b'), row('After', 'c')].join('\n'), 3],
      [[HEADER, row('Fine', 'a'), '', '', row('"never closed', 'b')].join('\r\n'), 5],
    ] as const) {
      const { errors, tracks } = await parseCatalogCsv(text);
      expect(tracks.map((t) => t.id)).toEqual(['a']);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.line).toBe(line);
      expect(errors[0]?.reason).toMatch(/^malformed CSV: Quote Not Closed/);
    }
  });

  it('accepts common aliases and derives a stable id when there is none', async () => {
    const text = [
      'name,artists,playlist_genre,danceability,energy,loudness,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,track_popularity',
      `Song,"['Alpha', 'Beta']",Latin,0.5,0.5,-5,0.1,0.1,0,0.1,0.5,120,200000,7`,
    ].join('\n');
    const { tracks, errors } = await parseCatalogCsv(text);
    expect(errors).toEqual([]);
    expect(tracks[0]).toMatchObject({ title: 'Song', artist: 'Alpha, Beta', genre: 'latin', popularity: 7 });
    expect(tracks[0]?.id).toBe(csvTrackId('Alpha, Beta', 'Song'));
    expect(csvTrackId(' alpha,  beta ', 'SONG')).toBe(tracks[0]?.id);
  });

  it('refuses a file without the needed columns, naming them', async () => {
    const { tracks, errors } = await parseCatalogCsv('title,artist\nA,B\n');
    expect(tracks).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(1);
    expect(errors[0]?.reason).toMatch(/missing column\(s\): durationMs .*danceability/);
  });

  it('reports an empty file', async () => {
    expect((await parseCatalogCsv('')).errors).toEqual([{ line: 1, reason: 'empty file: no header row' }]);
  });

  it.skipIf(!existsSync(SHARED))('parses the shared 26k-track file with zero errors', async () => {
    let bytes = 0;
    const { tracks, errors, rows } = await parseCatalogCsv(createReadStream(SHARED), { onBytes: (n) => (bytes = n) });
    expect(errors).toEqual([]);
    expect(rows).toBe(26_229);
    expect(tracks).toHaveLength(26_229);
    expect(bytes).toBeGreaterThan(1_000_000);
    expect(new Set(tracks.map((t) => t.genre)).size).toBe(6);
  });
});

if (!existsSync(SHARED)) console.warn(`[chorus] shared catalog test SKIPPED: ${SHARED} not found`);
