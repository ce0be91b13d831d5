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
import { OpenRooms } from './open-rooms.ts';
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
}

const CODE_ATTEMPTS = 8;

/** The stored room moved on under a cached copy (its cause is the repository's CONFLICT). */
class StaleRoomError extends Error {
  constructor(override readonly cause: unknown) {
    super('stale room copy');
  }
}

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
    this.rooms = new OpenRooms(opts.db.repos.rooms, (room) => this.timers.schedule(room));
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
   */
  async restore(): Promise<number> {
    const open = await this.opts.db.repos.rooms.listOpen();
    for (const stored of open) {
      this.rooms.set(stored);
      await this.mutex.run(stored.id, async () => {
        for (const m of stored.members) {
          if (m.connected && !m.banned) await this.commitLocked(stored.id, { type: 'disconnect', actorId: m.userId });
        }
        const room = this.rooms.cached(stored.id);
        if (room) this.timers.schedule(room);
      });
    }
    return open.length;
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
    return this.mutex.run(room.id, async () => {
      const t = await this.commitLocked(room.id, { type: 'join', actor }, () => admit?.(room.id));
      return toSnapshot(t.room);
    });
  }

  /** A recovered socket comes back: reconnect the seat only if it is still theirs (not kicked or banned). */
  async rejoin(roomId: string, actor: { userId: string; displayName: string }): Promise<RoomSnapshot> {
    return this.mutex.run(roomId, async () => {
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
    await this.mutex.run(roomId, async () => {
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
    const track = await this.opts.db.repos.tracks.get(trackId);
    if (!track) throw new AppError('NOT_FOUND', 'unknown track');
    return this.execute(roomId, { type: 'queue:add', actorId, itemId: nanoid(), trackId, durationMs: track.durationMs });
  }

  async play(roomId: string, actorId: string, trackId?: string): Promise<Transition<ResultOf<'playback:play'>>> {
    if (trackId === undefined) return this.execute(roomId, { type: 'playback:play', actorId });
    const track = await this.opts.db.repos.tracks.get(trackId);
    if (!track) throw new AppError('NOT_FOUND', 'unknown track');
    return this.execute(roomId, { type: 'playback:play', actorId, trackId, durationMs: track.durationMs });
  }

  /** Any other command, applied under the room's lock. */
  async execute<K extends CommandType>(roomId: string, cmd: CommandOf<K>): Promise<Committed<ResultOf<K>>> {
    const t = await this.mutex.run(roomId, () => this.commitLocked(roomId, cmd));
    return t as Committed<ResultOf<K>>;
  }

  // ── internals ─────────────────────────────────────────────────────────────

  private async commitLocked(roomId: string, cmd: RoomCommand, beforeBroadcast?: () => void): Promise<Committed> {
    try {
      return await this.commitOnce(roomId, cmd, beforeBroadcast);
    } catch (e) {
      // Another node committed this room since we cached it (several nodes on one database): the stale
      // copy is forgotten, so one retry applies the command to the stored state (optimistic concurrency).
      if (!(e instanceof StaleRoomError)) throw e;
      return this.commitOnce(roomId, cmd, beforeBroadcast).catch((again: unknown) => {
        throw again instanceof StaleRoomError ? again.cause : again;
      });
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
        // The edit and the interactions it caused commit in one transaction.
        await this.opts.db.repos.rooms.save(t.room, room.version, t.event, records);
      } catch (e) {
        // Someone else moved the stored room on (another node, a stale cache): reload next time.
        if (isAppError(e) && e.code === 'CONFLICT') {
          this.forget(roomId);
          throw new StaleRoomError(e);
        }
        throw e;
      }
      this.rooms.set(t.room);
      this.changed(t.room);
    }
    await recordInteractions(this.opts, records, t.room !== room);
    beforeBroadcast?.();
    for (const b of broadcastsFor(t.room, t.changes)) this.opts.emit(roomId, ...b);
    this.timers.schedule(t.room);
    return { ...t, interactionIds: records.map((r) => r.id) };
  }

  /** Timer callback: close an idle empty room, or apply a tick (track end, host grace). */
  private async onDue(roomId: string): Promise<void> {
    if (this.closed) return;
    await this.mutex
      .run(roomId, async () => {
        const room = this.rooms.cached(roomId);
        if (!room || this.closed) return;
        if (this.timers.idleExpired(room)) return this.closeLocked(room);
        const t = await this.commitLocked(roomId, { type: 'tick', hostGraceMs: this.opts.config.hostGraceMs });
        // A due deadline that changed nothing must not spin: try again a little later.
        if (t.room === room) this.timers.schedule(room, { minDelayMs: 1000 });
      })
      .catch((err: unknown) => this.opts.log.error({ err, roomId }, 'room timer failed'));
  }

  private async closeLocked(room: RoomState): Promise<void> {
    const closed: RoomState = { ...room, closedAt: this.now(), version: room.version + 1 };
    await this.opts.db.repos.rooms.save(closed, room.version, {
      type: 'room:close',
      actorId: null,
      payload: { reason: 'idle' },
    });
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
