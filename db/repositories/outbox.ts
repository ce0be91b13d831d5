import { asc, count, eq, inArray, lt } from 'drizzle-orm';
import { interactionOutbox, interactions } from '../schema/index.ts';
import type { Db } from './drizzle-db.ts';
import { toInteraction } from './interactions.ts';
import type { OutboxRepository } from './types.ts';

export function createOutboxRepository(db: Db): OutboxRepository {
  return {
    async relay(before, limit, publish) {
      // One transaction holds the row locks while publishing: two nodes' relays never send the same
      // entries, and a failed publish rolls back (the entries stay queued).
      return db.transaction(async (tx) => {
        const rows = await tx
          .select({ i: interactions })
          .from(interactionOutbox)
          .innerJoin(interactions, eq(interactions.id, interactionOutbox.interactionId))
          .where(lt(interactionOutbox.createdAt, before))
          .orderBy(asc(interactionOutbox.createdAt), asc(interactions.seq))
          .limit(limit)
          .for('update', { of: interactionOutbox, skipLocked: true });
        if (rows.length === 0) return 0;
        const records = rows.map((r) => toInteraction(r.i));
        await publish(records);
        await tx.delete(interactionOutbox).where(
          inArray(
            interactionOutbox.interactionId,
            records.map((r) => r.id),
          ),
        );
        return records.length;
      });
    },

    async remove(ids) {
      if (ids.length === 0) return;
      await db.delete(interactionOutbox).where(inArray(interactionOutbox.interactionId, [...ids]));
    },

    async count() {
      const [row] = await db.select({ n: count() }).from(interactionOutbox);
      return row?.n ?? 0;
    },
  };
}
