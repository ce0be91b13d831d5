/**
 * Multi-process clusters for integration tests: server nodes (`server/main.ts`) and learner processes
 * (`server/learning/learner-process.ts`) as child processes on a fresh Postgres database and a unique
 * Redis prefix, plus a private `redis-server` for suites that stop Redis (never the shared one).
 *
 *   const env = await createClusterEnv({ pgUrl, redisUrl, name: 'failover' });
 *   const a = await env.node('node-a');             // waits for its port (read from its log)
 *   const host = await env.connect(a.url, users[0].token);
 *   …
 *   await env.teardown();                           // afterAll: children, clients, Redis keys, database
 *
 * Every wait has a deadline; a child that exits early fails the wait with its output.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll } from 'vitest';
import { openDb } from '../../db/client.ts';
import type { Database, Track } from '../../db/repositories/types.ts';
import { createAuth } from '../../server/auth.ts';
import { createTestDatabase, type TestDatabase } from '../integration/db/postgres-database.ts';
import { dropKeysAndClose, openTestRedis, uniqueName } from './redis.ts';
import { ok, waitFor, type TestClient } from './server.ts';

export const CLUSTER_SECRET = 'cluster-test-secret-long-enough-0001';
/** Models without tfjs: the learner starts in seconds and keeps up on a 2-core machine. */
export const LIGHT_MODELS = 'popularity,item-knn,mf-bpr,content,group-room';
export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Child {
  name: string;
  proc: ChildProcess;
  lines: string[];
  exited: boolean;
  code?: number | null;
  signal?: NodeJS.Signals | null;
}

export interface NodeProc {
  child: Child;
  url: string;
  port: number;
}

export interface TestUser {
  userId: string;
  displayName: string;
  token: string;
}

export interface ClusterEnvOptions {
  pgUrl: string;
  /** Default Redis of the children (a suite may point one child elsewhere with `REDIS_URL` in extra env). */
  redisUrl: string;
  /** Names the prefix and the data dir. */
  name: string;
  /** Catalog stocked before any child starts. */
  tracks: Track[];
}

export interface ClusterEnv {
  readonly prefix: string;
  readonly stream: string;
  readonly group: string;
  readonly database: TestDatabase;
  /** The test's own connection to the cluster database (repositories: rooms, interactions…). */
  readonly db: Database;
  readonly children: Child[];
  readonly clients: Set<TestClient>;
  /** The environment a child gets (before `extra`). */
  baseEnv(): Record<string, string>;
  spawn(name: string, script: string, extra?: Record<string, string>): Child;
  /** A server node; resolves once it listens (port read from its log). */
  node(name: string, extra?: Record<string, string>): Promise<NodeProc>;
  /** A learner process; resolves once it consumes the stream. */
  learner(name: string, extra?: Record<string, string>): Promise<Child>;
  users(n: number, label: string): Promise<TestUser[]>;
  /** A socket.io client without built-in reconnection (tests decide where to reconnect). */
  connect(url: string, token: string, timeoutMs?: number): Promise<TestClient>;
  createRoom(url: string, token: string, name: string): Promise<{ roomId: string; code: string }>;
  kill(child: Child, signal?: NodeJS.Signals): Promise<void>;
  teardown(): Promise<void>;
}

/**
 * The usual suite set-up: a cluster environment and two server nodes started together before the
 * suite, torn down after it. Call inside describe(); tests read `.env` and `.nodes` once it ran.
 */
export function twoNodeCluster(
  opts: ClusterEnvOptions & { nodeEnv?: Record<string, string> },
): { env: ClusterEnv; nodes: [NodeProc, NodeProc] } {
  const suite = {} as { env: ClusterEnv; nodes: [NodeProc, NodeProc] };
  beforeAll(async () => {
    suite.env = await createClusterEnv(opts);
    suite.nodes = await Promise.all([suite.env.node('node-a', opts.nodeEnv), suite.env.node('node-b', opts.nodeEnv)]);
  }, 120_000);
  afterAll(async () => {
    await suite.env?.teardown();
  }, 60_000);
  return suite;
}

/**
 * One room with a member on each node: the member on `a` creates it, both join. `connected()` reads who
 * the stored room shows connected (userId → flag).
 */
export async function roomAcrossNodes(env: ClusterEnv, a: NodeProc, b: NodeProc, name: string) {
  const [onA, onB] = (await env.users(2, 'Member')) as [TestUser, TestUser];
  const { roomId, code } = await env.createRoom(a.url, onA.token, name);
  const socketA = await env.connect(a.url, onA.token);
  const socketB = await env.connect(b.url, onB.token);
  await ok(socketA, 'room:join', { code });
  await ok(socketB, 'room:join', { code });
  const connected = async (): Promise<Record<string, boolean>> =>
    Object.fromEntries(((await env.db.repos.rooms.load(roomId))?.members ?? []).map((m) => [m.userId, m.connected]));
  return { onA, onB, roomId, code, socketA, socketB, connected };
}

