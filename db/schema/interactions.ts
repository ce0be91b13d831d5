import { bigint, bigserial, doublePrecision, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { InteractionContext, InteractionType } from '../../ml/types.ts';

/**
 * Append-only. `id` is the producer's id (unique → replays are idempotent); `seq` gives the stable
 * order the learner replays in, which created_at (ms, ties) cannot.
 */
export const interactions = pgTable(
  'interactions',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique('interactions_id_unique'),
    userId: text('user_id').notNull(),
    roomId: text('room_id'),
    trackId: text('track_id').notNull(),
    type: text('type').$type<InteractionType>().notNull(),
    context: jsonb('context').$type<InteractionContext>().notNull(),
    // Null means the default strength 1; kept null so records read back exactly as appended.
    weight: doublePrecision('weight'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('interactions_room_idx').on(t.roomId, t.seq), index('interactions_user_idx').on(t.userId, t.seq)],
);
