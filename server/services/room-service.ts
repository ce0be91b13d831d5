/**
 * The only writer of room state. One edit = per-room lock → load → pure domain transition → durable
 * save → cache → interactions stored then published → broadcast → re-arm the room's timer. The caller
 * acks after the returned promise resolves, so nothing is acknowledged before it is durable.
 * Transport free: broadcasts leave through the injected `emit`.
 */
import { randomUUID } from 'node:crypto';
import { nanoid } from 'nanoid';
import type { Database } from '../../db/repositories/types.ts';
import type { Interaction } from '../../ml/types.ts';
import type { Config } from '../config.ts';
import { AppError, isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import {
  applyCommand,
  createRoom,
  toSnapshot,
  type CommandOf,
  type CommandType,
  type ResultOf,
  type RoomCommand,
  type RoomSnapshot,
  type RoomState,
  type Transition,
} from '../rooms/index.ts';
import { withAutofill, type AutofillProvider } from './autofill.ts';
import { broadcastsFor, type RoomEmit } from './broadcasts.ts';
import { recordInteractions, toInteractions } from './interactions.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import { AppendBatcher } from './append-batcher.ts';
import { TrackCache } from './track-cache.ts';
import { OpenRooms } from './open-rooms.ts';
import type { RoomStateStore } from '../realtime/room-state-store.ts';
import { newRoomCode } from './room-codes.ts';
import { RoomTimers } from './room-timers.ts';
import type { InteractionLog, RoomService, RoomSummary } from './types.ts';

export type { AutofillProvider, RoomEmit };

export interface RoomServiceOptions {
  config: Pick<Config, 'hostGraceMs' | 'roomIdleMs' | 'maxRooms'>;
  db: Database;
  log: Logger;
  interactionLog: InteractionLog;
  emit: RoomEmit;
  /** Called with every batch of interactions after it is stored (e.g. to refresh recommendations). */
  onInteractions?: (records: readonly Interaction[]) => void;
  autofill?: AutofillProvider;
  /**
   * Every committed room state (and the closed one), before its interactions are published: the learner
   * always knows a room's members and queue before it learns from what happened there.
   */
  onRoomChange?: (room: RoomState) => void;
  /** Clock, injectable for tests. */
  now?: () => number;
  /**
   * Where open rooms' latest states live between commands (default: this process's memory). With the
   * Redis store several nodes serve one room: each command reads the shared copy.
   */
  roomState?: RoomStateStore;
  /**
   * Queue interactions in the Postgres outbox in their edit's transaction, dequeued once published
   * (default: when the interaction log is Redis; the relay re-publishes what is left).
   */
  outbox?: boolean;
}

const CODE_ATTEMPTS = 8;
/**
 * A command that lost a race to another node is retried on fresh state this many times in all. Under a
 * burst on one room the node with the longer backlog tends to win every race until it drains, so the
 * bound is generous (measured: 200 concurrent queue:add over two nodes needed up to ~10 attempts).
 */
export const COMMIT_ATTEMPTS = 24;
/** Jittered exponential backoff between attempts (full jitter, capped): 0–4 ms, 0–8 ms, … 0–50 ms. */
const retryDelay = (attempt: number): number => Math.random() * Math.min(50, 2 * 2 ** attempt);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** After a failed timer (storage away), try again this much later: playback keeps advancing. */
const TIMER_RETRY_MS = 1000;

/** The stored room moved on under a cached copy (its cause is the repository's CONFLICT). */
class StaleRoomError extends Error {
  constructor(override readonly cause: unknown) {
    super('stale room copy');
  }
}

/** The users whose socket is in the room on some node (a cluster-wide question in cluster mode). */
export type PresentIn = (roomId: string) => Promise<ReadonlySet<string>>;

/** A committed transition and the ids of the interactions it stored. */
export type Committed<R = unknown> = Transition<R> & { interactionIds: string[] };

/** A seat (banned rows are kept for refusing rejoins but are not members). */
const isMember = (room: RoomState, userId: string): boolean =>
  room.members.some((m) => m.userId === userId && !m.banned);

export class RoomServiceImpl implements RoomService {
  private readonly rooms: OpenRooms;
  private readonly mutex = new KeyedMutex();
  private readonly timers: RoomTimers;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly opts: RoomServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.timers = new RoomTimers({
      hostGraceMs: opts.config.hostGraceMs,
      roomIdleMs: opts.config.roomIdleMs,
      now: this.now,
      onDue: (roomId) => this.onDue(roomId),
    });
    this.rooms = new OpenRooms(opts.db.repos.rooms, (room) => this.timers.schedule(room), opts.roomState);
    this.outbox = opts.outbox ?? opts.interactionLog.kind === 'redis';
    this.appender = new AppendBatcher(
      (records, outbox) => opts.db.repos.interactions.append(records, { outbox }),
      this.outbox,
      opts.db.idle?.bind(opts.db),
    );
    this.tracks = new TrackCache(opts.db.repos.tracks);
  }

  private readonly outbox: boolean;
  private readonly appender: AppendBatcher;
  private readonly tracks: TrackCache;
  /** Version conflicts retried, and the most attempts one command needed (metrics, tests). */
  readonly stats = { conflicts: 0, maxAttempts: 1 };

  /** The room-state store in use (memory or Redis). */
  get roomState(): RoomStateStore {
    return this.rooms.store;
  }

  // ── RoomService ───────────────────────────────────────────────────────────

  async createRoom(host: { userId: string; displayName: string }, name: string): Promise<{ roomId: string; code: string }> {
    this.assertOpen();
    // UNAVAILABLE, not ROOM_FULL: ROOM_FULL means "this room has no seat left"; this is server capacity.
    if (this.rooms.size >= this.opts.config.maxRooms) {
      throw new AppError('UNAVAILABLE', 'the server is at its room limit; try again later');
    }
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const now = this.now();
      const fresh = createRoom({ id: randomUUID(), code: newRoomCode(), name, host, now });
      // The creator (usually over HTTP) is not on a socket yet: the seat is held as disconnected until
      // their room:join, so an abandoned room still reaches its idle close.
      const room = applyCommand(fresh, { type: 'disconnect', actorId: host.userId }, now).room;
      try {
        await this.opts.db.repos.rooms.create(room);
      } catch (e) {
        if (isAppError(e) && e.code === 'CONFLICT') continue; // code taken: draw another
        throw e;
      }
      // Durable already: if the store is away the room is still created (a miss re-seeds it later).
      await this.rooms.store.seed(room).catch((err: unknown) => this.opts.log.warn({ err, roomId: room.id }, 'seeding room state failed'));
      this.rooms.set(room);
      this.timers.schedule(room);
      this.changed(room);
      return { roomId: room.id, code: room.code };
    }
    throw new AppError('UNAVAILABLE', 'could not allocate a room code; try again');
  }

  async summaryByCode(code: string): Promise<RoomSummary | null> {
    const room = await this.rooms.byCode(code);
    if (!room) return null;
    const p = room.playback;
    return {
      roomId: room.id,
      code: room.code,
      name: room.name,
      memberCount: room.members.filter((m) => !m.banned).length,
      nowPlaying:
        p.trackId !== null && p.status !== 'idle'
          ? { trackId: p.trackId, status: p.status, positionMs: p.positionMs, at: p.at }
          : null,
    };
  }

  async snapshotByCode(code: string): Promise<RoomSnapshot | null> {
    const room = await this.rooms.byCode(code);
    return room ? toSnapshot(room) : null;
  }

  get(roomId: string): Promise<RoomState | null> {
    return this.rooms.get(roomId);
  }

  openRoomCount(): number {
    return this.rooms.size;
  }

  /** Stops timers and waits for edits in flight. The database belongs to the caller. */
  async close(): Promise<void> {
    this.closed = true;
    this.timers.clearAll();
    await this.mutex.idle();
    this.timers.clearAll();
  }

  // ── lifecycle ─────────────────────────────────────────────────────────────

  /**
   * At start: adopt every open room, mark everyone disconnected (nobody is connected to a fresh
   * process, and their seats are kept), and re-arm timers so host grace and idle close resume.
   * `keepConnected` (a cluster): leave the members as they are; other nodes may hold their sockets, and
   * markAbsent() settles who is really gone once this node can ask its peers.
   */
  async restore(opts: { keepConnected?: boolean } = {}): Promise<number> {
    const open = await this.opts.db.repos.rooms.listOpen();
    for (const stored of open) {
      this.rooms.set(stored);
      await this.exclusive(
        stored.id, async () => {
          await this.rooms.store.seed(stored);
          if (opts.keepConnected) return;
          for (const m of stored.members) {
            if (m.connected && !m.banned) await this.commitLocked(stored.id, { type: 'disconnect', actorId: m.userId });
          }
        })
        // A store that is away at start must not stop the node: the room is re-seeded on its next use.
        .catch((err: unknown) => this.opts.log.warn({ err, roomId: stored.id }, 'restoring room failed'));
      const room = this.rooms.cached(stored.id);
      if (room) this.timers.schedule(room);
    }
    return open.length;
  }

  /**
   * After a cluster restart (restore with keepConnected): members shown connected whose socket is in the
   * room on no node (`presentIn` asks the whole cluster) are marked disconnected, as a single node does at
   * start. A room whose presence cannot be checked (a peer did not answer) is marked too, as before.
   */
  async markAbsent(presentIn: PresentIn): Promise<number> {
    let marked = 0;
    for (const room of this.openRooms()) {
      marked += await this.disconnectAbsent(room.id, presentIn, { unknown: 'absent' }).catch((err: unknown) => {
        this.opts.log.warn({ err, roomId: room.id }, 'checking who is still connected failed');
        return 0;
      });
    }
    return marked;
  }

  /**
   * Under the room's lock: members shown connected (of `only`, when given) whose socket is in the room on
   * no node are marked disconnected. `unknown`: what a failed presence check means — everyone absent
   * (after a restart, as a single node assumes) or nothing to do (the periodic sweep tries again).
   */
  async disconnectAbsent(
    roomId: string,
    presentIn: PresentIn,
    opts: { unknown: 'absent' | 'keep'; only?: ReadonlySet<string> },
  ): Promise<number> {
    return this.exclusive(roomId, async () => {
      if (this.closed) return 0;
      const current = await this.rooms.get(roomId);
      const shown = (current?.members ?? []).filter((m) => m.connected && !m.banned && (opts.only?.has(m.userId) ?? true));
      if (shown.length === 0) return 0;
      let present: ReadonlySet<string>;
      try {
        present = await presentIn(roomId);
      } catch {
        if (opts.unknown === 'keep') return 0;
        present = new Set();
      }
      let marked = 0;
      for (const m of shown) {
        if (present.has(m.userId)) continue;
        await this.commitLocked(roomId, { type: 'disconnect', actorId: m.userId });
        marked++;
      }
      return marked;
    });
  }

  // ── per-command API (socket handlers) ─────────────────────────────────────

  /**
   * Join by code → snapshot. `admit(roomId)` runs inside the room's critical section before the
   * broadcast, so the joining socket is subscribed before any later version can be sent.
   */
  async join(
    code: string,
    actor: { userId: string; displayName: string },
    admit?: (roomId: string) => void,
  ): Promise<RoomSnapshot> {
    const room = await this.rooms.byCode(code);
    if (!room) throw new AppError('NOT_FOUND', 'no open room with that code');
    return this.exclusive(room.id, async () => {
      const t = await this.commitLocked(room.id, { type: 'join', actor }, () => admit?.(room.id));
      return toSnapshot(t.room);
    });
  }

  /** A recovered socket comes back: reconnect the seat only if it is still theirs (not kicked or banned). */
  async rejoin(roomId: string, actor: { userId: string; displayName: string }): Promise<RoomSnapshot> {
    return this.exclusive(roomId, async () => {
      const room = await this.loadLocked(roomId);
      if (!isMember(room, actor.userId)) throw new AppError('FORBIDDEN', 'you are no longer a member of this room');
      const t = await this.commitLocked(roomId, { type: 'join', actor });
      return toSnapshot(t.room);
    });
  }

  /**
   * A connection dropped: keep the seat, shown as disconnected. `stillConnected` is asked inside the
   * room's critical section, so a quick reconnect (or a second tab) ordered before it wins.
   */
  async disconnect(roomId: string, userId: string, stillConnected?: () => Promise<boolean>): Promise<void> {
    await this.exclusive(roomId, async () => {
      if (stillConnected && (await stillConnected())) return;
      await this.commitLocked(roomId, { type: 'disconnect', actorId: userId });
    });
  }

  /** Current snapshot for a member (the answer to room:sync). */
  async sync(roomId: string, userId: string): Promise<RoomSnapshot> {
    return this.mutex.run(roomId, async () => {
      const room = await this.loadLocked(roomId);
      if (!isMember(room, userId)) throw new AppError('FORBIDDEN', 'you are not a member of this room');
      return toSnapshot(room);
    });
  }

  async queueAdd(roomId: string, actorId: string, trackId: string): Promise<Transition<ResultOf<'queue:add'>>> {
    const track = await this.tracks.get(trackId);
    if (!track) throw new AppError('NOT_FOUND', 'unknown track');
    return this.execute(roomId, { type: 'queue:add', actorId, itemId: nanoid(), trackId, durationMs: track.durationMs });
  }

  async play(roomId: string, actorId: string, trackId?: string): Promise<Transition<ResultOf<'playback:play'>>> {
    if (trackId === undefined) return this.execute(roomId, { type: 'playback:play', actorId });
    const track = await this.tracks.get(trackId);
    if (!track) throw new AppError('NOT_FOUND', 'unknown track');
    return this.execute(roomId, { type: 'playback:play', actorId, trackId, durationMs: track.durationMs });
  }

  /** Any other command, applied under the room's lock. */
  async execute<K extends CommandType>(roomId: string, cmd: CommandOf<K>): Promise<Committed<ResultOf<K>>> {
    const t = await this.exclusive(roomId, () => this.commitLocked(roomId, cmd));
    return t as Committed<ResultOf<K>>;
  }

  // ── internals ─────────────────────────────────────────────────────────────

  /**
   * The room's critical section: this process's mutex, and with a shared store the store's cluster-wide
   * lock too (the Postgres version check stays the safety net should a lease run out).
   */
  private exclusive<T>(roomId: string, fn: () => Promise<T>): Promise<T> {
    const store = this.rooms.store;
    if (!store.lock) return this.mutex.run(roomId, fn);
    return this.mutex.run(roomId, async () => {
      const release = await store.lock!(roomId);
      try {
        return await fn();
      } finally {
        await release();
      }
    });
  }

  private async commitLocked(roomId: string, cmd: RoomCommand, beforeBroadcast?: () => void): Promise<Committed> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commitOnce(roomId, cmd, beforeBroadcast);
      } catch (e) {
        // Another node committed this room since our copy was read (optimistic concurrency): reload the
        // stored state and apply the command again. Only conflicts retry; a rule error is the answer.
        if (!(e instanceof StaleRoomError)) throw e;
        this.stats.conflicts++;
        this.stats.maxAttempts = Math.max(this.stats.maxAttempts, attempt + 1);
        if (attempt >= COMMIT_ATTEMPTS) throw e.cause;
        await this.rooms.reload(roomId);
        await sleep(retryDelay(attempt));
      }
    }
  }

  private async commitOnce(roomId: string, cmd: RoomCommand, beforeBroadcast?: () => void): Promise<Committed> {
    // Checked inside the lock: an edit queued before close() must not reach a database being closed.
    this.assertOpen();
    const room = await this.loadLocked(roomId);
    const now = this.now();
    const command = await withAutofill(this.opts.autofill, room, cmd, this.opts.log);
    const t = applyCommand(room, command, now);
    const records = toInteractions(t.interactions, t.room, now);
    if (t.room !== room) {
      try {
        // The edit and the interactions it caused commit in one transaction (the durable record first).
        await this.opts.db.repos.rooms.save(t.room, room.version, t.event, records, { outbox: this.outbox, changed: t.changes });
      } catch (e) {
        // Someone else moved the stored room on (another node, a stale copy): reload and retry.
        if (isAppError(e) && e.code === 'CONFLICT') throw new StaleRoomError(e);
        throw e;
      }
      await this.storeState(t.room, room.version);
      this.rooms.set(t.room);
      this.changed(t.room);
    }
    await recordInteractions({ ...this.opts, outbox: this.outbox, appender: this.appender }, records, t.room !== room);
    beforeBroadcast?.();
    for (const b of broadcastsFor(t.room, t.changes)) this.opts.emit(roomId, ...b);
    this.timers.schedule(t.room);
    return { ...t, interactionIds: records.map((r) => r.id) };
  }

  /**
   * The committed state goes to the store. The edit is durable already, so a failure here is repaired,
   * not reported: a store that moved on is overwritten only by a newer version (seed), and a store that
   * is away keeps an older copy, which the next command's Postgres version check catches and reloads.
   */
  private async storeState(room: RoomState, prevVersion: number): Promise<void> {
    try {
      await this.rooms.store.compareAndSet(room, prevVersion);
    } catch (err) {
      if (isAppError(err) && err.code === 'CONFLICT') {
        await this.rooms.store.seed(room).catch((e: unknown) => this.opts.log.warn({ err: e, roomId: room.id }, 'repairing room state failed'));
        return;
      }
      this.opts.log.warn({ err, roomId: room.id }, 'room state not stored (store unavailable); it reloads from the database');
    }
  }

  /**
   * Timer callback: close an idle empty room, or apply a tick (track end, host grace). It reads the
   * current state: in a cluster another node may have ticked first, and the domain's tick on that fresh
   * state changes nothing (no double advance). A failure (storage away) is logged and retried later, so
   * playback resumes advancing by itself.
   */
  private async onDue(roomId: string): Promise<void> {
    if (this.closed) return;
    await this
      .exclusive(roomId, async () => {
        if (this.closed) return;
        const room = await this.rooms.get(roomId);
        if (!room) return this.forget(roomId);
        if (this.timers.idleExpired(room)) return this.closeLocked(room);
        const t = await this.commitLocked(roomId, { type: 'tick', hostGraceMs: this.opts.config.hostGraceMs });
        // A due deadline that changed nothing must not spin: try again a little later.
        if (t.room === room) this.timers.schedule(room, { minDelayMs: 1000 });
      })
      .catch((err: unknown) => {
        const unavailable = isAppError(err) && err.code === 'UNAVAILABLE';
        if (unavailable) this.opts.log.warn({ err, roomId }, 'room timer failed (storage unavailable); retrying');
        else this.opts.log.error({ err, roomId }, 'room timer failed');
        const last = this.rooms.cached(roomId);
        if (last && !this.closed) this.timers.schedule(last, { minDelayMs: TIMER_RETRY_MS });
      });
  }

  private async closeLocked(room: RoomState): Promise<void> {
    const closed: RoomState = { ...room, closedAt: this.now(), version: room.version + 1 };
    try {
      await this.opts.db.repos.rooms.save(closed, room.version, {
        type: 'room:close',
        actorId: null,
        payload: { reason: 'idle' },
      });
    } catch (e) {
      // Another node moved the room on (or closed it): its state decides; re-arm from there.
      if (!(isAppError(e) && e.code === 'CONFLICT')) throw e;
      const fresh = await this.rooms.reload(room.id);
      if (fresh) this.timers.schedule(fresh);
      else this.forget(room.id);
      return;
    }
    await this.rooms.store
      .delete(room.id)
      .catch((err: unknown) => this.opts.log.warn({ err, roomId: room.id }, 'deleting closed room state failed (expires by TTL)'));
    this.forget(room.id);
    this.changed(closed);
    this.opts.log.info({ roomId: room.id, code: room.code }, 'closed idle room');
  }

  private async loadLocked(roomId: string): Promise<RoomState> {
    const room = await this.get(roomId);
    if (!room) throw new AppError('NOT_FOUND', 'room not found or closed');
    return room;
  }

  private changed(room: RoomState): void {
    try {
      this.opts.onRoomChange?.(room);
    } catch (err) {
      // An observer must never fail a committed edit.
      this.opts.log.error({ err, roomId: room.id }, 'room change observer failed');
    }
  }

  /** A room's state as committed by any node (the room-state store; no lock). */
  current(roomId: string): Promise<RoomState | null> {
    return this.rooms.get(roomId);
  }

  /** Every open room this node holds (e.g. to tell a learner that starts after restore()). */
  openRooms(): RoomState[] {
    return this.rooms.all();
  }

  private forget(roomId: string): void {
    this.rooms.delete(roomId);
    this.timers.clear(roomId);
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('UNAVAILABLE', 'server is shutting down');
  }
}
