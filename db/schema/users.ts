import { bigint, jsonb, pgTable, text } from 'drizzle-orm/pg-core';

/** Guests: an identity is just a display name until a later issue adds accounts. */
export const users = pgTable('users', {
  id: text('id').primaryKey(),
  displayName: text('display_name').notNull(),
  preferences: jsonb('preferences').$type<Record<string, unknown>>().notNull().default({}),
  // Timestamps are ms since epoch everywhere (bigint, mode number): identical on PGlite and postgres.js.
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});
