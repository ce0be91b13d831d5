/**
 * "stored": how many of the acked interaction ids are in the database. PGlite allows one process per
 * data dir, so for a single node this runs after the Chorus node has stopped (its data dir is kept
 * until then); for the two-node cluster it reads the bench's own Postgres database (after the nodes
 * stopped too, so both targets are counted at the same point).
 */
import path from 'node:path';

export interface StoredCount {
  stored: number;
  byType: Record<string, number>;
}

export async function countStored(dataDir: string, ids: readonly string[]): Promise<StoredCount> {
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

/** The same count on Postgres (`url`: the cluster's database). Ids (UUIDs) go as one comma-joined text parameter. */
export async function countStoredPostgres(url: string, ids: readonly string[]): Promise<StoredCount> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const hit = await sql<{ n: number }[]>`select count(*)::int as n from interactions where id = any(string_to_array(${ids.join(',')}, ','))`;
    const types = await sql<{ type: string; n: number }[]>`select type, count(*)::int as n from interactions group by type`;
    return {
      stored: hit[0]?.n ?? 0,
      byType: Object.fromEntries(types.map((r) => [r.type, r.n])),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