/** The learner's counters as a node reports them (GET /api/models); null while it cannot answer. */
export async function learnerStatus(nodeUrl: string): Promise<{ learned: number; received: number } | null> {
  const res = await fetch(`${nodeUrl}/api/models`).catch(() => null);
  if (!res || res.status !== 200) return null;
  return ((await res.json()) as { status: { learned: number; received: number } }).status;
}

/** Waits for a log line matching `re`; fails early (with the child's output) if the child exits. */
export function logLine(child: Child, re: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return waitFor(
    () => {
      if (child.exited) throw new Error(`${child.name} exited (${child.code ?? child.signal}):\n${tail(child)}`);
      for (const l of child.lines) {
        const m = l.match(re);
        if (m) return m;
      }
      return null;
    },
    { timeoutMs, intervalMs: 50, what: `${child.name} to log ${re}` },
  );
}

export const tail = (child: Child, n = 40): string => child.lines.slice(-n).join('\n');

function spawnChild(name: string, script: string, env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const child: Child = { name, proc, lines: [], exited: false };
  for (const s of [proc.stdout, proc.stderr]) if (s) createInterface({ input: s }).on('line', (l) => child.lines.push(l));
  proc.on('exit', (code, signal) => {
    child.exited = true;
    child.code = code;
    child.signal = signal;
  });
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
export async function stopChild(child: Child, graceMs = 15_000): Promise<void> {
  if (child.exited) return;
  child.proc.kill('SIGTERM');
  await waitFor(() => child.exited, { timeoutMs: graceMs, intervalMs: 50, what: `${child.name} to exit` }).catch(async () => {
    child.proc.kill('SIGKILL');
    await waitFor(() => child.exited, { timeoutMs: 5_000, intervalMs: 20, what: `${child.name} to die` }).catch(() => undefined);
  });
}

export async function createClusterEnv(opts: ClusterEnvOptions): Promise<ClusterEnv> {
  const database = await createTestDatabase(opts.pgUrl);
  const dataDir = await mkdtemp(path.join(tmpdir(), `chorus-${opts.name}-`));
  const prefix = uniqueName(opts.name);
  const stream = `${prefix}:interactions`;
  const group = `${prefix}:learners`;
  // Migrated and stocked before the children start, so they do not race for it.
  const db = await openDb({ databaseUrl: database.url, dataDir });
  await db.repos.tracks.insertMany(opts.tracks);
  const auth = createAuth(CLUSTER_SECRET);
  const children: Child[] = [];
  const clients = new Set<TestClient>();
  const redisUrls = new Set<string>([opts.redisUrl]);

  const baseEnv = (): Record<string, string> => ({
    DATABASE_URL: database.url,
    REDIS_URL: opts.redisUrl,
    CHORUS_SECRET: CLUSTER_SECRET,
    CHORUS_DATA_DIR: dataDir,
    CHORUS_SEED_CATALOG: '0',
    CHORUS_MODELS: LIGHT_MODELS,
    CHORUS_SNAPSHOT_INTERVAL_S: '0',
    CHORUS_SNAPSHOT_EVERY: '0',
    CHORUS_REDIS_PREFIX: prefix,
    CHORUS_INTERACTION_STREAM: stream,
    CHORUS_LEARNER_GROUP: group,
    // Many clients share one address in these tests; the per-socket limit is not what they test.
    CHORUS_RATE_LIMIT_POINTS: '1000',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  });

  const env: ClusterEnv = {
    prefix,
    stream,
    group,
    database,
    db,
    children,
    clients,
    baseEnv,
    spawn(name, script, extra = {}) {
      const vars = { ...baseEnv(), ...extra };
      if (vars.REDIS_URL) redisUrls.add(vars.REDIS_URL);
      const child = spawnChild(name, script, { ...process.env, ...vars });
      children.push(child);
      return child;
    },
    async node(name, extra = {}) {
      const child = env.spawn(name, 'server/main.ts', extra);
      const port = Number((await logLine(child, /"port":(\d+).*Chorus listening/, 90_000))[1]);
      return { child, port, url: `http://127.0.0.1:${port}` };
    },
    async learner(name, extra = {}) {
      const child = env.spawn(name, 'server/learning/learner-process.ts', extra);
      await logLine(child, /learner consuming/, 90_000);
      return child;
    },
    async users(n, label) {
      const out: TestUser[] = [];
      for (let i = 0; i < n; i++) {
        const displayName = `${label} ${i}`;
        const u = await db.repos.users.create(displayName);
        out.push({ userId: u.id, displayName, token: await auth.issue(u.id, displayName) });
      }
      return out;
    },
    connect(url, token, timeoutMs = 10_000) {
      const socket: TestClient = connectSocket(url, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: timeoutMs,
      });
      clients.add(socket);
      return new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', (err) => {
          socket.disconnect();
          clients.delete(socket);
          reject(err);
        });
      });
    },
    async createRoom(url, token, name) {
      const res = await fetch(`${url}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ name }),
      });
      if (res.status !== 201) throw new Error(`POST /api/rooms answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as { roomId: string; code: string };
    },
    async kill(child, signal = 'SIGKILL') {
      child.proc.kill(signal);
      await waitFor(() => child.exited, { timeoutMs: 10_000, intervalMs: 5, what: `${child.name} to die of ${signal}` });
    },
    async teardown() {
      for (const c of clients) c.disconnect();
      clients.clear();
      await Promise.all(children.map((c) => stopChild(c)));
      for (const url of redisUrls) {
        // A private Redis may be gone already: its keys went with it.
        const r = await openTestRedis(url).catch(() => undefined);
        if (r) await dropKeysAndClose(r, prefix).catch(() => undefined);
      }
      await db.close().catch(() => undefined);
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return env;
}

// ── a private redis-server (for suites that stop Redis) ─────────────────────

/**
 * Whether `redis-server` can be started here (suites that restart Redis run a private one). Missing, they
 * skip with a warning — unless CHORUS_REQUIRE_SERVICES=1, where they run and fail with the spawn error.
 */
export function privateRedisAvailable(): boolean {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!found && process.env['CHORUS_REQUIRE_SERVICES'] !== '1') {
    console.warn('[chorus] private-redis suites SKIPPED: redis-server is not on PATH');
    return false;
  }
  return true;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** The current redis-server process (undefined while stopped). */
  readonly child: Child | undefined;
  /** Starts it on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** SIGKILL (no save: it runs with --save "" and no AOF), resolves once it is gone. */
  kill(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let current: Child | undefined;
  const r: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get child() {
      return current;
    },
    async start() {
      const proc = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const child: Child = { name: `redis-${port}`, proc, lines: [], exited: false };
      for (const s of [proc.stdout, proc.stderr]) if (s) createInterface({ input: s }).on('line', (l) => child.lines.push(l));
      proc.on('exit', (code, signal) => {
        child.exited = true;
        child.code = code;
        child.signal = signal;
      });
      current = child;
      await logLine(child, /Ready to accept connections/, 15_000);
    },
    async kill() {
      const c = current;
      current = undefined;
      if (!c || c.exited) return;
      c.proc.kill('SIGKILL');
      await waitFor(() => c.exited, { timeoutMs: 5_000, intervalMs: 5, what: 'redis-server to die' });
    },
  };
  await r.start();
  return r;
}

