/**
 * A learner process of the cluster (`npm run learner`): the same LearnerHost the learner thread runs,
 * driven from Redis instead of worker messages. It restores the active registry version, replays what
 * Postgres stored after its cursor, then consumes the interaction stream in a consumer group
 * (at-least-once; the host drops ids it has learned). Room contexts come from the nodes through Redis.
 * After each batch (or context change) it recomputes stale rooms and pushes: the latest recs per room
 * into Redis, and `recs:updated` to the room's sockets on every node through the socket.io adapter.
 * It answers the nodes' requests and snapshots into the registry on LearningService's schedule.
 */
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { Database } from '../../db/repositories/types.ts';
import type { Interaction } from '../../ml/types.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { closeRedis, duplicateRedis, whenReady } from '../realtime/redis-connection.ts';
import { RedisInteractionLog } from '../realtime/redis-interaction-log.ts';
import { createSocketAdapter } from '../realtime/socket-adapter.ts';
import { loadCatalog } from './catalog-load.ts';
import {
  clusterKeys,
  RECS_TTL_S,
  type ClusterCall,
  type ClusterKeys,
  type ClusterReply,
  type ClusterRequest,
  type PreferencesUpdate,
  type RecsMessage,
  type RoomUpdate,
} from './cluster-protocol.ts';
import { buildHost } from './build-host.ts';
import type { LearnerHost } from './learner-host.ts';
import { replayStored } from './replay.ts';
import { ModelRegistry } from './model-registry.ts';
import type { RoomContext, Request, ResponseData } from './protocol.ts';
import type { Preferences } from './types.ts';

export interface ClusterLearnerOptions {
  config: Config;
  db: Database;
  /** Command connection (openRedis); owned by the caller. */
  redis: Redis;
  log: Logger;
}

const REQUEST_BLOCK_S = 2;
const STATUS_EVERY_MS = 1000;
/**
 * How far before the stream was last drained a lost-stream replay starts, at least: an interaction can
 * reach the stream well after it was stored (the outbox relay's grace and interval, clocks between hosts).
 */
const LOST_REPLAY_MARGIN_MS = 30_000;

export class ClusterLearner {
  private readonly keys: ClusterKeys;
  private readonly registry: ModelRegistry;
  private readonly log: Logger;
  private readonly versions = new Map<string, number>();
  private host!: LearnerHost;
  private cursor = 0;
  private sub!: Redis;
  private blocking!: Redis;
  private io!: Server;
  private interactionLog!: RedisInteractionLog;
  private unsubscribe: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private catchUpQueued = false;
  private requestLoop: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(private readonly o: ClusterLearnerOptions) {
    this.keys = clusterKeys(o.config.redisPrefix);
    this.log = o.log;
    this.registry = new ModelRegistry(o.db, o.log, o.config.snapshotsKept, (r) => Promise.resolve(this.local(r) as never));
  }

  static async start(o: ClusterLearnerOptions): Promise<ClusterLearner> {
    const s = new ClusterLearner(o);
    await s.init();
    return s;
  }

  private async init(): Promise<void> {
    const { config, db, redis, log } = this.o;
    const [catalog, prefs, active] = await Promise.all([loadCatalog(db), db.repos.users.allPreferences(), db.repos.models.active()]);
    const built = await buildHost({
      seed: config.learnerSeed,
      k: config.recsK,
      testEvery: config.learnerTestEvery,
      catalog,
      models: config.models.length > 0 ? [...config.models] : undefined,
      preferences: prefs.map((p) => ({ userId: p.id, preferences: p.preferences as Preferences })),
      snapshot: active ? { version: active.version, data: active.data, cursor: active.cursor } : undefined,
    });
    this.host = built.host;
    this.cursor = built.cursor;
    log.info({ backend: built.backend, tracks: catalog.length, model: active?.version ?? null }, 'learner ready');

    // Room contexts: subscribe first, then read the hash, so no change falls in between.
    this.sub = duplicateRedis(redis, 'learner-subscriber', log);
    await whenReady(this.sub);
    this.sub.on('message', (channel: string, message: string) =>
      channel === this.keys.preferences ? this.onPreferences(message) : this.onRoomUpdate(message),
    );
    await this.sub.subscribe(this.keys.rooms, this.keys.preferences);
    const stored = await redis.hgetall(this.keys.rooms);
    for (const json of Object.values(stored)) this.setRoom(JSON.parse(json) as RoomContext);

    this.io = new Server({ adapter: createSocketAdapter(redis, { log, streamName: this.keys.socketStream }) });

    const replayed = await replayStored(db, this.cursor, (page) => (this.cursor += this.host.ingest(page, 0)));
    if (replayed > 0) log.info({ interactions: replayed }, 'replayed interactions stored after the last snapshot');
    this.interactionLog = new RedisInteractionLog({
      redis,
      log,
      stream: config.interactionStream,
      group: config.learnerGroup,
      maxLen: config.streamMaxLen,
      claimIdleMs: config.streamClaimIdleMs,
      maxDeliveries: config.streamMaxDeliveries,
    });
    this.unsubscribe = this.interactionLog.subscribe((records) => this.onBatch(records), {
      onLost: (since) => this.replayLost(since),
    });

    // Blocking reads need their own connection, without the 800 ms command timeout.
    this.blocking = duplicateRedis(redis, 'learner-requests', log, { commandTimeout: undefined, blockingTimeout: 10_000 });
    await whenReady(this.blocking);
    this.requestLoop = this.serveRequests();
    this.schedule();
    this.scheduleFlush();
  }

