import { bigint, bigserial, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { rooms } from './rooms.ts';

/** One row per committed room version: the audit trail a room can be rebuilt or debugged from. */
export const roomEvents = pgTable(
  'room_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    type: text('type').notNull(),
    actorId: text('actor_id'),
    payload: jsonb('payload'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  // A second writer of the same version is a lost update; the database refuses it.
  (t) => [unique('room_events_room_version_unique').on(t.roomId, t.version)],
);
