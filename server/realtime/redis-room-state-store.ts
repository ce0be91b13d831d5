/**
 * Room state in Redis, shared by every node: one hash per room (`v` version, `s` the RoomState JSON,
 * `c` its code) and a code → id key. Every write is one Lua script, so the version check and the write
 * are atomic. Keys carry a TTL refreshed on each write: an abandoned room (a node died before its idle
 * close) disappears by itself; a live room whose key expired is simply re-seeded from Postgres.
 *
 * Import lazily (REDIS_URL only). Connection trouble surfaces as AppError('UNAVAILABLE') within ~1 s
 * (the connection comes from openRedis: commandTimeout, no offline queue).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../errors.ts';
import type { RoomState } from '../rooms/types.ts';
import { redisCall } from './redis-connection.ts';
import { casConflict, type RoomStateStore } from './room-state-store.ts';

// KEYS: room hash, code key. ARGV: expected, new version, json, code, id, ttl ms.
// → 1 written | {0, stored version or -1}
const CAS = `
local cur = redis.call('HGET', KEYS[1], 'v')
if cur then
  if tonumber(cur) ~= tonumber(ARGV[1]) then return {0, tonumber(cur)} end
elseif tonumber(ARGV[2]) ~= tonumber(ARGV[1]) + 1 then
  return {0, -1}
end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3], 'c', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[6])
return {1, tonumber(ARGV[2])}
`;

// KEYS: room hash, code key. ARGV: version, json, code, id, ttl ms. → 1 written | 0 newer stored
const SEED = `
local cur = redis.call('HGET', KEYS[1], 'v')
if cur and tonumber(cur) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 's', ARGV[2], 'c', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5])
return 1
`;

// KEYS: room hash. ARGV: id, code-key prefix. Deletes the code key only if it still names this room.
const DELETE = `
local code = redis.call('HGET', KEYS[1], 'c')
redis.call('DEL', KEYS[1])
if code then
  local ck = ARGV[2] .. code
  if redis.call('GET', ck) == ARGV[1] then redis.call('DEL', ck) end
end
return 1
`;

// KEYS: lock, want. ARGV: token, node id, lease ms, node-liveness key prefix. → 1 acquired | 0 busy
// Fairness: a node that found the lock held leaves its id in `want`; a free lock is then left to that
// node, so a node with a long backlog cannot win every race while another node waits.
// Liveness: a lock whose holder's heartbeat key expired (the node died) is taken over at once instead of
// waiting out the lease: failover must not stall a room.
const LOCK = `
local holder = redis.call('GET', KEYS[1])
if holder then
  local node = string.match(holder, '^([^:]+):')
  if node and redis.call('EXISTS', ARGV[4] .. node) == 0 then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
    return 1
  end
  local w = redis.call('GET', KEYS[2])
  if not w or w == ARGV[2] then redis.call('SET', KEYS[2], ARGV[2], 'PX', 250) end
  return 0
end
local w = redis.call('GET', KEYS[2])
if w and w ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
if w then redis.call('DEL', KEYS[2]) end
return 1
`;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface RedisRoomStateStoreOptions {
  /** Command connection from openRedis(); owned by the caller. */
  redis: Redis;
  /** Key prefix, e.g. `chorus` → `chorus:room:<id>`, `chorus:room-code:<code>`. */
  prefix: string;
  /** Lifetime of an untouched room's keys (default 6 h). */
  ttlMs?: number;
  /** Lease of the per-room lock (default 2.5 s); a node that died holding it is detected sooner (heartbeat). */
  lockLeaseMs?: number;
  /** Waiting for the lock longer than this fails with UNAVAILABLE (default 3 s). */
  lockWaitMs?: number;
}

type Scripted = Redis & {
  chorusRoomCas(k1: string, k2: string, ...argv: (string | number)[]): Promise<[number, number]>;
  chorusRoomSeed(k1: string, k2: string, ...argv: (string | number)[]): Promise<number>;
  chorusRoomDelete(k1: string, ...argv: string[]): Promise<number>;
  chorusRoomLock(k1: string, k2: string, ...argv: (string | number)[]): Promise<number>;
  chorusRoomUnlock(k1: string, token: string): Promise<number>;
};

