import { and, asc, count, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { Interaction } from '../../ml/types.ts';
import { interactions } from '../schema/index.ts';
import { rowsOf, type Db } from './drizzle-db.ts';
import type { InteractionRepository } from './types.ts';

type Row = typeof interactions.$inferSelect;

function toInteraction(row: Row): Interaction {
  const out: Interaction = {
    id: row.id,
    userId: row.userId,
    roomId: row.roomId,
    trackId: row.trackId,
    type: row.type,
    context: row.context,
    createdAt: row.createdAt,
  };
  // weight is stored only when given, so a record reads back exactly as it was appended.
  if (row.weight !== null) out.weight = row.weight;
  return out;
}

function filter(opts: { roomId?: string | undefined; userId?: string | undefined; createdFrom?: number | undefined }): SQL | undefined {
  return and(
    opts.roomId !== undefined ? eq(interactions.roomId, opts.roomId) : undefined,
    opts.userId !== undefined ? eq(interactions.userId, opts.userId) : undefined,
    opts.createdFrom !== undefined ? gte(interactions.createdAt, opts.createdFrom) : undefined,
  );
}

/** One JSON row per record, in append order (`n`), for `jsonb_to_recordset`. */
function jsonRows(records: readonly Interaction[]): string {
  return JSON.stringify(
    records.map((r, n) => ({
      n,
      id: r.id,
      user_id: r.userId,
      room_id: r.roomId,
      track_id: r.trackId,
      type: r.type,
      context: r.context,
      weight: r.weight ?? null,
      created_at: r.createdAt,
    })),
  );
}

/**
 * The data-modifying CTEs that append `records` (ids already stored are ignored; `ins` returns the new
 * ones). The whole batch travels as one jsonb parameter, so the statement's text and parameter count do
 * not depend on its size. `gate` names a CTE that must have returned a row for anything to be written:
 * a room save passes its optimistic update, so a refused edit stores none of its interactions.
 */
export function interactionCtes(records: readonly Interaction[], opts: { outbox?: boolean | undefined; gate?: string } = {}): SQL[] {
  const gate = opts.gate ? sql.raw(` WHERE EXISTS (SELECT 1 FROM ${opts.gate})`) : sql``;
  const rows = sql`jsonb_to_recordset(${jsonRows(records)}::jsonb) AS r(n int, id text, user_id text, room_id text, track_id text, type text, context jsonb, weight double precision, created_at bigint)`;
  const ctes = [
    sql`ins AS (INSERT INTO interactions (id, user_id, room_id, track_id, type, context, weight, created_at)
      SELECT id, user_id, room_id, track_id, type, context, weight, created_at FROM ${rows}${gate} ORDER BY n
      ON CONFLICT (id) DO NOTHING RETURNING id)`,
  ];
  // Cluster mode: the same statement queues them for the stream (see interaction-outbox.ts).
  if (opts.outbox) {
    ctes.push(sql`outbox AS (INSERT INTO interaction_outbox (interaction_id, created_at)
      SELECT id, created_at FROM ${rows}${gate} ON CONFLICT (interaction_id) DO NOTHING)`);
  }
  return ctes;
}

/** Append in one statement (atomic on its own: no transaction round trips); returns how many were new. */
async function appendOnce(db: Db, records: readonly Interaction[], outbox: boolean | undefined): Promise<number> {
  const res = await db.execute(sql`WITH ${sql.join(interactionCtes(records, { outbox }), sql`, `)} SELECT count(*)::int AS n FROM ins`);
  return Number(rowsOf<{ n: number }>(res)[0]?.n ?? 0);
}

export { toInteraction };

export function createInteractionRepository(db: Db): InteractionRepository {
  return {
    async append(records, opts = {}) {
      if (records.length === 0) return 0;
      return appendOnce(db, records, opts.outbox);
    },

    async count(f = {}) {
      const [row] = await db.select({ n: count() }).from(interactions).where(filter(f));
      return row?.n ?? 0;
    },

    async list(opts) {
      const rows = await db
        .select()
        .from(interactions)
        .where(filter(opts))
        .orderBy(asc(interactions.seq))
        // The log is append-only, so "how many I have read" is a stable cursor for a filtered replay.
        .offset(Math.max(0, opts.after ?? 0))
        .limit(Math.max(0, opts.limit));
      return rows.map(toInteraction);
    },
  };
}