  // ── inputs ────────────────────────────────────────────────────────────────

  private async onBatch(records: readonly Interaction[]): Promise<void> {
    // A room seen here before its context arrived over pub/sub: read it from the hash (written first).
    const unknown = [...new Set(records.map((r) => r.roomId).filter((id): id is string => id !== null && !this.versions.has(id)))];
    if (unknown.length > 0) {
      const found = await this.o.redis.hmget(this.keys.rooms, ...unknown);
      for (const json of found) if (json) this.setRoom(JSON.parse(json) as RoomContext);
    }
    const publishedAt = records.reduce((m, r) => Math.min(m, r.createdAt), Number.POSITIVE_INFINITY);
    this.cursor += this.host.ingest(records, Number.isFinite(publishedAt) ? publishedAt : 0);
    this.scheduleFlush();
  }

  /**
   * The stream came back empty (Redis restarted without its data): what nodes published since the
   * consumer last drained it, and had already dequeued from the Postgres outbox, would never be learned.
   * Postgres has every interaction: replay those stored since then (less a margin for the outbox relay's
   * delay and clocks between hosts); the host drops the ones it has learned already.
   */
  private async replayLost(since: number): Promise<void> {
    let learned = 0;
    const replayed = await replayStored(this.o.db, 0, (page) => (learned += this.host.ingest(page, 0)), {
      createdFrom: since - Math.max(LOST_REPLAY_MARGIN_MS, 3 * this.o.config.outboxRelayMs),
    });
    this.cursor += learned;
    this.log.warn({ replayed, learned }, 'replayed interactions stored while the stream lost its data');
    this.scheduleFlush();
  }

  /** A member's declared taste, published to every learner (the one asked applies it twice: harmless). */
  private onPreferences(message: string): void {
    try {
      const u = JSON.parse(message) as PreferencesUpdate;
      this.host.setPreferences(u.userId, u.preferences);
      this.scheduleFlush();
    } catch (err) {
      this.log.error({ err }, 'bad preferences update');
    }
  }

  private onRoomUpdate(message: string): void {
    try {
      const u = JSON.parse(message) as RoomUpdate;
      if ('closed' in u) {
        this.versions.delete(u.roomId);
        this.host.closeRoom(u.roomId);
      } else this.setRoom(u.ctx);
      this.scheduleFlush();
    } catch (err) {
      this.log.error({ err }, 'bad room update');
    }
  }

  /** Nodes publish over separate connections: an older context arriving late is ignored. */
  private setRoom(ctx: RoomContext): void {
    if ((this.versions.get(ctx.roomId) ?? -1) > ctx.version) return;
    this.versions.set(ctx.roomId, ctx.version);
    this.host.setRoom(ctx);
  }

  // ── outputs ───────────────────────────────────────────────────────────────

