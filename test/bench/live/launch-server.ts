/**
 * The one module that knows how to start what is measured: a Chorus node (the real server entry
 * point, as a child process on a fresh PGlite data dir), two Chorus nodes and a learner process on
 * Postgres + Redis (`--nodes 2`, a fresh database and key prefix), or the plain socket.io floor.
 *
 * Every target is registered here from the moment it holds anything (a child, a database, keys) until
 * its cleanup() ran, so `abandonAll()` (Ctrl-C, a failure) can undo a launch that is still starting.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnTs, waitFor, type Child } from './children.ts';
import { countStored, countStoredPostgres, type StoredCount } from './counts.ts';
import { TRACK_POOL } from './protocol.ts';

export type TargetKind = 'chorus' | 'cluster' | 'floor';

export interface TargetNode {
  url: string;
  child: Child;
}

/** A process whose event loop, RSS and CPU the probe measures. */
export interface MeasuredProcess {
  name: string;
  role: 'node' | 'learner';
  child: Child;
}

export interface Target {
  kind: TargetKind;
  nodes: TargetNode[];
  /** The nodes, then the learner process (cluster only). */
  processes: MeasuredProcess[];
  /** Where the target lives (data dir, database and Redis prefix), for the log. */
  describe: string;
  /** Acked ids found in the interactions table; call after stop() and before cleanup(). */
  countStored?: ((ids: readonly string[]) => Promise<StoredCount>) | undefined;
  /**
   * Cluster: interaction-stream entries the learners' consumer group has not finished — not yet
   * delivered (XINFO GROUPS `lag`) plus delivered and not acknowledged (`pending`). The learner's own
   * lag figure starts counting only once it read an entry.
   */
  streamBacklog?: (() => Promise<number | null>) | undefined;
  /** Stops every process; resolves with their exit codes. */
  stop(): Promise<(number | null)[]>;
  /** Removes what start left (data dir, database, Redis keys); after stop(). Idempotent. */
  cleanup(): Promise<void>;
}

/** Targets started (or starting) and not cleaned up yet. */
const open = new Set<{ stop: () => Promise<unknown>; cleanup: () => Promise<void> }>();

/** Stops and cleans up every target still open (Ctrl-C, a failure). Never throws. */
export async function abandonAll(): Promise<void> {
  await Promise.all(
    [...open].map(async (t) => {
      await t.stop().catch(() => undefined);
      await t.cleanup().catch(() => undefined);
    }),
  );
}

/** Runs `fn` once, however many times the result is called. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(node: TargetNode, what: string): Promise<void> {
  await waitFor(async () => ((await fetch(`${node.url}/health`)).ok ? true : undefined), 180_000, `${what} /health`, node.child);
  await waitFor(
    async () => {
      const res = await fetch(`${node.url}/api/tracks?limit=${TRACK_POOL}`);
      const body = (await res.json()) as { tracks?: unknown[] };
      return (body.tracks?.length ?? 0) >= TRACK_POOL ? true : undefined;
    },
    180_000,
    `${what} catalog`,
    node.child,
  );
}

/** What both Chorus targets share: a high rate limit (the load comes from one address) and quiet logs. */
function chorusEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    CHORUS_SECRET: randomBytes(24).toString('base64url'),
    CHORUS_RATE_LIMIT_POINTS: '100000',
    CHORUS_MAX_ROOMS: '100000',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return env;
}

/** `serverDir`: a checkout to run instead of this one (e.g. a baseline; it needs its node_modules). */
export async function launchChorus(serverDir?: string): Promise<Target> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'chorus-bench-'));
  const port = await freePort();
  // A fresh temp dir, not memory://: the same on-disk PGlite a default install uses, and the bench counts
  // what was stored by opening it after the node stopped.
  const env: NodeJS.ProcessEnv = { ...chorusEnv(), PORT: String(port), CHORUS_DATA_DIR: dataDir, CHORUS_SEED_CATALOG: '1' };
  const child = spawnTs('server/main.ts', env, 'chorus', serverDir);
  const node: TargetNode = { url: `http://127.0.0.1:${port}`, child };
  const target: Target = {
    kind: 'chorus',
    nodes: [node],
    processes: [{ name: 'node', role: 'node', child }],
    describe: `PGlite ${dataDir}`,
    countStored: (ids) => countStored(dataDir, ids),
    stop: () => Promise.all([child.stop()]),
    cleanup: once(async () => {
      await rm(dataDir, { recursive: true, force: true });
      open.delete(target);
    }),
  };
  open.add(target);
  try {
    await waitUntilServing(node, 'chorus');
  } catch (e) {
    await child.stop(2000);
    await target.cleanup();
    throw e;
  }
  return target;
}

