/**
 * Failure behaviour of one node, with Redis and Postgres taken away through TCP proxies (the shared
 * servers other suites use keep running): Redis cut → socket commands ack UNAVAILABLE in < 1 s, nothing
 * crashes, commands work again once it returns; the interaction stream's Redis cut → edits still commit,
 * their interactions wait in the Postgres outbox and reach the stream (once each) when it returns;
 * Postgres cut → edits ack UNAVAILABLE in < 2 s while playback state stays readable, and edits work
 * again within 5 s of its return.
 */
import type { Redis } from 'ioredis';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import type { Database } from '../../db/repositories/types.ts';
import { createApp, type ChorusApp } from '../../server/app.ts';
import { createAuth } from '../../server/auth.ts';
import { loadConfig } from '../../server/config.ts';
import { closeRedis, openRedis, whenReady } from '../../server/realtime/redis-connection.ts';
import { RedisInteractionLog } from '../../server/realtime/redis-interaction-log.ts';
import { createTestDatabase, type TestDatabase } from './db/postgres-database.ts';
import { dropKeysAndClose, openTestRedis, quietLog, uniqueName } from '../helpers/redis.ts';
import { call, TEST_TRACKS, waitFor, type TestClient } from '../helpers/server.ts';
import { requireService } from '../helpers/services.ts';
import { startTcpProxy, targetOf, type TcpProxy } from '../helpers/tcp-proxy.ts';

const pg = requireService('postgres');
const redis = requireService('redis');
const SECRET = 'outage-test-secret-long-enough-0001';

