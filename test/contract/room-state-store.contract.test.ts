/**
 * The RoomStateStore seam's contract over every implementation: versioned reads and writes, the
 * compare-and-set that lets two nodes never lose an update, seeding that never goes backwards, closed
 * rooms forgotten, and (Redis) keys that expire when nobody touches a room.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../server/errors.ts';
import { RedisRoomStateStore } from '../../server/realtime/redis-room-state-store.ts';
import { MemoryRoomStateStore, type RoomStateStore } from '../../server/realtime/room-state-store.ts';
import { createRoom, type RoomState } from '../../server/rooms/index.ts';
import { dropKeysAndClose, openTestRedis, uniqueName } from '../helpers/redis.ts';
import { requireService } from '../helpers/services.ts';

const redis = requireService('redis');

interface Made {
  store: RoomStateStore;
  /** A second handle on the same state (another node), where the implementation has one. */
  other: RoomStateStore;
  redis?: Redis;
  prefix?: string;
  cleanup(): Promise<void>;
}

const implementations: { name: string; enabled: boolean; make(): Promise<Made> }[] = [
  {
    name: 'MemoryRoomStateStore',
    enabled: true,
    async make() {
      const store = new MemoryRoomStateStore();
      return { store, other: store, cleanup: async () => undefined };
    },
  },
  {
    name: 'RedisRoomStateStore',
    enabled: Boolean(redis.url),
    async make() {
      const prefix = uniqueName('room-state');
      const a = await openTestRedis(redis.url ?? '', 'test-a');
      const b = await openTestRedis(redis.url ?? '', 'test-b');
      return {
        store: new RedisRoomStateStore({ redis: a, prefix, ttlMs: 60_000 }),
        other: new RedisRoomStateStore({ redis: b, prefix, ttlMs: 60_000 }),
        redis: a,
        prefix,
        async cleanup() {
          await dropKeysAndClose(b, prefix);
          await dropKeysAndClose(a, prefix);
        },
      };
    },
  },
];

const makeRoom = (name = 'Contract'): RoomState =>
  createRoom({ id: randomUUID(), code: randomUUID().slice(0, 6).toUpperCase(), name, host: { userId: 'u_host', displayName: 'Host' }, now: 1_700_000_000_000 });

const next = (room: RoomState, patch: Partial<RoomState> = {}): RoomState => ({ ...room, ...patch, version: room.version + 1 });

async function errorCode(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return isAppError(e) ? e.code : String(e);
  }
}

for (const impl of implementations) {
  describe.skipIf(!impl.enabled)(`RoomStateStore contract: ${impl.name}`, () => {
    let made: Made | undefined;
    const setup = async () => (made = await impl.make());
    afterEach(async () => {
      await made?.cleanup();
      made = undefined;
    });

    it('reads back what was seeded, by id and by code, across handles', async () => {
      const { store, other } = await setup();
      const room = makeRoom();
      expect(await store.get(room.id)).toBeNull();
      expect(await store.byCode(room.code)).toBeNull();
      expect(await store.seed(room)).toBe(true);
      expect(await other.get(room.id)).toEqual(room);
      expect(await other.byCode(room.code)).toEqual(room);
    });

    it('seed never goes backwards', async () => {
      const { store } = await setup();
      const v1 = makeRoom();
      const v2 = next(v1, { name: 'two' });
      expect(await store.seed(v2)).toBe(true);
      expect(await store.seed(v1)).toBe(false);
      expect(await store.seed(v2)).toBe(false);
      expect((await store.get(v1.id))?.name).toBe('two');
      expect(await store.seed(next(v2, { name: 'three' }))).toBe(true);
      expect((await store.get(v1.id))?.version).toBe(3);
    });

    it('compare-and-set succeeds only on the expected version', async () => {
      const { store, other } = await setup();
      const v1 = makeRoom();
      await store.seed(v1);
      const v2 = next(v1, { name: 'two' });
      await store.compareAndSet(v2, 1);
      expect((await other.get(v1.id))?.version).toBe(2);
      // A writer that read v1 is refused, and the state is untouched.
      expect(await errorCode(other.compareAndSet(next(v1, { name: 'lost' }), 1))).toBe('CONFLICT');
      expect((await store.get(v1.id))?.name).toBe('two');
      // A writer ahead of the store (it missed a write) is refused too.
      expect(await errorCode(store.compareAndSet(next(next(v2)), 3))).toBe('CONFLICT');
    });

    it('compare-and-set on an absent key accepts only the next version of the expected one', async () => {
      const { store } = await setup();
      const v1 = makeRoom();
      expect(await errorCode(store.compareAndSet({ ...v1, version: 5 }, 3))).toBe('CONFLICT');
      expect(await store.get(v1.id)).toBeNull();
      await store.compareAndSet({ ...v1, version: 5 }, 4);
      expect((await store.get(v1.id))?.version).toBe(5);
    });

    it('of many concurrent writers from one version, exactly one wins', async () => {
      const { store, other } = await setup();
      const v1 = makeRoom();
      await store.seed(v1);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => errorCode((i % 2 ? store : other).compareAndSet(next(v1, { name: `w${i}` }), 1))),
      );
      expect(results.filter((r) => r === null)).toHaveLength(1);
      expect(results.filter((r) => r === 'CONFLICT')).toHaveLength(19);
      const winner = results.indexOf(null);
      expect((await store.get(v1.id))?.name).toBe(`w${winner}`);
    });

    it('forgets deleted and closed rooms (and their codes)', async () => {
      const { store, other } = await setup();
      const a = makeRoom('a');
      const b = makeRoom('b');
      await store.seed(a);
      await store.seed(b);
      await store.delete(a.id);
      expect(await other.get(a.id)).toBeNull();
      expect(await other.byCode(a.code)).toBeNull();
      await store.compareAndSet(next(b, { closedAt: 1 }), 1);
      expect(await other.get(b.id)).toBeNull();
      expect(await other.byCode(b.code)).toBeNull();
      expect(await store.seed({ ...b, version: 9, closedAt: 1 })).toBe(false);
      expect(await store.get(b.id)).toBeNull();
    });

    if (impl.name === 'RedisRoomStateStore') {
      it('keeps keys only for the TTL, refreshed by each write', async () => {
        const { store, redis: client, prefix } = await setup();
        const room = makeRoom();
        await store.seed(room);
        const key = `${prefix}:room:${room.id}`;
        const first = await client!.pttl(key);
        expect(first).toBeGreaterThan(50_000);
        expect(first).toBeLessThanOrEqual(60_000);
        expect(await client!.pttl(`${prefix}:room-code:${room.code}`)).toBeGreaterThan(50_000);
        await client!.pexpire(key, 1_000);
        await store.compareAndSet(next(room), 1);
        expect(await client!.pttl(key)).toBeGreaterThan(50_000);
        // An expired room is simply absent: the service re-seeds it from Postgres.
        await client!.del(key);
        expect(await store.get(room.id)).toBeNull();
      });
    }
  });
}
