/**
 * Parse a Spotify-style catalog CSV (RFC 4180 via csv-parse) into Tracks. Pure: no database, no files.
 * Every bad row is reported with its line number in the file (a quoted field may span lines; the
 * line reported is where the row starts), so an operator can fix the file in one pass.
 */
import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import { z } from 'zod';
import type { Track } from '../../db/repositories/types.ts';
import { COLUMN_ALIASES, mapColumns, type ColumnMap, type CsvField } from './csv-columns.ts';
import { LineIndex } from './line-index.ts';

export interface CsvRowError {
  line: number;
  reason: string;
}

export interface CsvImportResult {
  tracks: Track[];
  errors: CsvRowError[];
  /** Data rows read (good and bad), header excluded. */
  rows: number;
}

export interface ParseCatalogOptions {
  /** Called as bytes are read (for a progress bar). */
  onBytes?: ((bytesRead: number) => void) | undefined;
}

const text = z.string().trim().min(1, 'is empty').max(500, 'is longer than 500 characters');
const num = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(1, 'is empty')
    .pipe(z.coerce.number<string>({ error: 'is not a number' }).min(min, `is below ${min}`).max(max, `is above ${max}`));

const RowSchema = z.object({
  id: z.string().trim().max(200, 'is longer than 200 characters').optional(),
  title: text,
  artist: text,
  genre: z.string().trim().max(100, 'is longer than 100 characters').optional(),
  durationMs: num(1, 24 * 3_600_000).transform(Math.round),
  popularity: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s ? s : undefined))
    .pipe(z.coerce.number<string>({ error: 'is not a number' }).min(0, 'is below 0').max(100, 'is above 100').optional()),
  danceability: num(0, 1),
  energy: num(0, 1),
  valence: num(0, 1),
  // Spotify reports 0 BPM for silence and up to ~250 for some tracks.
  tempo: num(0, 300),
  acousticness: num(0, 1),
  instrumentalness: num(0, 1),
  speechiness: num(0, 1),
  liveness: num(0, 1),
  // Documented as -60..0 dB, but loud masters measure slightly above 0 (the 26k file peaks at +1.3).
  loudness: num(-60, 5),
});

/** "['A', 'B']" (the Python-list form some dumps use for artists) → "A, B". */
function artistText(raw: string): string {
  const m = /^\s*\[(.*)\]\s*$/s.exec(raw);
  if (!m?.[1]) return raw;
  const names = [...m[1].matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1] ?? x[2] ?? '');
  return names.length > 0 ? names.join(', ') : raw;
}

const squash = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** Rows without an id get one derived from artist + title, so re-importing the file upserts, not duplicates. */
export const csvTrackId = (artist: string, title: string): string =>
  `csv_${createHash('sha1').update(`${squash(artist)}\n${squash(title)}`).digest('hex').slice(0, 20)}`;

function describe(error: z.ZodError, columns: ColumnMap): string {
  return error.issues
    .map((issue) => {
      const field = issue.path[0] as CsvField | undefined;
      const column = field ? (columns.fields[field]?.name ?? COLUMN_ALIASES[field][0]) : 'row';
      return `${column} ${issue.message}`;
    })
    .join('; ');
}

function toTrack(record: readonly string[], columns: ColumnMap): { track: Track } | { reason: string } {
  const raw: Partial<Record<CsvField, string>> = {};
  for (const [field, at] of Object.entries(columns.fields) as [CsvField, { index: number }][]) {
    raw[field] = record[at.index] ?? '';
  }
  if (raw.artist !== undefined) raw.artist = artistText(raw.artist);
  const parsed = RowSchema.safeParse(raw);
  if (!parsed.success) return { reason: describe(parsed.error, columns) };
  const { id, genre, popularity, ...rest } = parsed.data;
  return {
    track: {
      ...rest,
      id: id || csvTrackId(rest.artist, rest.title),
      genre: genre?.toLowerCase() || 'unknown',
      popularity: popularity === undefined ? null : Math.round(popularity),
    },
  };
}

const toStream = (input: string | Uint8Array | AsyncIterable<string | Uint8Array>): Readable =>
  typeof input === 'string' || input instanceof Uint8Array
    ? Readable.from([typeof input === 'string' ? Buffer.from(input, 'utf8') : input])
    : Readable.from(input);

export async function parseCatalogCsv(
  input: string | Uint8Array | AsyncIterable<string | Uint8Array>,
  opts: ParseCatalogOptions = {},
): Promise<CsvImportResult> {
  const lines = new LineIndex();
  const errors: CsvRowError[] = [];
  let lastEnd = 0;
  const counter = new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      lines.feed(bytes);
      opts.onBytes?.(lines.bytes);
      done(null, bytes);
    },
  });
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    // A stray quote inside an unquoted field (12" Mix) is unambiguous: keep it rather than refuse the row.
    relax_quotes: true,
    // Field-count mismatches are reported per row below rather than aborting the file.
    relax_column_count: true,
    // Malformed quoting is reported (on_skip) and parsing goes on, so every bad row is listed.
    skip_records_with_error: true,
    // Runs as each record is parsed (ahead of the loop below, which reads from a buffer): where the
    // last good record ended is where a malformed one begins.
    on_record: <T>(record: T, context: { bytes: number }): T => {
      lastEnd = context.bytes;
      return record;
    },
    on_skip: (err: CsvError | undefined) => {
      if (!err) return;
      // csv-parse's error offset lands on or just past the record's first byte, depending on the error.
      const at = typeof err['bytes'] === 'number' ? Math.max(lastEnd, err['bytes'] - 1) : lastEnd;
      errors.push({ line: lines.nonBlankFrom(lines.lineAt(at)), reason: `malformed CSV: ${err.message.replace(/ at line \d+.*$/s, '')}` });
    },
  });
  // pipeline (not pipe) so that stopping early or failing tears down the source too (file handles).
  const records = pipeline(toStream(input), counter, parser, () => undefined);

  const tracks: Track[] = [];
  const firstLine = new Map<string, number>();
  let columns: ColumnMap | undefined;
  let width = 0;
  let rows = 0;
  for await (const { record, info } of records as AsyncIterable<{ record: string[]; info: Info }>) {
    // A record's last byte sits on its last line; newlines inside its fields say how far back it began.
    const embedded = record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
    const line = lines.lineAt(Math.max(0, info.bytes - 1)) - embedded;
    if (!columns) {
      columns = mapColumns(record);
      width = record.length;
      if (columns.missing.length > 0) {
        const names = columns.missing.map((f) => `${f} (${COLUMN_ALIASES[f].join(' | ')})`);
        errors.push({ line, reason: `missing column(s): ${names.join(', ')}` });
        records.destroy();
        return { tracks: [], errors, rows: 0 };
      }
      continue;
    }
    rows++;
    if (record.length !== width) {
      errors.push({ line, reason: `expected ${width} fields, found ${record.length}` });
      continue;
    }
    const result = toTrack(record, columns);
    if ('reason' in result) {
      errors.push({ line, reason: result.reason });
      continue;
    }
    // Two rows for one id would make "import all" ambiguous (which one wins?): refuse the second.
    const first = firstLine.get(result.track.id);
    if (first !== undefined) {
      errors.push({ line, reason: `duplicate track id ${result.track.id} (first on line ${first})` });
      continue;
    }
    firstLine.set(result.track.id, line);
    tracks.push(result.track);
  }
  if (!columns) errors.push({ line: 1, reason: 'empty file: no header row' });
  errors.sort((a, b) => a.line - b.line);
  return { tracks, errors, rows };
}