describe.skipIf(!pg.url || !redis.url)('outages: Redis and Postgres taken away and given back', () => {
  const prefix = uniqueName('outage');
  const stream = `${prefix}:interactions`;
  let database: TestDatabase | undefined;
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let streamProxy: TcpProxy;
  let db: Database;
  let nodeRedis: Redis;
  let streamRedis: Redis;
  let observer: Redis;
  let log: RedisInteractionLog;
  let learnerLog: RedisInteractionLog;
  let app: ChorusApp;
  let socket: TestClient;
  let roomId = '';
  const learned: string[] = [];
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
    database = await createTestDatabase(pg.url ?? '');
    pgProxy = await startTcpProxy(targetOf(database.url, 5432));
    redisProxy = await startTcpProxy(targetOf(redis.url ?? '', 6379));
    streamProxy = await startTcpProxy(targetOf(redis.url ?? '', 6379));

    const config = loadConfig(
      {},
      {
        port: 0,
        host: '127.0.0.1',
        secret: SECRET,
        logLevel: 'silent',
        seedCatalog: false,
        learner: false,
        snapshotIntervalS: 0,
        snapshotEvery: 0,
        databaseUrl: pgProxy.url(database.url),
        redisUrl: redisProxy.url(redis.url ?? ''),
        redisPrefix: prefix,
        interactionStream: stream,
        learnerGroup: `${prefix}:learners`,
        outboxRelayMs: 200,
        dbTimeoutMs: 1500,
      },
    );
    const logger = quietLog;
    db = await openDb({ databaseUrl: config.databaseUrl, dataDir: 'unused', timeoutMs: config.dbTimeoutMs });
    await db.repos.tracks.insertMany(TEST_TRACKS);
    nodeRedis = openRedis(config.redisUrl ?? '', { role: 'node', log: logger });
    // The interaction stream on its own connection (its own proxy), so a test can take only it away.
    streamRedis = openRedis(streamProxy.url(redis.url ?? ''), { role: 'stream', log: logger });
    expect(await whenReady(nodeRedis)).toBe(true);
    expect(await whenReady(streamRedis)).toBe(true);
    log = new RedisInteractionLog({ redis: streamRedis, log: logger, stream, group: config.learnerGroup });
    // The learner's stand-in: a consumer of the stream in the learners' group, on a direct connection.
    observer = await openTestRedis(redis.url ?? '', 'observer');
    learnerLog = new RedisInteractionLog({ redis: observer, log: logger, stream, group: config.learnerGroup, blockMs: 100 });
    learnerLog.subscribe((records) => {
      for (const r of records) learned.push(r.id);
    });

    const auth = createAuth(SECRET);
    app = await createApp({ config, db, log: logger, auth, interactionLog: log, redis: nodeRedis });
    await app.listen(0, '127.0.0.1');
    const host = await db.repos.users.create('Host');
    const token = await auth.issue(host.id, 'Host');
    const res = await fetch(`${app.url()}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'Outage' }),
    });
    expect(res.status).toBe(201);
    const { code } = (await res.json()) as { code: string };
    socket = connectSocket(app.url(), { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const joined = await call(socket, 'room:join', { code });
    if (!joined.ok) throw new Error(joined.error.message);
    roomId = joined.data.roomId;
  }, 60_000);

  afterAll(async () => {
    console.info(`[outage] ${JSON.stringify(timings)}`);
    socket?.disconnect();
    await app?.close();
    await log?.close();
    await learnerLog?.close();
    if (streamRedis) await closeRedis(streamRedis);
    if (nodeRedis) await closeRedis(nodeRedis);
    await db?.close();
    for (const p of [pgProxy, redisProxy, streamProxy]) await p?.close();
    if (observer) await dropKeysAndClose(observer, prefix);
    await database?.drop();
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
  }, 60_000);

  it('works end to end before any outage', async () => {
    const res = await call(socket, 'queue:add', { trackId: 't1' });
    expect(res.ok).toBe(true);
    expect(await nodeRedis.hget(`${prefix}:room:${roomId}`, 'v')).not.toBeNull();
  });

  it('Redis away: commands ack UNAVAILABLE within 1 s, nothing crashes, service resumes', async () => {
    redisProxy.cut();
    streamProxy.cut();
    for (const trackId of ['t2', 't3', 't4']) {
      const started = Date.now();
      const res = await call(socket, 'queue:add', { trackId });
      const elapsed = Date.now() - started;
      timings[`redisDownAckMs_${trackId}`] = elapsed;
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('UNAVAILABLE');
      expect(elapsed).toBeLessThan(1000);
    }
    // Read paths too.
    const started = Date.now();
    const synced = await call(socket, 'room:sync', {});
    timings['redisDownSyncMs'] = Date.now() - started;
    expect(synced.ok ? 'ok' : synced.error.code).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1000);

    redisProxy.restore();
    streamProxy.restore();
    const back = Date.now();
    await waitFor(async () => (await call(socket, 'queue:add', { trackId: 't2' })).ok, {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'queue:add to work after Redis returns',
    });
    timings['redisResumeMs'] = Date.now() - back;
    const snap = await call(socket, 'room:sync', {});
    expect(snap.ok && snap.data.queue.map((q) => q.trackId)).toEqual(['t1', 't2']);
    expect(crashes).toEqual([]);
  }, 30_000);

  it('stream away: edits commit, their interactions wait in the outbox and are learned once it returns', async () => {
    streamProxy.cut();
    const liked: string[] = [];
    for (const trackId of ['t1', 't2']) {
      const res = await call(socket, 'track:react', { trackId, reaction: 'like' });
      expect(res.ok).toBe(true);
      liked.push(trackId);
    }
    const queued = await db.repos.outbox.count();
    expect(queued).toBeGreaterThanOrEqual(2);
    const stored = await db.repos.interactions.list({ roomId, limit: 100 });
    const likeIds = stored.filter((i) => i.type === 'like').map((i) => i.id);
    expect(likeIds).toHaveLength(2);
    expect(likeIds.some((id) => learned.includes(id))).toBe(false);

    streamProxy.restore();
    const back = Date.now();
    await waitFor(() => likeIds.every((id) => learned.includes(id)), { timeoutMs: 15_000, what: 'outbox relay → learner' });
    timings['outboxRelayedMs'] = Date.now() - back;
    await waitFor(async () => (await db.repos.outbox.count()) === 0, { timeoutMs: 5_000, what: 'outbox to drain' });
    for (const id of likeIds) expect(learned.filter((x) => x === id)).toHaveLength(1);
    expect(crashes).toEqual([]);
  }, 30_000);

  it('Postgres away: edits ack UNAVAILABLE within 2 s, playback keeps running, edits resume within 5 s', async () => {
    const play = await call(socket, 'playback:play', {});
    expect(play.ok).toBe(true);
    pgProxy.cut();
    for (const trackId of ['t5', 't6']) {
      const started = Date.now();
      const res = await call(socket, 'queue:add', { trackId });
      const elapsed = Date.now() - started;
      timings[`pgDownAckMs_${trackId}`] = elapsed;
      expect(res.ok ? 'ok' : res.error.code).toBe('UNAVAILABLE');
      expect(elapsed).toBeLessThan(2000);
    }
    const paused = Date.now();
    const pause = await call(socket, 'playback:pause', {});
    timings['pgDownPauseAckMs'] = Date.now() - paused;
    expect(pause.ok ? 'ok' : pause.error.code).toBe('UNAVAILABLE');
    // The room's state (and its playback clock) is still served from Redis: playback keeps running.
    const synced = await call(socket, 'room:sync', {});
    expect(synced.ok && synced.data.playback.status).toBe('playing');

    pgProxy.restore();
    const back = Date.now();
    await waitFor(async () => (await call(socket, 'queue:add', { trackId: 't5' }, 3000)).ok, {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'queue:add to work after Postgres returns',
    });
    timings['pgResumeMs'] = Date.now() - back;
    expect(Date.now() - back).toBeLessThan(5000);
    const after = await call(socket, 'room:sync', {});
    expect(after.ok && after.data.queue.map((q) => q.trackId)).toContain('t5');
    expect(crashes).toEqual([]);
  }, 30_000);
});
