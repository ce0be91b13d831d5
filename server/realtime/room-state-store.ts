/**
 * The room-state seam: where the latest committed state of each open room lives between commands.
 * Memory (default, one process) or Redis (several nodes share one copy). Postgres stays the durable
 * record: the room service saves there first (its optimistic version check is the serialisation
 * point), then writes here; a miss here falls back to Postgres and seeds the store.
 *
 * Writes are versioned so a stale writer never overwrites a newer state:
 * - compareAndSet(room, expected): only when the stored version is `expected`, or nothing is stored and
 *   `expected` is the version before `room.version` (the key expired or was never seeded);
 * - seed(room): only when nothing newer is stored (a state read from Postgres, or a repair).
 */
import { AppError } from '../errors.ts';
import type { RoomState } from '../rooms/types.ts';

export interface RoomStateStore {
  readonly kind: 'memory' | 'redis';
  /** The stored open room, or null (unknown, expired or closed). */
  get(roomId: string): Promise<RoomState | null>;
  /** By normalised code. */
  byCode(code: string): Promise<RoomState | null>;
  /** Throws AppError('CONFLICT') when the stored version is not `expectedVersion`. */
  compareAndSet(room: RoomState, expectedVersion: number): Promise<void>;
  /** Stores `room` unless a newer (or equal) version is stored; true when it was written. */
  seed(room: RoomState): Promise<boolean>;
  /** Forget a room (closed). */
  delete(roomId: string): Promise<void>;
  /**
   * Cluster-wide critical section for one room (the per-process KeyedMutex spans one node only): a
   * short lease, fair between nodes, so a burst on one room queues instead of losing version races.
   * Optional: the memory store serves one process. Resolves with the release function.
   */
  lock?(roomId: string): Promise<() => Promise<void>>;
  /** Optional: stop background work (the Redis store's liveness heartbeat). */
  close?(): void;
}

export const casConflict = (room: RoomState, expected: number, stored: number | null): AppError =>
  // Clients see a plain retry hint; the versions stay in the cause (logs), never on the wire.
  new AppError('CONFLICT', 'the room changed at the same time; try again', {
    cause: new Error(`room ${room.id} state is at version ${stored ?? 'none'}, expected ${expected} (writing ${room.version})`),
  });

/** Closed rooms are never kept. Also today's in-process cache: id → state, code → id. */
export class MemoryRoomStateStore implements RoomStateStore {
  readonly kind = 'memory' as const;
  private readonly rooms = new Map<string, RoomState>();
  private readonly codes = new Map<string, string>();

  get size(): number {
    return this.rooms.size;
  }

  /** Synchronous read for the owner process (timers, metrics). */
  peek(roomId: string): RoomState | undefined {
    return this.rooms.get(roomId);
  }

  all(): RoomState[] {
    return [...this.rooms.values()];
  }

  get(roomId: string): Promise<RoomState | null> {
    return Promise.resolve(this.rooms.get(roomId) ?? null);
  }

  byCode(code: string): Promise<RoomState | null> {
    const id = this.codes.get(code);
    return Promise.resolve(id === undefined ? null : (this.rooms.get(id) ?? null));
  }

  compareAndSet(room: RoomState, expectedVersion: number): Promise<void> {
    const stored = this.rooms.get(room.id);
    const ok = stored ? stored.version === expectedVersion : expectedVersion === room.version - 1;
    if (!ok) return Promise.reject(casConflict(room, expectedVersion, stored?.version ?? null));
    this.put(room);
    return Promise.resolve();
  }

  seed(room: RoomState): Promise<boolean> {
    if (room.closedAt !== null) return Promise.resolve(false);
    const stored = this.rooms.get(room.id);
    if (stored && stored.version >= room.version) return Promise.resolve(false);
    this.put(room);
    return Promise.resolve(true);
  }

  delete(roomId: string): Promise<void> {
    const room = this.rooms.get(roomId);
    if (room && this.codes.get(room.code) === roomId) this.codes.delete(room.code);
    this.rooms.delete(roomId);
    return Promise.resolve();
  }

  private put(room: RoomState): void {
    if (room.closedAt !== null) {
      void this.delete(room.id);
      return;
    }
    this.rooms.set(room.id, room);
    this.codes.set(room.code, room.id);
  }
}
