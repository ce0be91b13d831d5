import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import type { Interaction } from '../../ml/types.ts';
import { interactionOutbox, interactions } from '../schema/index.ts';
import { chunks, type Db, type Tx } from './drizzle-db.ts';
import type { InteractionRepository } from './types.ts';

const ROWS_PER_STATEMENT = 1000;

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

function filter(opts: { roomId?: string | undefined; userId?: string | undefined }): SQL | undefined {
  return and(
    opts.roomId !== undefined ? eq(interactions.roomId, opts.roomId) : undefined,
    opts.userId !== undefined ? eq(interactions.userId, opts.userId) : undefined,
  );
}

/**
 * Append inside the caller's transaction (ids already stored are ignored); returns how many were new.
 * The room repository uses it to commit an edit and the interactions it caused atomically.
 */
export async function insertInteractions(
  tx: Tx,
  records: readonly Interaction[],
  opts: { outbox?: boolean | undefined } = {},
): Promise<number> {
  let inserted = 0;
  const rows = records.map((r) => ({
    id: r.id,
    userId: r.userId,
    roomId: r.roomId,
    trackId: r.trackId,
    type: r.type,
    context: r.context,
    weight: r.weight ?? null,
    createdAt: r.createdAt,
  }));
  for (const chunk of chunks(rows, ROWS_PER_STATEMENT)) {
    const written = await tx
      .insert(interactions)
      .values(chunk)
      .onConflictDoNothing({ target: interactions.id })
      .returning({ id: interactions.id });
    inserted += written.length;
    // Cluster mode: the same transaction queues them for the stream (see interaction-outbox.ts).
    if (opts.outbox) {
      await tx
        .insert(interactionOutbox)
        .values(chunk.map((r) => ({ interactionId: r.id, createdAt: r.createdAt })))
        .onConflictDoNothing({ target: interactionOutbox.interactionId });
    }
  }
  return inserted;
}

export { toInteraction };

export function createInteractionRepository(db: Db): InteractionRepository {
  return {
    async append(records, opts = {}) {
      if (records.length === 0) return 0;
      // All chunks or none: a half-appended batch would be retried anyway, but callers ack after this.
      return db.transaction((tx) => insertInteractions(tx, records, opts));
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
