/** The catalog from the database, as the learner wants it. */
import type { Database, Track } from '../../db/repositories/types.ts';
import type { CatalogEntry } from './protocol.ts';

const PAGE = 5000;
const FEATURES = ['danceability', 'energy', 'valence', 'tempo', 'acousticness', 'instrumentalness', 'speechiness', 'liveness', 'loudness'] as const;

export function toCatalogEntry(t: Track): CatalogEntry {
  const features: Record<string, number> = {};
  for (const f of FEATURES) {
    const v = t[f];
    if (typeof v === 'number' && Number.isFinite(v)) features[f] = v;
  }
  return { id: t.id, title: t.title, artist: t.artist, genre: t.genre, durationMs: t.durationMs, popularity: t.popularity ?? 0, features };
}

export async function loadCatalog(db: Database): Promise<CatalogEntry[]> {
  const out: CatalogEntry[] = [];
  for (let after: string | null = null; ; ) {
    const page = await db.repos.tracks.page(after, PAGE);
    out.push(...page.map(toCatalogEntry));
    if (page.length < PAGE) return out;
    after = page[page.length - 1]?.id ?? null;
  }
}
