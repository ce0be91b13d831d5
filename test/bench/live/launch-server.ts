/**
 * The one module that knows how to start what is measured: a Chorus node (the real server entry
 * point, as a child process on a fresh data dir) or the plain socket.io floor. `--nodes 2` (Redis,
 * Postgres) will be added here: a Target is already a list of nodes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnTs, waitFor, type Child } from './children.ts';
import { TRACK_POOL } from './protocol.ts';

export type TargetKind = 'chorus' | 'floor';

export interface TargetNode {
  url: string;
  child: Child;
}

export interface Target {
  kind: TargetKind;
  nodes: TargetNode[];
  /** Chorus's PGlite data dir (kept until cleanup() so the counts can be read after stop()). */
  dataDir?: string | undefined;
  /** Stops every node; resolves with their exit codes. */
  stop(): Promise<(number | null)[]>;
  /** Removes what start left on disk (after stop()). */
  cleanup(): Promise<void>;
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

/** `serverDir`: a checkout to run instead of this one (e.g. a baseline; it needs its node_modules). */
export async function launchChorus(serverDir?: string): Promise<Target> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'chorus-bench-'));
  const port = await freePort();
  // CHORUS_DATA_DIR=memory:// is not usable from the environment (loadConfig path.resolve()s it into
  // ./memory:), so the node gets a fresh temp dir: the same on-disk PGlite a default install uses.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    CHORUS_DATA_DIR: dataDir,
    CHORUS_SECRET: randomBytes(24).toString('base64url'),
    CHORUS_SEED_CATALOG: '1',
    CHORUS_RATE_LIMIT_POINTS: '100000',
    CHORUS_MAX_ROOMS: '100000',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const child = spawnTs('server/main.ts', env, 'chorus', serverDir);
  const node: TargetNode = { url: `http://127.0.0.1:${port}`, child };
  try {
    await waitUntilServing(node, 'chorus');
  } catch (e) {
    await child.stop(2000);
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    kind: 'chorus',
    nodes: [node],
    dataDir,
    stop: () => Promise.all([child.stop()]),
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

export async function launchFloor(): Promise<Target> {
  const port = await freePort();
  const child = spawnTs('test/bench/live/floor-server.ts', { ...process.env, PORT: String(port) }, 'floor');
  const node: TargetNode = { url: `http://127.0.0.1:${port}`, child };
  try {
    await waitUntilServing(node, 'floor');
  } catch (e) {
    await child.stop(2000);
    throw e;
  }
  return { kind: 'floor', nodes: [node], stop: () => Promise.all([child.stop(5000)]), cleanup: async () => undefined };
}

export function launch(kind: TargetKind, opts: { serverDir?: string | undefined } = {}): Promise<Target> {
  return kind === 'chorus' ? launchChorus(opts.serverDir) : launchFloor();
}
