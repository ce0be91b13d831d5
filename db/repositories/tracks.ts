import { and, asc, count, desc, eq, getTableColumns, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { tracks } from '../schema/index.ts';
import { TRGM_INDEXES } from '../schema/tracks.ts';
import { chunks, type Db, type DbOrTx } from './drizzle-db.ts';
import type { Track, TrackRepository, TrackSearch } from './types.ts';

/** 15 columns × 500 rows = 7,500 bind parameters per statement. */
const ROWS_PER_STATEMENT = 500;
const MAX_LIMIT = 1000;
const CANDIDATES = 200;
/**
 * word_similarity threshold for the `<%` operator (default 0.6 is too strict for typos):
 * 'bohemain rapsody' vs 'Bohemian Rhapsody' scores ≈ 0.46, unrelated titles score < 0.2.
 */
export const WORD_SIMILARITY_THRESHOLD = 0.3;

type Row = typeof tracks.$inferSelect;
const toTrack = (row: Row): Track => ({ ...row });

/** Upsert: every column but the key takes the incoming value. */
const updateAll = Object.fromEntries(
  Object.entries(getTableColumns(tracks))
    .filter(([key]) => key !== 'id')
    .map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)]),
);

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Typo-tolerant search in two steps. Candidates: rows where the query is word-similar (pg_trgm `<%`)
 * to the title or the artist, or a substring of either: all four are served by the trigram GIN
 * indexes. Ranking: the share of the query's trigrams found in "title artist" first. Plain
 * word_similarity would rank the artist "Rapsody" (one word exact) above "Bohemian Rhapsody" by
 * Queen (both words slightly off) for 'bohemain rapsody'; coverage ranks them the way a person would.
 */
async function searchText(db: DbOrTx, text: string, genre: string | undefined, limit: number): Promise<Track[]> {
  const q = sql`${text}::text`;
  const pattern = `%${escapeLike(text)}%`;
  const wordSimilarity = sql<number>`greatest(word_similarity(${q}, ${tracks.title}), word_similarity(${q}, ${tracks.artist}))`;
  const match = or(
    sql`${q} <% ${tracks.title}`,
    sql`${q} <% ${tracks.artist}`,
    ilike(tracks.title, pattern),
    ilike(tracks.artist, pattern),
  );
  const candidates = db.$with('candidates').as(
    db
      .select({ ...getTableColumns(tracks), ws: sql<number>`${wordSimilarity}`.as('ws') })
      .from(tracks)
      .where(and(match, genre !== undefined ? eq(tracks.genre, genre) : undefined))
      // Bounds the ranking work for very common words ("love" matches thousands of rows).
      .orderBy(desc(wordSimilarity), sql`${tracks.popularity} desc nulls last`)
      .limit(Math.max(CANDIDATES, limit * 4)),
  );
  const coverage = sql`(select count(*) from unnest(show_trgm(${q})) g
      where g = any(show_trgm(${candidates.title} || ' ' || ${candidates.artist})))::float8
    / greatest(cardinality(show_trgm(${q})), 1)`;
  const { ws: _ws, ...columns } = candidates._.selectedFields;
  const rows = await db
    .with(candidates)
    .select(columns)
    .from(candidates)
    .orderBy(
      desc(coverage),
      desc(candidates.ws),
      sql`${candidates.popularity} desc nulls last`,
      asc(candidates.title),
      asc(candidates.id),
    )
    .limit(limit);
  return rows.map(toTrack);
}

/** From this many rows on, a load is worth the upkeep below. */
const BULK = 500;

/**
 * After a bulk load the trigram GIN indexes hold the new rows in their pending lists and the table has
 * no statistics yet, so the planner prices the indexes too high and scans the whole table on every
 * search until autovacuum comes by. Merge the pending lists and analyze now. Best effort: the data
 * is already committed, and this only affects speed.
 */
async function afterBulkLoad(db: Db): Promise<void> {
  try {
    for (const name of TRGM_INDEXES) await db.execute(sql`select gin_clean_pending_list(${name}::regclass)`);
    await db.execute(sql`analyze ${tracks}`);
  } catch {
    // Upkeep only; autovacuum does the same later.
  }
}

export function createTrackRepository(db: Db): TrackRepository {
  return {
    async count() {
      const [row] = await db.select({ n: count() }).from(tracks);
      return row?.n ?? 0;
    },

    async insertMany(input, opts) {
      // Last one wins for a repeated id: one statement may not upsert the same row twice.
      const unique = [...new Map(input.map((t) => [t.id, t])).values()];
      if (unique.length === 0) return 0;
      await db.transaction(async (tx) => {
        let done = 0;
        for (const chunk of chunks(unique, ROWS_PER_STATEMENT)) {
          await tx.insert(tracks).values(chunk).onConflictDoUpdate({ target: tracks.id, set: updateAll });
          done += chunk.length;
          opts?.onProgress?.(done, unique.length);
        }
      });
      if (unique.length >= BULK) await afterBulkLoad(db);
      return unique.length;
    },

    async get(id) {
      const [row] = await db.select().from(tracks).where(eq(tracks.id, id)).limit(1);
      return row ? toTrack(row) : null;
    },

    async page(afterId, limit) {
      const rows = await db
        .select()
        .from(tracks)
        .where(afterId === null ? undefined : sql`${tracks.id} > ${afterId}`)
        .orderBy(asc(tracks.id))
        .limit(limit);
      return rows.map(toTrack);
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .select()
        .from(tracks)
        .where(inArray(tracks.id, [...new Set(ids)]));
      // Callers pass ranked ids (recommendations); keep their order, drop unknown ids.
      const byId = new Map(rows.map((r) => [r.id, toTrack(r)]));
      return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
    },

    async search({ q, genre, limit }: TrackSearch) {
      const n = Math.min(Math.max(Math.trunc(limit) || 0, 1), MAX_LIMIT);
      const text = q?.trim().toLowerCase().slice(0, 200);
      const g = genre?.trim().toLowerCase() || undefined;
      if (text) {
        // The threshold is transaction-local so pooled connections never inherit it.
        return db.transaction(async (tx) => {
          await tx.execute(
            sql`select set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY_THRESHOLD)}, true)`,
          );
          return searchText(tx, text, g, n);
        });
      }
      const where: SQL | undefined = g !== undefined ? eq(tracks.genre, g) : undefined;
      const rows = await db
        .select()
        .from(tracks)
        .where(where)
        .orderBy(sql`${tracks.popularity} desc nulls last`, asc(tracks.title), asc(tracks.id))
        .limit(n);
      return rows.map(toTrack);
    },

    async genres() {
      return db
        .select({ genre: tracks.genre, count: count() })
        .from(tracks)
        .groupBy(tracks.genre)
        .orderBy(desc(count()), asc(tracks.genre));
    },
  };
}
