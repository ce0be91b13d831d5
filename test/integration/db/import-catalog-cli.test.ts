/** The importer end to end: a real process, a real PGlite data dir, all or nothing. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../db/client.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');
const HEADER =
  'track_name,artist_name,genre,danceability,energy,loudness,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,popularity,track_id';
const row = (title: string, id: string, dance = '0.5') =>
  `"${title}",Queen,rock,${dance},0.4,-9.9,0.05,0.27,0,0.3,0.22,71.1,354320,84,${id}`;

async function importCatalog(file: string | undefined, dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, CHORUS_DATA_DIR: dataDir, DATABASE_URL: '' };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'server/cli/import-catalog.ts', ...(file ? [file] : [])], { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('npm run import:catalog', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'chorus-import-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Two processes each boot tsx and PGlite (seconds each on a busy 2-core machine).
  it('imports a good file, then refuses a file with bad rows and writes nothing of it', { timeout: 120_000 }, async () => {
    const dataDir = path.join(dir, 'data');
    const good = path.join(dir, 'good.csv');
    await writeFile(good, [HEADER, row('One, with comma', 'a1'), row('Two', 'a2')].join('\r\n'));
    const ok = await importCatalog(good, dataDir);
    expect(ok.stderr).not.toMatch(/import failed/);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/imported 2 tracks/);

    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, [HEADER, row('Three', 'a3'), row('Four', 'a4', '7'), 'x,y', row('Five', 'a5')].join('\n'));
    const refused = await importCatalog(bad, dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:3: danceability is above 1`);
    expect(refused.stderr).toContain(`${bad}:4: expected 15 fields, found 2`);
    expect(refused.stderr).toMatch(/2 bad row\(s\) out of 4: nothing imported/);

    const db = await openDb({ dataDir });
    try {
      expect(await db.repos.tracks.count()).toBe(2);
      expect((await db.repos.tracks.get('a1'))?.title).toBe('One, with comma');
      expect(await db.repos.tracks.get('a3')).toBeNull();
    } finally {
      await db.close();
    }
  });

  it('prints usage and exits 2 without a file', { timeout: 60_000 }, async () => {
    const r = await importCatalog(undefined, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage: npm run import:catalog/);
  });
});