/** Nearest-rank percentile of `xs` (p in 0..100). */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

// ── what a client knows of its room, built from broadcasts ──────────────────

/** Room broadcasts that carry the room version (recs:updated carries the version it was computed against: not one). */
const VERSIONED = new Set(['room:members', 'queue:updated', 'playback:updated', 'host:changed', 'room:snapshot', 'skip:updated']);

export interface QueueEntry {
  id: string;
  trackId: string;
}

export interface RoomView {
  /** Version of every room broadcast, in arrival order. */
  readonly versions: number[];
  /** The same with event names (one commit may send several events with its version). */
  readonly events: Array<{ event: string; version: number }>;
  /** The queue as of `queueVersion`: the newest queue this client was told about (a stale broadcast is ignored). */
  queue: QueueEntry[];
  queueVersion: number;
  /** Seed from a room:join / room:sync snapshot. */
  seed(s: { version: number; queue: readonly QueueEntry[] }): void;
}

const entries = (q: readonly QueueEntry[]): QueueEntry[] => q.map((i) => ({ id: i.id, trackId: i.trackId }));

export function watchRoom(socket: TestClient): RoomView {
  const view: RoomView = {
    versions: [],
    events: [],
    queue: [],
    queueVersion: -1,
    seed(s) {
      if (s.version < view.queueVersion) return;
      view.queue = entries(s.queue);
      view.queueVersion = s.version;
    },
  };
  socket.onAny((event: string, payload: unknown) => {
    if (!VERSIONED.has(event)) return;
    const p = payload as { version: number; queue?: QueueEntry[] };
    view.versions.push(p.version);
    view.events.push({ event, version: p.version });
    if (p.queue && p.version > view.queueVersion) {
      view.queue = entries(p.queue);
      view.queueVersion = p.version;
    }
  });
  return view;
}

/**
 * Broadcasts that break the version order: a version below its predecessor, or the same event twice
 * with one version (a duplicate). One commit sending several events (room:members + queue:updated)
 * with its version is fine. Empty when versions strictly increase from commit to commit.
 */
export function outOfOrder(seen: ReadonlyArray<{ event: string; version: number }>): string[] {
  const bad: string[] = [];
  let last = Number.NEGATIVE_INFINITY;
  let names = new Set<string>();
  for (const { event, version } of seen) {
    if (version < last) bad.push(`${event}@${version} after version ${last}`);
    else if (version === last && names.has(event)) bad.push(`${event}@${version} twice`);
    if (version > last) {
      last = version;
      names = new Set();
    }
    if (version === last) names.add(event);
  }
  return bad;
}

/** Integers in [from, to] missing from `seen`. */
export function holes(seen: Iterable<number>, from: number, to: number): number[] {
  const s = new Set(seen);
  const out: number[] = [];
  for (let v = from; v <= to; v++) if (!s.has(v)) out.push(v);
  return out;
}
