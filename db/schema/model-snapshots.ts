import { bigint, bigserial, boolean, customType, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';

/** bytea as a Uint8Array on both drivers (PGlite gives Uint8Array, postgres.js a Buffer, which is one). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * The model registry: each row is one snapshot of every model and the ensemble (gzip'd JSON), with the
 * prequential metrics it had. Exactly one row is `active`: the version the live learner descends from.
 */
export const modelSnapshots = pgTable(
  'model_snapshots',
  {
    version: bigserial('version', { mode: 'number' }).primaryKey(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    reason: text('reason').notNull(),
    /** Interactions the learner had learned. */
    interactions: bigint('interactions', { mode: 'number' }).notNull(),
    /** Position in the stored interaction stream the learner had consumed through (replay starts here). */
    cursor: bigint('cursor', { mode: 'number' }).notNull(),
    metrics: jsonb('metrics').$type<Record<string, number>>().notNull(),
    weights: jsonb('weights').$type<Record<string, number>>().notNull(),
    active: boolean('active').notNull().default(false),
    bytes: integer('bytes').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [index('model_snapshots_active_idx').on(t.active)],
);
