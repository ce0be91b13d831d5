/**
 * The default RecommendationService: the ml/ Learner in a worker thread of this process. The event loop
 * only forwards (interactions from the interaction log, room contexts from the room service), keeps the
 * latest push of each room (as the learner's JSON, parsed only when a joiner or autoplay asks), and talks
 * to the database for the model registry and preferences. Training and scoring never run here
 * (ARCHITECTURE.md §1).
 */
import type { Database } from '../../db/repositories/types.ts';
import type { Interaction } from '../../ml/types.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { RoomState } from '../rooms/types.ts';
import type { InteractionLog } from '../services/types.ts';
import { preEncoded, type PreEncoded } from '../services/pre-encoded.ts';
import { pickAutofill, type AutofillPick } from './autofill-pick.ts';
import { loadCatalog } from './catalog-load.ts';
import { LagTracker } from './lag-tracker.ts';
import { wallNow } from './wall-clock.ts';
import { PushListeners } from './push-listeners.ts';
import { replayStored } from './replay.ts';
import { LearnerClient } from './learner-client.ts';
import { ModelRegistry } from './model-registry.ts';
import type { RoomContext } from './protocol.ts';
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

export interface LearningServiceOptions {
  db: Database;
  log: Logger;
  interactionLog: InteractionLog;
  /** Broadcast to a room (socket.io adapter); the payload comes already serialised (pre-encoded.ts). */
  emit: (roomId: string, event: 'recs:updated', payload: PreEncoded) => void;
  seed: number;
  k: number;
  testEvery?: number | undefined;
  /** Nice value of the learner thread (config learnerNice). */
  nice?: number | undefined;
  models?: readonly string[] | undefined;
  snapshotIntervalS: number;
  snapshotEvery: number;
  snapshotsKept: number;
}

const AUTOFILL_WAIT_MS = 500;

export class LearningService implements RecommendationService {
  /** Each room's latest push: its JSON as the learner sent it, and the parsed event once someone asked. */
  private readonly cache = new Map<string, { json: string; event?: RecsUpdatedEvent }>();
  private readonly contexts = new Map<string, string>();
  private readonly listeners = new PushListeners();
  private readonly registry: ModelRegistry;
  private client!: LearnerClient;
  private last: LearnerStatus | undefined;
  /** A report every 250 ms at most: four missed mean the thread is not keeping up (or is stuck). */
  private readonly lag = new LagTracker(1000, wallNow);
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private bootCursor = 0;

  private constructor(private readonly o: LearningServiceOptions) {
    this.registry = new ModelRegistry(o.db, o.log, o.snapshotsKept, (r) => this.client.request(r, 180_000));
  }

  static async start(o: LearningServiceOptions): Promise<LearningService> {
    const s = new LearningService(o);
    await s.boot();
    // Live first, then what was stored after the snapshot: the learner drops an id it has already learned.
    s.unsubscribe = o.interactionLog.subscribe((records) => s.forward(records));
    // Not awaited: a long replay (a crash after many unsnapshotted interactions) must not hold up listen();
    // rooms work meanwhile and the pushes catch up.
    s.catchUp().catch((err: unknown) => o.log.error({ err }, 'replaying stored interactions failed'));
    s.schedule();
    return s;
  }

  /** Start a learner thread from the active registry version. */
  private async boot(): Promise<void> {
    const o = this.o;
    const [catalog, prefs, active] = await Promise.all([
      loadCatalog(o.db),
      o.db.repos.users.allPreferences(),
      o.db.repos.models.active(),
    ]);
    this.bootCursor = active?.cursor ?? 0;
    this.client = await LearnerClient.start(
      {
        seed: o.seed,
        k: o.k,
        testEvery: o.testEvery,
        nice: o.nice,
        catalog,
        models: o.models ? [...o.models] : undefined,
        preferences: prefs.map((p) => ({ userId: p.id, preferences: p.preferences as Preferences })),
        snapshot: active ? { version: active.version, data: active.data, cursor: active.cursor } : undefined,
      },
      o.log,
      {
        recs: (roomId, json, publishedAt) => this.onRecs(roomId, json, publishedAt),
        status: (st, at) => {
          this.last = st;
          this.lag.report(st.received, at);
        },
        crashed: () => this.recover(),
      },
    );
    o.log.info({ backend: this.client.backend, nice: this.client.nice, tracks: catalog.length, model: active?.version ?? null }, 'learner thread ready');
  }

  /** Replay what was stored after the snapshot the thread started from. */
  private async catchUp(): Promise<void> {
    const replayed = await replayStored(this.o.db, this.bootCursor, (page) => this.client.interactions(page, 0));
    if (replayed > 0) this.o.log.info({ interactions: replayed }, 'replayed interactions stored after the last snapshot');
  }

  /**
   * The learner thread died: start another from the active snapshot, tell it every open room, and replay
   * the stored interactions after that snapshot (those that arrived while it was down included). Rooms,
   * queues and playback never stopped; only pushes paused.
   */
  private recover(attempt = 1): void {
    if (this.closed) return;
    setTimeout(() => {
      if (this.closed) return;
      this.last = undefined;
      this.lag.reset();
      this.boot()
        .then(async () => {
          for (const key of this.contexts.values()) this.client.room(JSON.parse(key) as RoomContext);
          await this.catchUp();
          this.o.log.warn({ attempt }, 'learner thread restarted');
        })
        .catch((err: unknown) => {
          this.o.log.error({ err, attempt }, 'restarting the learner thread failed; trying again');
          this.recover(attempt + 1);
        });
    }, Math.min(30_000, 500 * 2 ** (attempt - 1))).unref();
  }

