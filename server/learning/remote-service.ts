/**
 * The RecommendationService of a server node in cluster mode (REDIS_URL, no learner thread): learning runs
 * in `npm run learner` processes. This node
 *  - publishes every committed room context to Redis, so learners know members, queue and strategy;
 *  - keeps the latest recs of its rooms from the learners' `recs` channel (cached(), autofill, /metrics);
 *    the pushes themselves reach clients through the socket.io Redis adapter, emitted by the learner;
 *  - asks a learner the rest (forUser, compatibility, preferences, snapshot, rollback) over a Redis
 *    request list and a per-node reply channel, with a deadline: no learner → UNAVAILABLE.
 * Import lazily (it loads ioredis).
 */
import { randomUUID } from 'node:crypto';
import { pickAutofill, type AutofillPick } from './autofill-pick.ts';
import type { Redis } from 'ioredis';
import type { Database } from '../../db/repositories/types.ts';
import { AppError, isErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { closeRedis, duplicateRedis, redisCall, whenReady } from '../realtime/redis-connection.ts';
import type { RoomState } from '../rooms/types.ts';
import {
  clusterKeys,
  type ClusterCall,
  type ClusterKeys,
  type ClusterReply,
  type ClusterRequest,
  type PreferencesUpdate,
  type RecsMessage,
  type RoomUpdate,
} from './cluster-protocol.ts';
import { ModelRegistry } from './model-registry.ts';
import { PushListeners } from './push-listeners.ts';
import { roomContextOf } from './room-context.ts';
import type {
  CompatibilityResult,
  LearnerStatus,
  ModelVersionInfo,
  Preferences,
  RecItem,
  PushListener,
  RecommendationService,
  RecsUpdatedEvent,
  WireStrategy,
} from './types.ts';

export interface RemoteRecommendationsOptions {
  redis: Redis;
  db: Database;
  log: Logger;
  prefix: string;
  k: number;
  snapshotsKept: number;
  /** Deadline of a learner request (registry operations get REGISTRY_TIMEOUT_MS). */
  requestTimeoutMs?: number;
}

interface Pending {
  resolve: (data: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const REGISTRY_TIMEOUT_MS = 60_000;
const AUTOFILL_WAIT_MS = 500;
const REQUESTS_CAP = 10_000;

export class RemoteRecommendations implements RecommendationService {
  private readonly keys: ClusterKeys;
  private readonly node = randomUUID();
  private readonly cache = new Map<string, RecsUpdatedEvent>();
  /** Rooms this node serves → the last context it published (JSON). */
  private readonly contexts = new Map<string, string>();
  private readonly listeners = new PushListeners();
  private readonly pending = new Map<string, Pending>();
  private readonly registry: ModelRegistry;
  private readonly sub: Redis;
  private last: LearnerStatus | undefined;
  private closed = false;

  private constructor(private readonly o: RemoteRecommendationsOptions) {
    this.keys = clusterKeys(o.prefix);
    // Only its read side is used here: snapshots and rollbacks run in the learner that owns the models.
    this.registry = new ModelRegistry(o.db, o.log, o.snapshotsKept, () =>
      Promise.reject(new AppError('INTERNAL', 'registry writes run in the learner process')),
    );
    this.sub = duplicateRedis(o.redis, 'recs-subscriber', o.log);
    this.sub.on('message', (channel: string, message: string) => this.onMessage(channel, message));
  }

  static async start(o: RemoteRecommendationsOptions): Promise<RemoteRecommendations> {
    const s = new RemoteRecommendations(o);
    if (!(await whenReady(s.sub))) o.log.warn('redis not ready: recommendations subscribe once it is');
    // ioredis re-subscribes by itself after a reconnect.
    await s.sub.subscribe(s.keys.recsChannel, s.keys.reply(s.node), s.keys.status).catch((err: unknown) => {
      o.log.warn({ err }, 'subscribing to the learner channels failed; retrying on reconnect');
    });
    return s;
  }

  // ── inputs ────────────────────────────────────────────────────────────────

  /** Every committed room state of this node goes to Redis for the learners (fire and forget). */
  roomChanged(room: RoomState): void {
    let update: RoomUpdate;
    const multi = this.o.redis.multi();
    if (room.closedAt !== null) {
      this.contexts.delete(room.id);
      this.cache.delete(room.id);
      update = { roomId: room.id, closed: true };
      multi.hdel(this.keys.rooms, room.id);
    } else {
      const ctx = roomContextOf(room);
      const json = JSON.stringify(ctx);
      if (this.contexts.get(room.id) === json) return;
      this.contexts.set(room.id, json);
      update = { roomId: room.id, ctx };
      multi.hset(this.keys.rooms, room.id, json);
    }
    multi.publish(this.keys.rooms, JSON.stringify(update));
    multi.exec().catch((err: unknown) => this.o.log.warn({ err, roomId: room.id }, 'publishing a room context failed'));
  }

  private onMessage(channel: string, message: string): void {
    try {
      if (channel === this.keys.recsChannel) {
        const m = JSON.parse(message) as RecsMessage;
        if (this.closed || !this.contexts.has(m.roomId)) return;
        this.cache.set(m.roomId, m.event);
        const latency = m.publishedAt > 0 ? Date.now() - m.publishedAt : -1;
        this.listeners.emit(m.roomId, latency);
      } else if (channel === this.keys.status) {
        this.last = JSON.parse(message) as LearnerStatus;
      } else {
        const r = JSON.parse(message) as ClusterReply;
        const p = this.pending.get(r.id);
        if (!p) return;
        this.pending.delete(r.id);
        clearTimeout(p.timer);
        if (r.ok) p.resolve(r.data);
        else p.reject(new AppError(isErrorCode(r.error.code) ? r.error.code : 'INTERNAL', r.error.message));
      }
    } catch (err) {
      this.o.log.error({ err, channel }, 'bad message from a learner');
    }
  }

  /** One request to whichever learner takes it first; UNAVAILABLE when none answers in time. */
  private call<T>(call: ClusterCall, timeoutMs = this.o.requestTimeoutMs ?? 5_000): Promise<T> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'server is shutting down'));
    const id = randomUUID();
    const req: ClusterRequest = { id, replyTo: this.keys.reply(this.node), deadline: Date.now() + timeoutMs, call };
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AppError('UNAVAILABLE', `no learner answered within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (d: unknown) => void, reject, timer });
      redisCall('asking the learner', () =>
        this.o.redis.multi().lpush(this.keys.requests, JSON.stringify(req)).ltrim(this.keys.requests, 0, REQUESTS_CAP - 1).exec(),
      ).catch((err: unknown) => {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  // ── RecommendationService ─────────────────────────────────────────────────

  cached(roomId: string): RecsUpdatedEvent | undefined {
    return this.cache.get(roomId);
  }

  async forRoom(roomId: string, opts: { k?: number | undefined; strategy?: WireStrategy | undefined } = {}): Promise<RecsUpdatedEvent> {
    const k = opts.k ?? this.o.k;
    if (k === this.o.k && opts.strategy === undefined) {
      const stored = await this.latest(roomId);
      if (stored) return stored;
    }
    return this.call<RecsUpdatedEvent>({ kind: 'forRoom', roomId, k, strategy: opts.strategy });
  }

  async forUser(userId: string, k: number): Promise<RecItem[]> {
    await this.assertUser(userId);
    return this.call<RecItem[]>({ kind: 'forUser', userId, k });
  }

  async compatibility(a: string, b: string): Promise<CompatibilityResult> {
    await Promise.all([this.assertUser(a), this.assertUser(b)]);
    return this.call<CompatibilityResult>({ kind: 'compatibility', a, b });
  }

  async setPreferences(userId: string, prefs: Preferences): Promise<Preferences> {
    const user = await this.o.db.repos.users.get(userId);
    if (!user) throw new AppError('NOT_FOUND', 'unknown user');
    const merged: Preferences = { ...(user.preferences as Preferences), ...stripUndefined(prefs) };
    if (!(await this.o.db.repos.users.setPreferences(userId, merged as Record<string, unknown>))) {
      throw new AppError('NOT_FOUND', 'unknown user');
    }
    // Stored durably: a learner that misses this reads it from Postgres at its next start. Every running
    // learner is told (each may recommend for this member); one is also asked, so that a request from
    // this node that follows finds it applied.
    const update: PreferencesUpdate = { userId, preferences: merged };
    await this.o.redis
      .publish(this.keys.preferences, JSON.stringify(update))
      .catch((err: unknown) => this.o.log.warn({ err, userId }, 'telling the learners of new preferences failed'));
    await this.call({ kind: 'preferences', userId, preferences: merged }).catch((err: unknown) =>
      this.o.log.warn({ err, userId }, 'no learner took the new preferences now'),
    );
    return merged;
  }

  models(): Promise<ModelVersionInfo[]> {
    return this.registry.list();
  }

  activate(version: number): Promise<ModelVersionInfo> {
    return this.call<ModelVersionInfo>({ kind: 'model:activate', version }, REGISTRY_TIMEOUT_MS);
  }

  snapshot(reason: string): Promise<ModelVersionInfo> {
    return this.call<ModelVersionInfo>({ kind: 'model:snapshot', reason }, REGISTRY_TIMEOUT_MS);
  }

  status(): LearnerStatus {
    return (
      this.last ?? { received: 0, learned: 0, lag: 0, lagMs: 0, hitRate: {}, weights: {}, modelVersion: '0.0', backend: 'remote' }
    );
  }

  onPush(listener: PushListener): () => void {
    return this.listeners.add(listener);
  }

  /** Autoplay's pick (the room's lock is held: brief waits only). */
  async autofill(room: RoomState): Promise<AutofillPick> {
    return pickAutofill(room, [
      () => this.cache.get(room.id),
      () => this.latest(room.id).catch(() => undefined),
      () => this.call<RecsUpdatedEvent>({ kind: 'forRoom', roomId: room.id, k: this.o.k }, AUTOFILL_WAIT_MS),
    ]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new AppError('UNAVAILABLE', 'server is shutting down'));
    }
    this.pending.clear();
    await closeRedis(this.sub);
  }

  // ── internals ─────────────────────────────────────────────────────────────

  /** The latest push the learner stored for the room. */
  private async latest(roomId: string): Promise<RecsUpdatedEvent | undefined> {
    const raw = await redisCall('reading recommendations', () => this.o.redis.get(this.keys.recs(roomId)));
    if (raw === null) return undefined;
    const event = JSON.parse(raw) as RecsUpdatedEvent;
    if (this.contexts.has(roomId)) this.cache.set(roomId, event);
    return event;
  }

  private async assertUser(userId: string): Promise<void> {
    if (!(await this.o.db.repos.users.get(userId))) throw new AppError('NOT_FOUND', `unknown user ${userId}`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
