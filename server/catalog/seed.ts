import type { Repositories } from '../../db/repositories/types.ts';
import { generateCatalog } from './generate.ts';

/**
 * First start: fill an empty catalog with the generated one. Returns how many tracks were inserted
 * (0 when a catalog exists). Two nodes racing here both upsert the same deterministic rows: harmless.
 */
export async function seedCatalogIfEmpty(
  db: { repos: Pick<Repositories, 'tracks'> },
  n: number,
  seed = 42,
): Promise<number> {
  if (n <= 0 || (await db.repos.tracks.count()) > 0) return 0;
  return db.repos.tracks.insertMany(generateCatalog(n, seed));
}
