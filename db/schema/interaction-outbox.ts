import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';
import { interactions } from './interactions.ts';

/**
 * Transactional outbox of the interaction stream (cluster mode). A row is written in the same
 * transaction as its interaction and deleted once the interaction is in the Redis Stream; whatever is
 * left (Redis was away, the node died between commit and publish) is re-published by the relay loop.
 * Consumers deduplicate by interaction id, so a publish that landed but was not deleted costs nothing.
 */
export const interactionOutbox = pgTable(
  'interaction_outbox',
  {
    interactionId: text('interaction_id')
      .primaryKey()
      .references(() => interactions.id, { onDelete: 'cascade' }),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('interaction_outbox_created_idx').on(t.createdAt)],
);
