import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';
import type { RoomSettings } from '../../server/rooms/types.ts';

export const rooms = pgTable(
  'rooms',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull().unique('rooms_code_unique'),
    name: text('name').notNull(),
    hostId: text('host_id').notNull(),
    // Optimistic concurrency: every save checks the version it started from.
    version: integer('version').notNull(),
    settings: jsonb('settings').$type<RoomSettings>().notNull(),
    skipVotes: jsonb('skip_votes').$type<string[]>().notNull().default([]),
    // Round-robin fairness: when each member's pick last started playing.
    lastPlayedAt: jsonb('last_played_at').$type<Record<string, number>>().notNull().default({}),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    closedAt: bigint('closed_at', { mode: 'number' }),
  },
  // Restoring at start reads only the open rooms.
  (t) => [index('rooms_open_idx').on(t.createdAt).where(sql`${t.closedAt} is null`)],
);

export const roomMembers = pgTable(
  'room_members',
  {
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: ['host', 'member'] }).notNull(),
    connected: boolean('connected').notNull(),
    joinedAt: bigint('joined_at', { mode: 'number' }).notNull(),
    disconnectedAt: bigint('disconnected_at', { mode: 'number' }),
    banned: boolean('banned').notNull().default(false),
    // The domain's member order (join order, host hand-over) survives a restart as it was.
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] })],
);

/** One row per room: the playback clock (position was positionMs at server time `at`). */
export const playbackState = pgTable('playback_state', {
  roomId: text('room_id')
    .primaryKey()
    .references(() => rooms.id, { onDelete: 'cascade' }),
  trackId: text('track_id'),
  status: text('status', { enum: ['playing', 'paused', 'idle'] }).notNull(),
  // Double so a computed (fractional) position round-trips exactly.
  positionMs: doublePrecision('position_ms').notNull(),
  at: bigint('at', { mode: 'number' }).notNull(),
  durationMs: integer('duration_ms'),
  addedBy: text('added_by'),
  autofill: boolean('autofill').notNull().default(false),
});