  /** The current thread's client (tests kill it to exercise recover()). */
  get thread(): LearnerClient {
    return this.client;
  }

  // ── inputs ────────────────────────────────────────────────────────────────

  /** The room service reports every committed room state (and closes). */
  roomChanged(room: RoomState): void {
    if (room.closedAt !== null) {
      this.contexts.delete(room.id);
      this.cache.delete(room.id);
      this.client.roomClosed(room.id);
      return;
    }
    const ctx: RoomContext = roomContextOf(room);
    const key = JSON.stringify(ctx);
    if (this.contexts.get(room.id) === key) return;
    this.contexts.set(room.id, key);
    this.client.room(ctx);
  }

  /** New catalog tracks (after seeding or an import). */
  async refreshCatalog(): Promise<number> {
    const catalog = await loadCatalog(this.o.db);
    await this.client.request({ kind: 'catalog', tracks: catalog }, 60_000);
    return catalog.length;
  }

  private forward(records: readonly Interaction[]): void {
    if (records.length === 0) return;
    const now = wallNow();
    this.lag.post(records.length);
    this.client.interactions([...records], now);
  }

  private onRecs(roomId: string, json: string, publishedAt: number): void {
    if (this.closed || !this.contexts.has(roomId)) return;
    // Members get the learner's JSON as it is: nothing is parsed on this loop for a push.
    this.cache.set(roomId, { json });
    this.o.emit(roomId, 'recs:updated', preEncoded(json));
    this.listeners.emit(roomId, publishedAt > 0 ? wallNow() - publishedAt : -1);
  }

  /** The room's latest push as an event (parsed on the first question after it arrived). */
  private latest(roomId: string): RecsUpdatedEvent | undefined {
    const c = this.cache.get(roomId);
    if (!c) return undefined;
    return (c.event ??= JSON.parse(c.json) as RecsUpdatedEvent);
  }

  // ── RecommendationService ─────────────────────────────────────────────────

  cached(roomId: string): RecsUpdatedEvent | undefined {
    return this.latest(roomId);
  }

  forRoom(roomId: string, opts: { k?: number | undefined; strategy?: WireStrategy | undefined } = {}): Promise<RecsUpdatedEvent> {
    return this.client.request({ kind: 'forRoom', roomId, k: opts.k ?? this.o.k, strategy: opts.strategy });
  }

  async forUser(userId: string, k: number): Promise<RecItem[]> {
    await this.assertUser(userId);
    return this.client.request({ kind: 'forUser', userId, k });
  }

  async compatibility(a: string, b: string): Promise<CompatibilityResult> {
    await Promise.all([this.assertUser(a), this.assertUser(b)]);
    return this.client.request({ kind: 'compatibility', a, b });
  }

  async setPreferences(userId: string, prefs: Preferences): Promise<Preferences> {
    const user = await this.o.db.repos.users.get(userId);
    if (!user) throw new AppError('NOT_FOUND', 'unknown user');
    const merged: Preferences = { ...(user.preferences as Preferences), ...stripUndefined(prefs) };
    if (!(await this.o.db.repos.users.setPreferences(userId, merged as Record<string, unknown>))) {
      throw new AppError('NOT_FOUND', 'unknown user');
    }
    await this.client.request({ kind: 'preferences', userId, preferences: merged });
    return merged;
  }

  models(): Promise<ModelVersionInfo[]> {
    return this.registry.list();
  }

  activate(version: number): Promise<ModelVersionInfo> {
    return this.registry.activate(version);
  }

  snapshot(reason: string): Promise<ModelVersionInfo> {
    return this.registry.snapshot(reason);
  }

  status(): LearnerStatus {
    const s = this.last ?? {
      received: 0,
      learned: 0,
      lag: 0,
      lagMs: 0,
      hitRate: {},
      weights: {},
      modelVersion: '0.0',
      backend: this.client.backend,
    };
    return { ...s, lag: this.lag.unreceived() + s.lag, lagMs: this.lag.lagMs() };
  }

  onPush(listener: PushListener): () => void {
    return this.listeners.add(listener);
  }

  /**
   * Autoplay's pick when the queue runs dry: the room's top recommendation not queued or playing. The
   * latest push is used when there is one; otherwise the learner is asked, briefly (the room's lock is held).
   */
  async autofill(room: RoomState): Promise<AutofillPick> {
    return pickAutofill(room, [
      () => this.latest(room.id),
      () =>
        this.client.running
          ? this.client.request<RecsUpdatedEvent>({ kind: 'forRoom', roomId: room.id, k: this.o.k }, AUTOFILL_WAIT_MS)
          : undefined,
    ]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    try {
      if (this.client.running && this.registry.learnedSinceSnapshot(this.status().learned) > 0) await this.registry.snapshot('shutdown');
    } catch (err) {
      this.o.log.error({ err }, 'shutdown snapshot failed');
    }
    await this.client.close();
  }

  // ── internals ─────────────────────────────────────────────────────────────

  private schedule(): void {
    this.timer = this.registry.schedule({
      intervalS: this.o.snapshotIntervalS,
      every: this.o.snapshotEvery,
      learned: () => this.status().learned,
      paused: () => this.closed || !this.client.running,
    });
  }

  private async assertUser(userId: string): Promise<void> {
    if (!(await this.o.db.repos.users.get(userId))) throw new AppError('NOT_FOUND', `unknown user ${userId}`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
