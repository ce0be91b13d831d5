-- Custom migration: extensions must exist before the trigram indexes of the next migration.
-- PGlite loads pg_trgm as a bundled extension (db/client.ts); on Postgres it ships with contrib.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
