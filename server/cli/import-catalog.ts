/**
 * npm run import:catalog -- <file.csv>
 *
 * All or nothing: the whole file is parsed and validated first; any bad row is printed with its line
 * number and the command exits 1 without touching the database. Otherwise every track is written in
 * one transaction (existing ids are updated). Progress goes to stderr, the summary to stdout.
 * Exit codes: 0 imported, 1 bad rows or a failure, 2 usage.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SingleBar, Presets } from 'cli-progress';
import { openDb } from '../../db/client.ts';
import { parseCatalogCsv } from '../catalog/import-csv.ts';
import { loadConfig } from '../config.ts';

const USAGE = `usage: npm run import:catalog -- <file.csv>

Imports a Spotify-style catalog CSV into the database named by DATABASE_URL (Postgres), or the
embedded PGlite database in CHORUS_DATA_DIR (default ./.chorus) when DATABASE_URL is unset.
The embedded database allows one process at a time: stop the server before importing into it.
Bad rows are listed as <file>:<line>: <reason>; any bad row means nothing is imported.`;

/** Errors past this many are summarised, so a wholly wrong file does not flood the terminal. */
const MAX_PRINTED_ERRORS = 1000;

function progressBar(label: string): SingleBar {
  return new SingleBar(
    {
      format: `${label} {bar} {percentage}% | {value}/{total} {unit}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
      // Outside a terminal (CI logs) print nothing rather than hundreds of redraws.
      noTTYOutput: false,
    },
    Presets.shades_classic,
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  if (args.length !== 1 || !args[0] || args[0] === '-h' || args[0] === '--help') {
    console.error(USAGE);
    return args[0] === '-h' || args[0] === '--help' ? 0 : 2;
  }
  const file = path.resolve(args[0] ?? '');
  const size = (await stat(file)).size;
  const started = performance.now();

  const reading = progressBar('parse ');
  reading.start(size, 0, { unit: 'bytes' });
  const parsed = await parseCatalogCsv(createReadStream(file), { onBytes: (n) => reading.update(n) });
  reading.update(size);
  reading.stop();

  if (parsed.errors.length > 0) {
    for (const e of parsed.errors.slice(0, MAX_PRINTED_ERRORS)) console.error(`${file}:${e.line}: ${e.reason}`);
    if (parsed.errors.length > MAX_PRINTED_ERRORS) {
      console.error(`… and ${parsed.errors.length - MAX_PRINTED_ERRORS} more`);
    }
    console.error(`${parsed.errors.length} bad row(s) out of ${parsed.rows}: nothing imported.`);
    return 1;
  }
  if (parsed.tracks.length === 0) {
    console.error('no rows to import: nothing imported.');
    return 1;
  }

  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const writing = progressBar('import');
    writing.start(parsed.tracks.length, 0, { unit: 'tracks' });
    const written = await db.repos.tracks.insertMany(parsed.tracks, { onProgress: (done) => writing.update(done) });
    writing.stop();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const target = db.kind === 'postgres' ? 'Postgres' : `PGlite in ${config.dataDir}`;
    console.log(`imported ${written} tracks from ${path.basename(file)} into ${target} in ${seconds}s`);
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('import failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