export interface ClusterOptions {
  /** A Postgres URL allowed to CREATE/DROP DATABASE (the bench's database is created beside it). */
  pgUrl: string;
  redisUrl: string;
  serverDir?: string | undefined;
  /**
   * `--db postgres` for the single node: one node on the fresh database, no Redis, its learner thread in
   * process (what `DATABASE_URL` alone gives). Default: the two-node cluster.
   */
  single?: boolean | undefined;
}

/**
 * `--nodes 2`: as test/helpers/cluster.ts and `npm run cluster:local` do it — a fresh database
 * `chorus_bench_<hex>` migrated and stocked with the generated catalog before any child starts (so they
 * do not race for it; every child runs with CHORUS_SEED_CATALOG=0), a unique Redis prefix, stream and
 * consumer group, two nodes and one `npm run learner` process sharing one token secret.
 */
export async function launchCluster(opts: ClusterOptions): Promise<Target> {
  const [{ default: postgres }, { Redis }, { openDb }, { seedCatalogIfEmpty }, { loadConfig }] = await Promise.all([
    import('postgres'),
    import('ioredis'),
    import('../../../db/client.ts'),
    import('../../../server/catalog/seed.ts'),
    import('../../../server/config.ts'),
  ]);
  const dbName = `chorus_bench_${randomBytes(6).toString('hex')}`;
  const dbUrl = new URL(opts.pgUrl);
  dbUrl.pathname = `/${dbName}`;
  const prefix = `chorus:bench:${randomUUID().slice(0, 8)}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'chorus-bench-cluster-'));
  const admin = postgres(opts.pgUrl, { max: 1, onnotice: () => undefined });
  const children: Child[] = [];
  let created = false;
  const stream = `${prefix}:interactions`;
  const group = `${prefix}:learners`;
  // The bench's own connection: the stream backlog during the run, the keys at the end.
  const redis = new Redis(opts.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });

  const stop = async (): Promise<(number | null)[]> => {
    // Nodes first (no edit is in flight once the clients are gone), then the learner (final snapshot).
    const nodes = await Promise.all(children.filter((c) => c !== learnerChild).map((c) => c.stop()));
    return [...nodes, ...(learnerChild ? [await learnerChild.stop()] : [])];
  };
  // Each step on its own: Redis being away must not leave the database behind, nor the reverse.
  const cleanup = once(async () => {
    const failed: string[] = [];
    try {
      if (opts.single) throw new Error('skip');
      if (redis.status === 'wait') await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch (e) {
      if (!opts.single) failed.push(`Redis keys ${prefix}:* (${String(e)})`);
    } finally {
      redis.disconnect();
    }
    try {
      if (created) await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    } catch (e) {
      failed.push(`database ${dbName} (${String(e)})`);
    }
    await admin.end({ timeout: 5 }).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    open.delete(handle);
    if (failed.length > 0) throw new Error(`could not remove ${failed.join('; ')}`);
  });
  const handle = { stop, cleanup };
  let learnerChild: Child | undefined;
  open.add(handle);

  try {
    if (!opts.single) await redis.connect();
    await admin.unsafe(`create database ${dbName}`);
    created = true;
    const env: NodeJS.ProcessEnv = opts.single
      ? { ...chorusEnv(), DATABASE_URL: dbUrl.toString(), CHORUS_DATA_DIR: dataDir, CHORUS_SEED_CATALOG: '0' }
      : {
          ...chorusEnv(),
          DATABASE_URL: dbUrl.toString(),
          REDIS_URL: opts.redisUrl,
          CHORUS_DATA_DIR: dataDir,
          CHORUS_SEED_CATALOG: '0',
          CHORUS_REDIS_PREFIX: prefix,
          CHORUS_INTERACTION_STREAM: stream,
          CHORUS_LEARNER_GROUP: group,
        };
    const config = loadConfig(env);
    const db = await openDb({ databaseUrl: config.databaseUrl, dataDir });
    try {
      await seedCatalogIfEmpty(db, config.catalogSize);
    } finally {
      await db.close();
    }

    if (opts.single) {
      const port = await freePort();
      const child = spawnTs('server/main.ts', { ...env, PORT: String(port) }, 'chorus', opts.serverDir);
      children.push(child);
      const node: TargetNode = { url: `http://127.0.0.1:${port}`, child };
      await waitUntilServing(node, 'chorus');
      return {
        kind: 'chorus',
        nodes: [node],
        processes: [{ name: 'node', role: 'node', child }],
        describe: `Postgres database ${dbName}`,
        countStored: (ids) => countStoredPostgres(dbUrl.toString(), ids),
        stop,
        cleanup,
      };
    }
    const ports = [await freePort(), await freePort()];
    const nodes: TargetNode[] = ports.map((port, i) => {
      const child = spawnTs('server/main.ts', { ...env, PORT: String(port) }, `node-${i + 1}`, opts.serverDir);
      children.push(child);
      return { url: `http://127.0.0.1:${port}`, child };
    });
    // Info level for its "learner consuming" line (it logs a handful of lines at info, none per event).
    const learner = spawnTs('server/learning/learner-process.ts', { ...env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' }, 'learner', opts.serverDir);
    learnerChild = learner;
    children.push(learner);
    let consuming = false;
    void learner.line(/learner consuming/).then(() => void (consuming = true));
    await Promise.all([
      ...nodes.map((n, i) => waitUntilServing(n, `node-${i + 1}`)),
      waitFor(async () => (consuming ? true : undefined), 300_000, 'learner consuming', learner),
    ]);
    return {
      kind: 'cluster',
      nodes,
      processes: [
        ...nodes.map((n, i): MeasuredProcess => ({ name: `node-${i + 1}`, role: 'node', child: n.child })),
        { name: 'learner', role: 'learner', child: learner },
      ],
      describe: `Postgres database ${dbName}, Redis prefix ${prefix}`,
      countStored: (ids) => countStoredPostgres(dbUrl.toString(), ids),
      async streamBacklog() {
        const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
        for (const g of groups) {
          const f = new Map<string, unknown>();
          for (let i = 0; i + 1 < g.length; i += 2) f.set(String(g[i]), g[i + 1]);
          if (f.get('name') !== group) continue;
          const lag = f.get('lag');
          // `lag` is null when Redis cannot tell (after deletions/trimming): then only `pending` is known.
          return Number(f.get('pending') ?? 0) + (typeof lag === 'number' ? lag : 0);
        }
        return null;
      },
      stop,
      cleanup,
    };
  } catch (e) {
    await stop().catch(() => undefined);
    await cleanup().catch(() => undefined);
    throw e;
  }
}

export async function launchFloor(): Promise<Target> {
  const port = await freePort();
  const child = spawnTs('test/bench/live/floor-server.ts', { ...process.env, PORT: String(port) }, 'floor');
  const node: TargetNode = { url: `http://127.0.0.1:${port}`, child };
  const target: Target = {
    kind: 'floor',
    nodes: [node],
    processes: [{ name: 'floor', role: 'node', child }],
    describe: 'plain socket.io',
    stop: () => Promise.all([child.stop(5000)]),
    cleanup: once(async () => void open.delete(target)),
  };
  open.add(target);
  try {
    await waitUntilServing(node, 'floor');
  } catch (e) {
    await child.stop(2000);
    await target.cleanup();
    throw e;
  }
  return target;
}

export function launch(
  kind: TargetKind,
  opts: { serverDir?: string | undefined; pgUrl: string; redisUrl: string; db?: 'pglite' | 'postgres' | undefined },
): Promise<Target> {
  if (kind === 'cluster') return launchCluster(opts);
  if (kind === 'chorus' && opts.db === 'postgres') return launchCluster({ ...opts, single: true });
  return kind === 'chorus' ? launchChorus(opts.serverDir) : launchFloor();
}
