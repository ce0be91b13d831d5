import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { rooms } from './rooms.ts';

export const queueItems = pgTable(
  'queue_items',
  {
    id: text('id').notNull(),
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    // No foreign key to tracks: a queue may outlive a re-imported catalog.
    trackId: text('track_id').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: bigint('added_at', { mode: 'number' }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    position: integer('position').notNull(),
    votes: jsonb('votes').$type<Record<string, -1 | 1>>().notNull().default({}),
    autofill: boolean('autofill').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.id] }), index('queue_items_room_position_idx').on(t.roomId, t.position)],
);
