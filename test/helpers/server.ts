/**
 * A real Chorus server for integration tests: createApp on port 0 over PGlite (in memory, or a given
 * data dir), plus socket.io clients and condition waits. Everything created here is torn down by
 * the file-level afterAll registered below, so a failing test never leaks a port or a database.
 */
import { afterAll } from 'vitest';
import { io as connectSocket, type Socket as ClientSocket } from 'socket.io-client';
import { MEMORY, openDb } from '../../db/client.ts';
import type { Database, Track } from '../../db/repositories/types.ts';
import { createApp, type ChorusApp } from '../../server/app.ts';
import { createAuth } from '../../server/auth.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import type { AppDeps } from '../../server/deps.ts';
import { createLogger } from '../../server/logger.ts';
import { MemoryInteractionLog } from '../../server/realtime/memory-interaction-log.ts';
import type {
  Ack,
  ClientEventName,
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../server/transport/socket/events.ts';
import type { AckData } from '../../server/transport/socket/handle.ts';

export type TestClient = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

const teardown = new Set<() => Promise<void>>();
afterAll(async () => {
  // Clients first (registered after their server), then servers; newest first.
  for (const fn of [...teardown].reverse()) await fn().catch(() => undefined);
  teardown.clear();
});

/** Polls until predicate() is truthy; fails with `what` after the deadline. Never a fixed sleep. */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 5000, intervalMs = 10, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const track = (id: string, durationMs: number, i: number): Track => ({
  id,
  title: `Track ${id}`,
  artist: `Artist ${(i % 4) + 1}`,
  genre: ['pop', 'rock', 'jazz'][i % 3] ?? 'pop',
  durationMs,
  popularity: 50,
  danceability: 0.5,
  energy: 0.5,
  valence: 0.5,
  tempo: 120,
  acousticness: 0.5,
  instrumentalness: 0.1,
  speechiness: 0.05,
  liveness: 0.1,
  loudness: -8,
});

/** t1…t12 last minutes; short1…short3 end within a second (for auto-advance). */
export const TEST_TRACKS: Track[] = [
  ...Array.from({ length: 12 }, (_, i) => track(`t${i + 1}`, 180_000 + i * 1000, i)),
  ...Array.from({ length: 3 }, (_, i) => track(`short${i + 1}`, 300, i)),
];

export interface TestServer {
  app: ChorusApp;
  deps: AppDeps;
  db: Database;
  interactionLog: MemoryInteractionLog;
  url: string;
  /** A stored guest and its token (what POST /api/guests returns). */
  guest(displayName: string): Promise<{ userId: string; token: string; displayName: string }>;
  /** Connects and resolves once connected; rejects with the connect_error. */
  connect(
    token: string | undefined,
    opts?: { transports?: string[]; reconnection?: boolean; reconnectionDelay?: number },
  ): Promise<TestClient>;
  /** POST with a JSON body (and a bearer token) to the real HTTP API. */
  post(path: string, body: unknown, token?: string): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** PGlite data dir; in memory when unset. The dir is not deleted (the caller owns it). */
  dataDir?: string;
  config?: Partial<Config>;
  /** Keep the database open on close (to reopen it in the same test). */
  keepDb?: boolean;
}

const TEST_SECRET = 'test-secret-that-is-long-enough-000';

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: opts.dataDir ?? '.chorus-test',
      logLevel: 'silent',
      secret: TEST_SECRET,
      seedCatalog: false,
      // Most suites test rooms, not learning: the learner thread is opt-in here ({ learner: true }).
      learner: false,
      snapshotIntervalS: 0,
      snapshotEvery: 0,
      ...opts.config,
    },
  );
  const db = await openDb({ dataDir: opts.dataDir ?? MEMORY });
  if ((await db.repos.tracks.count()) === 0) await db.repos.tracks.insertMany(TEST_TRACKS);
  const log = createLogger(config);
  const auth = createAuth(TEST_SECRET);
  const interactionLog = new MemoryInteractionLog(log);
  const deps: AppDeps = { config, db, log, auth, interactionLog };
  const app = await createApp(deps);
  await app.listen(0, '127.0.0.1');
  const url = app.url();
  const clients = new Set<TestClient>();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      for (const c of clients) c.disconnect();
      await app.close();
      await interactionLog.close();
      if (!opts.keepDb) await db.close();
      teardown.delete(close);
    })());
  teardown.add(close);

  return {
    app,
    deps,
    db,
    interactionLog,
    url,
    async guest(displayName) {
      const user = await db.repos.users.create(displayName);
      return { userId: user.id, displayName, token: await auth.issue(user.id, displayName) };
    },
    connect(token, connectOpts = {}) {
      const socket: TestClient = connectSocket(url, {
        auth: token === undefined ? {} : { token },
        transports: connectOpts.transports ?? ['websocket'],
        reconnection: connectOpts.reconnection ?? false,
        reconnectionDelay: connectOpts.reconnectionDelay ?? 20,
        reconnectionDelayMax: connectOpts.reconnectionDelay ?? 20,
        forceNew: true,
      });
      clients.add(socket);
      return new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', (err) => {
          socket.disconnect();
          reject(err);
        });
      });
    },
    async post(path, body, token) {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    close,
  };
}

/** Emits with an ack and a deadline; resolves with the ack as the server sent it. */
export async function call<E extends ClientEventName>(
  socket: TestClient,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
  timeoutMs = 5000,
): Promise<Ack<AckData<E>>> {
  return rawCall(socket, event, [payload], timeoutMs) as Promise<Ack<AckData<E>>>;
}

/** Untyped emit with an ack (for malformed input): any event name, any arguments. */
export function rawCall(socket: TestClient, event: string, args: unknown[], timeoutMs = 5000): Promise<unknown> {
  const timed = socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<unknown> };
  return timed.emitWithAck(event, ...args);
}

/** Like call() but fails the test unless the ack is ok; returns its data. */
export async function ok<E extends ClientEventName>(
  socket: TestClient,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<AckData<E>> {
  const res = await call(socket, event, payload);
  if (!res.ok) throw new Error(`${event} failed: ${res.error.code} ${res.error.message}`);
  return res.data;
}

export interface Received {
  event: string;
  payload: unknown;
}

/** Everything the server sends this client, in arrival order. */
export function record(socket: TestClient): Received[] {
  const seen: Received[] = [];
  socket.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
  return seen;
}

export const versionsOf = (seen: readonly Received[], event?: string): number[] =>
  seen
    .filter((r) => event === undefined || r.event === event)
    .map((r) => (r.payload as { version?: unknown }).version)
    .filter((v): v is number => typeof v === 'number');
