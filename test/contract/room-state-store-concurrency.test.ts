/**
 * Two "nodes" (two RoomServiceImpl, each with its own Postgres pool and Redis connection, one shared
 * database and Redis room state) editing one room at once: no update is lost, every command succeeds
 * exactly once, versions are gap-free in Postgres and Redis agrees; a tick raced by both nodes'
 * timers advances the queue once.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import type { Database, Track } from '../../db/repositories/types.ts';
import { MemoryInteractionLog } from '../../server/realtime/memory-interaction-log.ts';
import { RedisRoomStateStore } from '../../server/realtime/redis-room-state-store.ts';
import { RoomServiceImpl } from '../../server/services/room-service.ts';
import { createTestDatabase, type TestDatabase } from '../integration/db/postgres-database.ts';
import { dropKeysAndClose, openTestRedis, quietLog, uniqueName } from '../helpers/redis.ts';
import { TEST_TRACKS, waitFor } from '../helpers/server.ts';
import { requireService } from '../helpers/services.ts';

const pg = requireService('postgres');
const redis = requireService('redis');

const manyTracks: Track[] = Array.from({ length: 200 }, (_, i) => ({ ...TEST_TRACKS[0]!, id: `bulk${i}`, title: `Bulk ${i}` }));

interface Node {
  db: Database;
  redis: Redis;
  log: MemoryInteractionLog;
  rooms: RoomServiceImpl;
}

describe.skipIf(!pg.url || !redis.url)('room state across two nodes (Postgres + Redis compare-and-set)', () => {
  let database: TestDatabase | undefined;
  const prefix = uniqueName('cas');
  const nodes: Node[] = [];

  async function node(): Promise<Node> {
    const db = await openDb({ databaseUrl: database?.url ?? '', dataDir: 'unused' });
    const client = await openTestRedis(redis.url ?? '');
    const log = new MemoryInteractionLog(quietLog);
    const rooms = new RoomServiceImpl({
      config: { hostGraceMs: 60_000, roomIdleMs: 600_000, maxRooms: 100 },
      db,
      log: quietLog,
      interactionLog: log,
      emit: () => undefined,
      roomState: new RedisRoomStateStore({ redis: client, prefix }),
    });
    const n = { db, redis: client, log, rooms };
    nodes.push(n);
    return n;
  }

  beforeAll(async () => {
    database = await createTestDatabase(pg.url ?? '');
    const db = await openDb({ databaseUrl: database.url, dataDir: 'unused' });
    await db.repos.tracks.insertMany([...TEST_TRACKS, ...manyTracks]);
    await db.close();
  }, 60_000);

  afterAll(async () => {
    for (const n of nodes) {
      await n.rooms.close();
      await n.log.close();
      await n.db.close();
    }
    const [first, ...rest] = nodes;
    for (const n of rest) await n.redis.quit().catch(() => undefined);
    if (first) await dropKeysAndClose(first.redis, prefix);
    await database?.drop();
  }, 60_000);

  it('200 concurrent queue:add over two nodes all succeed exactly once, versions gap-free', async () => {
    const a = await node();
    const b = await node();
    const { roomId, code } = await a.rooms.createRoom({ userId: 'u_host', displayName: 'Host' }, 'Race');
    const users = ['u_host', 'u_1', 'u_2', 'u_3'];
    for (const u of users.slice(1)) await b.rooms.join(code, { userId: u, displayName: u });
    await a.rooms.execute(roomId, { type: 'room:settings', actorId: 'u_host', patch: { maxQueuedPerMember: 100 } });
    const before = (await a.rooms.get(roomId))!.version;

    const started = Date.now();
    const results = await Promise.allSettled(
      manyTracks.map((t, i) => (i % 2 ? b : a).rooms.queueAdd(roomId, users[i % users.length]!, t.id)),
    );
    const elapsed = Date.now() - started;
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);

    const final = (await a.rooms.get(roomId))!;
    expect(final.version).toBe(before + 200);
    const queued = new Set(final.queue.map((q) => q.trackId));
    if (final.playback.trackId) queued.add(final.playback.trackId);
    for (const t of manyTracks) expect(queued.has(t.id)).toBe(true);
    // Postgres: one event per version, no gap, no duplicate; Redis agrees with it.
    const events = await database!.query(`select version from room_events where room_id = '${roomId}' order by version`);
    const versions = events.map((e) => Number(e['version']));
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + versions[0]!));
    expect(versions.at(-1)).toBe(final.version);
    expect((await b.rooms.roomState.get(roomId))?.version).toBe(final.version);
    expect((await a.db.repos.rooms.load(roomId))?.queue.length).toBe(final.queue.length);
    const attempts = Math.max(a.rooms.stats.maxAttempts, b.rooms.stats.maxAttempts);
    console.info(`[cas] 200 queue:add over two nodes in ${elapsed} ms; ${a.rooms.stats.conflicts + b.rooms.stats.conflicts} conflicts retried, at most ${attempts} attempts`);
  }, 60_000);

  it('a track end raced by both nodes’ timers advances once', async () => {
    const [a, b] = nodes as [Node, Node];
    const { roomId, code } = await a.rooms.createRoom({ userId: 'u_host2', displayName: 'Host' }, 'Ticks');
    await a.rooms.join(code, { userId: 'u_host2', displayName: 'Host' });
    await b.rooms.join(code, { userId: 'u_g', displayName: 'Guest' });
    // Both nodes now serve the room, so both arm a timer for each track end.
    await a.rooms.queueAdd(roomId, 'u_host2', 'short2');
    await b.rooms.queueAdd(roomId, 'u_g', 'short3');
    await b.rooms.queueAdd(roomId, 'u_host2', 't5');
    await b.rooms.play(roomId, 'u_host2', 'short1');
    await waitFor(async () => (await a.rooms.get(roomId))?.playback.trackId === 't5', { timeoutMs: 10_000, what: 't5 to play' });
    const rows = await database!.query(
      `select track_id, count(*)::int as n from interactions where room_id = '${roomId}' and type = 'complete' group by track_id order by track_id`,
    );
    expect(rows.map((r) => [r['track_id'], r['n']])).toEqual([
      ['short1', 1],
      ['short2', 1],
      ['short3', 1],
    ]);
    const state = (await a.rooms.get(roomId))!;
    expect(state.queue).toHaveLength(0);
    const events = await database!.query(`select version from room_events where room_id = '${roomId}' order by version`);
    const versions = events.map((e) => Number(e['version']));
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + versions[0]!));
    expect(versions.at(-1)).toBe(state.version);
  }, 30_000);
});