  /** Coalesces: one recompute per turn of the event loop, pushes in order. */
  private scheduleFlush(): void {
    if (this.flushQueued || this.closed) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flushing = this.flushing.then(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    // Deferred model upkeep (a NeuMF step, a slice of an EASE refresh) runs on a later turn, after these
    // pushes, as in the learner thread.
    this.scheduleCatchUp();
    if (!this.host.hasDirty()) return;
    const pushes = this.host.flush();
    const multi = this.o.redis.multi();
    for (const p of pushes) {
      const json = JSON.stringify(p.event);
      multi.set(this.keys.recs(p.roomId), json, 'EX', RECS_TTL_S);
      multi.publish(this.keys.recsChannel, JSON.stringify({ roomId: p.roomId, event: p.event, publishedAt: p.publishedAt } satisfies RecsMessage));
      this.io.to(p.roomId).emit('recs:updated', p.event);
    }
    await multi.exec().catch((err: unknown) => this.log.warn({ err }, 'storing recommendations failed'));
  }

  /** One piece of deferred model work per turn of the event loop, and only while no recompute waits. */
  private scheduleCatchUp(): void {
    if (this.catchUpQueued || this.closed) return;
    this.catchUpQueued = true;
    setImmediate(() => {
      this.catchUpQueued = false;
      // New interactions first: their flush schedules this again.
      if (this.closed || this.flushQueued) return;
      if (this.host.catchUp()) this.scheduleCatchUp();
    });
  }

  // ── requests ──────────────────────────────────────────────────────────────

  private async serveRequests(): Promise<void> {
    while (!this.closed) {
      let popped: [string, string] | null;
      try {
        popped = await this.blocking.brpop(this.keys.requests, REQUEST_BLOCK_S);
      } catch (err) {
        if (this.closed) return;
        this.log.warn({ err }, 'reading learner requests failed');
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (popped) void this.answer(JSON.parse(popped[1]) as ClusterRequest);
    }
  }

  private async answer(req: ClusterRequest): Promise<void> {
    if (Date.now() > req.deadline) return;
    let reply: ClusterReply;
    try {
      reply = { id: req.id, ok: true, data: await this.respond(req.call) };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      reply = {
        id: req.id,
        ok: false,
        error: { code: typeof code === 'string' ? code : 'INTERNAL', message: err instanceof Error ? err.message : String(err) },
      };
    }
    await this.o.redis.publish(req.replyTo, JSON.stringify(reply)).catch((err: unknown) => this.log.warn({ err }, 'replying failed'));
  }

  private async respond(c: ClusterCall): Promise<unknown> {
    switch (c.kind) {
      case 'forRoom':
        if (!this.versions.has(c.roomId)) {
          const json = await this.o.redis.hget(this.keys.rooms, c.roomId);
          if (json) this.setRoom(JSON.parse(json) as RoomContext);
        }
        return this.host.forRoom(c.roomId, c.k, c.strategy);
      case 'forUser':
        return this.host.forUser(c.userId, c.k);
      case 'compatibility':
        return this.host.compatibility(c.a, c.b);
      case 'preferences':
        this.host.setPreferences(c.userId, c.preferences);
        this.scheduleFlush();
        return null;
      case 'model:snapshot':
        return this.registry.snapshot(c.reason);
      case 'model:activate': {
        const info = await this.registry.activate(c.version);
        this.scheduleFlush();
        return info;
      }
    }
  }

  /** The registry's view of the models: the host in this process (the worker protocol's subset). */
  private local(r: Request): ResponseData | Promise<ResponseData> {
    switch (r.kind) {
      case 'snapshot':
        return this.host.snapshotAsync(this.cursor);
      case 'rebase':
        this.host.rebase(r.version);
        return null;
      case 'restore':
        this.host.restore(r.version, r.data);
        this.cursor = r.cursor;
        return null;
      default:
        throw new Error(`the registry does not ask ${r.kind}`);
    }
  }

  // ── schedule and shutdown ─────────────────────────────────────────────────

  /** The registry's snapshot schedule, and the learner's status for the nodes' /metrics. */
  private schedule(): void {
    const snap = this.registry.schedule({
      intervalS: this.o.config.snapshotIntervalS,
      every: this.o.config.snapshotEvery,
      learned: () => this.host.status().learned,
      paused: () => this.closed,
    });
    let lastStatus = '';
    const status = setInterval(() => {
      const json = JSON.stringify(this.host.status());
      if (json === lastStatus) return;
      lastStatus = json;
      this.o.redis.publish(this.keys.status, json).catch(() => undefined);
    }, STATUS_EVERY_MS);
    this.timers.push(snap, status);
  }

  /** Stop consuming, push what is pending, take the shutdown snapshot, close what this learner opened. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.unsubscribe?.();
    await this.interactionLog?.close();
    await this.flushing;
    try {
      if (this.registry.learnedSinceSnapshot(this.host.status().learned) > 0) await this.registry.snapshot('shutdown');
    } catch (err) {
      this.log.error({ err }, 'shutdown snapshot failed');
    }
    this.blocking?.disconnect();
    await this.requestLoop;
    // Without an HTTP server io.close() throws after closing the adapters (no engine): that part is all we need.
    await this.io?.close().catch(() => undefined);
    if (this.sub) await closeRedis(this.sub);
  }
}
