/**
 * The cluster end to end, as separate processes: two server nodes and a learner process on a fresh
 * Postgres database and unique Redis names. A room created on node A is joined through node B; a queue
 * edit on A reaches B's client; a like sent through B is learned by the learner process and its
 * recs:updated (listing the like) reaches the clients on both nodes through the socket.io Redis adapter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { createAuth } from '../../server/auth.ts';
import type { QueueUpdatedEvent, RecsUpdatedEvent } from '../../server/transport/socket/events.ts';
import { createTestDatabase, type TestDatabase } from './db/postgres-database.ts';
import { dropKeysAndClose, openTestRedis, uniqueName } from '../helpers/redis.ts';
import { ok, TEST_TRACKS, waitFor, type TestClient } from '../helpers/server.ts';
import { requireService } from '../helpers/services.ts';

const pg = requireService('postgres');
const redis = requireService('redis');

const SECRET = 'cluster-test-secret-long-enough-0001';
const LIGHT = 'popularity,item-knn,mf-bpr,content,group-room';
const ROOT = path.resolve(import.meta.dirname, '../..');

interface Child {
  name: string;
  proc: ChildProcess;
  lines: string[];
  exited: boolean;
  code?: number | null;
}

describe.skipIf(!pg.url || !redis.url)('cluster: two nodes and a learner process', () => {
  const children: Child[] = [];
  const clients: TestClient[] = [];
  let database: TestDatabase | undefined;
  let dataDir = '';
  const prefix = uniqueName('cluster');
  let urls: [string, string] = ['', ''];
  let tokens: { host: string; guest: string } = { host: '', guest: '' };
  let guestId = '';

  function start(name: string, script: string, extra: Record<string, string>): Child {
    const proc = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: database?.url ?? '',
        REDIS_URL: redis.url ?? '',
        CHORUS_SECRET: SECRET,
        CHORUS_DATA_DIR: dataDir,
        CHORUS_SEED_CATALOG: '0',
        CHORUS_MODELS: LIGHT,
        CHORUS_SNAPSHOT_INTERVAL_S: '0',
        CHORUS_SNAPSHOT_EVERY: '0',
        CHORUS_REDIS_PREFIX: prefix,
        CHORUS_INTERACTION_STREAM: `${prefix}:interactions`,
        CHORUS_LEARNER_GROUP: `${prefix}:learners`,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child: Child = { name, proc, lines: [], exited: false };
    for (const s of [proc.stdout, proc.stderr]) if (s) createInterface({ input: s }).on('line', (l) => child.lines.push(l));
    proc.on('exit', (code) => {
      child.exited = true;
      child.code = code;
    });
    children.push(child);
    return child;
  }

  /** Waits for a log line matching `re`; fails early (with the child's output) if it exits. */
  async function logLine(child: Child, re: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    return waitFor(
      () => {
        if (child.exited) throw new Error(`${child.name} exited:\n${child.lines.join('\n')}`);
        for (const l of child.lines) {
          const m = l.match(re);
          if (m) return m;
        }
        return null;
      },
      { timeoutMs, intervalMs: 50, what: `${child.name} to log ${re}` },
    );
  }

  beforeAll(async () => {
    database = await createTestDatabase(pg.url ?? '');
    dataDir = await mkdtemp(path.join(tmpdir(), 'chorus-cluster-'));
    // Migrated and stocked before the children start, so they do not race for it.
    const db = await openDb({ databaseUrl: database.url, dataDir });
    await db.repos.tracks.insertMany(TEST_TRACKS);
    const auth = createAuth(SECRET);
    const host = await db.repos.users.create('Host');
    const guest = await db.repos.users.create('Guest');
    guestId = guest.id;
    tokens = { host: await auth.issue(host.id, 'Host'), guest: await auth.issue(guest.id, 'Guest') };
    await db.close();

    const learner = start('learner', 'server/learning/learner-process.ts', {});
    const a = start('node-a', 'server/main.ts', {});
    const b = start('node-b', 'server/main.ts', {});
    const portOf = async (c: Child) => Number((await logLine(c, /"port":(\d+).*Chorus listening/))[1]);
    const [pa, pb] = await Promise.all([portOf(a), portOf(b), logLine(learner, /learner consuming/, 90_000)]);
    urls = [`http://127.0.0.1:${pa}`, `http://127.0.0.1:${pb}`];
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await Promise.all(
      children.map(async (c) => {
        if (c.exited) return;
        c.proc.kill('SIGTERM');
        await waitFor(() => c.exited, { timeoutMs: 15_000, what: `${c.name} to exit` }).catch(() => c.proc.kill('SIGKILL'));
      }),
    );
    if (redis.url) await dropKeysAndClose(await openTestRedis(redis.url), prefix);
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  function connect(url: string, token: string): Promise<TestClient> {
    const socket: TestClient = connectSocket(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    clients.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  it('shares a room across nodes and pushes the learner process’s recs to both', async () => {
    const [urlA, urlB] = urls;
    const created = await fetch(`${urlA}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.host}` },
      body: JSON.stringify({ name: 'Cluster' }),
    });
    expect(created.status).toBe(201);
    const { code } = (await created.json()) as { code: string };

    const host = await connect(urlA, tokens.host);
    const guest = await connect(urlB, tokens.guest);
    const recs: [RecsUpdatedEvent[], RecsUpdatedEvent[]] = [[], []];
    host.on('recs:updated', (e) => recs[0].push(e));
    guest.on('recs:updated', (e) => recs[1].push(e));
    const queues: QueueUpdatedEvent[] = [];
    guest.on('queue:updated', (e) => queues.push(e));

    await ok(host, 'room:join', { code });
    await ok(guest, 'room:join', { code });

    // An edit on node A (whose cached room predates the guest's join on B) reaches B's client.
    await ok(host, 'queue:add', { trackId: 't1' });
    await waitFor(() => queues.some((q) => q.queue.some((i) => i.trackId === 't1')), {
      timeoutMs: 10_000,
      what: "node B's client to see node A's queue:add",
    });

    const liked = await ok(guest, 'track:react', { trackId: 't2', reaction: 'like' });
    const id = liked.interactionIds[0] as string;
    expect(id).toBeTruthy();
    for (const [n, box] of recs.entries()) {
      const e = await waitFor(() => box.find((x) => x.learned.includes(id)), {
        timeoutMs: 20_000,
        what: `the like's recs:updated on node ${n === 0 ? 'A' : 'B'}`,
      });
      expect(e.items.length).toBeGreaterThan(0);
      expect(e.members.map((m) => m.userId)).toHaveLength(2);
      expect(Object.keys(e.weights).sort()).toEqual(LIGHT.split(',').sort());
    }

    // Node A answers a room's list from what the learner stored in Redis; node B asks the learner for a
    // user's list (request/reply through Redis).
    const group = await fetch(`${urlA}/api/recommendations/group/${code}`);
    expect(group.status).toBe(200);
    expect(((await group.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const user = await fetch(`${urlB}/api/recommendations/user/${guestId}?k=5`);
    expect(user.status).toBe(200);
    expect(((await user.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  }, 60_000);

  it('stops cleanly on SIGTERM: the learner stores a shutdown snapshot, the nodes exit 0', async () => {
    const [learner, a, b] = children as [Child, Child, Child];
    learner.proc.kill('SIGTERM');
    await waitFor(() => learner.exited, { timeoutMs: 30_000, what: 'the learner to exit' });
    expect(learner.code).toBe(0);
    expect(learner.lines.some((l) => /"reason":"shutdown".*model snapshot stored/.test(l))).toBe(true);
    for (const node of [a, b]) node.proc.kill('SIGTERM');
    await waitFor(() => a.exited && b.exited, { timeoutMs: 20_000, what: 'the nodes to exit' });
    expect([a.code, b.code]).toEqual([0, 0]);
  }, 60_000);
});
