/**
 * openDb: the database seam. No URL → embedded PGlite on disk (or in memory for tests); a postgres://
 * URL → Postgres through postgres.js. Each driver is imported lazily so the embedded default never
 * loads postgres.js and vice versa. Migrations are applied at open on both.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// Types only: erased at runtime, so the driver itself is still loaded lazily below.
import type { Extensions, PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { Db } from './repositories/drizzle-db.ts';
import { guardRepositories, withDeadline } from './repositories/guard.ts';
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
  /**
   * Postgres only: hot-path repository calls fail with UNAVAILABLE after this long (default 1500 ms),
   * and connection errors always do (db/repositories/guard.ts).
   */
  timeoutMs?: number | undefined;
  /**
   * PGlite only: run the database in its own thread (db/thread/), so its statements never stall the
   * event loop. The server does; tools and tests that open a database for a moment need not.
   */
  thread?: boolean | undefined;
}

export const MEMORY = 'memory://';
export const DEFAULT_DB_TIMEOUT_MS = 1500;

export async function openDb(opts: OpenDbOptions): Promise<Database> {
  const url = opts.databaseUrl?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//i.test(url)) {
      throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got ${url.split(':')[0]}:…)`);
    }
    return openPostgres(url, opts.maxConnections ?? 10, opts.timeoutMs ?? DEFAULT_DB_TIMEOUT_MS);
  }
  if (opts.thread) {
    const { openPgliteThread } = await import('./thread/thread-database.ts');
    return openPgliteThread(opts.dataDir);
  }
  return openPglite(opts.dataDir);
}

function finish(kind: Database['kind'], db: Db, close: () => Promise<void>, timeoutMs?: number): Database {
  let closed: Promise<void> | undefined;
  const repos = createRepositories(db);
  return {
    kind,
    repos: timeoutMs === undefined ? repos : guardRepositories(repos, { timeoutMs }),
    async ping() {
      try {
        const probe = db.execute(sql`select 1`);
        probe.catch(() => undefined);
        await (timeoutMs === undefined ? probe : withDeadline(probe, timeoutMs, 'ping'));
        return true;
      } catch {
        return false;
      }
    },
    // Idempotent: the server's shutdown path and a test's afterAll may both call it.
    close: () => (closed ??= close()),
  };
}

/**
 * A migrated, empty in-memory database, dumped once per process. initdb dominates PGlite's start
 * (seconds on a busy machine); loading this image instead makes each further in-memory open (tests
 * open many) several times faster.
 */
let memoryTemplate: Promise<File | Blob> | undefined;

async function openPglite(dataDir: string): Promise<Database> {
  const [pglite, { pg_trgm }, { drizzle }, { migrate }, { withPreparedStatements }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
    import('./pglite-prepared.ts'),
  ]);
  const extensions: Extensions = { pg_trgm };
  const migrated = async (client: PGlite) => {
    // Hot statements run as named prepared statements (pglite-prepared.ts).
    const db = drizzle({ client: withPreparedStatements(client).client, schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return db;
  };

  let client: PGlite;
  if (dataDir.startsWith(MEMORY)) {
    memoryTemplate ??= (async () => {
      const template = await pglite.PGlite.create({ extensions });
      try {
        await migrated(template);
        return await template.dumpDataDir('none');
      } finally {
        await template.close();
      }
    })().catch((e: unknown) => {
      memoryTemplate = undefined;
      throw e;
    });
    client = await pglite.PGlite.create({ extensions, loadDataDir: await memoryTemplate });
  } else {
    const location = path.join(path.resolve(dataDir), 'pg');
    await mkdir(location, { recursive: true });
    client = await pglite.PGlite.create({ dataDir: location, extensions });
  }
  try {
    // Also on a template copy: a no-op there, and the one code path that knows the schema is current.
    const db = await migrated(client);
    return finish('pglite', db, () => client.close());
  } catch (e) {
    await client.close().catch(() => undefined);
    throw e;
  }
}

/** Any fixed number: every Chorus node that starts at once waits for the first one's migrations. */
const MIGRATION_LOCK = 0x63686f72; // 'chor'

async function openPostgres(url: string, max: number, timeoutMs: number): Promise<Database> {
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

  // connect_timeout (s) short: while Postgres is away a pool slot should not hang on a dead connect
  // for long; the guard's deadline answers the caller earlier anyway. postgres.js reconnects lazily.
  const client = postgres(url, { ...common, connect_timeout: 3, max, idle_timeout: 60, max_lifetime: 60 * 30 });
  const db = drizzle({ client, schema });
  return finish('postgres', db, () => client.end({ timeout: 5 }), timeoutMs);
}
