/**
 * openDb: the database seam. No URL → embedded PGlite on disk (or in memory for tests); a postgres://
 * URL → Postgres through postgres.js. Each driver is imported lazily so the embedded default never
 * loads postgres.js and vice versa. Migrations are applied at open on both.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Db } from './repositories/drizzle-db.ts';
import { createRepositories } from './repositories/index.ts';
import type { Database } from './repositories/types.ts';
import * as schema from './schema/index.ts';

/** Resolved from this file, not the cwd, so the CLI, tests and server all find the same folder. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface OpenDbOptions {
  /** postgres:// or postgresql:// → Postgres; unset → PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite lives in `<dataDir>/pg`; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /** Postgres pool size (default 10). */
  maxConnections?: number | undefined;
}

export const MEMORY = 'memory://';

export async function openDb(opts: OpenDbOptions): Promise<Database> {
  const url = opts.databaseUrl?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//i.test(url)) {
      throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got ${url.split(':')[0]}:…)`);
    }
    return openPostgres(url, opts.maxConnections ?? 10);
  }
  return openPglite(opts.dataDir);
}

function finish(kind: Database['kind'], db: Db, close: () => Promise<void>): Database {
  let closed: Promise<void> | undefined;
  return {
    kind,
    repos: createRepositories(db),
    async ping() {
      try {
        await db.execute(sql`select 1`);
        return true;
      } catch {
        return false;
      }
    },
    // Idempotent: the server's shutdown path and a test's afterAll may both call it.
    close: () => (closed ??= close()),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const [{ PGlite }, { pg_trgm }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  let location: string | undefined;
  if (!dataDir.startsWith(MEMORY)) {
    location = path.join(path.resolve(dataDir), 'pg');
    await mkdir(location, { recursive: true });
  }
  const client = await PGlite.create({ ...(location ? { dataDir: location } : {}), extensions: { pg_trgm } });
  try {
    const db = drizzle({ client, schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return finish('pglite', db, () => client.close());
  } catch (e) {
    await client.close().catch(() => undefined);
    throw e;
  }
}

/** Any fixed number: every Chorus node that starts at once waits for the first one's migrations. */
const MIGRATION_LOCK = 0x63686f72; // 'chor'

async function openPostgres(url: string, max: number): Promise<Database> {
  const [{ default: postgres }, { drizzle }, { migrate }] = await Promise.all([
    import('postgres'),
    import('drizzle-orm/postgres-js'),
    import('drizzle-orm/postgres-js/migrator'),
  ]);
  const common = { connect_timeout: 10, onnotice: () => undefined } as const;

  // drizzle's migrator takes no lock; a session advisory lock on a single connection serialises nodes.
  const admin = postgres(url, { ...common, max: 1 });
  try {
    await admin`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle({ client: admin }), { migrationsFolder: MIGRATIONS_FOLDER });
    await admin`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await admin.end({ timeout: 5 });
  }

  const client = postgres(url, { ...common, max, idle_timeout: 60, max_lifetime: 60 * 30 });
  const db = drizzle({ client, schema });
  return finish('postgres', db, () => client.end({ timeout: 5 }));
}
