/**
 * "stored": how many of the acked interaction ids are in the database. PGlite allows one process per
 * data dir, so this runs after the Chorus node has stopped (its data dir is kept until then). For a
 * Postgres target (the later --nodes issue) the same query can run while it is up.
 */
import path from 'node:path';

export async function countStored(dataDir: string, ids: readonly string[]): Promise<{ stored: number; byType: Record<string, number> }> {
  const [{ PGlite }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  const db = await PGlite.create({ dataDir: path.join(dataDir, 'pg'), extensions: { pg_trgm } });
  try {
    const hit = await db.query<{ n: number }>('select count(*)::int as n from interactions where id = any($1::text[])', [ids]);
    const types = await db.query<{ type: string; n: number }>('select type, count(*)::int as n from interactions group by type');
    return {
      stored: hit.rows[0]?.n ?? 0,
      byType: Object.fromEntries(types.rows.map((r) => [r.type, r.n])),
    };
  } finally {
    await db.close();
  }
}