/** A node whose heartbeat is this old is dead for the room locks it holds. */
const HEARTBEAT_TTL_MS = 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RedisRoomStateStore implements RoomStateStore {
  readonly kind = 'redis' as const;
  private readonly redis: Scripted;
  private readonly ttlMs: number;

  constructor(private readonly opts: RedisRoomStateStoreOptions) {
    const redis = opts.redis as Scripted;
    // defineCommand sends EVALSHA and falls back to EVAL once per connection (after a Redis restart too).
    if (typeof redis.chorusRoomCas !== 'function') {
      redis.defineCommand('chorusRoomCas', { numberOfKeys: 2, lua: CAS });
      redis.defineCommand('chorusRoomSeed', { numberOfKeys: 2, lua: SEED });
      redis.defineCommand('chorusRoomDelete', { numberOfKeys: 1, lua: DELETE });
      redis.defineCommand('chorusRoomLock', { numberOfKeys: 2, lua: LOCK });
      redis.defineCommand('chorusRoomUnlock', { numberOfKeys: 1, lua: UNLOCK });
    }
    this.redis = redis;
    this.ttlMs = opts.ttlMs ?? 6 * 3600_000;
  }

  /** This store's identity in lock fairness and liveness (one per store instance, i.e. per node). */
  private readonly nodeId = randomUUID();
  private heartbeat: NodeJS.Timeout | undefined;

  private nodeKeyPrefix(): string {
    return `${this.opts.prefix}:node-alive:`;
  }

  /** Keep this node's liveness key fresh (HEARTBEAT_TTL_MS); a lock of a node without one is free. */
  private beat(): void {
    if (this.heartbeat) return;
    const write = () =>
      void this.redis.set(`${this.nodeKeyPrefix()}${this.nodeId}`, '1', 'PX', HEARTBEAT_TTL_MS).catch(() => undefined);
    write();
    this.heartbeat = setInterval(write, HEARTBEAT_TTL_MS / 3);
    this.heartbeat.unref();
  }

  /** Stop the heartbeat (the node's locks become free to take as soon as its key expires). */
  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  async lock(roomId: string): Promise<() => Promise<void>> {
    const key = `${this.opts.prefix}:room-lock:${roomId}`;
    const want = `${key}:want`;
    const token = `${this.nodeId}:${randomUUID()}`;
    const deadline = Date.now() + (this.opts.lockWaitMs ?? 3_000);
    // Longer than any command under the lock (its database deadline is 1.5 s), short enough that a node
    // killed while holding it delays the room's next edit by at most this.
    const lease = this.opts.lockLeaseMs ?? 2_500;
    this.beat();
    for (let polls = 0; ; polls++) {
      const got = await redisCall('locking room', () =>
        this.redis.chorusRoomLock(key, want, token, this.nodeId, lease, this.nodeKeyPrefix()),
      );
      if (got === 1) break;
      if (Date.now() > deadline) throw new AppError('UNAVAILABLE', 'room is busy; try again');
      await sleep(Math.random() * Math.min(4, 1 + polls / 4));
    }
    return async () => {
      // A failed release only delays the next holder until the lease ends.
      await this.redis.chorusRoomUnlock(key, token).catch(() => undefined);
    };
  }

  private roomKey(id: string): string {
    return `${this.opts.prefix}:room:${id}`;
  }

  private codePrefix(): string {
    return `${this.opts.prefix}:room-code:`;
  }

  async get(roomId: string): Promise<RoomState | null> {
    const json = await redisCall('loading room state', () => this.redis.hget(this.roomKey(roomId), 's'));
    return parse(json);
  }

  async byCode(code: string): Promise<RoomState | null> {
    const id = await redisCall('finding room by code', () => this.redis.get(this.codePrefix() + code));
    return id === null ? null : this.get(id);
  }

  async compareAndSet(room: RoomState, expectedVersion: number): Promise<void> {
    if (room.closedAt !== null) return this.delete(room.id);
    const [ok, stored] = await redisCall('saving room state', () =>
      this.redis.chorusRoomCas(
        this.roomKey(room.id),
        this.codePrefix() + room.code,
        expectedVersion,
        room.version,
        JSON.stringify(room),
        room.code,
        room.id,
        this.ttlMs,
      ),
    );
    if (ok !== 1) throw casConflict(room, expectedVersion, stored < 0 ? null : stored);
  }

  async seed(room: RoomState): Promise<boolean> {
    if (room.closedAt !== null) return false;
    const n = await redisCall('seeding room state', () =>
      this.redis.chorusRoomSeed(
        this.roomKey(room.id),
        this.codePrefix() + room.code,
        room.version,
        JSON.stringify(room),
        room.code,
        room.id,
        this.ttlMs,
      ),
    );
    return n === 1;
  }

  async delete(roomId: string): Promise<void> {
    await redisCall('deleting room state', () => this.redis.chorusRoomDelete(this.roomKey(roomId), roomId, this.codePrefix()));
  }
}

function parse(json: string | null): RoomState | null {
  if (json === null) return null;
  let room: RoomState;
  try {
    room = JSON.parse(json) as RoomState;
  } catch (cause) {
    throw new AppError('INTERNAL', 'stored room state is not valid JSON', { cause });
  }
  return room.closedAt === null ? room : null;
}
